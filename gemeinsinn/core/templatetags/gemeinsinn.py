"""Template helpers available in every template (registered as a builtin)."""

from __future__ import annotations

from typing import Any

from django import template

from gemeinsinn.core.audit import action_label
from gemeinsinn.core.outbox import mail_is_personal
from gemeinsinn.core.panels import panels_render
from gemeinsinn.core.routing import mreverse

register = template.Library()


@register.simple_tag(takes_context=True)
def murl(context: template.Context, name: str, **kwargs: Any) -> str:
    """Reverse a municipality-scoped URL for the municipality of the current page."""
    municipality = kwargs.pop("municipality", None) or context.get("municipality")
    if municipality is None:
        raise template.TemplateSyntaxError(f"murl {name!r} used outside a municipality page")
    return mreverse(name, municipality, **kwargs)


@register.filter
def has_module(municipality: Any, key: str) -> bool:
    return bool(municipality is not None and municipality.has_module(key))


@register.filter
def audit_action(code: str) -> str:
    """An audit action code as words a person understands (see core.audit.action_label)."""
    return action_label(code)


@register.filter
def personal_mail(purpose: str) -> bool:
    return mail_is_personal(purpose or "")


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, obj: Any) -> str:
    """The sections other apps add to this page (see core.panels)."""
    request = context.get("request")
    if request is None:
        return ""
    return panels_render(slot, request, obj)
