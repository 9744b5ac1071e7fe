"""The organiser's actions on helpers: approve and decline requests, assign a known person, move
and swap helpers. Each calls the sign-up services; their messages reach the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages

from conftest import client_for
from gemeinsinn.actors import services as actor_services
from gemeinsinn.shifts.models import Shift, ShiftPlan, Signup
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin
from gemeinsinn.shifts.tests.test_organiser_support import (  # noqa: F401 - fixture
    BASE,
    EN,
    frozen_fixture,
    helpers_url,
    people,
    put,
    signup_url,
)

pytestmark = pytest.mark.usefixtures("frozen")
S = Signup.Status


def _assign_url(shift: Shift) -> str:
    return f"{BASE}/organisieren/schicht/{shift.public_id}/zuweisen/"


@pytest.fixture
def early(make_shift: MakeShift) -> Shift:
    return make_shift(starts_at=berlin(2026, 12, 1, 9), capacity=2, task="Frueh")


@pytest.fixture
def late(make_shift: MakeShift) -> Shift:
    return make_shift(starts_at=berlin(2026, 12, 1, 14), capacity=2, task="Spaet")


@pytest.fixture
def neighbour(municipality: Any) -> Any:
    """Another organisation of the same town, with a plan of its own."""
    return actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Nachbarschaftshilfe Musterstadt",
        type="club",
        sector="civil_society",
        published=True,
        description="Hilfe im Viertel.",
    )


@pytest.fixture
def neighbour_shift(neighbour: Any, make_shift: MakeShift) -> Shift:
    plan = ShiftPlan.objects.create(
        municipality=neighbour.municipality, organisation=neighbour, title="Einkaufshilfe"
    )
    return make_shift(starts_at=berlin(2026, 12, 3, 9), task="Einkaufen", plan=plan)


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# --- requests ---------------------------------------------------------------------------------


def test_approving_a_request_gives_the_person_a_place(early: Shift, org_admin: Any) -> None:
    request = put(early, people(1)[0], S.REQUESTED)
    response = client_for(org_admin).post(
        signup_url(request, "entscheiden"), {"decision": "approve"}, headers=EN
    )
    assert response.status_code == 302
    assert response["Location"] == helpers_url(early)
    request.refresh_from_db()
    early.refresh_from_db()
    assert request.status == S.CONFIRMED
    assert early.taken == 1
    assert "Approved: Hanna0 Hilfe0 is on the shift" in _messages(response)


def test_declining_asks_first_and_keeps_the_reason(early: Shift, org_admin: Any) -> None:
    request = put(early, people(1)[0], S.REQUESTED)
    client = client_for(org_admin)
    page = client.get(signup_url(request, "entscheiden") + "?entscheidung=decline", headers=EN)
    assert page.status_code == 200
    assert "declining cannot be undone" in page.content.decode()
    assert 'value="decline" required id="id_decision_1" checked' in page.content.decode()
    response = client.post(
        signup_url(request, "entscheiden"),
        {"decision": "decline", "reason": "Nur fuer Mitglieder."},
        headers=EN,
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.DECLINED
    assert request.cancel_reason == "Nur fuer Mitglieder."


def test_a_decision_without_a_choice_is_explained(early: Shift, org_admin: Any) -> None:
    request = put(early, people(1)[0], S.REQUESTED)
    response = client_for(org_admin).post(
        signup_url(request, "entscheiden"), {"reason": "Hm"}, headers=EN
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    request.refresh_from_db()
    assert request.status == S.REQUESTED


def test_a_request_decided_already_is_not_decided_again(early: Shift, org_admin: Any) -> None:
    signup = put(early, people(1)[0], S.CONFIRMED)
    response = client_for(org_admin).post(
        signup_url(signup, "entscheiden"), {"decision": "decline"}, headers=EN
    )
    assert response.status_code == 302
    assert "already decided" in _messages(response)
    signup.refresh_from_db()
    assert signup.status == S.CONFIRMED


# --- assigning --------------------------------------------------------------------------------


def test_the_choice_of_people_lists_members_and_earlier_helpers_only(
    early: Shift, late: Shift, org_admin: Any, org_member: Any, volunteer: Any
) -> None:
    earlier = people(1, "earlier")[0]
    put(late, earlier, S.CANCELLED)
    html = client_for(org_admin).get(helpers_url(early), headers=EN).content.decode()
    form = html[html.index('id="assign_volunteer"') :]
    form = form[: form.index("</select>")]
    assert f'value="{org_member.pk}">Mia Meier' in form
    assert f'value="{earlier.pk}">Hanna0 Hilfe0' in form
    assert f'value="{org_admin.pk}">Otto Ortmann' in form
    assert "Vera" not in form  # a volunteer the organisation does not know
    assert "@" not in form  # names, never e-mail addresses


def test_assigning_a_member_puts_them_on_the_shift(
    early: Shift, org_admin: Any, org_member: Any
) -> None:
    response = client_for(org_admin).post(
        _assign_url(early), {"volunteer": org_member.pk, "party_size": 2}, headers=EN
    )
    assert response.status_code == 302
    signup = Signup.objects.get(shift=early, volunteer=org_member)
    assert signup.status == S.CONFIRMED
    assert signup.party_size == 2
    assert signup.assigned_by == org_admin
    assert "Mia Meier is on the shift now" in _messages(response)


def test_a_stranger_cannot_be_assigned_by_guessing_their_id(
    early: Shift, org_admin: Any, volunteer: Any
) -> None:
    response = client_for(org_admin).post(
        _assign_url(early), {"volunteer": volunteer.pk, "party_size": 1}, headers=EN
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Signup.objects.filter(shift=early, volunteer=volunteer).exists()


def test_assigning_to_a_full_shift_shows_the_services_message(
    early: Shift, org_admin: Any, org_member: Any
) -> None:
    for person in people(2):
        put(early, person)
    response = client_for(org_admin).post(
        _assign_url(early), {"volunteer": org_member.pk, "party_size": 1}, headers=EN
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "has no free place. Raise the number of places first." in html
    assert f'<option value="{org_member.pk}" selected>' in html  # the choice is kept


def test_assigning_a_person_with_a_clash_shows_the_services_message(
    early: Shift, make_shift: MakeShift, org_admin: Any, org_member: Any
) -> None:
    put(make_shift(starts_at=berlin(2026, 12, 1, 10), task="Parallel"), org_member)
    response = client_for(org_admin).post(
        _assign_url(early), {"volunteer": org_member.pk, "party_size": 1}, headers=EN
    )
    assert response.status_code == 400
    assert "clashes with your shift Parallel" in response.content.decode()


def test_opening_the_assign_address_leads_back_to_the_helpers(early: Shift, org_admin: Any) -> None:
    response = client_for(org_admin).get(_assign_url(early))
    assert response.status_code == 302
    assert response["Location"] == helpers_url(early)


# --- moving -----------------------------------------------------------------------------------


def test_the_move_page_lists_the_organisations_upcoming_shifts(
    early: Shift, late: Shift, neighbour_shift: Shift, make_shift: MakeShift, org_admin: Any
) -> None:
    past = make_shift(starts_at=berlin(2026, 11, 20, 9), task="Vorbei")
    helper = put(early, people(1)[0])
    html = client_for(org_admin).get(signup_url(helper, "verschieben"), headers=EN)
    text = html.content.decode()
    assert str(late.public_id) in text
    assert "Spaet" in text
    assert "(2 free)" in text
    assert str(neighbour_shift.public_id) not in text
    assert str(past.public_id) not in text
    assert f'value="{early.public_id}"' not in text


def test_moving_a_helper_takes_them_to_the_other_shift(
    early: Shift, late: Shift, org_admin: Any
) -> None:
    helper = put(early, people(1)[0])
    response = client_for(org_admin).post(
        signup_url(helper, "verschieben"), {"to_shift": str(late.public_id)}, headers=EN
    )
    assert response.status_code == 302
    assert Signup.objects.get(shift=late, status=S.CONFIRMED).volunteer == helper.volunteer
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.taken, late.taken) == (0, 1)
    assert "now helps with Spaet" in _messages(response)


def test_moving_to_a_full_shift_shows_the_services_message(
    early: Shift, late: Shift, org_admin: Any
) -> None:
    helper = put(early, people(1)[0])
    for person in people(2, "full"):
        put(late, person)
    response = client_for(org_admin).post(
        signup_url(helper, "verschieben"), {"to_shift": str(late.public_id)}, headers=EN
    )
    assert response.status_code == 400
    assert "has no free place" in response.content.decode()
    helper.refresh_from_db()
    assert helper.status == S.CONFIRMED


def test_moving_to_another_organisations_shift_shows_the_services_message(
    early: Shift, neighbour_shift: Shift, org_admin: Any
) -> None:
    helper = put(early, people(1)[0])
    response = client_for(org_admin).post(
        signup_url(helper, "verschieben"),
        {"to_shift": str(neighbour_shift.public_id)},
        headers=EN,
    )
    assert response.status_code == 400
    assert "only be moved between the organisation&#x27;s own shifts" in (response.content.decode())
    assert not Signup.objects.filter(shift=neighbour_shift).exists()


def test_moving_into_a_clash_shows_the_services_message(
    early: Shift, late: Shift, make_shift: MakeShift, org_admin: Any
) -> None:
    helper = put(early, people(1)[0])
    put(make_shift(starts_at=berlin(2026, 12, 1, 15), task="Nachmittag"), helper.volunteer)
    response = client_for(org_admin).post(
        signup_url(helper, "verschieben"), {"to_shift": str(late.public_id)}, headers=EN
    )
    assert response.status_code == 400
    assert "clashes with your shift Nachmittag" in response.content.decode()


def test_a_shift_of_another_town_cannot_be_chosen(
    early: Shift, org_admin: Any, other_organisation: Any, make_shift: MakeShift
) -> None:
    plan = ShiftPlan.objects.create(
        municipality=other_organisation.municipality,
        organisation=other_organisation,
        title="Fremd",
    )
    foreign = make_shift(starts_at=berlin(2026, 12, 4, 9), plan=plan)
    helper = put(early, people(1)[0])
    response = client_for(org_admin).post(
        signup_url(helper, "verschieben"), {"to_shift": str(foreign.public_id)}, headers=EN
    )
    assert response.status_code == 400
    assert "This shift does not exist (any more)." in response.content.decode()


def test_only_confirmed_helpers_can_be_moved(early: Shift, org_admin: Any) -> None:
    waiting = put(early, people(1)[0], S.WAITLISTED)
    response = client_for(org_admin).get(signup_url(waiting, "verschieben"), headers=EN)
    assert response.status_code == 302
    assert "Only confirmed helpers can be moved." in _messages(response)


# --- swapping ---------------------------------------------------------------------------------


def test_swapping_first_shows_the_other_shifts_helpers_then_swaps(
    early: Shift, late: Shift, org_admin: Any
) -> None:
    anna, ben = people(2)
    a = put(early, anna)
    b = put(late, ben)
    client = client_for(org_admin)
    step = client.get(signup_url(a, "tauschen") + f"?schicht={late.public_id}", headers=EN)
    assert step.status_code == 200
    assert f'value="{b.public_id}"' in step.content.decode()
    assert "Hanna1 Hilfe1" in step.content.decode()
    response = client.post(
        signup_url(a, "tauschen") + f"?schicht={late.public_id}",
        {"other": str(b.public_id)},
        headers=EN,
    )
    assert response.status_code == 302
    assert Signup.objects.get(shift=early, status=S.CONFIRMED).volunteer == ben
    assert Signup.objects.get(shift=late, status=S.CONFIRMED).volunteer == anna
    assert "have swapped their shifts" in _messages(response)


def test_another_organisations_helpers_are_never_shown_for_a_swap(
    early: Shift, neighbour_shift: Shift, org_admin: Any
) -> None:
    a = put(early, people(1)[0])
    b = put(neighbour_shift, people(1, "nachbar")[0])
    client = client_for(org_admin)
    step = client.get(
        signup_url(a, "tauschen") + f"?schicht={neighbour_shift.public_id}", headers=EN
    )
    assert step.status_code == 400
    assert "This shift does not exist (any more)." in step.content.decode()
    assert str(b.public_id) not in step.content.decode()
    response = client.post(signup_url(a, "tauschen"), {"other": str(b.public_id)}, headers=EN)
    assert response.status_code == 400
    b.refresh_from_db()
    assert b.status == S.CONFIRMED


def test_a_member_of_both_organisations_gets_the_services_message(
    early: Shift, neighbour: Any, neighbour_shift: Shift, org_admin: Any
) -> None:
    actor_services.membership_add(actor=None, organisation=neighbour, user=org_admin, role="admin")
    a = put(early, people(1)[0])
    b = put(neighbour_shift, people(1, "nachbar")[0])
    response = client_for(org_admin).post(
        signup_url(a, "tauschen") + f"?schicht={neighbour_shift.public_id}",
        {"other": str(b.public_id)},
        headers=EN,
    )
    assert response.status_code == 400
    assert "only be swapped between the organisation&#x27;s own shifts" in (
        response.content.decode()
    )


def test_a_swap_into_a_clash_shows_the_services_message(
    early: Shift, late: Shift, make_shift: MakeShift, org_admin: Any
) -> None:
    anna, ben = people(2)
    a = put(early, anna)
    b = put(late, ben)
    put(make_shift(starts_at=berlin(2026, 12, 1, 15), task="Nachmittag"), anna)
    response = client_for(org_admin).post(
        signup_url(a, "tauschen") + f"?schicht={late.public_id}",
        {"other": str(b.public_id)},
        headers=EN,
    )
    assert response.status_code == 400
    assert "clashes with your shift Nachmittag" in response.content.decode()
    a.refresh_from_db()
    assert a.status == S.CONFIRMED
