"""The one definition of a live opportunity, which every listing builds on."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import ExchangeSettings, Opportunity


def opportunities_live(
    *, municipality: Municipality | None = None, today: date | None = None
) -> QuerySet[Opportunity]:
    """Published opportunities of published organisations whose listing has not expired (of
    one municipality, if given).

    Expired listings leave every search the moment their date passes, before the nightly job
    sets their status.
    """
    today = today or timezone.localdate()
    # An archived or rejected organisation takes its listings with it.
    live = Opportunity.objects.filter(
        status=Opportunity.Status.PUBLISHED,
        expires_on__gte=today,
        organisation__status=Organisation.Status.PUBLISHED,
    )
    if municipality is not None:
        live = live.filter(municipality=municipality)
    return live


def opportunity_public(*, municipality: Municipality, public_id: str) -> Opportunity | None:
    """One live opportunity of the municipality for its public page, or None."""
    return (
        opportunities_live(municipality=municipality)
        .select_related("organisation", "district", "posted_by_agency")
        .prefetch_related("engagement_fields", "skills", "target_groups")
        .filter(public_id=public_id)
        .first()
    )


def exchange_settings(*, municipality: Municipality) -> ExchangeSettings:
    """The municipality's exchange settings; the defaults (unsaved) until the office edits them."""
    found = ExchangeSettings.objects.filter(municipality=municipality).first()
    return found or ExchangeSettings(municipality=municipality)


def municipality_with_exchange(*, slug: str) -> Municipality | None:
    """An active municipality with the engagement exchange switched on, by slug (for the API)."""
    town = Municipality.objects.filter(slug=slug, is_active=True).first()
    return town if town is not None and town.has_module("opportunities") else None
