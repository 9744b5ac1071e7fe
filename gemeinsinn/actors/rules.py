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
