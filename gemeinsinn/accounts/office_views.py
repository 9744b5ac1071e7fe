"""The coordination office's team page: who holds which role in the municipality."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gemeinsinn.accounts import selectors, services
from gemeinsinn.accounts.models import Role, RoleGrant, User
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect
from gemeinsinn.core.views import office_required


class GrantForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the person"))
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[(Role.COORDINATOR, Role.COORDINATOR.label), (Role.PARTNER, Role.PARTNER.label)],
    )


def _actor(request: MunicipalRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@office_required("accounts.grant_role")
@require_http_methods(["GET", "POST"])
def team(request: MunicipalRequest) -> HttpResponse:
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant_by_email(
                actor=_actor(request),
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                municipality=request.municipality,
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, _("The role has been given."))
            return mredirect("team:team", request.municipality)
    return render(
        request,
        "accounts/office_team.html",
        {"form": form, "grants": selectors.team_of(municipality=request.municipality)},
    )


@office_required("accounts.grant_role")
@require_POST
def revoke(request: MunicipalRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant, pk=grant_id, municipality=request.municipality)
    try:
        services.role_revoke(actor=_actor(request), grant=grant)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("The role has been removed."))
    return mredirect("team:team", request.municipality)
