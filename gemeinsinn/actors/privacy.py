"""What the actors app contributes to a person's data export and deletion."""

from __future__ import annotations

from typing import Any

from gemeinsinn.actors.models import Membership
from gemeinsinn.core import privacy


def _export(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "municipality": m.organisation.municipality.name,
            "role": m.role,
        }
        for m in Membership.objects.filter(user=user).select_related("organisation__municipality")
    ]


def _erase(user: Any) -> None:
    Membership.objects.filter(user=user).delete()


def register() -> None:
    privacy.register_exporter("memberships", _export)
    privacy.register_eraser("actors", _erase)
