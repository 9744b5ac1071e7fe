"""Who may do what with organisations."""

from __future__ import annotations

from typing import Any

import rules

from gemeinsinn.accounts.rules import is_coordinator, is_platform_admin


@rules.predicate
def is_org_admin(user: Any, organisation: Any) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return organisation.memberships.filter(user=user, role="admin", status="active").exists()


@rules.predicate
def is_office_of_org(user: Any, organisation: Any) -> bool:
    return organisation is not None and bool(is_coordinator(user, organisation.municipality))


rules.add_perm("actors.change_organisation", is_platform_admin | is_org_admin | is_office_of_org)


# --- Lifecycle, memberships and the office's tools (moderation, claims, taxonomies) -------------


# Moderation, claims decided by hand and the "also listed in" municipalities belong to the home
# municipality's office; an organisation's own admins may not publish themselves elsewhere.
rules.add_perm("actors.moderate_organisation", is_platform_admin | is_office_of_org)
rules.add_perm("actors.change_listing", is_platform_admin | is_office_of_org)
rules.add_perm("actors.manage_members", is_platform_admin | is_org_admin | is_office_of_org)
rules.add_perm("actors.view_history", is_platform_admin | is_org_admin | is_office_of_org)


# --- Cooperation links and alliances (network area) ---------------------------------------------

from django.db.models import Q  # noqa: E402


def _active_member_of(user: Any, prefix: str, **role: str) -> Q:
    """A Q that matches rows whose organisation (at `prefix`) has `user` as an active member."""
    lookups = {f"{prefix}memberships__user": user, f"{prefix}memberships__status": "active"}
    lookups.update({f"{prefix}memberships__{k}": v for k, v in role.items()})
    return Q(**lookups)


@rules.predicate
def is_alliance_steering(user: Any, alliance: Any) -> bool:
    """An individual steering member, or an admin of an organisation in the steering group."""
    if not user.is_authenticated or alliance is None:
        return False
    # An invited person is not a member yet and gets no rights until they accept.
    steering = alliance.members.filter(is_steering=True, status="active")
    return bool(
        steering.filter(
            Q(user=user) | _active_member_of(user, "organisation__", role="admin")
        ).exists()
    )


@rules.predicate
def is_alliance_member(user: Any, alliance: Any) -> bool:
    """An individual member, or a member of a member organisation."""
    if not user.is_authenticated or alliance is None:
        return False
    return bool(
        alliance.members.filter(status="active")
        .filter(Q(user=user) | _active_member_of(user, "organisation__"))
        .exists()
    )


@rules.predicate
def is_office_of_alliance(user: Any, alliance: Any) -> bool:
    return alliance is not None and bool(is_coordinator(user, alliance.municipality))


@rules.predicate
def is_public_alliance(user: Any, alliance: Any) -> bool:
    return alliance is not None and bool(alliance.is_public)


@rules.predicate
def is_office_of_link(user: Any, link: Any) -> bool:
    return link is not None and bool(is_coordinator(user, link.municipality))


@rules.predicate
def is_admin_of_a_linked_organisation(user: Any, link: Any) -> bool:
    return link is not None and bool(
        is_org_admin(user, link.source) or is_org_admin(user, link.target)
    )


@rules.predicate
def is_admin_of_link_target(user: Any, link: Any) -> bool:
    return link is not None and bool(is_org_admin(user, link.target))


# The office of the link's municipality may also add links (checked in the service, because
# the municipality is not the organisation's home when the organisation is only listed there).
rules.add_perm("actors.add_cooperation", is_platform_admin | is_org_admin | is_office_of_org)
rules.add_perm(
    "actors.delete_cooperation",
    is_platform_admin | is_office_of_link | is_admin_of_a_linked_organisation,
)
# A proposed link is confirmed or declined by the partner it names (the target) or the office.
rules.add_perm(
    "actors.confirm_cooperation",
    is_platform_admin | is_office_of_link | is_admin_of_link_target,
)
rules.add_perm("actors.create_alliance", is_platform_admin | is_coordinator)
rules.add_perm(
    "actors.manage_alliance", is_platform_admin | is_office_of_alliance | is_alliance_steering
)
rules.add_perm(
    "actors.view_alliance",
    is_public_alliance | is_platform_admin | is_office_of_alliance | is_alliance_member,
)
