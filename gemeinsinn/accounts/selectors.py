"""Reads about people, roles and consents."""

from __future__ import annotations

from django.db.models import QuerySet

from gemeinsinn.accounts.consent import PURPOSES
from gemeinsinn.accounts.models import ConsentRecord, RoleGrant, User
from gemeinsinn.core.models import Municipality


def consents_current(*, user: User) -> dict[str, ConsentRecord | None]:
    """The latest consent record per purpose (None where the person never decided)."""
    latest: dict[str, ConsentRecord | None] = dict.fromkeys(PURPOSES)
    for record in user.consents.order_by("created_at", "id"):
        latest[record.purpose] = record
    return latest


def roles_of(*, user: User) -> QuerySet[RoleGrant]:
    """The roles a person holds, with their scopes."""
    return user.role_grants.select_related("municipality", "county", "state").order_by("role")


def municipalities_coordinated(*, user: User) -> QuerySet[Municipality]:
    """The municipalities whose coordination office the person belongs to."""
    if user.is_superuser:
        return Municipality.objects.filter(is_active=True)
    return Municipality.objects.filter(
        rolegrant__user=user, rolegrant__role="coordinator", is_active=True
    ).distinct()


def team_of(*, municipality: Municipality) -> QuerySet[RoleGrant]:
    """The people holding a role in a municipality (office and acceptance partners)."""
    return (
        RoleGrant.objects.filter(municipality=municipality)
        .select_related("user")
        .order_by("role", "user__last_name", "user__email")
    )
