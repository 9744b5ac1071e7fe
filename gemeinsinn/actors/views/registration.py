"""Self-registration of organisations, claims of imported entries and "still current" confirmations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.forms_lifecycle import ClaimCodeForm, ClaimStartForm, RegistrationForm
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect


def _masked(email: str) -> str:
    """Show where the code went without giving the address away: a***@example.org."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


@require_http_methods(["GET", "POST"])
def register(request: MunicipalRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = RegistrationForm(
        request.POST or None,
        request.FILES or None,
        municipality=request.municipality,
        show_duplicate_confirmation=request.POST.get("duplicate_shown") == "1",
    )
    similar: list[Organisation] = []
    is_office = request.user.has_perm("core.manage_municipality", request.municipality)
    as_office = is_office and request.POST.get("as_office") == "1"
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(
                actor=request.user,
                municipality=request.municipality,
                values=form.values(),
                duplicate_confirmed=bool(form.cleaned_data.get("duplicate_confirmed")),
                as_office=as_office,
            )
        except services.DuplicateNameError as exc:
            similar = exc.organisations
            form = RegistrationForm(
                request.POST,
                request.FILES or None,
                municipality=request.municipality,
                show_duplicate_confirmation=True,
            )
            form.is_valid()
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if as_office:
                messages.success(request, _("The entry is published."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you! The coordination office will check the entry and publish it. We will let you know by e-mail."
                    ),
                )
            return mredirect("actors:detail", request.municipality, slug=organisation.slug)
    return render(
        request,
        "actors/register.html",
        {"form": form, "similar": similar, "is_office": is_office, "as_office": as_office},
    )


@require_http_methods(["GET", "POST"])
def claim(request: MunicipalRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = selectors.organisation_visible(
        municipality=request.municipality, slug=slug, user=request.user
    )
    if organisation is None:
        raise Http404
    form = ClaimStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            started = services.claim_start(
                actor=request.user,
                organisation=organisation,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if started.code_sent_to:
                return mredirect("actors:claim_code", request.municipality, slug=slug)
            messages.success(
                request,
                _(
                    "Thank you! The coordination office will check your claim and tell you by e-mail."
                ),
            )
            return mredirect("actors:claim", request.municipality, slug=slug)
    return render(
        request,
        "actors/claim.html",
        {
            "organisation": organisation,
            "form": form,
            "pending": selectors.claim_pending_of(organisation=organisation, user=request.user),
            "claimable": not organisation.is_claimed,
        },
    )


@require_http_methods(["GET", "POST"])
def claim_code(request: MunicipalRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = selectors.organisation_visible(
        municipality=request.municipality, slug=slug, user=request.user
    )
    if organisation is None:
        raise Http404
    pending = selectors.claim_pending_of(organisation=organisation, user=request.user)
    if pending is None or not pending.code_sent_to:
        return mredirect("actors:claim", request.municipality, slug=slug)
    verify = request.method == "POST" and request.POST.get("action") != "resend"
    form = ClaimCodeForm(request.POST if verify else None)
    if request.method == "POST" and not verify:
        try:
            services.claim_code_resend(actor=request.user, claim=pending)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("A new code is on its way."))
        return mredirect("actors:claim_code", request.municipality, slug=slug)
    if verify and form.is_valid():
        try:
            services.claim_verify(actor=request.user, claim=pending, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Welcome! You now manage %(name)s. Please check that the entry is current.")
                % {"name": organisation.name},
            )
            return mredirect("actors:edit", request.municipality, slug=slug)
    return render(
        request,
        "actors/claim_code.html",
        {"organisation": organisation, "form": form, "sent_to": _masked(pending.code_sent_to)},
    )


@require_POST
def confirm(request: MunicipalRequest, slug: str) -> HttpResponse:
    """The edit page's "still current" button."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = selectors.organisation_visible(
        municipality=request.municipality, slug=slug, user=request.user
    )
    if organisation is None:
        raise Http404
    try:
        services.organisation_confirm_current(actor=request.user, organisation=organisation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you! The entry is confirmed as current."))
    return mredirect("actors:edit", request.municipality, slug=slug)


@require_http_methods(["GET", "POST"])
def confirm_token(request: MunicipalRequest, token: str) -> HttpResponse:
    """The reminder's link: a page with one button, so that mail scanners confirm nothing."""
    organisation = selectors.organisation_by_confirm_token(
        municipality=request.municipality, token=token
    )
    if organisation is None:
        return render(
            request, "actors/register_confirm_current.html", {"organisation": None}, status=404
        )
    if request.method == "POST":
        try:
            services.organisation_confirm_by_token(municipality=request.municipality, token=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you! The entry is confirmed as current."))
            return mredirect("actors:detail", request.municipality, slug=organisation.slug)
    return render(request, "actors/register_confirm_current.html", {"organisation": organisation})


urlpatterns = [
    path("registrieren/", register, name="register"),
    path("aktuell/<str:token>/", confirm_token, name="confirm_token"),
    path("<slug:slug>/beanspruchen/", claim, name="claim"),
    path("<slug:slug>/beanspruchen/code/", claim_code, name="claim_code"),
    path("<slug:slug>/bestaetigen/", confirm, name="confirm"),
]
