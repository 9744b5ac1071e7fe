from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gemeinsinn.core.modules import MODULES


def platform(request: HttpRequest) -> dict[str, Any]:
    """Platform name, the current municipality and the navigation built from its modules."""
    municipality = getattr(request, "municipality", None)
    nav = []
    can_manage = False
    if municipality is not None:
        nav = [m for m in MODULES if m.entry and municipality.has_module(m.key)]
        user = getattr(request, "user", None)
        can_manage = bool(
            user is not None and user.has_perm("core.manage_municipality", municipality)
        )
    return {
        "platform_name": settings.PLATFORM_NAME,
        "municipality": municipality,
        "module_nav": nav,
        "can_manage": can_manage,
        "single_municipality": bool(settings.SINGLE_MUNICIPALITY),
    }
