"""Weekly recurrence: wall-clock times across the clock changes, holidays by Land, intervals,
the last day, left-out dates and the cap. Pure functions: no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from gemeinsinn.shifts import recurrence
from gemeinsinn.shifts.models import WEEKDAY_BITS
from gemeinsinn.shifts.recurrence import Weekly, expand_weekly, shift_times, wall_clock

MON, TUE, WED, THU, FRI, SAT, SUN = WEEKDAY_BITS


def weekly(**overrides: object) -> Weekly:
    values: dict[str, object] = {
        "weekdays": MON,
        "interval_weeks": 1,
        "starts_on": date(2027, 1, 4),
        "until": date(2027, 2, 28),
        "start_time": time(9, 0),
        "duration_minutes": 180,
        "skip_holidays": False,
    }
    values.update(overrides)
    return Weekly(**values)  # type: ignore[arg-type]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_weekday_bits_follow_pythons_weekday_with_monday_as_bit_zero() -> None:
    assert recurrence.weekday_bits([0, 2, 6]) == MON | WED | SUN == 0b1000101
    assert recurrence.weekdays_of(MON | WED | SUN) == [0, 2, 6]
    assert date(2027, 1, 4).weekday() == 0  # a Monday, as the tests below assume


@pytest.mark.parametrize(
    ("sunday", "saturday_before", "monday_after"),
    [
        # The last Sundays of March: the clocks go forward at 02:00.
        (date(2026, 3, 29), utc(2026, 3, 28, 8), utc(2026, 3, 30, 7)),
        (date(2027, 3, 28), utc(2027, 3, 27, 8), utc(2027, 3, 29, 7)),
    ],
)
def test_a_nine_oclock_shift_stays_at_nine_when_summer_time_begins(
    sunday: date, saturday_before: datetime, monday_after: datetime
) -> None:
    rule = weekly(
        weekdays=SAT | SUN | MON,
        starts_on=sunday - timedelta(days=1),
        until=sunday + timedelta(days=1),
    )
    starts = [o.starts_at for o in expand_weekly(rule).occurrences]
    assert starts == [saturday_before, utc(sunday.year, 3, sunday.day, 7), monday_after]
    # On the wall clock it is 09:00 every day.
    assert {o.astimezone(recurrence.ZONE).time() for o in starts} == {time(9, 0)}


@pytest.mark.parametrize(
    "sunday",
    # The last Sundays of October: the clocks go back at 03:00.
    [date(2026, 10, 25), date(2027, 10, 31)],
)
def test_a_nine_oclock_shift_stays_at_nine_when_summer_time_ends(sunday: date) -> None:
    rule = weekly(
        weekdays=SAT | SUN, starts_on=sunday - timedelta(days=1), until=sunday, duration_minutes=60
    )
    saturday, sunday_shift = expand_weekly(rule).occurrences
    assert saturday.starts_at == utc(sunday.year, 10, sunday.day - 1, 7)  # summer time, UTC+2
    assert sunday_shift.starts_at == utc(sunday.year, 10, sunday.day, 8)  # winter time, UTC+1
    assert sunday_shift.ends_at - sunday_shift.starts_at == timedelta(hours=1)


def test_a_start_in_the_spring_gap_is_read_with_the_offset_before_the_gap() -> None:
    # 02:30 does not exist on 28 March 2027; RFC 5545 reads it as 03:30 summer time.
    start, end = shift_times(date(2027, 3, 28), time(2, 30), 60)
    assert start == utc(2027, 3, 28, 1, 30)
    assert start.astimezone(recurrence.ZONE).time() == time(3, 30)
    assert end > start


def test_a_start_that_occurs_twice_in_autumn_is_the_first_of_the_two() -> None:
    # 02:30 happens twice on 31 October 2027: first in summer time (00:30 UTC), then in winter.
    assert wall_clock(date(2027, 10, 31), time(2, 30)) == utc(2027, 10, 31, 0, 30)


def test_a_night_shift_ends_at_its_wall_clock_time_on_the_nights_the_clocks_change() -> None:
    # 22:00 for eight hours hands over at 06:00 on every night, so it lasts 7 h in spring…
    start, end = shift_times(date(2027, 3, 27), time(22, 0), 8 * 60)
    assert end.astimezone(recurrence.ZONE).time() == time(6, 0)
    assert end - start == timedelta(hours=7)
    # …and 9 h in autumn.
    start, end = shift_times(date(2027, 10, 30), time(22, 0), 8 * 60)
    assert end.astimezone(recurrence.ZONE).time() == time(6, 0)
    assert end - start == timedelta(hours=9)


def test_a_short_shift_across_the_spring_gap_still_ends_after_it_starts() -> None:
    # 01:45 + 45 min would be 02:30 on the wall clock, which does not exist.
    start, end = shift_times(date(2027, 3, 28), time(1, 45), 45)
    assert end > start


def test_every_second_week_counts_from_the_week_of_the_first_day() -> None:
    # First day a Wednesday: its week (Mon 4 Jan) counts, the next does not, and so on.
    rule = weekly(
        weekdays=MON | WED,
        interval_weeks=2,
        starts_on=date(2027, 1, 6),
        until=date(2027, 2, 1),
    )
    assert expand_weekly(rule).days == [
        date(2027, 1, 6),  # the Monday of the first week lies before the first day
        date(2027, 1, 18),
        date(2027, 1, 20),
        date(2027, 2, 1),
    ]


def test_the_last_day_is_included() -> None:
    rule = weekly(starts_on=date(2027, 1, 4), until=date(2027, 1, 18))
    assert expand_weekly(rule).days == [date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)]


def test_listed_dates_are_left_out_and_reported() -> None:
    rule = weekly(
        starts_on=date(2027, 1, 4),
        until=date(2027, 1, 25),
        exceptions=frozenset({date(2027, 1, 11), date(2027, 1, 12)}),
    )
    expansion = expand_weekly(rule)
    assert expansion.days == [date(2027, 1, 4), date(2027, 1, 18), date(2027, 1, 25)]
    # Only the listed date that falls on a series day is reported.
    assert expansion.exceptions == (date(2027, 1, 11),)


def test_epiphany_is_left_out_in_bavaria_but_not_in_north_rhine_westphalia() -> None:
    rule = weekly(
        weekdays=WED, starts_on=date(2027, 1, 1), until=date(2027, 1, 31), skip_holidays=True
    )
    bavaria = expand_weekly(rule, state_code="BY")
    assert date(2027, 1, 6) not in bavaria.days
    assert bavaria.holidays == ((date(2027, 1, 6), "Heilige Drei Könige"),)
    assert date(2027, 1, 6) in expand_weekly(rule, state_code="NW").days


def test_corpus_christi_is_a_holiday_in_bavaria_and_nrw_but_not_in_lower_saxony() -> None:
    # Fronleichnam 2027 is Thursday 27 May.
    rule = weekly(
        weekdays=THU, starts_on=date(2027, 5, 20), until=date(2027, 6, 3), skip_holidays=True
    )
    for land in ("BY", "NW"):
        assert expand_weekly(rule, state_code=land).days == [date(2027, 5, 20), date(2027, 6, 3)]
    assert date(2027, 5, 27) in expand_weekly(rule, state_code="NI").days


def test_holidays_stay_in_when_the_series_does_not_skip_them() -> None:
    rule = weekly(weekdays=WED, starts_on=date(2027, 1, 6), until=date(2027, 1, 6))
    assert expand_weekly(rule, state_code="BY").days == [date(2027, 1, 6)]


def test_an_unknown_land_still_leaves_out_the_nationwide_holidays() -> None:
    rule = weekly(
        weekdays=MON | FRI,
        starts_on=date(2026, 12, 28),
        until=date(2027, 1, 8),
        skip_holidays=True,
    )
    days = expand_weekly(rule, state_code="XX").days
    assert date(2027, 1, 1) not in days  # New Year is a holiday everywhere
    assert date(2026, 12, 28) in days


def test_a_series_over_two_years_is_refused_with_the_latest_possible_last_day() -> None:
    rule = weekly(starts_on=date(2027, 1, 4), until=date(2029, 1, 6))
    with pytest.raises(ValidationError) as caught:
        expand_weekly(rule)
    assert "until" in caught.value.message_dict
    assert "04.01.2029" in caught.value.message_dict["until"][0]


def test_more_shifts_than_the_cap_are_refused_with_their_number() -> None:
    every_day = sum(WEEKDAY_BITS)
    rule = weekly(weekdays=every_day, starts_on=date(2027, 1, 1), until=date(2028, 12, 31))
    with pytest.raises(ValidationError) as caught:
        expand_weekly(rule)
    message = caught.value.message_dict["until"][0]
    assert "731" in message
    assert str(recurrence.MAX_OCCURRENCES) in message
    # Just under the cap passes.
    ok = weekly(
        weekdays=every_day,
        starts_on=date(2027, 1, 1),
        until=date(2027, 1, 1) + timedelta(days=recurrence.MAX_OCCURRENCES - 1),
    )
    assert len(expand_weekly(ok).occurrences) == recurrence.MAX_OCCURRENCES


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"weekdays": 0}, "weekdays"),
        ({"interval_weeks": 0}, "interval_weeks"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"until": date(2027, 1, 3)}, "until"),
    ],
)
def test_a_rule_that_cannot_be_expanded_names_the_field_to_change(
    overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        expand_weekly(weekly(**overrides))
    assert field in caught.value.message_dict


def test_given_holiday_dates_replace_the_lookup() -> None:
    rule = weekly(starts_on=date(2027, 1, 4), until=date(2027, 1, 11), skip_holidays=True)
    expansion = expand_weekly(rule, holiday_dates={date(2027, 1, 11): "Stadtfest"})
    assert expansion.days == [date(2027, 1, 4)]
    assert expansion.holidays == ((date(2027, 1, 11), "Stadtfest"),)
