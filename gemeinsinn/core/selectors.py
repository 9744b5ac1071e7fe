"""Reads of the shared kernel, scoped by municipality."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from gemeinsinn.core.models import (
    AccessibilityFeedback,
    AuditEvent,
    Municipality,
    OutgoingMail,
    TownDistrict,
)


def municipalities_public() -> QuerySet[Municipality]:
    """Active municipalities for the installation's landing page."""
    return (
        Municipality.objects.filter(is_active=True)
        .select_related("state", "county")
        .order_by("name")
    )


def audit_events(
    *,
    municipality: Municipality,
    action: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log of one municipality, newest first, filtered as the office asks."""
    events = AuditEvent.objects.filter(municipality=municipality)
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(Q(actor_label__icontains=actor))
    if since is not None:
        events = events.filter(created_at__date__gte=since)
    if until is not None:
        events = events.filter(created_at__date__lte=until)
    return events.order_by("-created_at", "-id")


def audit_actions(*, municipality: Municipality) -> list[str]:
    """The distinct action names that occur in a municipality's log, for the filter."""
    return list(
        AuditEvent.objects.filter(municipality=municipality)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )


def outbox_for(*, municipality: Municipality, status: str = "") -> QuerySet[OutgoingMail]:
    """The e-mails sent on behalf of a municipality, with their delivery status."""
    mails = OutgoingMail.objects.filter(municipality=municipality)
    if status:
        mails = mails.filter(status=status)
    return mails.order_by("-created_at", "-id")


def feedback_for(*, municipality: Municipality) -> QuerySet[AccessibilityFeedback]:
    """Reported barriers for a municipality, newest first."""
    return AccessibilityFeedback.objects.filter(municipality=municipality).order_by("-created_at")


def districts_of(*, municipality: Municipality) -> QuerySet[TownDistrict]:
    """The Stadtteile of a municipality in alphabetical order."""
    return TownDistrict.objects.filter(municipality=municipality).order_by("name")
