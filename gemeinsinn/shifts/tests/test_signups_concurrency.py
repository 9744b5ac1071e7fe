"""Capacity under concurrent sign-ups: many people, the last places, the same moment.

Runs on PostgreSQL (CI's second pass), where transactions really overlap; SQLite serialises
writers, so there the test would prove nothing and is skipped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from conftest import PASSWORD, make_user
from gemeinsinn.shifts.models import Shift, Signup
from gemeinsinn.shifts.services import signups as services
from gemeinsinn.shifts.tests.conftest import MakeShift

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database with concurrent writers"
)

PEOPLE = 8


def _all_at_once(work: Callable[[int], str]) -> list[str]:
    """Run work(i) in PEOPLE threads released together; each thread has its own connection."""
    barrier = threading.Barrier(PEOPLE)
    results: list[str] = [""] * PEOPLE

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as exc:  # recorded for the assertion, never swallowed silently
            results[index] = f"error: {type(exc).__name__}: {exc}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_the_last_places_go_to_exactly_as_many_people_as_there_are_places(
    organisation: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(capacity=3)
    people = [make_user(f"rush{i}@example.org") for i in range(PEOPLE)]

    def sign_up(index: int) -> str:
        try:
            with translation.override("en"):
                [signup] = services.shifts_sign_up(
                    volunteer=people[index], shifts=[shift], waitlist=False
                )
        except ValidationError as exc:
            return "full" if "is full" in str(exc) else f"refused: {exc}"
        return signup.status

    results = _all_at_once(sign_up)
    shift.refresh_from_db()
    assert sorted(results) == ["confirmed"] * 3 + ["full"] * (PEOPLE - 3)
    assert shift.taken == 3
    assert Signup.objects.filter(shift=shift, status=Signup.Status.CONFIRMED).count() == 3


@pytest.mark.django_db(transaction=True)
def test_with_the_waitlist_everybody_else_queues_and_nobody_is_lost(
    organisation: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(capacity=1)
    people = [make_user(f"queue{i}@example.org") for i in range(PEOPLE)]

    def sign_up(index: int) -> str:
        [signup] = services.shifts_sign_up(volunteer=people[index], shifts=[shift])
        return signup.status

    results = _all_at_once(sign_up)
    assert sorted(results) == ["confirmed"] + ["waitlisted"] * (PEOPLE - 1)
    assert Shift.objects.get(pk=shift.pk).taken == 1
    assert Signup.objects.filter(shift=shift).count() == PEOPLE


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_to_the_sign_up_page_never_overbook(
    organisation: Any, make_shift: MakeShift
) -> None:
    from django.test import Client

    shift = make_shift(capacity=2)
    people = [make_user(f"web{i}@example.org") for i in range(PEOPLE)]
    url = "/musterstadt/engagement/schichten/anmelden/"
    form = {
        "plan": str(shift.plan.public_id),
        "shifts": [str(shift.public_id)],
        "companions": 0,
        "waitlist": "on",
    }

    def post(index: int) -> str:
        client = Client()
        assert client.login(email=people[index].email, password=PASSWORD)
        return str(client.post(url, form).status_code)

    results = _all_at_once(post)
    assert results == ["302"] * PEOPLE
    shift.refresh_from_db()
    assert shift.taken == 2
    assert Signup.objects.filter(shift=shift, status=Signup.Status.CONFIRMED).count() == 2
    assert Signup.objects.filter(shift=shift, status=Signup.Status.WAITLISTED).count() == PEOPLE - 2
