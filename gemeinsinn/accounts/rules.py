"""Who may do what: the one place for platform-wide and municipality role checks.

Predicates are cached on the user object for the request, so a page that asks ten times costs
one query.
"""

from __future__ import annotations

from typing import Any

import rules

from gemeinsinn.accounts.models import Role, RoleGrant


def _grants(user: Any) -> list[tuple[str, int | None, int | None, int | None]]:
    cached = getattr(user, "_gemeinsinn_grants", None)
    if cached is None:
        cached = list(
            RoleGrant.objects.filter(user=user).values_list(
                "role", "municipality_id", "county_id", "state_id"
            )
        )
        user._gemeinsinn_grants = cached
    return cached


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_coordinator(user: Any, municipality: Any) -> bool:
    if not user.is_authenticated or municipality is None:
        return False
    return any(r == Role.COORDINATOR and m == municipality.pk for r, m, _c, _s in _grants(user))


@rules.predicate
def is_any_coordinator(user: Any) -> bool:
    return bool(user.is_authenticated) and any(r == Role.COORDINATOR for r, *_ in _grants(user))


@rules.predicate
def is_partner_in(user: Any, municipality: Any) -> bool:
    if not user.is_authenticated or municipality is None:
        return False
    return any(r == Role.PARTNER and m == municipality.pk for r, m, _c, _s in _grants(user))


@rules.predicate
def is_card_operator_for(user: Any, municipality: Any) -> bool:
    if not user.is_authenticated or municipality is None:
        return False
    return any(
        r == Role.CARD_OPERATOR
        and (
            (c is not None and c == municipality.county_id)
            or (s is not None and s == municipality.state_id)
        )
        for r, _m, c, s in _grants(user)
    )


def needs_mfa(user: Any) -> bool:
    """Coordination-office staff and platform admins must sign in with a second factor."""
    return bool(is_platform_admin(user) or is_any_coordinator(user))


office = is_platform_admin | is_coordinator

rules.add_perm("core.manage_municipality", office)
rules.add_perm("core.view_audit_log", office)
rules.add_perm("core.view_outbox", office)
rules.add_perm("core.view_feedback", office)
rules.add_perm("accounts.grant_role", office)
