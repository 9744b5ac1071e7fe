"""The progress of a target agreement: share of the way and status against the elapsed time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import translation

from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.selectors.network import BEHIND, ON_TRACK, OVERDUE, REACHED, progress_of

D = Decimal
START = date(2026, 1, 1)
DEADLINE = date(2026, 12, 31)  # 364 days after the start


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    """These tests read the English wording; the installation's default is German."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def progress(updates: list[tuple[date, int]], *, baseline: int = 0, target: int = 100) -> Any:
    return progress_of(
        baseline=D(baseline),
        target=D(target),
        deadline=DEADLINE,
        start=START,
        updates=[(day, D(value)) for day, value in updates],
    )


def test_the_share_is_the_way_from_baseline_to_target_covered_by_the_latest_value() -> None:
    with time_machine.travel(date(2026, 3, 1), tick=False):
        result = progress(
            [(date(2026, 2, 1), 30), (date(2026, 2, 20), 40)], baseline=20, target=120
        )

    assert result.percent == 20
    assert result.latest == 40
    assert result.latest_on == date(2026, 2, 20)


def test_the_latest_update_is_the_one_with_the_latest_date_not_the_last_entered() -> None:
    with time_machine.travel(date(2026, 3, 1), tick=False):
        result = progress([(date(2026, 2, 20), 40), (date(2026, 2, 1), 90)])

    assert result.latest == 40


def test_without_updates_the_latest_value_is_the_starting_value() -> None:
    with time_machine.travel(date(2026, 1, 10), tick=False):
        result = progress([], baseline=5, target=10)

    assert result.percent == 0
    assert result.latest == 5
    assert result.latest_on is None
    assert result.status == ON_TRACK  # 2 % of the time passed, within the tolerance


def test_values_beyond_the_target_or_below_the_baseline_are_clamped() -> None:
    with time_machine.travel(date(2026, 6, 1), tick=False):
        assert progress([(date(2026, 5, 1), 150)]).percent == 100
        assert progress([(date(2026, 5, 1), -20)]).percent == 0


def test_a_falling_target_counts_the_way_down() -> None:
    with time_machine.travel(date(2026, 7, 1), tick=False):
        result = progress([(date(2026, 6, 1), 10)], baseline=14, target=6)

    assert result.percent == 50
    assert result.status == ON_TRACK


def test_an_agreement_is_on_track_when_progress_keeps_up_with_the_time() -> None:
    # Half the time has passed (182 of 364 days), 45 % of the way is covered: within 10 points.
    with time_machine.travel(date(2026, 7, 2), tick=False):
        result = progress([(date(2026, 7, 1), 45)])

    assert result.expected_percent == 50
    assert result.status == ON_TRACK
    assert result.status_label == "on track"


def test_an_agreement_is_behind_when_progress_trails_the_time_by_more_than_the_tolerance() -> None:
    with time_machine.travel(date(2026, 7, 2), tick=False):
        result = progress([(date(2026, 7, 1), 39)])

    assert result.status == BEHIND


def test_an_agreement_that_reached_its_target_is_reached_even_after_the_deadline() -> None:
    with time_machine.travel(date(2027, 3, 1), tick=False):
        result = progress([(date(2026, 11, 1), 100)])

    assert result.status == REACHED


def test_an_agreement_past_its_deadline_without_reaching_the_target_is_overdue() -> None:
    with time_machine.travel(date(2027, 1, 1), tick=False):
        result = progress([(date(2026, 12, 30), 99)])

    assert result.status == OVERDUE
    assert result.expected_percent == 100


def test_on_the_deadline_itself_the_agreement_is_not_yet_overdue() -> None:
    with time_machine.travel(date(2026, 12, 31), tick=False):
        result = progress([(date(2026, 12, 30), 95)])

    assert result.status == ON_TRACK


@pytest.mark.django_db
def test_the_clock_of_an_agreement_starts_at_its_first_update_when_that_is_earlier(
    municipality: Any,
) -> None:
    with time_machine.travel(date(2026, 6, 1), tick=False):
        alliance = services.alliance_create(actor="test", municipality=municipality, name="B")
        agreement = services.target_agreement_create(
            actor="test",
            alliance=alliance,
            goal="Mehr Paten",
            indicator="Patenschaften",
            baseline=0,
            target_value=100,
            deadline=date(2026, 12, 1),
        )
        services.progress_update_add(
            actor="test", agreement=agreement, reported_on=date(2025, 12, 1), value=30
        )
        fetched = selectors.target_agreement_of(alliance=alliance, pk=agreement.pk)
        assert fetched is not None

        result = selectors.agreement_progress(fetched)

    # 182 of 365 days have passed: 49 % expected, 30 % covered.
    assert result.start == date(2025, 12, 1)
    assert result.expected_percent == 49
    assert result.status == BEHIND
