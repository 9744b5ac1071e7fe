"""A registry through which every app contributes to a person's data export and deletion.

Apps register in their AppConfig.ready(); the accounts app calls the registry. This keeps the
dependency direction: accounts need not know which later apps hold personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], dict[str, Any] | list[Any]]
Eraser = Callable[[Any], None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register_exporter(section: str, exporter: Exporter) -> None:
    """Register a function returning one section of a user's data export."""
    _exporters[section] = exporter


def register_eraser(name: str, eraser: Eraser) -> None:
    """Register a function that removes or anonymises a user's personal data in one app."""
    _erasers[name] = eraser


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def erasers() -> dict[str, Eraser]:
    return dict(_erasers)
