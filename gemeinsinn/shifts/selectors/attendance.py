"""Reads for answers to reminders, check-in, the organiser's tick list and the hours hand-over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest

from gemeinsinn.core.models import Municipality
from gemeinsinn.shifts.models import AttendanceEvent, Shift, Signup
from gemeinsinn.shifts.selectors.common import shift_settings

# How long after a shift its organisers may still correct who came.
ATTENDANCE_CORRECTABLE = timedelta(days=30)


@dataclass(frozen=True)
class Window:
    opens: datetime
    closes: datetime

    def holds(self, moment: datetime) -> bool:
        return self.opens <= moment < self.closes


def checkin_window(*, shift: Shift) -> Window:
    """When helpers check in themselves: from the town's opening time before the start to the end."""
    minutes = shift_settings(municipality=shift.municipality).checkin_opens_minutes
    return Window(opens=shift.starts_at - timedelta(minutes=minutes), closes=shift.ends_at)


def attendance_window(*, shift: Shift) -> Window:
    """When organisers tick who came: from the check-in opening until 30 days after the end."""
    opens = checkin_window(shift=shift).opens
    return Window(opens=opens, closes=shift.ends_at + ATTENDANCE_CORRECTABLE)


def signup_for_answer(*, municipality: Municipality, signup_id: int) -> Signup | None:
    """The sign-up an answer link stands for, if it belongs to this town."""
    return (
        Signup.objects.filter(pk=signup_id, shift__municipality=municipality)
        .select_related("volunteer", "shift__organisation", "shift__plan", "shift__municipality")
        .first()
    )


def shift_by_checkin_token(*, municipality: Municipality, token: str) -> Shift | None:
    """The shift of a check-in code, if it belongs to this town."""
    return (
        Shift.objects.filter(municipality=municipality, checkin_token=token)
        .select_related("organisation", "plan", "municipality")
        .first()
    )


def signup_of(*, shift: Shift, user: Any) -> Signup | None:
    """The person's live sign-up for the shift, if any."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Signup.objects.filter(shift=shift, volunteer=user, status__in=Signup.LIVE)
        .order_by("-created_at", "-pk")
        .first()
    )


def shift_for_helpers(*, municipality: Municipality, user: Any, public_id: UUID) -> Shift | None:
    """A shift of the town whose helpers this person handles (the organisation's members)."""
    found = (
        Shift.objects.filter(municipality=municipality, public_id=public_id)
        .select_related("organisation", "plan", "municipality")
        .first()
    )
    if found is None or not user.has_perm("shifts.handle_helpers", found.organisation):
        return None
    return found


def attendance_list(*, shift: Shift) -> list[Signup]:
    """The confirmed helpers of a shift for the tick list, by name (one query)."""
    return list(
        Signup.objects.filter(shift=shift, status=Signup.Status.CONFIRMED)
        .select_related("volunteer")
        .order_by("volunteer__first_name", "volunteer__last_name", "pk")
    )


def helper_of_shift(*, shift: Shift, public_id: UUID | None) -> Signup | None:
    """One sign-up of the shift, by its public id (for a tick on the list)."""
    if public_id is None:
        return None
    return Signup.objects.filter(shift=shift, public_id=public_id).first()


def attended_events(*, since: datetime) -> QuerySet[AttendanceEvent]:
    """Attended shifts recorded or revoked since a time, oldest change first: the hours ledger's
    feed.

    The hand-over contract for the hours module:

    - One event per sign-up (`signup_id` is the key). It carries the volunteer, the organisation,
      the opportunity (may be None), the shift, `started_at` and `duration_minutes` (the shift's
      length; companions are not counted).
    - `revoked_at` is None: the person attended; book the hours once per event. `revoked_at` is
      set: attendance was corrected to "did not come"; book the reversal if the hours were
      booked. An event revoked and recorded again has `revoked_at` cleared and a new
      `recorded_at`.
    - Each row carries its state, not a delta: booking must be idempotent per event, so reading
      an event twice is harmless. `changed_at` (annotated) is the later of `recorded_at` and
      `revoked_at`; keep the largest `changed_at` read as the next `since`, minus a few minutes
      of overlap, because a transaction may commit a little after the time it wrote.
    """
    return (
        AttendanceEvent.objects.filter(Q(recorded_at__gte=since) | Q(revoked_at__gte=since))
        .annotate(
            changed_at=Greatest(F("recorded_at"), Coalesce(F("revoked_at"), F("recorded_at")))
        )
        .select_related("volunteer", "organisation", "opportunity", "shift")
        .order_by("changed_at", "pk")
    )
