"""Posting and managing an organisation's opportunities, and the office's review queue."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect
from gemeinsinn.core.views import office_required
from gemeinsinn.opportunities.forms_posting import ExtendForm, OpportunityForm, ReviewForm
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.opportunities.selectors import manage as selectors
from gemeinsinn.opportunities.selectors.common import exchange_settings
from gemeinsinn.opportunities.services import opportunities as services
from gemeinsinn.opportunities.services.taxonomy import skills_ensure

OFFICE = "core.manage_municipality"

# The person's steps: the service each calls, the message after it, whether it asks first.
STEPS: dict[str, tuple[Any, Any, bool]] = {
    "submit": (services.opportunity_submit, "", False),
    "pause": (
        services.opportunity_pause,
        gettext_lazy("“%(title)s” is paused and no longer appears in the search."),
        False,
    ),
    "resume": (
        services.opportunity_resume,
        gettext_lazy("“%(title)s” appears in the search again."),
        False,
    ),
    "mark_filled": (
        services.opportunity_mark_filled,
        gettext_lazy("“%(title)s” is marked as filled and no longer appears in the search."),
        True,
    ),
    "archive": (services.opportunity_archive, gettext_lazy("“%(title)s” is archived."), True),
}


def _opportunity(request: MunicipalRequest, public_id: UUID) -> Opportunity:
    """An opportunity the person may change; anything else looks like not found."""
    opportunity = selectors.opportunity_for_manage(
        municipality=request.municipality, public_id=public_id, user=request.user
    )
    if opportunity is None:
        raise Http404
    return opportunity


def _back(request: MunicipalRequest, opportunity: Opportunity) -> HttpResponse:
    return mredirect(
        "opportunities:manage_list", request.municipality, org_slug=opportunity.organisation.slug
    )


def _prepare_vocabularies(request: MunicipalRequest) -> None:
    # A town that has never shaped its lists starts with the default ones (as actors does).
    actor_services.taxonomies_ensure(municipality=request.municipality, actor=request.user)
    skills_ensure(municipality=request.municipality)


@require_GET
def manage_list(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = selectors.posting_access(
        municipality=request.municipality, slug=org_slug, user=request.user
    )
    if access is None:
        raise Http404
    by_status: dict[str, list[tuple[Opportunity, list[str]]]] = {}
    for opportunity in selectors.opportunities_of_organisation(access=access):
        by_status.setdefault(opportunity.status, []).append(
            (opportunity, services.steps_available(opportunity))
        )
    sections = [
        (status, Opportunity.Status(status).label, by_status[status])
        for status in selectors.STATUS_ORDER
        if status in by_status
    ]
    return render(
        request,
        "opportunities/manage_list.html",
        {
            "organisation": access.organisation,
            "access": access,
            "sections": sections,
            # Members handle applications and see suggestions; the office does not.
            "can_handle": request.user.has_perm(
                "opportunities.view_org_inbox", access.organisation
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def create(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = selectors.posting_access(
        municipality=request.municipality, slug=org_slug, user=request.user
    )
    if access is None:
        raise Http404
    if request.method == "GET":
        _prepare_vocabularies(request)
    settings = exchange_settings(municipality=request.municipality)
    form = OpportunityForm(
        request.POST if request.method == "POST" else None,
        municipality=request.municipality,
        agencies=None if access.full else access.agencies,
        default_listing_days=settings.default_listing_days,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            opportunity = services.opportunity_create(
                organisation=access.organisation,
                actor=request.user,
                data=form.values(),
                agency=form.cleaned_data.get("agency"),
                submit=submit,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _status_message(opportunity))
            return _back(request, opportunity)
    return render(
        request,
        "opportunities/manage_form.html",
        {
            "form": form,
            "organisation": access.organisation,
            "opportunity": None,
            "moderated": settings.moderate_opportunities,
        },
        status=400 if request.method == "POST" else 200,
    )


def _status_message(opportunity: Opportunity) -> str:
    if opportunity.status == Opportunity.Status.PUBLISHED:
        return _("“%(title)s” is published.") % {"title": opportunity.title}
    if opportunity.status == Opportunity.Status.REVIEW:
        return _(
            "“%(title)s” has been sent to the coordination office, which will publish it soon. We will let you know by e-mail."
        ) % {"title": opportunity.title}
    return _("“%(title)s” is saved.") % {"title": opportunity.title}


@require_http_methods(["GET", "POST"])
def edit(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    opportunity = _opportunity(request, public_id)
    if request.method == "GET":
        _prepare_vocabularies(request)
    settings = exchange_settings(municipality=request.municipality)
    form = OpportunityForm(
        request.POST if request.method == "POST" else None,
        municipality=request.municipality,
        instance=opportunity,
        default_listing_days=settings.default_listing_days,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST and opportunity.status == Opportunity.Status.DRAFT
        try:
            updated = services.opportunity_update(
                opportunity=opportunity, actor=request.user, data=form.values(), submit=submit
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _status_message(updated))
            return _back(request, updated)
    return render(
        request,
        "opportunities/manage_form.html",
        {
            "form": form,
            "organisation": opportunity.organisation,
            "opportunity": opportunity,
            "moderated": settings.moderate_opportunities,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def step(request: MunicipalRequest, public_id: UUID, step: str) -> HttpResponse:
    """One step of the life cycle; a step that takes the listing away asks first."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    opportunity = _opportunity(request, public_id)
    service, done, asks_first = STEPS[step]
    if request.method == "GET" or (asks_first and not request.POST.get("confirmed")):
        return render(
            request,
            "opportunities/manage_confirm.html",
            {"opportunity": opportunity, "step": step, "organisation": opportunity.organisation},
        )
    try:
        changed = service(opportunity=opportunity, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if step == "submit":
            messages.success(request, _status_message(changed))
        else:
            messages.success(request, str(done) % {"title": changed.title})
    return _back(request, opportunity)


@require_http_methods(["GET", "POST"])
def extend(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    opportunity = _opportunity(request, public_id)
    form = ExtendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.opportunity_extend(
                opportunity=opportunity,
                actor=request.user,
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is listed until %(date)s.")
                % {
                    "title": changed.title,
                    "date": _date(changed),
                },
            )
            return _back(request, changed)
    return render(
        request,
        "opportunities/manage_extend.html",
        {
            "opportunity": opportunity,
            "organisation": opportunity.organisation,
            "form": form,
            "possible": opportunity.status in services.TRANSITIONS["extend"],
        },
        status=400 if request.method == "POST" else 200,
    )


def _date(opportunity: Opportunity) -> str:
    return str(formats.date_format(opportunity.expires_on, "DATE_FORMAT"))


# --- the coordination office's review -------------------------------------------------------------


def _review_page(
    request: MunicipalRequest, *, failed: str = "", failed_form: Any = None, status: int = 200
) -> HttpResponse:
    queue = list(selectors.review_queue(municipality=request.municipality))
    entries = [
        (
            opportunity,
            failed_form
            if str(opportunity.public_id) == failed
            else ReviewForm(prefix=opportunity.public_id.hex),
        )
        for opportunity in queue
    ]
    if failed_form is not None and all(str(o.public_id) != failed for o, _f in entries):
        # Decided by a colleague meanwhile: say why nothing happened.
        messages.error(
            request, " ".join(str(e) for errors in failed_form.errors.values() for e in errors)
        )
    return render(
        request,
        "opportunities/manage_review_queue.html",
        {
            "entries": entries,
            "moderated": exchange_settings(
                municipality=request.municipality
            ).moderate_opportunities,
        },
        status=status,
    )


@office_required(OFFICE)
@require_GET
def review_queue(request: MunicipalRequest) -> HttpResponse:
    return _review_page(request)


@office_required(OFFICE)
@require_POST
def review_decide(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    opportunity = selectors.opportunity_of_municipality(
        municipality=request.municipality, public_id=public_id
    )
    if opportunity is None:
        raise Http404
    form = ReviewForm(request.POST, prefix=opportunity.public_id.hex)
    decision = request.POST.get("decision", "")
    if form.is_valid():
        try:
            if decision == "approve":
                services.opportunity_approve(opportunity=opportunity, actor=request.user)
                done = _("“%(title)s” is published.")
            elif decision == "return":
                services.opportunity_return(
                    opportunity=opportunity, actor=request.user, note=form.cleaned_data["note"]
                )
                done = _("“%(title)s” has been returned to the organisation with your note.")
            else:
                raise ValidationError(_("Please choose a decision."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done % {"title": opportunity.title})
            return mredirect("opportunities:review_queue", request.municipality)
    # The typed note stays in its form, with the error beside it.
    return _review_page(request, failed=str(opportunity.public_id), failed_form=form, status=400)


urlpatterns: list[URLPattern] = [
    path("organisation/<slug:org_slug>/angebote/", manage_list, name="manage_list"),
    path("organisation/<slug:org_slug>/angebote/neu/", create, name="create"),
    path("angebot/<uuid:public_id>/bearbeiten/", edit, name="edit"),
    path("angebot/<uuid:public_id>/einreichen/", step, {"step": "submit"}, name="submit"),
    path("angebot/<uuid:public_id>/pausieren/", step, {"step": "pause"}, name="pause"),
    path("angebot/<uuid:public_id>/fortsetzen/", step, {"step": "resume"}, name="resume"),
    path("angebot/<uuid:public_id>/besetzt/", step, {"step": "mark_filled"}, name="mark_filled"),
    path("angebot/<uuid:public_id>/archivieren/", step, {"step": "archive"}, name="archive"),
    path("angebot/<uuid:public_id>/verlaengern/", extend, name="extend"),
    path("verwaltung/pruefung/", review_queue, name="review_queue"),
    path("verwaltung/pruefung/<uuid:public_id>/", review_decide, name="review_decide"),
]
