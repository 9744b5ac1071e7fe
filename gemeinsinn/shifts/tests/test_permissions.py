"""Who may open the organiser's shift pages: every organiser address × every role.

- organise (plans, series, shifts, templates, requirements, week plan): the organisation's
  members, the town's coordination office and platform admins;
- handle helpers (who signed up, attendance, assign, move, swap, messages, print list): the
  organisation's members and platform admins; the office organises but gets 403 here;
- settings: the town's coordination office and platform admins.

Whoever may not organise the organisation at all gets 404, as on the exchange's management
pages; the office pages answer 403 to everybody else; anonymous visitors are sent to log in.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.test import Client

from conftest import client_for
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.models import (
    Requirement,
    Shift,
    ShiftMessage,
    ShiftPlan,
    ShiftSeries,
    ShiftTemplate,
    Signup,
)
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin
from gemeinsinn.shifts.tests.test_organiser_support import (  # noqa: F401 - fixture
    NOW,
    frozen_fixture,
    people,
    put,
)

pytestmark = pytest.mark.usefixtures("frozen")

LOGIN = "login"
ROLES = (
    "anonymous",
    "volunteer",
    "org_member",
    "org_admin",
    "coordinator",
    "other_coordinator",
    "platform_admin",
)
ORGANISE = {
    "anonymous": LOGIN,
    "volunteer": 404,
    "org_member": 200,
    "org_admin": 200,
    "coordinator": 200,
    "other_coordinator": 404,
    "platform_admin": 200,
}
HANDLE = {**ORGANISE, "coordinator": 403}
SETTINGS = {
    "anonymous": LOGIN,
    "volunteer": 403,
    "org_member": 403,
    "org_admin": 403,
    "coordinator": 200,
    "other_coordinator": 403,
    "platform_admin": 200,
}

# URL name, the object its address names, who may open it, the answer for those who may.
PAGES: list[tuple[str, str, dict[str, Any], int]] = [
    # A: plans, series, single shifts, templates, requirements
    ("org_plans", "org", ORGANISE, 200),
    ("plan_create", "org", ORGANISE, 200),
    ("plan_manage", "plan", ORGANISE, 200),
    ("plan_archive", "plan", ORGANISE, 200),
    ("series_create", "plan", ORGANISE, 200),
    ("series_edit", "series", ORGANISE, 200),
    ("series_end", "series", ORGANISE, 200),
    ("shift_create", "plan", ORGANISE, 200),
    ("shift_edit", "shift", ORGANISE, 200),
    ("shift_cancel", "shift", ORGANISE, 200),
    ("templates", "org", ORGANISE, 200),
    ("template_create", "org", ORGANISE, 200),
    ("template_edit", "template", ORGANISE, 200),
    ("template_apply", "template", ORGANISE, 200),
    ("requirements", "org", ORGANISE, 200),
    ("requirement_records", "requirement", HANDLE, 200),
    # C: attendance and the check-in code
    ("attendance", "shift", HANDLE, 200),
    ("shift_qr", "shift", HANDLE, 200),
    # D: the week plan, a shift's helpers and what organisers do with them
    ("week", "org", ORGANISE, 200),
    ("shift_helpers", "shift", HANDLE, 200),
    ("shift_print", "shift", HANDLE, 200),
    ("shift_message", "shift", HANDLE, 200),
    ("shift_assign", "shift", HANDLE, 302),  # the form lives on the helpers' page
    ("signup_decide", "request", HANDLE, 200),
    ("signup_move", "confirmed", HANDLE, 200),
    ("signup_swap", "confirmed", HANDLE, 200),
    # E: the coordination office's settings
    ("settings", "town", SETTINGS, 200),
]

# Parameters whose view answers differently from this matrix when the lead last looked; each
# reason says what differs. strict: the test fails once the view is fixed, so the mark goes.
DIFFERS: dict[tuple[str, str], str] = {}
# URL names whose views were not built yet (none at the time of writing).
NOT_BUILT: set[str] = set()


def _params() -> list[Any]:
    params = []
    for name, target, expected, allowed in PAGES:
        for role in ROLES:
            marks: list[Any] = []
            if name in NOT_BUILT:
                marks.append(pytest.mark.skip(reason="view not built yet"))
            elif (name, role) in DIFFERS:
                marks.append(pytest.mark.xfail(strict=True, reason=DIFFERS[(name, role)]))
            want = allowed if expected[role] == 200 else expected[role]
            params.append(pytest.param(name, target, role, want, marks=marks, id=f"{name}-{role}"))
    return params


@pytest.fixture
def objects(
    organisation: Any, shift_plan: ShiftPlan, make_shift: MakeShift, municipality: Any
) -> dict[str, Any]:
    """One of each thing an organiser address names."""
    shift: Shift = make_shift(starts_at=berlin(2026, 12, 1, 9))
    series = ShiftSeries.objects.create(
        plan=shift_plan,
        task="Ausgabe",
        capacity=3,
        weekdays=1,
        starts_on=date(2026, 12, 7),
        until=date(2027, 1, 25),
        start_time=time(9),
        duration_minutes=180,
    )
    template = ShiftTemplate.objects.create(organisation=organisation, name="Normale Woche")
    requirement = Requirement.objects.create(organisation=organisation, name="Hygieneschulung")
    asking, helping = people(2, "matrix")
    request = put(shift, asking, Signup.Status.REQUESTED)
    confirmed = put(shift, helping)
    return {
        "org": {"org_slug": organisation.slug},
        "plan": {"public_id": shift_plan.public_id},
        "series": {"public_id": series.public_id},
        "shift": {"public_id": shift.public_id},
        "template": {"pk": template.pk},
        "requirement": {"pk": requirement.pk},
        "request": {"public_id": request.public_id},
        "confirmed": {"public_id": confirmed.public_id},
        "town": {},
        "municipality": municipality,
    }


@pytest.fixture
def everybody(
    volunteer: Any,
    org_member: Any,
    org_admin: Any,
    coordinator: Any,
    other_coordinator: Any,
    platform_admin: Any,
) -> dict[str, Any]:
    return {
        "anonymous": None,
        "volunteer": volunteer,
        "org_member": org_member,
        "org_admin": org_admin,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "platform_admin": platform_admin,
    }


def _answer(client: Client, url: str) -> int | str:
    response = client.get(url)
    if response.status_code == 302 and "/konto/login/" in response["Location"]:
        return LOGIN
    return int(response.status_code)


@pytest.mark.parametrize(("name", "target", "role", "want"), _params())
def test_each_organiser_page_answers_each_role_as_the_matrix_says(
    objects: dict[str, Any],
    request: pytest.FixtureRequest,
    name: str,
    target: str,
    role: str,
    want: int | str,
) -> None:
    # Only the one person of the role is made: 190 cases stay quick.
    person = None if role == "anonymous" else request.getfixturevalue(role)
    url = mreverse(f"shifts:{name}", objects["municipality"], **objects[target])
    assert _answer(client_for(person), url) == want


def test_the_matrix_covers_every_organiser_address_of_the_shifts_app() -> None:
    from gemeinsinn.shifts.urls import urlpatterns

    public = {"index", "plan", "signup", "mine", "cancel", "offer_confirm", "preferences"}
    public |= {"respond", "checkin", "user_feed", "org_feed", "opportunity_feed", "shift_ics"}
    named = {pattern.name for pattern in urlpatterns}
    assert named - public == {name for name, *_rest in PAGES}


# --- outsiders change nothing -----------------------------------------------------------------


def test_another_towns_office_cannot_reach_the_helpers_through_its_own_town(
    objects: dict[str, Any], other_coordinator: Any, other_municipality: Any
) -> None:
    for name in ("shift_helpers", "shift_print", "shift_message"):
        url = mreverse(f"shifts:{name}", other_municipality, **objects["shift"])
        assert client_for(other_coordinator).get(url).status_code == 404
    url = mreverse("shifts:week", other_municipality, **objects["org"])
    assert client_for(other_coordinator).get(url).status_code == 404


def test_outsiders_posting_to_the_actions_change_nothing(
    objects: dict[str, Any], everybody: dict[str, Any], org_member: Any
) -> None:
    town = objects["municipality"]
    posts = [
        ("shift_message", "shift", {"body": "Hallo"}),
        ("shift_assign", "shift", {"volunteer": org_member.pk, "party_size": 1}),
        ("signup_decide", "request", {"decision": "decline"}),
    ]
    for role, answer in (("volunteer", 404), ("coordinator", 403), ("other_coordinator", 404)):
        for name, target, data in posts:
            url = mreverse(f"shifts:{name}", town, **objects[target])
            assert client_for(everybody[role]).post(url, data).status_code == answer, (role, name)
    assert not Signup.objects.filter(volunteer=org_member).exists()
    assert Signup.objects.get(public_id=objects["request"]["public_id"]).status == "requested"
    assert not ShiftMessage.objects.exists()
