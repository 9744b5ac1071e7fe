"""The audit helper every service calls: who did what to which object, where and when."""

from __future__ import annotations

from typing import Any

from django.db import models

from gemeinsinn.core.models import AuditEvent, Municipality

# Human labels for action codes, contributed by each app in AppConfig.ready().
_ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Let an app name its audit actions for people (lazy translations welcome)."""
    _ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    """The label of an audit action, or the code itself where no app named it."""
    label = _ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    municipality: Municipality | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Write one audit row; call it inside the service's transaction."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    label = ""
    if is_user:
        label = str(getattr(actor, "audit_label", "") or actor.get_username())
    elif isinstance(actor, str):
        label = actor
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=label[:200],
        action=action,
        municipality=municipality,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        ip_address=ip_address,
        data=data or {},
    )
