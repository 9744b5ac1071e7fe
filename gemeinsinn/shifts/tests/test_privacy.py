"""A person's shifts in their data export, and what deleting the account leaves behind."""

from __future__ import annotations

from typing import Any

from gemeinsinn.accounts import services as account_services
from gemeinsinn.shifts.models import (
    Requirement,
    RequirementRecord,
    Shift,
    ShiftPreferences,
    Signup,
)
from gemeinsinn.shifts.services import signups as services
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin


def test_the_export_lists_the_persons_shifts_requirements_and_preferences(
    volunteer: Any, organisation: Any, shift: Shift
) -> None:
    services.shifts_sign_up(volunteer=volunteer, shifts=[shift], message="Ich bringe Kuchen.")
    briefing = Requirement.objects.create(organisation=organisation, name="Hygieneschulung")
    RequirementRecord.objects.create(
        requirement=briefing, volunteer=volunteer, recorded_on=berlin(2026, 1, 5).date()
    )
    ShiftPreferences.objects.create(user=volunteer, reminders="last", feed_token="secret")
    export = account_services.user_export(user=volunteer)
    [signup] = export["shift_signups"]
    assert signup["task"] == shift.task
    assert signup["message"] == "Ich bringe Kuchen."
    assert export["shift_requirements_met"][0]["requirement"] == "Hygieneschulung"
    assert export["shift_preferences"] == {"reminders": "last", "calendar_address_active": True}
    assert "secret" not in str(export)


def test_deleting_the_account_gives_places_back_and_keeps_past_attendance(
    volunteer: Any, second_volunteer: Any, organisation: Any, make_shift: MakeShift
) -> None:
    ahead = make_shift(capacity=1)
    [place] = services.shifts_sign_up(volunteer=volunteer, shifts=[ahead], message="Bis dann!")
    [waiting] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[ahead])
    past = make_shift(starts_at=berlin(2025, 3, 4, 9))
    attended = Signup.objects.create(
        shift=past, volunteer=volunteer, status="confirmed", attendance="attended", message="x"
    )
    Shift.objects.filter(pk=past.pk).update(taken=1)
    ShiftPreferences.objects.create(user=volunteer, feed_token="secret")
    account_services.user_delete(user=volunteer, actor=volunteer)
    place.refresh_from_db()
    waiting.refresh_from_db()
    attended.refresh_from_db()
    ahead.refresh_from_db()
    assert place.status == Signup.Status.CANCELLED
    assert place.message == ""
    assert waiting.status == Signup.Status.OFFERED  # the waitlist moved up
    assert ahead.taken == 1
    assert attended.attendance == "attended"  # counts stay
    assert attended.message == ""
    assert not ShiftPreferences.objects.filter(feed_token="secret").exists()
