"""Text helpers shared by all apps."""

from __future__ import annotations

import re

from django.utils.text import slugify

_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def german_slugify(text: str, *, max_length: int = 100) -> str:
    """A URL slug that spells umlauts and ß out (Seniorenbüro → seniorenbuero, not seniorenburo)."""
    return slugify(text.translate(_GERMAN))[:max_length].strip("-")


# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula; plain numbers stay as they are."""
    if value.startswith(FORMULA_STARTS) and not re.fullmatch(r"[+-]?[\d\s/().,-]+", value):
        return f"'{value}"
    return value
