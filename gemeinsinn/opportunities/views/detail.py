"""The public page of an opportunity, its Leichte Sprache version and its schema.org data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.opportunities.matching import join_names
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.opportunities.models.slots import DAYS, PARTS_OF_DAY, slot_bit
from gemeinsinn.opportunities.opendata import jsonld_script, opportunity_jsonld
from gemeinsinn.opportunities.selectors import manage as selectors
from gemeinsinn.opportunities.selectors.common import opportunity_public


def slots_by_day(mask: int) -> list[tuple[str, str]]:
    """The weekdays of a time-slot mask with their parts of the day, e.g. ("Tuesday", "evenings")."""
    days = []
    for day, day_label in DAYS:
        parts = [str(label) for part, label in PARTS_OF_DAY if mask & slot_bit(day, part)]
        if parts:
            days.append((str(day_label), join_names(parts)))
    return days


def _found(request: MunicipalRequest, public_id: UUID) -> tuple[Opportunity, bool]:
    """The live opportunity, or (for its organisation and the office) a preview of any other.

    Everybody else gets 404, whether the opportunity does not exist or is not public.
    """
    opportunity = opportunity_public(municipality=request.municipality, public_id=str(public_id))
    if opportunity is not None:
        opportunity.municipality = request.municipality
        return opportunity, False
    preview = selectors.opportunity_for_manage(
        municipality=request.municipality, public_id=public_id, user=request.user
    )
    if preview is None:
        raise Http404
    return preview, True


def _context(request: MunicipalRequest, opportunity: Opportunity, preview: bool) -> dict[str, Any]:
    can_manage = preview or (
        request.user.is_authenticated
        and request.user.has_perm("opportunities.change_opportunity", opportunity)
    )
    return {
        "opportunity": opportunity,
        "organisation": opportunity.organisation,
        "preview": preview,
        "can_manage": can_manage,
        "slot_days": slots_by_day(opportunity.time_slots),
        "fields": list(opportunity.engagement_fields.all()),
        "skills": list(opportunity.skills.all()),
        "target_groups": list(opportunity.target_groups.all()),
        "insurance": [
            label
            for flag, label in (
                (opportunity.insured_by_organisation, "organisation"),
                (opportunity.insured_by_land, "land"),
                (opportunity.insured_statutory, "statutory"),
            )
            if flag
        ],
    }


@require_GET
def detail(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    opportunity, preview = _found(request, public_id)
    context = _context(request, opportunity, preview)
    # Only what is public carries open data: a preview must not be indexed as a listing.
    context["jsonld"] = None if preview else jsonld_script(opportunity_jsonld(opportunity))
    return render(request, "opportunities/detail.html", context)


@require_GET
def detail_easy(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    opportunity, preview = _found(request, public_id)
    if not opportunity.easy_language.strip():
        raise Http404
    return render(
        request,
        "opportunities/detail_easy.html",
        {"opportunity": opportunity, "organisation": opportunity.organisation, "preview": preview},
    )


urlpatterns: list[URLPattern] = [
    path("angebot/<uuid:public_id>/", detail, name="detail"),
    path("angebot/<uuid:public_id>/leichte-sprache/", detail_easy, name="detail_easy"),
]
