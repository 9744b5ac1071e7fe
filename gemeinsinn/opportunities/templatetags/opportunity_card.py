"""Words for an opportunity's time and effort, for the result card, feeds and the CSV export.

`{% load opportunity_card %}` then `{{ opportunity|time_words }}` (a list of short phrases) and
`{{ opportunity|effort_words }}` ("2 hours a week").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gemeinsinn.opportunities.models.slots import DAYS, PARTS_OF_DAY, slot_bit

register = template.Library()


def _hours(value: Decimal) -> str:
    """1.5 as "1.5" (English) or "1,5" (German); whole numbers without decimals."""
    return number_format(value, decimal_pos=0 if value == value.to_integral() else 1)


@register.filter
def effort_words(opportunity: Any) -> str:
    """How much time the opportunity asks for, in words ("" when not said)."""
    if opportunity.hours_per_week is not None:
        hours = Decimal(opportunity.hours_per_week)
        return ngettext(
            "%(hours)s hour a week", "%(hours)s hours a week", 1 if hours == 1 else 2
        ) % {"hours": _hours(hours)}
    if opportunity.hours_total is not None:
        hours = Decimal(opportunity.hours_total)
        return ngettext(
            "%(hours)s hour in total", "%(hours)s hours in total", 1 if hours == 1 else 2
        ) % {"hours": _hours(hours)}
    return ""


@register.filter
def time_words(opportunity: Any) -> list[str]:
    """The days and times as short phrases ("Tuesday, Thursday: evenings"), then the note.

    Days with the same parts of the day are named together, in the order of the week.
    """
    mask = int(opportunity.time_slots or 0)
    phrases: list[str] = []
    if not mask:
        phrases.append(_("Time is flexible"))
    else:
        groups: dict[tuple[str, ...], list[str]] = {}
        for day, day_label in DAYS:
            parts = tuple(str(label) for part, label in PARTS_OF_DAY if mask & slot_bit(day, part))
            if parts:
                groups.setdefault(parts, []).append(str(day_label))
        for parts, days in groups.items():
            phrases.append(
                _("%(days)s: %(parts)s") % {"days": ", ".join(days), "parts": ", ".join(parts)}
            )
    if opportunity.times_note:
        phrases.append(opportunity.times_note)
    return phrases
