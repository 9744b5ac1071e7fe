"""The management pages: who may open them, the form (errors keep the input), steps, review."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import client_for
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import AuditEvent, OutgoingMail
from gemeinsinn.opportunities.models import Opportunity, Skill, slot_bit
from gemeinsinn.opportunities.tests.test_posting_support import (  # noqa: F401 - fixtures
    BASE,
    agency_fixture,
    agency_worker_fixture,
    district_fixture,
    english_fixture,
    far_admin_fixture,
    far_organisation_fixture,
    form_data,
    in_days,
    member_fixture,
    moderate,
    other_member_fixture,
    other_organisation_fixture,
    post,
)

S = Opportunity.Status
LIST = f"{BASE}/organisation/tafel-musterstadt-e-v/angebote/"
CREATE = f"{LIST}neu/"
QUEUE = f"{BASE}/verwaltung/pruefung/"
EN = {"Accept-Language": "en"}


def _page(opportunity: Opportunity, suffix: str) -> str:
    return f"{BASE}/angebot/{opportunity.public_id}/{suffix}"


@pytest.fixture
def opportunity(organisation: Organisation, org_admin: Any) -> Opportunity:
    return post(organisation, org_admin)


@pytest.fixture
def people(
    volunteer: Any,
    org_admin: Any,
    member: Any,
    other_member: Any,
    coordinator: Any,
    other_coordinator: Any,
    agency_worker: Any,
) -> dict[str, Any]:
    return {
        "anonymous": None,
        "volunteer": volunteer,
        "org_admin": org_admin,
        "member": member,
        "other_member": other_member,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "agency_worker": agency_worker,
    }


def _status(response: Any) -> int | str:
    if response.status_code == 302 and "/konto/login/" in response["Location"]:
        return "login"
    return int(response.status_code)


# --- permission matrix ----------------------------------------------------------------------------

ORG_PAGES = {
    "anonymous": "login",
    "volunteer": 404,
    "org_admin": 200,
    "member": 200,
    "other_member": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    # A volunteer agency of the town may post on behalf of any of its organisations.
    "agency_worker": 200,
}
OPPORTUNITY_PAGES = {**ORG_PAGES, "agency_worker": 404}
OFFICE_PAGES = {
    "anonymous": "login",
    "volunteer": 403,
    "org_admin": 403,
    "member": 403,
    "other_member": 403,
    "coordinator": 200,
    "other_coordinator": 403,
    "agency_worker": 403,
}


@pytest.mark.parametrize("role", list(ORG_PAGES))
def test_the_organisations_pages_open_for_its_members_the_office_and_agencies_only(
    people: dict[str, Any], opportunity: Opportunity, role: str
) -> None:
    client = client_for(people[role])
    assert _status(client.get(LIST)) == ORG_PAGES[role]
    assert _status(client.get(CREATE)) == ORG_PAGES[role]


@pytest.mark.parametrize("role", list(OPPORTUNITY_PAGES))
def test_an_opportunitys_management_pages_open_for_those_who_may_change_it(
    people: dict[str, Any], opportunity: Opportunity, role: str
) -> None:
    client = client_for(people[role])
    for suffix in ("bearbeiten/", "verlaengern/", "archivieren/", "besetzt/", "pausieren/"):
        assert _status(client.get(_page(opportunity, suffix))) == OPPORTUNITY_PAGES[role], suffix


@pytest.mark.parametrize("role", list(OFFICE_PAGES))
def test_the_review_queue_is_the_offices(people: dict[str, Any], role: str) -> None:
    assert _status(client_for(people[role]).get(QUEUE)) == OFFICE_PAGES[role]


def test_outsiders_posting_steps_change_nothing(
    people: dict[str, Any], opportunity: Opportunity
) -> None:
    for role in ("volunteer", "other_member", "other_coordinator", "agency_worker"):
        response = client_for(people[role]).post(
            _page(opportunity, "archivieren/"), {"confirmed": "1"}
        )
        assert response.status_code == 404
        if role != "agency_worker":  # who may post on behalf, but not archive others' posts
            response = client_for(people[role]).post(CREATE, form_data(title="Fremd"))
            assert response.status_code == 404
    opportunity.refresh_from_db()
    assert opportunity.status == S.PUBLISHED
    assert not Opportunity.objects.filter(title="Fremd").exists()


def test_another_towns_coordinator_cannot_reach_this_towns_opportunities_through_their_own_town(
    opportunity: Opportunity, other_coordinator: Any, other_municipality: Any
) -> None:
    url = f"/beispielhausen/engagement/angebot/{opportunity.public_id}/bearbeiten/"
    assert client_for(other_coordinator).get(url).status_code == 404
    url = "/beispielhausen/engagement/organisation/tafel-musterstadt-e-v/angebote/"
    assert client_for(other_coordinator).get(url).status_code == 404


# --- the form --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_posting_through_the_form_publishes_with_the_grid_times(
    organisation: Organisation, org_admin: Any
) -> None:
    response = client_for(org_admin).post(
        CREATE,
        form_data(time_slots=["tue_evening", "sat_morning"], submit="1"),
        headers=EN,
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    created = Opportunity.objects.get()
    assert created.status == S.PUBLISHED
    assert created.time_slots == slot_bit("tue", "evening") | slot_bit("sat", "morning")
    assert created.expires_on == in_days(90)
    assert created.people_wanted == 2


@pytest.mark.usefixtures("english")
def test_saving_as_draft_does_not_publish(organisation: Organisation, org_admin: Any) -> None:
    client_for(org_admin).post(CREATE, form_data(draft="1"), headers=EN)
    assert Opportunity.objects.get().status == S.DRAFT


@pytest.mark.usefixtures("english")
def test_the_form_offers_the_towns_vocabularies_and_a_labelled_slot_grid(
    organisation: Organisation, org_admin: Any
) -> None:
    html = client_for(org_admin).get(CREATE, headers=EN).content.decode()
    assert Skill.objects.filter(municipality=organisation.municipality).count() == 15
    assert "IT und Digitales" in html
    assert '<th scope="row">Tuesday</th>' in html
    assert '<th scope="col">evenings</th>' in html
    assert 'value="tue_evening"' in html
    assert "Tuesday evenings</label>" in html
    assert "location on the map and in the distance search" in html


@pytest.mark.usefixtures("english")
def test_bad_input_in_english_is_explained_and_nothing_typed_is_lost(
    organisation: Organisation, org_admin: Any
) -> None:
    response = client_for(org_admin).post(
        CREATE,
        form_data(
            title="Gartenhilfe",
            description="Beete gießen im Gemeinschaftsgarten",
            starts_on=in_days(10).isoformat(),
            ends_on=in_days(5).isoformat(),
            expires_on=in_days(-1).isoformat(),
            time_slots=["wed_afternoon"],
            submit="1",
        ),
        headers=EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end cannot be before the start." in html
    assert "The listing cannot end in the past." in html
    assert 'href="#id_ends_on"' in html
    assert 'value="Gartenhilfe"' in html
    assert "Beete gießen im Gemeinschaftsgarten" in html
    assert 'value="wed_afternoon" id="id_time_slots_7" checked' in html
    assert not Opportunity.objects.exists()


def test_bad_input_in_german_is_explained_in_german_and_nothing_typed_is_lost(
    organisation: Organisation, org_admin: Any
) -> None:
    response = client_for(org_admin).post(
        CREATE,
        form_data(title="", description="Beete gießen", latitude="abc", submit="1"),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Bitte eine Zahl eingeben." in html
    assert "Beete gießen" in html
    assert 'value="83022"' in html
    assert not Opportunity.objects.exists()


@pytest.mark.usefixtures("english")
def test_editing_shows_the_saved_values_and_saves_changes(
    opportunity: Opportunity, org_admin: Any
) -> None:
    Opportunity.objects.filter(pk=opportunity.pk).update(time_slots=slot_bit("mon", "morning"))
    client = client_for(org_admin)
    html = client.get(_page(opportunity, "bearbeiten/"), headers=EN).content.decode()
    assert 'value="mon_morning" id="id_time_slots_0" checked' in html
    assert 'value="Lesepatin oder Lesepate gesucht"' in html
    response = client.post(
        _page(opportunity, "bearbeiten/"),
        form_data(title="Vorlesen am Montag", time_slots=["mon_morning", "mon_evening"]),
        headers=EN,
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Vorlesen am Montag"
    assert opportunity.time_slots == slot_bit("mon", "morning") | slot_bit("mon", "evening")
    assert opportunity.status == S.PUBLISHED


@pytest.mark.usefixtures("english")
def test_an_agency_worker_posts_on_behalf_through_the_form(
    organisation: Organisation, agency: Organisation, agency_worker: Any
) -> None:
    client = client_for(agency_worker)
    html = client.get(CREATE, headers=EN).content.decode()
    assert "Posted on behalf of the organisation by" in html
    response = client.post(CREATE, form_data(agency=str(agency.pk), submit="1"), headers=EN)
    assert response.status_code == 302
    created = Opportunity.objects.get()
    assert (created.organisation, created.posted_by_agency) == (organisation, agency)
    listed = client.get(LIST, headers=EN).content.decode()
    assert "posted by Freiwilligenagentur Musterstadt" in listed


# --- steps ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_pausing_and_resuming_from_the_list(opportunity: Opportunity, org_admin: Any) -> None:
    client = client_for(org_admin)
    assert client.post(_page(opportunity, "pausieren/"), headers=EN).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == S.PAUSED
    client.post(_page(opportunity, "fortsetzen/"), headers=EN)
    opportunity.refresh_from_db()
    assert opportunity.status == S.PUBLISHED


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("suffix", "result"), [("archivieren/", S.ARCHIVED), ("besetzt/", S.FILLED)]
)
def test_steps_that_take_the_listing_away_ask_first(
    opportunity: Opportunity, org_admin: Any, suffix: str, result: str
) -> None:
    client = client_for(org_admin)
    asked = client.post(_page(opportunity, suffix), headers=EN)
    assert asked.status_code == 200
    assert 'name="confirmed"' in asked.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == S.PUBLISHED
    client.post(_page(opportunity, suffix), {"confirmed": "1"}, headers=EN)
    opportunity.refresh_from_db()
    assert opportunity.status == result


@pytest.mark.usefixtures("english")
def test_an_illegal_step_says_why_and_changes_nothing(
    opportunity: Opportunity, org_admin: Any
) -> None:
    response = client_for(org_admin).post(
        _page(opportunity, "fortsetzen/"), follow=True, headers=EN
    )
    assert "This is not possible while the opportunity is" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == S.PUBLISHED


@pytest.mark.usefixtures("english")
def test_extending_through_the_form(opportunity: Opportunity, org_admin: Any) -> None:
    client = client_for(org_admin)
    bad = client.post(_page(opportunity, "verlaengern/"), {"expires_on": "2000-01-01"}, headers=EN)
    assert bad.status_code == 400
    assert "cannot end in the past" in bad.content.decode()
    good = client.post(
        _page(opportunity, "verlaengern/"), {"expires_on": in_days(100).isoformat()}, headers=EN
    )
    assert good.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.expires_on == in_days(100)


@pytest.mark.usefixtures("english")
def test_the_list_groups_by_status_with_the_steps_each_allows(
    organisation: Organisation, org_admin: Any
) -> None:
    post(organisation, org_admin, title="Veröffentlicht")
    post(organisation, org_admin, title="Entwurf", publish=False)
    html = client_for(org_admin).get(LIST, headers=EN).content.decode()
    assert html.index('id="status-draft"') < html.index('id="status-published"')
    draft_section = html[html.index('id="status-draft"') : html.index('id="status-published"')]
    assert "Entwurf" in draft_section
    assert "/einreichen/" in draft_section
    assert "/pausieren/" not in draft_section
    assert "/pausieren/" in html[html.index('id="status-published"') :]


@pytest.mark.usefixtures("english")
def test_an_empty_list_says_what_to_do(organisation: Organisation, org_admin: Any) -> None:
    html = client_for(org_admin).get(LIST, headers=EN).content.decode()
    assert "There are no opportunities yet." in html


def test_the_list_costs_the_same_queries_for_two_or_ten_opportunities(
    organisation: Organisation, org_admin: Any, django_assert_num_queries: Any
) -> None:
    for n in range(2):
        post(organisation, org_admin, title=f"Angebot {n}")
    client = client_for(org_admin)
    client.get(LIST)  # warm the session
    with django_assert_num_queries(8) as few:
        client.get(LIST)
    for n in range(8):
        post(organisation, org_admin, title=f"Mehr {n}", publish=n % 2 == 0)
    with django_assert_num_queries(len(few)):
        client.get(LIST)


# --- the office's review -------------------------------------------------------------------------


@pytest.fixture
def waiting(organisation: Organisation, org_admin: Any) -> Opportunity:
    moderate(organisation.municipality)
    return post(organisation, org_admin)


@pytest.mark.usefixtures("english")
def test_the_office_publishes_from_the_queue(waiting: Opportunity, coordinator: Any) -> None:
    client = client_for(coordinator)
    assert waiting.title in client.get(QUEUE, headers=EN).content.decode()
    response = client.post(f"{QUEUE}{waiting.public_id}/", {"decision": "approve"}, headers=EN)
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == S.PUBLISHED
    assert "No opportunity is waiting for review." in client.get(QUEUE, headers=EN).content.decode()


@pytest.mark.usefixtures("english")
def test_returning_without_a_note_keeps_the_entry_and_says_what_is_missing(
    waiting: Opportunity, coordinator: Any
) -> None:
    prefix = waiting.public_id.hex
    client = client_for(coordinator)
    response = client.post(
        f"{QUEUE}{waiting.public_id}/", {"decision": "return", f"{prefix}-note": ""}, headers=EN
    )
    assert response.status_code == 400
    assert "Please say what should be changed." in response.content.decode()
    response = client.post(
        f"{QUEUE}{waiting.public_id}/",
        {"decision": "return", f"{prefix}-note": "Bitte Uhrzeiten angeben."},
        headers=EN,
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.moderation_note) == (S.DRAFT, "Bitte Uhrzeiten angeben.")
    assert OutgoingMail.objects.filter(recipient="otto.org@example.org").exists()
    edit = client_for(coordinator).get(_page(waiting, "bearbeiten/"), headers=EN).content.decode()
    assert "Bitte Uhrzeiten angeben." in edit


def test_another_towns_office_cannot_decide_here(
    waiting: Opportunity, other_coordinator: Any
) -> None:
    client = client_for(other_coordinator)
    response = client.post(
        f"/beispielhausen/engagement/verwaltung/pruefung/{waiting.public_id}/",
        {"decision": "approve"},
    )
    assert response.status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == S.REVIEW
    assert not AuditEvent.objects.filter(action="opportunity.approved").exists()


def test_the_pages_need_a_login_before_anything_else(opportunity: Opportunity) -> None:
    client = Client()
    for url in (LIST, CREATE, _page(opportunity, "bearbeiten/"), QUEUE):
        response = client.get(url)
        assert response.status_code == 302
        assert "/konto/login/" in response["Location"]
