"""Who came: check-in by QR code, walk-ins, the organiser's tick list, the hours hand-over.

"Attended" writes the shift's `AttendanceEvent` (one per sign-up, for the hours ledger);
a correction to "did not come" revokes it instead of deleting it, so a ledger that already
booked the hours can book the reversal (contract: selectors.attendance.attended_events).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gemeinsinn.core.audit import audit_record
from gemeinsinn.shifts.models import AttendanceEvent, Shift, Signup, Visibility
from gemeinsinn.shifts.selectors.attendance import attendance_window, checkin_window
from gemeinsinn.shifts.services.signups import shifts_sign_up

Attendance = Signup.Attendance


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _lock(signup_id: int) -> Signup:
    return (
        Signup.objects.select_for_update(of=("self",))
        .select_related("volunteer", "shift__organisation", "shift__plan", "shift__municipality")
        .get(pk=signup_id)
    )


def _record_attended(signup: Signup, moment: datetime) -> None:
    """Write the hand-over event, or bring a revoked one back (the sign-up is locked)."""
    shift = signup.shift
    values = {
        "volunteer_id": signup.volunteer_id,
        "organisation_id": shift.organisation_id,
        "opportunity_id": shift.plan.opportunity_id,
        "shift_id": shift.pk,
        "started_at": shift.starts_at,
        "duration_minutes": shift.duration_minutes,
    }
    event = AttendanceEvent.objects.filter(signup=signup).first()
    if event is None:
        AttendanceEvent.objects.create(signup=signup, recorded_at=moment, **values)
    elif event.revoked_at is not None:
        for field, value in values.items():
            setattr(event, field, value)
        event.revoked_at = None
        event.recorded_at = moment
        event.save()


def _revoke_attended(signup: Signup, moment: datetime) -> None:
    AttendanceEvent.objects.filter(signup=signup, revoked_at__isnull=True).update(revoked_at=moment)


def _check_in_closed_message(shift: Shift, moment: datetime) -> str | None:
    if shift.status == Shift.Status.CANCELLED:
        return _("This shift was cancelled.")
    window = checkin_window(shift=shift)
    if moment < window.opens:
        return _("Check-in opens at %(time)s.") % {"time": _local(window.opens)}
    if moment >= window.closes:
        return _("This shift is over; check-in has closed. Please tell the organisers you came.")
    return None


def signup_check_in(*, actor: Any, shift: Shift, now: datetime | None = None) -> Signup:
    """A helper with a confirmed place checks in on arrival (scanning the shift's QR code)."""
    moment = now or timezone.now()
    with transaction.atomic():
        found = Signup.objects.filter(
            shift=shift, volunteer=actor, status=Signup.Status.CONFIRMED
        ).first()
        if found is None:
            raise ValidationError(_("You have no confirmed place on this shift."))
        signup = _lock(found.pk)
        if signup.status != Signup.Status.CONFIRMED:
            raise ValidationError(_("You have no confirmed place on this shift."))
        if (closed := _check_in_closed_message(signup.shift, moment)) is not None:
            raise ValidationError(closed)
        if signup.attendance == Attendance.ATTENDED:
            return signup  # checked in before
        signup.attendance = Attendance.ATTENDED
        signup.checked_in_at = moment
        signup.attendance_by = actor
        signup.save(update_fields=["attendance", "checked_in_at", "attendance_by", "updated_at"])
        _record_attended(signup, moment)
        audit_record(
            actor=actor,
            action="signup.checked_in",
            target=signup,
            municipality=signup.shift.municipality,
        )
    return signup


def walk_in_possible(*, shift: Shift) -> bool:
    """Whether a person without a place may sign up on the spot: public, scheduled, room."""
    return (
        shift.status == Shift.Status.SCHEDULED
        and shift.visibility == Visibility.PUBLIC
        and shift.free >= 1
    )


def shift_walk_in(*, actor: Any, shift: Shift, now: datetime | None = None) -> Signup:
    """A person without a place signs up on the spot and checks in, in one step."""
    moment = now or timezone.now()
    with transaction.atomic():
        if (closed := _check_in_closed_message(shift, moment)) is not None:
            raise ValidationError(closed)
        if shift.visibility != Visibility.PUBLIC:
            raise ValidationError(
                _("This shift is for members only. Please ask the organisers on site.")
            )
        # All the rules of signing up (capacity, clashes, requirements) apply; no waitlist.
        [signup] = shifts_sign_up(
            volunteer=actor, shifts=[shift], waitlist=False, walk_in=True, now=moment
        )
        if signup.status != Signup.Status.CONFIRMED:
            raise ValidationError(_("There is no free place on this shift."))
        return signup_check_in(actor=actor, shift=signup.shift, now=moment)


def _require_handler(actor: Any, shift: Shift) -> None:
    if actor is None or not actor.has_perm("shifts.handle_helpers", shift.organisation):
        raise PermissionDenied(_("Only the organisation's members record who came."))


def _require_tick_window(shift: Shift, moment: datetime) -> None:
    if shift.status == Shift.Status.CANCELLED:
        raise ValidationError(_("This shift was cancelled."))
    window = attendance_window(shift=shift)
    if moment < window.opens:
        raise ValidationError(
            _("Attendance can be recorded from %(time)s.") % {"time": _local(window.opens)}
        )
    if moment >= window.closes:
        raise ValidationError(_("Attendance can only be corrected up to 30 days after the shift."))


def attendance_set(
    *, actor: Any, signup: Signup, attended: bool, now: datetime | None = None
) -> Signup:
    """The organisation records whether a helper came (or corrects it)."""
    moment = now or timezone.now()
    with transaction.atomic():
        locked = _lock(signup.pk)
        shift = locked.shift
        _require_handler(actor, shift)
        _require_tick_window(shift, moment)
        if locked.status != Signup.Status.CONFIRMED:
            raise ValidationError(_("Only helpers with a confirmed place can be ticked."))
        value = Attendance.ATTENDED if attended else Attendance.NO_SHOW
        if locked.attendance == value:
            return locked
        locked.attendance = value
        locked.attendance_by = actor
        locked.save(update_fields=["attendance", "attendance_by", "updated_at"])
        if attended:
            _record_attended(locked, moment)
        else:
            _revoke_attended(locked, moment)
        audit_record(
            actor=actor,
            action="signup.attendance_set",
            target=locked,
            municipality=shift.municipality,
            data={"attendance": value},
        )
    return locked


def attendance_rest_no_show(*, actor: Any, shift: Shift, now: datetime | None = None) -> int:
    """Mark every confirmed helper not ticked yet as "did not come"; returns how many."""
    moment = now or timezone.now()
    with transaction.atomic():
        _require_handler(actor, shift)
        _require_tick_window(shift, moment)
        rest = list(
            Signup.objects.select_for_update(of=("self",))
            .filter(shift=shift, status=Signup.Status.CONFIRMED, attendance=Attendance.UNKNOWN)
            .order_by("pk")
        )
        if not rest:
            return 0
        Signup.objects.filter(pk__in=[s.pk for s in rest]).update(
            attendance=Attendance.NO_SHOW, attendance_by=actor, updated_at=moment
        )
        audit_record(
            actor=actor,
            action="signup.attendance_set",
            target=shift,
            municipality=shift.municipality,
            data={
                "attendance": Attendance.NO_SHOW,
                "signups": [str(s.public_id) for s in rest],
            },
        )
    return len(rest)
