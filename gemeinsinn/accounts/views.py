from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gemeinsinn.accounts import selectors, services
from gemeinsinn.accounts.consent import OPTIONAL_PURPOSES, PURPOSES
from gemeinsinn.accounts.forms import DeleteAccountForm, ProfileForm
from gemeinsinn.accounts.models import User


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.profile_update(
                user=user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                home_municipality=form.cleaned_data["home_municipality"],
            )
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "home_municipality": user.home_municipality,
            }
        )
    current = selectors.consents_current(user=user)
    consents = [
        {"purpose": PURPOSES[key], "record": current.get(key), "optional": key in OPTIONAL_PURPOSES}
        for key in PURPOSES
        if current.get(key) is not None or key in OPTIONAL_PURPOSES
    ]
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "consents": consents,
            "roles": selectors.roles_of(user=user),
            "coordinated": selectors.municipalities_coordinated(user=user),
        },
    )


@login_required
@require_POST
def consent_change(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in OPTIONAL_PURPOSES:
        return HttpResponseBadRequest(_("Unknown purpose."))
    granted = request.POST.get("granted") == "1"
    try:
        services.consent_set(user=_user(request), purpose=purpose, granted=granted)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if granted:
            messages.success(request, _("Thank you, your consent has been recorded."))
        else:
            messages.success(request, _("Your consent has been withdrawn."))
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET", "POST"])
def data_export(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "accounts/export.html")
    document = services.user_export(user=_user(request))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="gemeinsinn-meine-daten-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_delete(user=user, actor=user)
        logout(request)
        messages.success(
            request, _("Your account has been deleted. Thank you for your engagement.")
        )
        return redirect("platform:landing")
    return render(request, "accounts/delete.html", {"form": form})
