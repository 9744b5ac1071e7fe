"""Weekly recurrence: the days and times a series of shifts stands for. Pure: no database.

A series runs on some weekdays (a bitmask, Monday = bit 0 as in `models.WEEKDAY_BITS`), every
n weeks counted from the week (Monday to Sunday) of its first day, up to and including its last
day. Public holidays of the municipality's Land (package `holidays`) and listed dates are left
out.

Times follow the wall clock of Europe/Berlin: a shift at 09:00 is at 09:00 in winter and in
summer, so its UTC time differs by an hour. The end is the wall-clock time `start + duration`
as well, so a night shift 22:00–06:00 hands over to the 06:00 shift also on the two nights the
clocks change (it then lasts seven or nine hours). Local times that do not exist or exist twice
are resolved as RFC 5545 (iCalendar) resolves them, so our calendars and the people's agree:

- A time in the gap of the last Sunday in March (02:00–03:00 does not exist) is read with the
  offset before the gap: 02:30 becomes 03:30 summer time.
- A time that occurs twice on the last Sunday in October (02:00–03:00) means the first of the
  two, in summer time, so nobody arrives an hour late.
- Should the wall-clock end then not lie after the start (a shift of less than an hour around
  the gap), the end is the start plus the duration in elapsed time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

ZONE = ZoneInfo("Europe/Berlin")
# A series may run for two years at most and make at most 500 shifts: beyond that a typo in the
# last day (2062 for 2026) would fill the database and everybody's calendars, and one edit of
# "this and all following" would rewrite thousands of rows in one transaction. The span bounds
# sparse series, the count dense ones (every day for two years would be 731 shifts).
MAX_SPAN_DAYS = 731
MAX_OCCURRENCES = 500
MAX_DURATION_MINUTES = 24 * 60


@dataclass(frozen=True)
class Weekly:
    """A weekly rule as a series stores it."""

    weekdays: int
    interval_weeks: int
    starts_on: date
    until: date
    start_time: time
    duration_minutes: int
    skip_holidays: bool = True
    exceptions: frozenset[date] = field(default_factory=frozenset)
    # The day whose week is week 0 of "every n weeks" (default: the first day). A rule that
    # continues a series from a later day keeps the series' own weeks.
    anchor: date | None = None


@dataclass(frozen=True)
class Occurrence:
    day: date
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC


@dataclass(frozen=True)
class Expansion:
    occurrences: tuple[Occurrence, ...]
    # Series days left out as public holidays, with the holiday's name.
    holidays: tuple[tuple[date, str], ...] = ()
    # Series days left out because they were listed as exceptions.
    exceptions: tuple[date, ...] = ()

    @property
    def days(self) -> list[date]:
        return [o.day for o in self.occurrences]


def weekday_bits(days: Iterable[int]) -> int:
    """The bitmask of weekdays (0 = Monday)."""
    bits = 0
    for day in days:
        if not 0 <= day <= 6:
            raise ValueError(f"weekday {day} out of range")
        bits |= 1 << day
    return bits


def weekdays_of(bits: int) -> list[int]:
    """The weekdays (0 = Monday) in a bitmask, Monday first."""
    return [day for day in range(7) if bits & (1 << day)]


def wall_clock(day: date, at: time) -> datetime:
    """The moment the Berlin wall clock shows `at` on `day`, in UTC (RFC 5545 rules)."""
    # zoneinfo reads fold=0 as the earlier offset: for a time in the spring gap that is the
    # winter offset (02:30 → 03:30 summer time); for a time that occurs twice, the first one.
    local = datetime.combine(day, at.replace(tzinfo=None)).replace(tzinfo=ZONE, fold=0)
    return local.astimezone(UTC)


def shift_times(day: date, start_time: time, duration_minutes: int) -> tuple[datetime, datetime]:
    """Start and end (aware, UTC) of a shift beginning at `start_time` on `day`."""
    starts_at = wall_clock(day, start_time)
    naive_end = datetime.combine(day, start_time.replace(tzinfo=None)) + timedelta(
        minutes=duration_minutes
    )
    ends_at = wall_clock(naive_end.date(), naive_end.time())
    if ends_at <= starts_at:
        ends_at = starts_at + timedelta(minutes=duration_minutes)
    return starts_at, ends_at


def public_holidays(
    *, state_code: str | None, years: Iterable[int], language: str = "de"
) -> dict[date, str]:
    """The public holidays of a Land (ISO code without "DE-", e.g. "BY"), by date.

    An unknown code gives the nationwide holidays only, rather than none.
    """
    code = (state_code or "").upper()
    subdiv = code if code in holidays.Germany.subdivisions else None
    lang = language if language in holidays.Germany.supported_languages else "de"
    found = holidays.Germany(subdiv=subdiv, years=sorted(set(years)), language=lang)
    return {day: str(name) for day, name in found.items()}


def validate_weekly(rule: Weekly) -> None:
    """Refuse a rule that cannot be expanded, naming the field to change."""
    errors: dict[str, str] = {}
    if not 0 < rule.weekdays < 128:
        errors["weekdays"] = _("Choose at least one weekday.")
    if rule.interval_weeks < 1:
        errors["interval_weeks"] = _("Enter 1 for every week, 2 for every other week, and so on.")
    if not 0 < rule.duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("A shift lasts more than no time and at most 24 hours.")
    if rule.until < rule.starts_on:
        errors["until"] = _("The last day lies before the first day.")
    elif (rule.until - rule.starts_on).days > MAX_SPAN_DAYS:
        errors["until"] = _(
            "Recurring shifts can be planned for two years at most: choose a last day up to "
            "%(latest)s."
        ) % {"latest": date_format(rule.starts_on + timedelta(days=MAX_SPAN_DAYS), "d.m.Y")}
    if errors:
        raise ValidationError(errors)


def series_days(rule: Weekly) -> list[date]:
    """Every day of the rule's pattern (weekdays, every n weeks, first to last day), before
    holidays and exceptions are left out."""
    anchor = rule.anchor or rule.starts_on
    first_monday = anchor - timedelta(days=anchor.weekday())
    found: list[date] = []
    day = rule.starts_on
    while day <= rule.until:
        week = (day - first_monday).days // 7
        if week % rule.interval_weeks == 0 and rule.weekdays & (1 << day.weekday()):
            found.append(day)
        day += timedelta(days=1)
    return found


def expand_weekly(
    rule: Weekly,
    *,
    state_code: str | None = None,
    language: str = "de",
    holiday_dates: Mapping[date, str] | None = None,
) -> Expansion:
    """The occurrences of a weekly rule, with the days left out and why.

    `holiday_dates` replaces the lookup of the Land's holidays (for callers that have them).
    Raises ValidationError for a rule that cannot be expanded or makes too many shifts.
    """
    validate_weekly(rule)
    days = series_days(rule)
    free: Mapping[date, str] = {}
    if rule.skip_holidays and days:
        free = (
            holiday_dates
            if holiday_dates is not None
            else public_holidays(
                state_code=state_code,
                years=range(days[0].year, days[-1].year + 1),
                language=language,
            )
        )
    occurrences: list[Occurrence] = []
    left_for_holidays: list[tuple[date, str]] = []
    left_as_exceptions: list[date] = []
    for day in days:
        if day in rule.exceptions:
            left_as_exceptions.append(day)
        elif day in free:
            left_for_holidays.append((day, free[day]))
        else:
            starts_at, ends_at = shift_times(day, rule.start_time, rule.duration_minutes)
            occurrences.append(Occurrence(day=day, starts_at=starts_at, ends_at=ends_at))
    if len(occurrences) > MAX_OCCURRENCES:
        raise ValidationError(
            {
                "until": _(
                    "These recurring shifts would make %(count)d shifts; at most %(max)d are "
                    "possible. Choose an earlier last day, fewer weekdays or a longer interval."
                )
                % {"count": len(occurrences), "max": MAX_OCCURRENCES}
            }
        )
    return Expansion(
        occurrences=tuple(occurrences),
        holidays=tuple(left_for_holidays),
        exceptions=tuple(left_as_exceptions),
    )


def parse_exceptions(values: Iterable[str]) -> frozenset[date]:
    """The stored ISO dates of a series' exceptions (unreadable entries are ignored)."""
    found: set[date] = set()
    for value in values:
        try:
            found.add(date.fromisoformat(str(value)))
        except ValueError:
            continue
    return frozenset(found)
