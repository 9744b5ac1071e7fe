"""What the accounts app contributes to a person's data export and deletion."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from gemeinsinn.core import privacy
from gemeinsinn.core.models import AuditEvent


def _export_account(user: Any) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else None,
        "guardian_name": user.guardian_name,
        "home_municipality": user.home_municipality.name if user.home_municipality else None,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "two_factor_methods": list(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
    }


def _export_consents(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "purpose": c.purpose,
            "version": c.version,
            "text": c.text,
            "granted": c.granted,
            "time": c.created_at.isoformat(),
        }
        for c in user.consents.order_by("created_at", "id")
    ]


def _export_roles(user: Any) -> list[dict[str, Any]]:
    return [
        {"role": g.role, "scope": str(g.municipality or g.county or g.state)}
        for g in user.role_grants.select_related("municipality", "county", "state")
    ]


def _export_activity(user: Any) -> list[dict[str, Any]]:
    return [
        {"time": e.created_at.isoformat(), "action": e.action, "object": e.target_label}
        for e in AuditEvent.objects.filter(actor=user).order_by("created_at")[:5000]
    ]


def _erase_account(user: Any) -> None:
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.role_grants.all().delete()
    # Open sessions elsewhere end by themselves: the password hash changes on deletion, and
    # Django checks it on every request.


def register() -> None:
    privacy.register_exporter("account", _export_account)
    privacy.register_exporter("consents", _export_consents)
    privacy.register_exporter("roles", _export_roles)
    privacy.register_exporter("activity", _export_activity)
    privacy.register_eraser("accounts", _erase_account)
