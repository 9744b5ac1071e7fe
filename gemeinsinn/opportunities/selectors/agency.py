"""Reads of agency mode: a volunteer agency's conversations, referrals and placements.

Everything here is scoped to one agency; the views fetch the agency with `agency_of` and check
`opportunities.broker` on it before calling anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.search import fulltext_search
from gemeinsinn.opportunities.models import (
    AdviceConversation,
    Application,
    Engagement,
    Opportunity,
    Referral,
)
from gemeinsinn.opportunities.rules import AGENCY_TYPES
from gemeinsinn.opportunities.selectors.common import opportunities_live

RECENT = 10
RECENT_DAYS = 90
CANDIDATES = 20


@dataclass(frozen=True)
class AgencyOverview:
    """The agency's start page: the latest of each list and their counts."""

    conversations: list[AdviceConversation]
    referrals: list[Referral]
    placements: list[Engagement]
    conversation_count: int
    recent_conversation_count: int
    referral_count: int
    open_referral_count: int
    placement_count: int
    active_placement_count: int


def agency_of(*, municipality: Municipality, slug: str) -> Organisation | None:
    """The municipality's volunteer agency (or other broker) with this slug, unless archived."""
    return (
        Organisation.objects.filter(municipality=municipality, slug=slug, type__in=AGENCY_TYPES)
        .exclude(status=Organisation.Status.ARCHIVED)
        .select_related("municipality")
        .first()
    )


def agency_conversations(*, agency: Organisation) -> QuerySet[AdviceConversation]:
    """The agency's advice conversations, latest first, with what their list shows."""
    return (
        AdviceConversation.objects.filter(agency=agency)
        .select_related("advisor", "volunteer")
        .prefetch_related("interests")
        .annotate(referral_count=Count("referrals"))
        .order_by("-held_on", "-pk")
    )


def agency_conversation_of(
    *, agency: Organisation, public_id: UUID | str
) -> AdviceConversation | None:
    """One of the agency's conversations; None for another agency's (looks like not found)."""
    try:
        key = UUID(str(public_id))
    except ValueError:
        return None
    return (
        AdviceConversation.objects.filter(agency=agency, public_id=key)
        .select_related("volunteer")
        .first()
    )


def agency_referrals(*, agency: Organisation) -> QuerySet[Referral]:
    """The agency's referrals, latest first, each with its application's status."""
    return (
        Referral.objects.filter(agency=agency)
        .select_related(
            "volunteer",
            "created_by",
            "opportunity",
            "opportunity__organisation",
            "application",
            "application__engagement",
        )
        .order_by("-created_at", "-pk")
    )


def agency_placements(*, agency: Organisation) -> QuerySet[Engagement]:
    """Engagements the agency brokered (its placements), latest start first."""
    return (
        Engagement.objects.filter(placed_by=agency)
        .select_related("volunteer", "organisation", "opportunity")
        .order_by("-starts_on", "-pk")
    )


def agency_overview(*, agency: Organisation, today: date | None = None) -> AgencyOverview:
    """Counts and the latest conversations, open referrals and placements of the agency."""
    today = today or timezone.localdate()
    conversations = AdviceConversation.objects.filter(agency=agency).aggregate(
        total=Count("pk"),
        recent=Count("pk", filter=Q(held_on__gte=today - timedelta(days=RECENT_DAYS))),
    )
    open_q = Q(application__status__in=Application.OPEN)
    referrals = Referral.objects.filter(agency=agency).aggregate(
        total=Count("pk"), open=Count("pk", filter=open_q)
    )
    placements = Engagement.objects.filter(placed_by=agency).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(status=Engagement.Status.ACTIVE))
    )
    return AgencyOverview(
        conversations=list(agency_conversations(agency=agency)[:RECENT]),
        referrals=list(agency_referrals(agency=agency).filter(open_q)[:RECENT]),
        placements=list(agency_placements(agency=agency)[:RECENT]),
        conversation_count=conversations["total"],
        recent_conversation_count=conversations["recent"],
        referral_count=referrals["total"],
        open_referral_count=referrals["open"],
        placement_count=placements["total"],
        active_placement_count=placements["active"],
    )


def referral_candidates(*, agency: Organisation, query: str = "") -> list[Opportunity]:
    """Live opportunities of other organisations in the agency's town, best match first."""
    found = (
        opportunities_live(municipality=agency.municipality)
        .exclude(organisation=agency)
        .select_related("organisation", "district")
    )
    if query.strip():
        found = fulltext_search(
            found, query, fields=("title", "description"), pg_column="search_vector"
        )
    return list(found[:CANDIDATES])


def referral_opportunity(*, agency: Organisation, public_id: UUID | str) -> Opportunity | None:
    """A live opportunity of another organisation in the agency's town, or None."""
    try:
        key = UUID(str(public_id))
    except ValueError:
        return None
    return (
        opportunities_live(municipality=agency.municipality)
        .exclude(organisation=agency)
        .select_related("organisation", "district", "municipality")
        .filter(public_id=key)
        .first()
    )


def volunteer_by_email(*, email: str) -> Any:
    """The active account with this e-mail address, or None.

    Only the agency's own staff call it, and the pages show no more than whether an account
    exists: the person gave the address in the conversation.
    """
    address = (email or "").strip()
    if not address:
        return None
    return (
        get_user_model()
        .objects.filter(email__iexact=address, is_active=True, deleted_at__isnull=True)
        .first()
    )
