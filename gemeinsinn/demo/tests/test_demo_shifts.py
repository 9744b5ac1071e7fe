"""The demo's shifts: plans with weekly shifts around today, sign-ups whose places add up, the
demo volunteer's shifts ahead and behind, and never twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db.models import F, Q, Sum
from django.utils import timezone

from gemeinsinn.demo.tests.test_demo import load
from gemeinsinn.demo.tests.test_demo_opportunities import DEMO_VOLUNTEER, TINY_EXCHANGE
from gemeinsinn.shifts.models import AttendanceEvent, Shift, ShiftPlan, Signup

pytestmark = pytest.mark.django_db

TINY_SHIFTS = replace(TINY_EXCHANGE, name="tiny-shifts", shifts=300)


def test_the_demo_plans_shifts_before_and_after_today_without_overbooking() -> None:
    created = load(TINY_SHIFTS)
    assert created["shifts"] == Shift.objects.count() > 100
    now = timezone.now()
    assert Shift.objects.filter(starts_at__lt=now).exists()
    assert Shift.objects.filter(starts_at__gt=now + timedelta(weeks=4)).exists()
    assert not Shift.objects.filter(taken__gt=F("capacity")).exists()
    # The counter holds exactly the places of confirmed sign-ups, as the services keep it.
    held = dict(
        Signup.objects.filter(status__in=Signup.HOLDING)
        .values_list("shift_id")
        .annotate(places=Sum("party_size"))
    )
    for shift_id, taken in Shift.objects.filter(taken__gt=0).values_list("pk", "taken"):
        assert held[shift_id] == taken
    assert Signup.objects.filter(status=Signup.Status.WAITLISTED).exists()
    assert not Signup.objects.filter(
        Q(status=Signup.Status.WAITLISTED) & Q(shift__ends_at__lt=now)
    ).exists()
    attended = Signup.objects.filter(attendance="attended").count()
    assert attended == AttendanceEvent.objects.count() > 0


def test_the_demo_volunteer_has_shifts_ahead_behind_and_on_a_waitlist() -> None:
    load(TINY_SHIFTS)
    mine = Signup.objects.filter(volunteer__email=DEMO_VOLUNTEER)
    now = timezone.now()
    assert mine.filter(shift__starts_at__gt=now, status="confirmed").count() == 3
    assert mine.filter(shift__ends_at__lt=now, attendance="attended").count() == 3
    assert mine.filter(status="waitlisted").count() == 1


def test_a_second_load_adds_no_shifts() -> None:
    load(TINY_SHIFTS)
    before = (ShiftPlan.objects.count(), Shift.objects.count(), Signup.objects.count())
    again = load(TINY_SHIFTS)
    assert "shifts" not in again
    assert (ShiftPlan.objects.count(), Shift.objects.count(), Signup.objects.count()) == before
