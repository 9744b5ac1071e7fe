"""Who may do what in the engagement exchange."""

from __future__ import annotations

from typing import Any

import rules

from gemeinsinn.accounts.rules import is_coordinator, is_platform_admin
from gemeinsinn.actors.models import Organisation


def _org_member(user: Any, organisation: Organisation | None, *, admin: bool) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    memberships = organisation.memberships.filter(user=user, status="active")
    if admin:
        memberships = memberships.filter(role="admin")
    return bool(memberships.exists())


@rules.predicate
def is_opportunity_org_member(user: Any, opportunity: Any) -> bool:
    """An active member of the organisation that offers the opportunity."""
    return opportunity is not None and _org_member(user, opportunity.organisation, admin=False)


@rules.predicate
def is_opportunity_agency_member(user: Any, opportunity: Any) -> bool:
    """A member of the volunteer agency that posted the opportunity on the organisation's behalf."""
    return opportunity is not None and _org_member(user, opportunity.posted_by_agency, admin=False)


@rules.predicate
def is_office_of_opportunity(user: Any, opportunity: Any) -> bool:
    return opportunity is not None and bool(is_coordinator(user, opportunity.municipality))


@rules.predicate
def is_org_member(user: Any, organisation: Any) -> bool:
    return _org_member(user, organisation, admin=False)


@rules.predicate
def is_office_of_org(user: Any, organisation: Any) -> bool:
    return organisation is not None and bool(is_coordinator(user, organisation.municipality))


@rules.predicate
def is_agency(user: Any, organisation: Any) -> bool:
    """A member of a published volunteer agency (Freiwilligenagentur) or similar broker.

    Only a published entry counts: whoever registers an organisation is its admin at once, and
    an agency that the office has not checked must not broker people's applications.
    """
    return (
        organisation is not None
        and organisation.type in AGENCY_TYPES
        and organisation.status == "published"
        and _org_member(user, organisation, admin=False)
    )


# Infrastructure types that broker engagement (advice, then referral).
AGENCY_TYPES = frozenset({"volunteer_agency", "senior_office", "multi_generation_house"})

# Post and manage an organisation's opportunities: its members, the office, platform admins.
rules.add_perm(
    "opportunities.post_for_organisation", is_platform_admin | is_org_member | is_office_of_org
)
rules.add_perm(
    "opportunities.change_opportunity",
    is_platform_admin
    | is_opportunity_org_member
    | is_opportunity_agency_member
    | is_office_of_opportunity,
)
# Applications are personal data: the organisation handles them, the office does not read them.
rules.add_perm(
    "opportunities.handle_applications",
    is_platform_admin | is_opportunity_org_member | is_opportunity_agency_member,
)
rules.add_perm("opportunities.moderate_opportunity", is_platform_admin | is_office_of_opportunity)
rules.add_perm("opportunities.view_org_inbox", is_platform_admin | is_org_member)
rules.add_perm("opportunities.broker", is_platform_admin | is_agency)
