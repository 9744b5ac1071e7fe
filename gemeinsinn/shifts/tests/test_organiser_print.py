"""The printable list of a shift: names and party sizes, columns to tick and sign, no contact
data, and no navigation on paper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import client_for
from gemeinsinn.shifts.models import Shift, Signup
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin
from gemeinsinn.shifts.tests.test_organiser_support import (  # noqa: F401 - fixture
    BASE,
    EN,
    frozen_fixture,
    people,
    put,
)

pytestmark = pytest.mark.usefixtures("frozen")
S = Signup.Status
CSS = Path(__file__).resolve().parents[1] / "static" / "shifts" / "organiser.css"


def _url(shift: Shift) -> str:
    return f"{BASE}/organisieren/schicht/{shift.public_id}/liste/"


def _html(user: Any, shift: Shift) -> str:
    response = client_for(user).get(_url(shift), headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_names_the_shift_and_its_helpers_with_party_size_and_columns_to_sign(
    make_shift: MakeShift, org_admin: Any
) -> None:
    shift = make_shift(starts_at=berlin(2026, 12, 1, 9), capacity=5, task="Theke")
    zora, adam, waiting, offered = people(4)
    zora.last_name, adam.last_name = "Zander", "Albers"
    zora.save()
    adam.save()
    put(shift, zora, party_size=2)
    put(shift, adam)
    put(shift, waiting, S.WAITLISTED)
    put(shift, offered, S.OFFERED)
    html = _html(org_admin, shift)
    assert "Theke – Tafel Musterstadt e. V." in html
    assert "Tuesday, 1 December 2026, 09:00–12:00" in html
    assert "Theke" in html
    assert "Lebensmittelausgabe" in html
    assert ">Signature</th>" in html
    assert ">Came</th>" in html
    assert html.index("Hanna1 Albers") < html.index("Hanna0 Zander")  # by name
    row = html[html.index("Hanna0 Zander") :]
    assert "<td>2</td>" in row[: row.index("</tr>")]
    assert "Hanna3 Hilfe3" in html
    assert "not confirmed yet" in html
    assert "Hanna2 Hilfe2" not in html  # the waitlist is not on the list
    assert html.count('class="spare"') == 3


def test_the_list_carries_no_contact_data(make_shift: MakeShift, org_admin: Any) -> None:
    shift = make_shift(starts_at=berlin(2026, 12, 1, 9))
    person = people(1)[0]
    put(shift, person)
    html = _html(org_admin, shift)
    assert person.email not in html
    assert "mailto:" not in html
    assert "tel:" not in html


def test_on_paper_the_navigation_is_left_out() -> None:
    css = CSS.read_text()
    printed = css[css.index("@media print") :]
    for selector in (".site-header", ".site-footer", ".sub-nav", ".no-print"):
        assert selector in printed


def test_the_page_loads_the_print_styles_and_hides_its_own_navigation(
    make_shift: MakeShift, org_admin: Any
) -> None:
    html = _html(org_admin, make_shift(starts_at=berlin(2026, 12, 1, 9)))
    assert "shifts/organiser.css" in html
    assert '<div class="no-print">' in html
    assert "Nobody holds a place on this shift yet" in html


def test_the_list_costs_the_same_queries_for_two_or_twenty_helpers(
    make_shift: MakeShift, org_admin: Any, django_assert_num_queries: Any
) -> None:
    shift = make_shift(starts_at=berlin(2026, 12, 1, 9), capacity=20)
    crowd = people(20)
    for person in crowd[:2]:
        put(shift, person)
    client = client_for(org_admin)
    client.get(_url(shift))
    with django_assert_num_queries(7) as few:
        client.get(_url(shift))
    for person in crowd[2:]:
        put(shift, person)
    with django_assert_num_queries(len(few)):
        client.get(_url(shift))
