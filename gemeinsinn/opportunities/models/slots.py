"""Weekly time slots (weekday × part of day) as a bit mask in one integer column.

A mask filters on both databases with one bitwise AND (`F("time_slots").bitand(mask)`), which a
list of strings in JSON could not. Bit 4·day + part; day 0 = Monday; 0 means "any time/flexible".
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

DAYS: tuple[tuple[str, object], ...] = (
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
)
PARTS_OF_DAY: tuple[tuple[str, object], ...] = (
    ("morning", _("mornings")),
    ("afternoon", _("afternoons")),
    ("evening", _("evenings")),
)
_DAY_INDEX = {key: i for i, (key, _label) in enumerate(DAYS)}
_PART_INDEX = {key: i for i, (key, _label) in enumerate(PARTS_OF_DAY)}
ALL_SLOTS = (1 << (4 * len(DAYS))) - 1


def slot_bit(day: str, part: str) -> int:
    """The bit of one slot, e.g. slot_bit("tue", "evening")."""
    return 1 << (4 * _DAY_INDEX[day] + _PART_INDEX[part])


def slots_from_keys(keys: Iterable[str]) -> int:
    """The mask of slot keys like "tue_evening"; unknown keys raise ValueError."""
    mask = 0
    for key in keys:
        day, _sep, part = key.partition("_")
        if day not in _DAY_INDEX or part not in _PART_INDEX:
            raise ValueError(f"Unknown time slot {key!r}")
        mask |= slot_bit(day, part)
    return mask


def slots_to_keys(mask: int) -> list[str]:
    """The slot keys of a mask, Monday morning first."""
    return [
        f"{day}_{part}"
        for day, _d in DAYS
        for part, _p in PARTS_OF_DAY
        if mask & slot_bit(day, part)
    ]


def day_mask(day: str) -> int:
    """All parts of one weekday."""
    return sum(slot_bit(day, part) for part, _label in PARTS_OF_DAY)


def part_mask(part: str) -> int:
    """One part of the day on every weekday."""
    return sum(slot_bit(day, part) for day, _label in DAYS)
