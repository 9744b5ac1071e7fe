"""What shifts contribute to a person's data export and deletion.

Erasure (called inside accounts.services.user_delete, which then anonymises the user row):
- places on shifts that have not begun are given back (the waitlist moves up, as when the
  person cancels), and every sign-up loses its message and reason; the rows stay with the
  anonymised user, so fill levels, attendance counts and the attended-shift events the hours
  ledger books stay correct (ADR 0007);
- the organisations' records of requirements met and the person's shift preferences (with the
  private calendar address) are deleted.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gemeinsinn.core import privacy
from gemeinsinn.core.audit import audit_record
from gemeinsinn.shifts.models import RequirementRecord, Shift, ShiftPreferences, Signup
from gemeinsinn.shifts.services.signups import waitlist_promote


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _export_signups(user: Any) -> list[dict[str, Any]]:
    signups = (
        Signup.objects.filter(volunteer=user)
        .select_related("shift", "shift__organisation", "shift__municipality")
        .order_by("shift__starts_at", "pk")
    )
    return [
        {
            "municipality": s.shift.municipality.name,
            "organisation": s.shift.organisation.name,
            "task": s.shift.task,
            "starts_at": _iso(s.shift.starts_at),
            "ends_at": _iso(s.shift.ends_at),
            "status": s.status,
            "people": s.party_size,
            "message": s.message,
            "cancel_reason": s.cancel_reason,
            "answer_to_reminder": s.response,
            "attendance": s.attendance,
            "checked_in_at": _iso(s.checked_in_at),
            "created_at": _iso(s.created_at),
        }
        for s in signups
    ]


def _export_requirements(user: Any) -> list[dict[str, Any]]:
    records = RequirementRecord.objects.filter(volunteer=user).select_related(
        "requirement", "requirement__organisation"
    )
    return [
        {
            "organisation": r.requirement.organisation.name,
            "requirement": r.requirement.name,
            "recorded_on": _iso(r.recorded_on),
        }
        for r in records
    ]


def _export_preferences(user: Any) -> dict[str, Any]:
    found = ShiftPreferences.objects.filter(user=user).first()
    if found is None:
        return {}
    return {"reminders": found.reminders, "calendar_address_active": bool(found.feed_token)}


def _erase(user: Any) -> None:
    now = timezone.now()
    held = list(
        Signup.objects.filter(
            volunteer=user, status__in=Signup.LIVE, shift__starts_at__gt=now
        ).values_list("pk", "shift_id")
    )
    for signup_id, shift_id in sorted(held, key=lambda row: row[1]):
        shift = Shift.objects.select_for_update().get(pk=shift_id)
        signup = Signup.objects.select_for_update().get(pk=signup_id)
        if signup.status in Signup.HOLDING:
            Shift.objects.filter(pk=shift.pk).update(taken=shift.taken - signup.party_size)
            shift.taken -= signup.party_size
        signup.status = Signup.Status.CANCELLED
        signup.save(update_fields=["status", "updated_at"])
        audit_record(
            actor="privacy",
            action="signup.cancelled",
            target=signup,
            municipality=shift.municipality,
        )
        waitlist_promote(shift=shift, now=now)
    Signup.objects.filter(volunteer=user).update(message="", cancel_reason="")
    RequirementRecord.objects.filter(volunteer=user).delete()
    ShiftPreferences.objects.filter(user=user).delete()


def register() -> None:
    privacy.register_exporter("shift_signups", _export_signups)
    privacy.register_exporter("shift_requirements_met", _export_requirements)
    privacy.register_exporter("shift_preferences", _export_preferences)
    privacy.register_eraser("shifts", _erase)
