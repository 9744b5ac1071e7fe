"""Who may do what with shifts.

Organising (plans, series, shifts, requirements, templates) is for the organisation's members,
like posting its opportunities; the coordination office may organise on an organisation's
behalf. Who signed up is personal data: the organisation's members see it, the office does not.
"""

from __future__ import annotations

from typing import Any

import rules

from gemeinsinn.accounts.rules import is_coordinator, is_platform_admin
from gemeinsinn.opportunities.rules import is_org_member


@rules.predicate
def is_office_of_org(user: Any, organisation: Any) -> bool:
    return organisation is not None and bool(is_coordinator(user, organisation.municipality))


@rules.predicate
def is_town_office(user: Any, municipality: Any) -> bool:
    return bool(is_coordinator(user, municipality))


# Plans, series, single shifts, templates and requirements of an organisation.
rules.add_perm("shifts.organise", is_platform_admin | is_org_member | is_office_of_org)
# Who signed up, attendance, assigning, swapping, messages to helpers.
rules.add_perm("shifts.handle_helpers", is_platform_admin | is_org_member)
# The municipality's shift settings (grace time, reminder times, deadlines).
rules.add_perm("shifts.change_settings", is_platform_admin | is_town_office)
