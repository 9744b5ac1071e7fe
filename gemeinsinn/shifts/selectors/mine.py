"""A person's own shifts in a town: upcoming and past sign-ups, one sign-up, preferences.

Always scoped to the person and the municipality of the page: somebody else's sign-up, or
one in another town, is not found (the views answer 404).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from gemeinsinn.core.models import Municipality
from gemeinsinn.shifts.models import Shift, ShiftPreferences, Signup

Status = Signup.Status


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _of(user: Any, municipality: Municipality) -> QuerySet[Signup]:
    if user is None or not user.is_authenticated:
        return Signup.objects.none()
    return Signup.objects.filter(volunteer=user, shift__municipality=municipality).select_related(
        "shift", "shift__organisation", "shift__plan"
    )


def signups_upcoming(
    *, user: Any, municipality: Municipality, now: datetime | None = None
) -> list[Signup]:
    """The person's live sign-ups for shifts not yet over, and the upcoming shifts the
    organisation cancelled, the soonest first; waitlisted ones carry `waitlist_ahead`
    (how many wait before them)."""
    moment = _now(now)
    ahead = (
        Signup.objects.filter(shift=OuterRef("shift"), status=Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("shift")
        .annotate(n=Count("pk"))
        .values("n")
    )
    called_off = Q(status=Status.CANCELLED, shift__status=Shift.Status.CANCELLED)
    found = (
        _of(user, municipality)
        .filter(Q(status__in=Signup.LIVE) | called_off, shift__ends_at__gt=moment)
        .annotate(waitlist_ahead=Coalesce(Subquery(ahead), 0))
        .order_by("shift__starts_at", "shift_id", "-updated_at", "-pk")
    )
    # A person who cancelled and signed up again has several rows for a called-off shift:
    # the latest one tells the story.
    seen: set[int] = set()
    upcoming: list[Signup] = []
    for signup in found:
        if signup.shift_id not in seen:
            seen.add(signup.shift_id)
            upcoming.append(signup)
    return upcoming


def signups_past(
    *, user: Any, municipality: Municipality, now: datetime | None = None
) -> QuerySet[Signup]:
    """The shifts the person held a place for and that are over, the latest first, with the
    attendance the organisation recorded."""
    moment = _now(now)
    return (
        _of(user, municipality)
        .filter(
            status=Status.CONFIRMED,
            shift__status=Shift.Status.SCHEDULED,
            shift__ends_at__lte=moment,
        )
        .order_by("-shift__starts_at", "-pk")
    )


def signup_of(*, user: Any, municipality: Municipality, public_id: UUID) -> Signup | None:
    """One of the person's own sign-ups in the town, or None."""
    return _of(user, municipality).filter(public_id=public_id).first()


def preferences_of(*, user: Any) -> ShiftPreferences:
    """The person's shift preferences; the defaults (unsaved) until they change something."""
    found = ShiftPreferences.objects.filter(user=user).first()
    return found or ShiftPreferences(user=user)
