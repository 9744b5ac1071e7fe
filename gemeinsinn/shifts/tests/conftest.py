"""Shared people and shifts for the shifts tests (the people themselves come from the root
conftest: volunteer, org_admin, coordinator, other_coordinator, platform_admin…)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from conftest import make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.shifts.models import Shift, ShiftPlan, Visibility

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """An aware datetime on the wall clock of Europe/Berlin."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def shift_plan(organisation: Any) -> ShiftPlan:
    return ShiftPlan.objects.create(
        municipality=organisation.municipality,
        organisation=organisation,
        title="Lebensmittelausgabe",
        description="Ausgabe an der Theke.",
        place="Tafel, Hauptstraße 1",
    )


MakeShift = Callable[..., Shift]


@pytest.fixture
def make_shift(shift_plan: ShiftPlan) -> MakeShift:
    """Shifts of the plan; by default tomorrow+2 days 09:00–12:00 with 3 places."""

    def make(
        *,
        starts_at: datetime | None = None,
        hours: float = 3,
        capacity: int = 3,
        task: str = "Ausgabe",
        visibility: str = Visibility.PUBLIC,
        plan: ShiftPlan | None = None,
    ) -> Shift:
        start = starts_at or (timezone.localtime() + timedelta(days=3)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        owner = plan or shift_plan
        return Shift.objects.create(
            municipality=owner.municipality,
            organisation=owner.organisation,
            plan=owner,
            task=task,
            place="Theke",
            starts_at=start,
            # Real hours, also across a change of the clocks.
            ends_at=start.astimezone(UTC) + timedelta(hours=hours),
            capacity=capacity,
            visibility=visibility,
        )

    return make


@pytest.fixture
def shift(make_shift: MakeShift) -> Shift:
    return make_shift()


@pytest.fixture
def org_member(organisation: Any) -> Any:
    """A plain (non-admin) member of the organisation."""
    user = make_user("mia.member@example.org", first_name="Mia", last_name="Meier")
    actor_services.membership_add(actor=None, organisation=organisation, user=user, role="member")
    return user


@pytest.fixture
def second_volunteer(municipality: Any) -> Any:
    return make_user(
        "paul.helper@example.org",
        first_name="Paul",
        last_name="Peters",
        home_municipality=municipality,
    )


@pytest.fixture
def other_organisation(other_municipality: Any) -> Any:
    """An organisation in the second municipality, for isolation tests."""
    return actor_services.organisation_create(
        actor="test",
        municipality=other_municipality,
        name="Kleiderkammer Beispielhausen",
        type="club",
        sector="civil_society",
        published=True,
        description="Kleidung für alle.",
    )
