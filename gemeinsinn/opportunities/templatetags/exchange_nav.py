"""What the exchange's sub-navigation needs beyond the request: the person's organisations."""

from __future__ import annotations

from typing import Any

from django import template

from gemeinsinn.actors.models import Organisation

register = template.Library()


@register.simple_tag
def my_organisations(user: Any, municipality: Any) -> list[Organisation]:
    """The organisations of the municipality the person is an active member of (one query)."""
    if not getattr(user, "is_authenticated", False) or municipality is None:
        return []
    return list(
        Organisation.objects.filter(
            municipality=municipality,
            memberships__user=user,
            memberships__status="active",
        )
        .exclude(status=Organisation.Status.ARCHIVED)
        .order_by("name")
        .distinct()[:10]
    )
