"""Reads behind the calendar feeds (a person's private feed, the public feeds of an
organisation and an opportunity, one shift as a download) and the shifts API.

Every feed covers a window from 30 days back to a year ahead and holds at most FEED_LIMIT
events, so a feed costs a fixed number of queries whatever the size of the organisation.
When more shifts fall into the window, the ones farthest ahead are left out: a calendar needs
the coming weeks, and the rest arrive as the window moves on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.opportunities.selectors.common import opportunities_live
from gemeinsinn.shifts.models import (
    Requirement,
    Shift,
    ShiftPreferences,
    Signup,
    Visibility,
)
from gemeinsinn.shifts.selectors.common import is_member, shifts_visible

FEED_LIMIT = 2000
FEED_PAST_DAYS = 30
FEED_AHEAD_DAYS = 365
TENTATIVE = (Signup.Status.REQUESTED, Signup.Status.WAITLISTED, Signup.Status.OFFERED)


@dataclass(frozen=True)
class FeedItem:
    """One event of a feed: the shift, and whether the person gave their place up (or lost
    it); a cancelled shift shows as cancelled anyway."""

    shift: Shift
    given_up: bool = False
    # Not (yet) the person's place: a request, the waitlist, an offer waiting for an answer.
    tentative: bool = False
    # The person's own changes (a place taken, given up, taken again), so that the event's
    # SEQUENCE can keep rising on top of the shift's.
    revision: int = 0


def feed_window(*, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The span of start times a feed covers."""
    moment = now or timezone.now()
    return moment - timedelta(days=FEED_PAST_DAYS), moment + timedelta(days=FEED_AHEAD_DAYS)


def feed_owner(*, token: str) -> Any | None:
    """The active person whose private feed this token opens, or None (unknown or revoked)."""
    if not token:
        return None
    preferences = (
        ShiftPreferences.objects.filter(feed_token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return preferences.user if preferences is not None else None


def person_feed_items(*, user: Any, now: datetime | None = None) -> list[FeedItem]:
    """The person's shifts in the window: places held or asked for, and the ones given up or
    cancelled (as cancelled, so a subscribed calendar removes them). One event per shift."""
    start, end = feed_window(now=now)
    signups = (
        Signup.objects.filter(volunteer=user, shift__starts_at__gte=start, shift__starts_at__lt=end)
        .select_related("shift__organisation", "shift__plan", "shift__municipality")
        .order_by("shift__starts_at", "shift_id", "pk")[:FEED_LIMIT]
    )
    # A person may give a place up and sign up again, so a shift can have several sign-ups:
    # only the latest can be live (a database constraint), and it tells the state.
    rows: dict[int, list[Signup]] = {}
    for signup in signups:
        rows.setdefault(signup.shift_id, []).append(signup)
    items = []
    for history in rows.values():
        latest = history[-1]
        ended = sum(1 for s in history if s.status not in Signup.LIVE)
        items.append(
            FeedItem(
                shift=latest.shift,
                given_up=latest.status not in Signup.LIVE,
                tentative=latest.status in TENTATIVE,
                revision=len(history) - 1 + ended,
            )
        )
    return _newest_first(items)


def _public_shifts(*, municipality: Municipality, now: datetime | None) -> QuerySet[Shift]:
    start, end = feed_window(now=now)
    return (
        shifts_visible(municipality=municipality, user=None)
        .filter(visibility=Visibility.PUBLIC, starts_at__gte=start, starts_at__lt=end)
        .select_related("organisation", "plan")
        .order_by("starts_at", "pk")
    )


def _items(shifts: QuerySet[Shift]) -> list[FeedItem]:
    return _newest_first([FeedItem(shift=shift) for shift in shifts[:FEED_LIMIT]])


def _newest_first(items: list[FeedItem]) -> list[FeedItem]:
    return sorted(items, key=lambda item: (item.shift.starts_at, item.shift.pk), reverse=True)


def feed_organisation(*, municipality: Municipality, slug: str) -> Organisation | None:
    """A published organisation of the municipality, by its slug, for its public feed."""
    return Organisation.objects.filter(
        municipality=municipality, slug=slug, status=Organisation.Status.PUBLISHED
    ).first()


def organisation_feed_items(
    *, municipality: Municipality, organisation: Organisation, now: datetime | None = None
) -> list[FeedItem]:
    """The organisation's public shifts in the window, cancelled ones included."""
    return _items(
        _public_shifts(municipality=municipality, now=now).filter(organisation=organisation)
    )


def feed_opportunity(*, municipality: Municipality, public_id: UUID) -> Opportunity | None:
    """A live opportunity of the municipality, for its public feed."""
    return (
        opportunities_live(municipality=municipality)
        .filter(public_id=public_id)
        .select_related("organisation")
        .first()
    )


def opportunity_feed_items(
    *, municipality: Municipality, opportunity: Opportunity, now: datetime | None = None
) -> list[FeedItem]:
    """The public shifts of the opportunity's plans in the window, cancelled ones included."""
    return _items(
        _public_shifts(municipality=municipality, now=now).filter(plan__opportunity=opportunity)
    )


def shift_for_download(*, municipality: Municipality, user: Any, public_id: UUID) -> Shift | None:
    """One shift as a calendar file: public shifts for all; a members-only shift for the
    organisation's members and the people who signed up for it. None for anybody else."""
    shift = (
        shifts_visible(municipality=municipality, user=user)
        .filter(public_id=public_id)
        .select_related("organisation", "plan")
        .first()
    )
    if shift is None or shift.visibility == Visibility.PUBLIC:
        return shift
    if user is None or not user.is_authenticated:
        return None
    if is_member(user=user, organisation=shift.organisation):
        return shift
    return shift if Signup.objects.filter(shift=shift, volunteer=user).exists() else None


# --- the API's reads ------------------------------------------------------------------------


def _with_requirements() -> Prefetch[Any]:
    return Prefetch("requirements", queryset=Requirement.objects.order_by("name"))


def shifts_public_between(
    *,
    municipality: Municipality,
    start: datetime,
    end: datetime,
    organisation_slug: str = "",
    opportunity: UUID | None = None,
    plan: UUID | None = None,
) -> QuerySet[Shift]:
    """The municipality's public shifts starting in [start, end), cancelled ones included,
    filtered by organisation, opportunity or plan; the soonest first."""
    found = shifts_visible(municipality=municipality, user=None).filter(
        visibility=Visibility.PUBLIC, starts_at__gte=start, starts_at__lt=end
    )
    if organisation_slug:
        found = found.filter(organisation__slug=organisation_slug)
    if opportunity is not None:
        found = found.filter(plan__opportunity__public_id=opportunity)
    if plan is not None:
        found = found.filter(plan__public_id=plan)
    return (
        found.select_related("organisation", "plan__opportunity", "municipality")
        .prefetch_related(_with_requirements())
        .order_by("starts_at", "pk")
    )


def shifts_for_signup(*, public_ids: Iterable[UUID]) -> list[Shift]:
    """The shifts a person may sign up for, by public id: of visible plans, in active towns
    with the engagement exchange switched on. Unknown ids are left out."""
    found = (
        Shift.objects.filter(
            public_id__in=list(public_ids),
            plan__is_archived=False,
            organisation__status=Organisation.Status.PUBLISHED,
            municipality__is_active=True,
        )
        .select_related("municipality")
        .order_by("starts_at", "pk")
    )
    return [shift for shift in found if shift.municipality.has_module("opportunities")]


def _with_shift(found: QuerySet[Signup]) -> QuerySet[Signup]:
    return found.select_related(
        "shift__organisation", "shift__plan__opportunity", "shift__municipality"
    ).prefetch_related(
        Prefetch("shift__requirements", queryset=Requirement.objects.order_by("name"))
    )


def signups_complete(*, signups: Sequence[Signup]) -> None:
    """Load what the API shows of each sign-up's shift (town, opportunity, requirements) for
    a page of sign-ups read elsewhere, in a fixed number of queries."""
    prefetch_related_objects(
        list(signups),
        "shift__municipality",
        "shift__plan__opportunity",
        Prefetch("shift__requirements", queryset=Requirement.objects.order_by("name")),
    )


def signups_by_id(*, user: Any, ids: Iterable[int]) -> QuerySet[Signup]:
    """The person's sign-ups with these primary keys (as a service returned them)."""
    return _with_shift(Signup.objects.filter(volunteer=user, pk__in=list(ids))).order_by(
        "shift__starts_at", "pk"
    )


def signup_of_person(*, user: Any, public_id: UUID) -> Signup | None:
    """One of the person's own sign-ups; None for anybody else's."""
    return _with_shift(Signup.objects.filter(public_id=public_id, volunteer=user)).first()
