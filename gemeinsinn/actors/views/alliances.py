"""Alliances (Bündnisse) with steering group, projects and target agreements.

Everybody sees public alliances; a private one looks exactly like a missing one (404) to
outsiders. The steering group and the coordination office manage members, projects and target
agreements; the office founds alliances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gemeinsinn.actors import charts, selectors, services
from gemeinsinn.actors.forms_network import (
    AllianceEditForm,
    AllianceForm,
    AllianceMemberForm,
    AllianceProjectForm,
    ProgressUpdateForm,
    TargetAgreementForm,
)
from gemeinsinn.actors.models import Alliance, AllianceMember, ProgressUpdate, TargetAgreement
from gemeinsinn.actors.selectors.network import alliance_invitation_for, share_of_way
from gemeinsinn.actors.services.network import (
    alliance_invitation_accept,
    alliance_invitation_decline,
)
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect
from gemeinsinn.core.views import office_required


@dataclass(frozen=True)
class ChartRow:
    """One line of the data table beside a progress chart."""

    day: date
    value: str
    percent: int
    note: str
    update: ProgressUpdate | None = None


@dataclass(frozen=True)
class AgreementView:
    """A target agreement with its computed progress, chart and data table, ready for a template."""

    agreement: TargetAgreement
    progress: selectors.Progress
    chart: str
    chart_id: str
    rows: list[ChartRow]
    baseline: str
    target: str
    latest: str


def _agreement_view(agreement: TargetAgreement) -> AgreementView:
    progress = selectors.agreement_progress(agreement)
    chart_id = f"chart-{agreement.pk}"

    def percent(value: Decimal) -> int:
        share = share_of_way(
            baseline=agreement.baseline, target=agreement.target_value, value=value
        )
        return int(share * 100)

    rows = [
        ChartRow(
            day=progress.start,
            value=charts.format_number(agreement.baseline),
            percent=0,
            note=_("starting value"),
        )
    ]
    rows += [
        ChartRow(
            day=u.reported_on,
            value=charts.format_number(u.value),
            percent=percent(u.value),
            note=u.note,
            update=u,
        )
        for u in agreement.updates.all()
    ]
    chart = charts.progress_chart(
        chart_id=chart_id,
        goal=agreement.goal,
        indicator=agreement.indicator,
        unit=agreement.unit,
        baseline=agreement.baseline,
        target=agreement.target_value,
        deadline=agreement.deadline,
        points=[(u.reported_on, u.value) for u in agreement.updates.all()],
        progress=progress,
    )
    return AgreementView(
        agreement=agreement,
        progress=progress,
        chart=chart,
        chart_id=chart_id,
        rows=rows,
        baseline=charts.format_number(agreement.baseline),
        target=charts.format_number(agreement.target_value),
        latest=charts.format_number(progress.latest),
    )


def _visible(request: MunicipalRequest, slug: str) -> Alliance:
    alliance = selectors.alliance_visible(
        municipality=request.municipality, slug=slug, user=request.user
    )
    if alliance is None:
        raise Http404
    return alliance


def _managed(request: MunicipalRequest, slug: str) -> Alliance:
    """The alliance, if the person may manage it; 404 if they may not even see it, else 403."""
    alliance = _visible(request, slug)
    if not request.user.has_perm("actors.manage_alliance", alliance):
        raise PermissionDenied
    return alliance


NEUTRAL_INVITATION_MESSAGE = _lazy(
    "If an account exists for this address, the person has been invited. "
    "They become a member once they accept."
)


def _posted(request: MunicipalRequest) -> QueryDict | None:
    """The submitted data, also when a form was sent empty (an empty QueryDict is falsy)."""
    return request.POST if request.method == "POST" else None


def _login_first(request: MunicipalRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


# --- List, founding, detail, editing -------------------------------------------------------------


@require_GET
def alliance_list(request: MunicipalRequest) -> HttpResponse:
    alliances = selectors.alliances_visible(municipality=request.municipality, user=request.user)
    page = Paginator(alliances, 30).get_page(request.GET.get("seite"))
    return render(
        request,
        "actors/alliance_list.html",
        {
            "page": page,
            "can_create": request.user.has_perm("actors.create_alliance", request.municipality),
        },
    )


@office_required("actors.create_alliance")
@require_http_methods(["GET", "POST"])
def alliance_create(request: MunicipalRequest) -> HttpResponse:
    form = AllianceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            alliance = services.alliance_create(
                actor=request.user,
                municipality=request.municipality,
                name=form.cleaned_data["name"],
                mission=form.cleaned_data["mission"],
                founded_on=form.cleaned_data["founded_on"],
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The alliance has been founded. Now add its members."))
            return mredirect(
                "actors:alliance_members", request.municipality, alliance=alliance.slug
            )
    return render(request, "actors/alliance_form.html", {"form": form, "alliance": None})


@require_GET
def alliance_detail(request: MunicipalRequest, alliance: str) -> HttpResponse:
    item = selectors.alliance_visible(
        municipality=request.municipality, slug=alliance, user=request.user
    )
    invitation = alliance_invitation_for(
        municipality=request.municipality, slug=alliance, user=request.user
    )
    if item is None:
        # A private alliance shows the invited person the invitation and nothing else.
        if invitation is None:
            raise Http404
        return render(
            request,
            "actors/alliance_invitation.html",
            {"alliance": invitation.alliance, "invitation": invitation},
        )
    can_manage = request.user.has_perm("actors.manage_alliance", item)
    # Invited people are not members yet; only the managers see them, marked as invited.
    members = [
        m for m in item.members.all() if can_manage or m.status == AllianceMember.Status.ACTIVE
    ]
    return render(
        request,
        "actors/alliance_detail.html",
        {
            "alliance": item,
            "invitation": invitation,
            "can_manage_alliance": can_manage,
            "steering_organisations": [
                m for m in members if m.is_steering and m.organisation_id is not None
            ],
            "steering_people": [m for m in members if m.is_steering and m.user_id is not None],
            "organisations": [m for m in members if m.organisation_id is not None],
            "people": [m for m in members if m.user_id is not None],
            "agreements": [_agreement_view(a) for a in item.target_agreements.all()],
        },
    )


@require_http_methods(["GET", "POST"])
def alliance_edit(request: MunicipalRequest, alliance: str) -> HttpResponse:
    if response := _login_first(request):
        return response
    item = _managed(request, alliance)
    form = AllianceEditForm(_posted(request), instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.alliance_update(
                actor=request.user,
                alliance=item,
                values={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The alliance has been saved."))
            return mredirect("actors:alliance_detail", request.municipality, alliance=item.slug)
    return render(request, "actors/alliance_form.html", {"form": form, "alliance": item})


# --- Members -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def alliance_members(request: MunicipalRequest, alliance: str) -> HttpResponse:
    if response := _login_first(request):
        return response
    item = _managed(request, alliance)
    candidates = selectors.alliance_member_candidates(
        municipality=request.municipality, alliance=item
    )
    form = AllianceMemberForm(_posted(request), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.alliance_member_add(
                actor=request.user,
                alliance=item,
                organisation=form.cleaned_data["organisation"],
                email=form.cleaned_data["email"],
                is_steering=form.cleaned_data["is_steering"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if member is not None and member.organisation_id is not None:
                messages.success(
                    request, _("%(member)s has joined the alliance.") % {"member": member}
                )
            else:
                # The same words whether or not an account exists: the form reveals nothing.
                messages.success(request, NEUTRAL_INVITATION_MESSAGE)
            return mredirect("actors:alliance_members", request.municipality, alliance=item.slug)
    return render(
        request,
        "actors/alliance_members.html",
        {"alliance": item, "members": list(item.members.all()), "form": form},
    )


@require_POST
def alliance_member_change(
    request: MunicipalRequest, alliance: str, member_id: int
) -> HttpResponse:
    if response := _login_first(request):
        return response
    item = _managed(request, alliance)
    member = selectors.alliance_member_of(alliance=item, pk=member_id)
    if member is None:
        raise Http404
    action = request.POST.get("action", "")
    if action == "remove":
        if not request.POST.get("confirmed"):
            return render(
                request, "actors/alliance_member_remove.html", {"alliance": item, "member": member}
            )
        services.alliance_member_remove(actor=request.user, member=member)
        messages.success(request, _("%(member)s has left the alliance.") % {"member": member})
    elif action in ("steering_on", "steering_off"):
        services.alliance_member_update(
            actor=request.user, member=member, is_steering=action == "steering_on"
        )
        messages.success(request, _("The steering group has been changed."))
    return mredirect("actors:alliance_members", request.municipality, alliance=item.slug)


@require_POST
def alliance_invitation(request: MunicipalRequest, alliance: str) -> HttpResponse:
    if response := _login_first(request):
        return response
    invitation = alliance_invitation_for(
        municipality=request.municipality, slug=alliance, user=request.user
    )
    if invitation is None:
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action == "accept":
            alliance_invitation_accept(actor=request.user, member=invitation)
            messages.success(request, _("Welcome! You are now a member of the alliance."))
        elif action == "decline":
            alliance_invitation_decline(actor=request.user, member=invitation)
            messages.success(request, _("You have declined the invitation."))
            if not request.user.has_perm("actors.view_alliance", invitation.alliance):
                return mredirect("actors:alliances", request.municipality)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return mredirect("actors:alliance_detail", request.municipality, alliance=alliance)


# --- Projects ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def alliance_project_create(request: MunicipalRequest, alliance: str) -> HttpResponse:
    if response := _login_first(request):
        return response
    item = _managed(request, alliance)
    form = AllianceProjectForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.alliance_project_create(actor=request.user, alliance=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The project has been added."))
            return mredirect("actors:alliance_detail", request.municipality, alliance=item.slug)
    return render(
        request,
        "actors/alliance_project_form.html",
        {"alliance": item, "form": form, "project": None},
    )


@require_http_methods(["GET", "POST"])
def alliance_project_edit(
    request: MunicipalRequest, alliance: str, project_id: int
) -> HttpResponse:
    if response := _login_first(request):
        return response
    item = _managed(request, alliance)
    project = selectors.alliance_project_of(alliance=item, pk=project_id)
    if project is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "delete":
        if not request.POST.get("confirmed"):
            return render(
                request,
                "actors/alliance_confirm_delete.html",
                {"alliance": item, "object": project, "kind": "project"},
            )
        services.alliance_project_delete(actor=request.user, project=project)
        messages.success(request, _("The project has been removed."))
        return mredirect("actors:alliance_detail", request.municipality, alliance=item.slug)
    initial = {f: getattr(project, f) for f in services.PROJECT_EDITABLE_FIELDS}
    form = AllianceProjectForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.alliance_project_update(
                actor=request.user,
                project=project,
                values={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The project has been saved."))
            return mredirect("actors:alliance_detail", request.municipality, alliance=item.slug)
    return render(
        request,
        "actors/alliance_project_form.html",
        {"alliance": item, "form": form, "project": project},
    )


# --- Target agreements and progress --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def agreement_create(request: MunicipalRequest, alliance: str) -> HttpResponse:
    if response := _login_first(request):
        return response
    item = _managed(request, alliance)
    members = selectors.alliance_member_organisations(alliance=item)
    form = TargetAgreementForm(_posted(request), members=members)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.target_agreement_create(
                actor=request.user, alliance=item, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The target agreement has been added."))
            return mredirect(
                "actors:agreement_detail",
                request.municipality,
                alliance=item.slug,
                agreement_id=agreement.pk,
            )
    return render(
        request,
        "actors/alliance_agreement_form.html",
        {"alliance": item, "form": form, "agreement": None},
    )


def _agreement(item: Alliance, agreement_id: int) -> TargetAgreement:
    agreement = selectors.target_agreement_of(alliance=item, pk=agreement_id)
    if agreement is None:
        raise Http404
    return agreement


@require_http_methods(["GET", "POST"])
def agreement_detail(request: MunicipalRequest, alliance: str, agreement_id: int) -> HttpResponse:
    if request.method == "POST" and (response := _login_first(request)):
        return response
    item = _visible(request, alliance)
    agreement = _agreement(item, agreement_id)
    can_manage = request.user.has_perm("actors.manage_alliance", item)
    form = None
    if can_manage:
        form = ProgressUpdateForm(_posted(request))
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.progress_update_add(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The progress update has been saved."))
            return mredirect(
                "actors:agreement_detail",
                request.municipality,
                alliance=item.slug,
                agreement_id=agreement.pk,
            )
    return render(
        request,
        "actors/alliance_agreement.html",
        {
            "alliance": item,
            "view": _agreement_view(agreement),
            "form": form,
            "can_manage_alliance": can_manage,
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request: MunicipalRequest, alliance: str, agreement_id: int) -> HttpResponse:
    if response := _login_first(request):
        return response
    item = _managed(request, alliance)
    agreement = _agreement(item, agreement_id)
    if request.method == "POST" and request.POST.get("action") == "delete":
        if not request.POST.get("confirmed"):
            return render(
                request,
                "actors/alliance_confirm_delete.html",
                {"alliance": item, "object": agreement, "kind": "agreement"},
            )
        services.target_agreement_delete(actor=request.user, agreement=agreement)
        messages.success(request, _("The target agreement has been removed."))
        return mredirect("actors:alliance_detail", request.municipality, alliance=item.slug)
    initial: dict[str, Any] = {
        f: getattr(agreement, f) for f in services.AGREEMENT_EDITABLE_FIELDS if f != "responsible"
    }
    initial["responsible"] = list(agreement.responsible.all())
    form = TargetAgreementForm(
        _posted(request),
        initial=initial,
        members=selectors.alliance_member_organisations(alliance=item),
        deadline_changed_only=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.target_agreement_update(
                actor=request.user,
                agreement=agreement,
                values={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The target agreement has been saved."))
            return mredirect(
                "actors:agreement_detail",
                request.municipality,
                alliance=item.slug,
                agreement_id=agreement.pk,
            )
    return render(
        request,
        "actors/alliance_agreement_form.html",
        {"alliance": item, "form": form, "agreement": agreement},
    )


@require_POST
def progress_delete(
    request: MunicipalRequest, alliance: str, agreement_id: int, update_id: int
) -> HttpResponse:
    if response := _login_first(request):
        return response
    item = _managed(request, alliance)
    agreement = _agreement(item, agreement_id)
    update = selectors.progress_update_of(agreement=agreement, pk=update_id)
    if update is None:
        raise Http404
    if not request.POST.get("confirmed"):
        return render(
            request,
            "actors/alliance_confirm_delete.html",
            {"alliance": item, "object": update, "kind": "update", "agreement": agreement},
        )
    services.progress_update_delete(actor=request.user, update=update)
    messages.success(request, _("The progress update has been removed."))
    return mredirect(
        "actors:agreement_detail",
        request.municipality,
        alliance=item.slug,
        agreement_id=agreement.pk,
    )


urlpatterns = [
    path("buendnisse/", alliance_list, name="alliances"),
    path("buendnisse/neu/", alliance_create, name="alliance_create"),
    path("buendnisse/<slug:alliance>/", alliance_detail, name="alliance_detail"),
    path("buendnisse/<slug:alliance>/bearbeiten/", alliance_edit, name="alliance_edit"),
    path("buendnisse/<slug:alliance>/mitglieder/", alliance_members, name="alliance_members"),
    path(
        "buendnisse/<slug:alliance>/mitglieder/<int:member_id>/",
        alliance_member_change,
        name="alliance_member_change",
    ),
    path(
        "buendnisse/<slug:alliance>/einladung/",
        alliance_invitation,
        name="alliance_invitation",
    ),
    path(
        "buendnisse/<slug:alliance>/projekte/neu/",
        alliance_project_create,
        name="alliance_project_create",
    ),
    path(
        "buendnisse/<slug:alliance>/projekte/<int:project_id>/",
        alliance_project_edit,
        name="alliance_project_edit",
    ),
    path("buendnisse/<slug:alliance>/ziele/neu/", agreement_create, name="agreement_create"),
    path(
        "buendnisse/<slug:alliance>/ziele/<int:agreement_id>/",
        agreement_detail,
        name="agreement_detail",
    ),
    path(
        "buendnisse/<slug:alliance>/ziele/<int:agreement_id>/bearbeiten/",
        agreement_edit,
        name="agreement_edit",
    ),
    path(
        "buendnisse/<slug:alliance>/ziele/<int:agreement_id>/fortschritt/<int:update_id>/",
        progress_delete,
        name="progress_delete",
    ),
]
