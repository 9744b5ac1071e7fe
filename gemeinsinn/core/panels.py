"""Panels: a later app adds a section to an earlier app's page without being imported by it.

The engagement exchange shows an opportunity; the shifts app, which builds on it, adds the
opportunity's upcoming shifts there. The page names a slot, apps register renderers for it in
AppConfig.ready, and dependencies keep pointing one way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

PanelRenderer = Callable[[HttpRequest, Any], str]

_PANELS: dict[str, list[PanelRenderer]] = defaultdict(list)


def panel_register(slot: str, render: PanelRenderer) -> None:
    """Add `render(request, obj)` to the slot; registering the same renderer twice is a no-op."""
    if render not in _PANELS[slot]:
        _PANELS[slot].append(render)


def panels_render(slot: str, request: HttpRequest, obj: Any) -> SafeString:
    """Every registered panel of the slot for this object, in registration order."""
    parts = [conditional_escape(render(request, obj)) for render in _PANELS.get(slot, [])]
    return mark_safe("".join(parts))
