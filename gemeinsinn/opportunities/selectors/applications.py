"""Reading applications and engagements, always scoped to the person and the municipality.

The coordination office does not read applications: they are between a person and an
organisation. Only the volunteer and the people who handle the opportunity's applications
(`opportunities.handle_applications`) see one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import (
    Application,
    ApplicationMessage,
    Engagement,
    Opportunity,
)


@dataclass(frozen=True)
class ApplicationView:
    """One application as a person may see it, and from which side."""

    application: Application
    as_volunteer: bool
    as_organisation: bool


def applications_of_volunteer(
    *, user: Any, municipality: Municipality | None
) -> QuerySet[Application]:
    """The person's applications in the municipality (or everywhere), newest first."""
    if not user.is_authenticated:
        return Application.objects.none()
    found = Application.objects.filter(volunteer_id=user.pk)
    if municipality is not None:
        found = found.filter(municipality=municipality)
    return found.select_related("opportunity", "opportunity__organisation", "engagement").order_by(
        "-created_at", "-pk"
    )


def application_live_of(*, user: Any, opportunity: Opportunity) -> Application | None:
    """The person's live (open or accepted) application for the opportunity, if any."""
    if not user.is_authenticated:
        return None
    return (
        Application.objects.filter(
            volunteer_id=user.pk,
            opportunity=opportunity,
            status__in=[*Application.OPEN, Application.Status.ACCEPTED],
        )
        .select_related("opportunity", "opportunity__organisation")
        .first()
    )


def application_for(
    *, user: Any, municipality: Municipality, public_id: Any
) -> ApplicationView | None:
    """One application of the municipality if the person is its volunteer or handles it."""
    if not user.is_authenticated:
        return None
    application = (
        Application.objects.filter(municipality=municipality, public_id=public_id)
        .select_related(
            "opportunity",
            "opportunity__organisation",
            "opportunity__posted_by_agency",
            "opportunity__municipality",
            "volunteer",
            "referral",
            "referral__agency",
            "engagement",
        )
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=ApplicationMessage.objects.select_related("author").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .first()
    )
    if application is None:
        return None
    as_volunteer = application.volunteer_id is not None and application.volunteer_id == user.pk
    as_organisation = bool(
        user.has_perm("opportunities.handle_applications", application.opportunity)
    )
    if not (as_volunteer or as_organisation):
        return None
    return ApplicationView(
        application=application, as_volunteer=as_volunteer, as_organisation=as_organisation
    )


def organisation_for_inbox(
    *, user: Any, municipality: Municipality, slug: str
) -> Organisation | None:
    """The organisation whose inbox the person may open (its members), or None."""
    if not user.is_authenticated:
        return None
    organisation = Organisation.objects.filter(municipality=municipality, slug=slug).first()
    if organisation is None or not user.has_perm("opportunities.view_org_inbox", organisation):
        return None
    return organisation


def _inbox_scope(organisation: Organisation) -> Q:
    # A volunteer agency also handles the applications to opportunities it posted for others.
    return Q(opportunity__organisation=organisation) | Q(opportunity__posted_by_agency=organisation)


def inbox_applications(
    *,
    organisation: Organisation,
    opportunity_id: int | None = None,
    status: str = "",
) -> QuerySet[Application]:
    """The organisation's applications, newest first, filtered by opportunity and status."""
    found = Application.objects.filter(
        _inbox_scope(organisation),
        municipality_id=organisation.municipality_id,
        anonymised_at__isnull=True,
    )
    if opportunity_id is not None:
        found = found.filter(opportunity_id=opportunity_id)
    if status:
        found = found.filter(status=status)
    return found.select_related("opportunity", "volunteer").order_by("-created_at", "-pk")


def inbox_counts(
    *, organisation: Organisation, opportunity_id: int | None = None
) -> dict[str, int]:
    """How many applications the organisation has per status (all statuses, zero included)."""
    found = Application.objects.filter(
        _inbox_scope(organisation),
        municipality_id=organisation.municipality_id,
        anonymised_at__isnull=True,
    )
    if opportunity_id is not None:
        found = found.filter(opportunity_id=opportunity_id)
    counts = dict.fromkeys(Application.Status.values, 0)
    for row in found.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def inbox_opportunities(*, organisation: Organisation) -> QuerySet[Opportunity]:
    """The opportunities whose applications the organisation's inbox shows (for the filter)."""
    return (
        Opportunity.objects.filter(
            Q(organisation=organisation) | Q(posted_by_agency=organisation),
            municipality_id=organisation.municipality_id,
        )
        .exclude(status=Opportunity.Status.DRAFT)
        .only("pk", "public_id", "title", "status")
        .order_by("title", "pk")
    )


def engagements_of_volunteer(
    *, user: Any, municipality: Municipality | None
) -> QuerySet[Engagement]:
    """The person's engagements in the municipality (or everywhere), active ones first."""
    if not user.is_authenticated:
        return Engagement.objects.none()
    found = Engagement.objects.filter(volunteer_id=user.pk)
    if municipality is not None:
        found = found.filter(municipality=municipality)
    return found.select_related("organisation", "opportunity", "placed_by").order_by(
        "status", "-starts_on", "-pk"
    )


def engagements_of_organisation(*, organisation: Organisation) -> QuerySet[Engagement]:
    """The organisation's engagements, active ones first, with the volunteer's name."""
    return (
        Engagement.objects.filter(
            organisation=organisation, municipality_id=organisation.municipality_id
        )
        .select_related("volunteer", "opportunity", "placed_by", "application")
        .order_by("status", "-starts_on", "-pk")
    )


def engagement_for(*, user: Any, municipality: Municipality, public_id: Any) -> Engagement | None:
    """One engagement the person takes part in or whose organisation they belong to."""
    if not user.is_authenticated:
        return None
    engagement = (
        Engagement.objects.filter(municipality=municipality, public_id=public_id)
        .select_related("organisation", "opportunity", "volunteer", "municipality")
        .first()
    )
    if engagement is None:
        return None
    if engagement.volunteer_id == user.pk or user.has_perm(
        "opportunities.view_org_inbox", engagement.organisation
    ):
        return engagement
    return None
