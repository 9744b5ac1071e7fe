"""Text helpers shared by all apps."""

from __future__ import annotations

from django.utils.text import slugify

_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def german_slugify(text: str, *, max_length: int = 100) -> str:
    """A URL slug that spells umlauts and ß out (Seniorenbüro → seniorenbuero, not seniorenburo)."""
    return slugify(text.translate(_GERMAN))[:max_length].strip("-")
