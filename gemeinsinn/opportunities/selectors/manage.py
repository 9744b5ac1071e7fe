"""Reads for posting: an organisation's opportunities, the office's review queue, offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import Offer, Opportunity
from gemeinsinn.opportunities.rules import AGENCY_TYPES

_RELATIONS = ("engagement_fields", "skills", "target_groups")
# The management list shows work to do first: drafts and reviews, then what is listed.
STATUS_ORDER: tuple[str, ...] = (
    Opportunity.Status.DRAFT,
    Opportunity.Status.REVIEW,
    Opportunity.Status.PUBLISHED,
    Opportunity.Status.PAUSED,
    Opportunity.Status.EXPIRED,
    Opportunity.Status.FILLED,
    Opportunity.Status.ARCHIVED,
)


@dataclass(frozen=True)
class PostingAccess:
    """What a person may do for an organisation: everything (`full`) or, as a member of a
    volunteer agency, post on its behalf and manage what their agencies posted."""

    organisation: Organisation
    full: bool
    agencies: list[Organisation] = field(default_factory=list)


def posting_agencies(*, municipality: Municipality, user: Any) -> list[Organisation]:
    """The volunteer agencies of the municipality a person is an active member of."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(
            municipality=municipality,
            type__in=AGENCY_TYPES,
            status=Organisation.Status.PUBLISHED,
            memberships__user=user,
            memberships__status=Membership.Status.ACTIVE,
        )
        .distinct()
        .order_by("name")
    )


def posting_access(*, municipality: Municipality, slug: str, user: Any) -> PostingAccess | None:
    """A person's access to an organisation's opportunities, or None (looks like not found)."""
    if not getattr(user, "is_authenticated", False):
        return None
    organisation = (
        Organisation.objects.filter(municipality=municipality, slug=slug)
        .exclude(status__in=[Organisation.Status.ARCHIVED, Organisation.Status.REJECTED])
        .select_related("municipality")
        .first()
    )
    if organisation is None:
        return None
    if user.has_perm("opportunities.post_for_organisation", organisation):
        return PostingAccess(organisation=organisation, full=True)
    agencies = [
        a for a in posting_agencies(municipality=municipality, user=user) if a.pk != organisation.pk
    ]
    if not agencies:
        return None
    return PostingAccess(organisation=organisation, full=False, agencies=agencies)


def opportunities_of_organisation(*, access: PostingAccess) -> QuerySet[Opportunity]:
    """The organisation's opportunities the person manages, work to do first, newest first."""
    found = Opportunity.objects.filter(organisation=access.organisation)
    if not access.full:
        found = found.filter(posted_by_agency__in=access.agencies)
    return found.select_related("district", "posted_by_agency").order_by(
        Case(
            *(When(status=status, then=Value(i)) for i, status in enumerate(STATUS_ORDER)),
            output_field=IntegerField(),
        ),
        "-updated_at",
        "-pk",
    )


def _full(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.select_related(
        "municipality", "organisation", "district", "posted_by_agency"
    ).prefetch_related(*_RELATIONS)


def opportunity_for_manage(
    *, municipality: Municipality, public_id: UUID | str, user: Any
) -> Opportunity | None:
    """An opportunity of the municipality in any status, if the person may change it."""
    if not getattr(user, "is_authenticated", False):
        return None
    opportunity = _full(
        Opportunity.objects.filter(municipality=municipality, public_id=public_id)
    ).first()
    if opportunity is None or not user.has_perm("opportunities.change_opportunity", opportunity):
        return None
    return opportunity


def opportunity_of_municipality(
    *, municipality: Municipality, public_id: UUID | str
) -> Opportunity | None:
    """Any opportunity of the municipality (for the office's review)."""
    return _full(Opportunity.objects.filter(municipality=municipality, public_id=public_id)).first()


def review_queue(*, municipality: Municipality) -> QuerySet[Opportunity]:
    """Opportunities waiting for the office's review, the longest waiting first."""
    return (
        Opportunity.objects.filter(municipality=municipality, status=Opportunity.Status.REVIEW)
        .select_related("organisation", "posted_by_agency", "district")
        .prefetch_related("engagement_fields")
        .order_by("updated_at", "pk")
    )


# --- offers -------------------------------------------------------------------------------------


def may_view_offers(*, municipality: Municipality, user: Any) -> bool:
    """Offers are people's data: the office and members of the municipality's listed
    organisations see them, nobody else (an unmoderated registration does not open them)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_perm("core.manage_municipality", municipality):
        return True
    return bool(
        Membership.objects.filter(
            user=user,
            status=Membership.Status.ACTIVE,
            organisation__municipality=municipality,
            organisation__status=Organisation.Status.PUBLISHED,
        ).exists()
    )


def contact_organisations(*, municipality: Municipality, user: Any) -> list[Organisation]:
    """The listed organisations of the municipality in whose name a person may write to people."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(
            municipality=municipality,
            status=Organisation.Status.PUBLISHED,
            memberships__user=user,
            memberships__status=Membership.Status.ACTIVE,
        )
        .distinct()
        .order_by("name")
    )


def _offers_live(*, municipality: Municipality, today: date | None = None) -> QuerySet[Offer]:
    today = today or timezone.localdate()
    return Offer.objects.filter(
        municipality=municipality, status=Offer.Status.PUBLISHED, expires_on__gte=today
    )


def offers_for_organisations(*, municipality: Municipality) -> QuerySet[Offer]:
    """The visible offers of the municipality, newest first (check may_view_offers first)."""
    return (
        _offers_live(municipality=municipality)
        .select_related("user", "district")
        .prefetch_related(
            Prefetch("engagement_fields"),
            Prefetch("skills"),
        )
        .order_by("-created_at", "-pk")
    )


def offer_visible(*, municipality: Municipality, public_id: UUID | str) -> Offer | None:
    """One visible offer of the municipality, or None."""
    return (
        _offers_live(municipality=municipality)
        .filter(public_id=public_id)
        .select_related("user", "district")
        .first()
    )


def offers_of_user(*, municipality: Municipality, user: Any) -> QuerySet[Offer]:
    """A person's own offers in the municipality, withdrawn ones last."""
    return (
        Offer.objects.filter(municipality=municipality, user=user)
        .select_related("district")
        .prefetch_related("engagement_fields", "skills")
        .order_by(
            Case(
                When(status=Offer.Status.WITHDRAWN, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            "-created_at",
            "-pk",
        )
    )


def offer_of_user(*, municipality: Municipality, public_id: UUID | str, user: Any) -> Offer | None:
    """One of the person's own offers, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Offer.objects.filter(municipality=municipality, public_id=public_id, user=user)
        .select_related("district", "municipality")
        .prefetch_related("engagement_fields", "skills")
        .first()
    )
