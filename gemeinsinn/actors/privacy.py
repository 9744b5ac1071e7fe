"""What the actors app contributes to a person's data export and deletion."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gemeinsinn.actors.models import AllianceMember, Claim, Membership, ProgressUpdate
from gemeinsinn.core import privacy


def _memberships_of(user: Any) -> Q:
    # Invitations to an address without an account yet belong to the person with that address.
    return Q(user=user) | Q(user__isnull=True, invited_email__iexact=user.email)


def _export(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "municipality": m.organisation.municipality.name,
            "role": m.role,
        }
        for m in Membership.objects.filter(user=user).select_related("organisation__municipality")
    ]


def _export_open(user: Any) -> list[dict[str, Any]]:
    """Invitations and requests to join, with what the person wrote or was sent."""
    return [
        {
            "organisation": m.organisation.name,
            "municipality": m.organisation.municipality.name,
            "status": m.status,
            "role": m.role,
            "message": m.message,
            "created_at": m.created_at.isoformat(),
        }
        for m in Membership.objects.filter(_memberships_of(user))
        .exclude(status=Membership.Status.ACTIVE)
        .select_related("organisation__municipality")
        .order_by("created_at", "pk")
    ]


def _export_claims(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "organisation": c.organisation.name,
            "municipality": c.organisation.municipality.name,
            "status": c.status,
            "message": c.message,
            "created_at": c.created_at.isoformat(),
            "decided_at": c.decided_at.isoformat() if c.decided_at else None,
            "decision_note": c.decision_note,
        }
        for c in Claim.objects.filter(user=user)
        .select_related("organisation__municipality")
        .order_by("created_at", "pk")
    ]


def _export_alliances(user: Any) -> list[dict[str, Any]]:
    """Alliances the person belongs to as an individual citizen, and progress they reported."""
    memberships = [
        {
            "alliance": m.alliance.name,
            "municipality": m.alliance.municipality.name,
            "steering_group": m.is_steering,
            "joined_on": m.joined_on.isoformat() if m.joined_on else None,
        }
        for m in AllianceMember.objects.filter(user=user).select_related("alliance__municipality")
    ]
    reports = [
        {
            "alliance": u.agreement.alliance.name,
            "goal": u.agreement.goal,
            "date": u.reported_on.isoformat(),
            "value": str(u.value),
            "note": u.note,
        }
        for u in ProgressUpdate.objects.filter(author=user).select_related("agreement__alliance")
    ]
    return [{"memberships": memberships, "progress_reports": reports}]


def _erase(user: Any) -> None:
    # The organisations stay; only the person's links to them go. Claims hold what the person
    # wrote about themselves, so they go too (the audit log keeps that a claim happened).
    Membership.objects.filter(_memberships_of(user)).delete()
    Claim.objects.filter(user=user).delete()
    # Individual alliance membership goes; progress figures stay (they belong to the alliance),
    # their author is anonymised with the user row itself.
    AllianceMember.objects.filter(user=user).delete()


def register() -> None:
    privacy.register_exporter("memberships", _export)
    privacy.register_exporter("membership_invitations_and_requests", _export_open)
    privacy.register_exporter("organisation_claims", _export_claims)
    privacy.register_exporter("alliances", _export_alliances)
    privacy.register_eraser("actors", _erase)
