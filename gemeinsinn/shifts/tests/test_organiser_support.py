"""Shared helpers of the organiser tests: addresses, sign-ups written straight to the database
(for pages that only read them), and a fixed moment to travel to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db.models import F

from conftest import make_user
from gemeinsinn.shifts.models import Shift, Signup
from gemeinsinn.shifts.tests.conftest import berlin

BASE = "/musterstadt/engagement/schichten"
EN = {"Accept-Language": "en"}
# A Wednesday; the next week is 2026-W49 (30 November – 6 December).
NOW = berlin(2026, 11, 25, 10)


@pytest.fixture(name="frozen")
def frozen_fixture() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def week_url(organisation: Any) -> str:
    return f"{BASE}/organisation/{organisation.slug}/wochenplan/"


def helpers_url(shift: Shift) -> str:
    return f"{BASE}/organisieren/schicht/{shift.public_id}/"


def signup_url(signup: Signup, action: str) -> str:
    return f"{BASE}/organisieren/anmeldung/{signup.public_id}/{action}/"


def people(count: int, prefix: str = "helper", **extra: Any) -> list[Any]:
    return [
        make_user(
            f"{prefix}{n}@example.org", first_name=f"Hanna{n}", last_name=f"Hilfe{n}", **extra
        )
        for n in range(count)
    ]


def put(
    shift: Shift,
    volunteer: Any,
    status: str = Signup.Status.CONFIRMED,
    *,
    party_size: int = 1,
    minutes_ago: int = 0,
    **fields: Any,
) -> Signup:
    """A sign-up written straight to the database, holding places like the services do."""
    signup = Signup.objects.create(
        shift=shift, volunteer=volunteer, status=status, party_size=party_size, **fields
    )
    if status in Signup.HOLDING:
        Shift.objects.filter(pk=shift.pk).update(taken=F("taken") + party_size)
        shift.refresh_from_db(fields=["taken"])
    if status == Signup.Status.WAITLISTED and "waitlisted_at" not in fields:
        signup.waitlisted_at = NOW - timedelta(minutes=minutes_ago)
        signup.save(update_fields=["waitlisted_at"])
    return signup
