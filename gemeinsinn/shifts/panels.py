"""Sections the shifts app adds to pages of the engagement exchange (see core.panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gemeinsinn.core.panels import panel_register


def opportunity_shifts(request: HttpRequest, opportunity: Any) -> str:
    """The opportunity's shift plans with upcoming shifts, linked to sign up."""
    from gemeinsinn.shifts.views.signup import opportunity_panel

    return opportunity_panel(request, opportunity)


def register() -> None:
    panel_register("opportunity_detail", opportunity_shifts)
