"""Members of an organisation: invitations, requests, roles; and the entry's change history."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.forms_lifecycle import InviteForm, JoinForm
from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect


def _organisation(request: MunicipalRequest, slug: str, perm: str = "") -> Organisation:
    """The organisation if the person may see it (404 otherwise) and holds `perm` (403)."""
    organisation = selectors.organisation_visible(
        municipality=request.municipality, slug=slug, user=request.user
    )
    if organisation is None:
        raise Http404
    if perm and not request.user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


@require_http_methods(["GET", "POST"])
def members(request: MunicipalRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _organisation(request, slug, "actors.manage_members")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_invite(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is on its way.")
                % {"email": form.cleaned_data["email"]},
            )
            return mredirect("actors:members", request.municipality, slug=slug)
    return render(
        request,
        "actors/members.html",
        {
            "organisation": organisation,
            "form": form,
            "memberships": selectors.members_of(organisation=organisation),
            "roles": Membership.Role.choices,
        },
    )


@require_POST
def member_change(request: MunicipalRequest, slug: str, membership_id: int) -> HttpResponse:
    """Change a role, answer a request, withdraw an invitation or remove somebody (confirmed)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _organisation(request, slug, "actors.manage_members")
    membership = selectors.membership_of(organisation=organisation, membership_id=membership_id)
    if membership is None:
        raise Http404
    action = request.POST.get("action", "")
    if action == "remove" and not request.POST.get("confirmed"):
        return render(
            request,
            "actors/members_remove.html",
            {"organisation": organisation, "membership": membership},
        )
    try:
        if action == "role":
            services.membership_role_set(
                actor=request.user, membership=membership, role=request.POST.get("role", "")
            )
            done = _("The role has been changed.")
        elif action in ("accept", "decline"):
            services.membership_request_decide(
                actor=request.user, membership=membership, accept=action == "accept"
            )
            done = _("The request has been answered.")
        elif action == "remove":
            services.membership_remove(actor=request.user, membership=membership)
            done = _("Done: the person is no longer listed.")
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return mredirect("actors:members", request.municipality, slug=slug)


@require_http_methods(["GET", "POST"])
def join(request: MunicipalRequest, slug: str) -> HttpResponse:
    """Ask to join, see one's own request or invitation, or leave."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _organisation(request, slug)
    own = selectors.membership_of_user(organisation=organisation, user=request.user)
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("action") == "leave" and own is not None:
        if not request.POST.get("confirmed"):
            return render(
                request,
                "actors/members_leave.html",
                {"organisation": organisation, "membership": own},
            )
        try:
            services.membership_remove(actor=request.user, membership=own)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
        return mredirect("actors:join", request.municipality, slug=slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(
                actor=request.user,
                organisation=organisation,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your request has been sent. The administrators will answer soon.")
            )
            return mredirect("actors:join", request.municipality, slug=slug)
    return render(
        request,
        "actors/members_join.html",
        {"organisation": organisation, "form": form, "own": own},
    )


@require_http_methods(["GET", "POST"])
def invitation(request: MunicipalRequest, token: uuid.UUID) -> HttpResponse:
    """An invitation link: after login (or sign-up) the person accepts or declines."""
    if not request.user.is_authenticated:
        messages.info(
            request,
            _(
                "You have been invited to an organisation. Please log in, or sign up first and then open the link from the e-mail again."
            ),
        )
        return redirect_to_login(request.get_full_path())
    membership = selectors.invitation_for(
        municipality=request.municipality, token=token, user=request.user
    )
    if membership is None:
        raise Http404
    if request.method == "POST":
        accept = request.POST.get("action") == "accept"
        try:
            if accept:
                services.invitation_accept(actor=request.user, token=token)
            else:
                services.invitation_decline(actor=request.user, token=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            organisation = membership.organisation
            if accept:
                messages.success(request, _("Welcome to %(name)s!") % {"name": organisation.name})
                return mredirect("actors:detail", request.municipality, slug=organisation.slug)
            messages.success(request, _("You have declined the invitation."))
            return mredirect("actors:directory", request.municipality)
    return render(request, "actors/members_invitation.html", {"membership": membership})


@require_GET
def history(request: MunicipalRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _organisation(request, slug, "actors.view_history")
    page = Paginator(selectors.organisation_history(organisation=organisation), 30).get_page(
        request.GET.get("seite")
    )
    entries = [(event, selectors.describe_changes(event)) for event in page.object_list]
    return render(
        request,
        "actors/history.html",
        {"organisation": organisation, "page": page, "entries": entries},
    )


urlpatterns = [
    path("einladung/<uuid:token>/", invitation, name="invitation"),
    path("<slug:slug>/mitglieder/", members, name="members"),
    path("<slug:slug>/mitglieder/<int:membership_id>/", member_change, name="member_change"),
    path("<slug:slug>/mitmachen/", join, name="join"),
    path("<slug:slug>/verlauf/", history, name="history"),
]
