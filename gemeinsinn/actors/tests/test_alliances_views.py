"""The alliance pages: public list and detail, management by steering group and office."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for, make_user
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Alliance, AllianceMember, Organisation, TargetAgreement
from gemeinsinn.actors.views.alliances import NEUTRAL_INVITATION_MESSAGE
from gemeinsinn.core.models import AuditEvent

pytestmark = pytest.mark.django_db

BASE = "/musterstadt/akteure/buendnisse/"


def soon(days: int = 200) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def alliance(municipality: Any, coordinator: Any) -> Alliance:
    return services.alliance_create(
        actor=coordinator,
        municipality=municipality,
        name="Bündnis für Familie",
        mission="Wir machen die Stadt familienfreundlich.",
    )


@pytest.fixture
def private(municipality: Any, coordinator: Any) -> Alliance:
    return services.alliance_create(
        actor=coordinator, municipality=municipality, name="Runder Tisch Intern", is_public=False
    )


@pytest.fixture
def steering(alliance: Alliance, organisation: Organisation, org_admin: Any) -> AllianceMember:
    member = services.alliance_member_add(
        actor="test", alliance=alliance, organisation=organisation, is_steering=True
    )
    assert member is not None
    return member


@pytest.fixture
def agreement(alliance: Alliance, steering: AllianceMember, organisation: Any) -> TargetAgreement:
    agreement = services.target_agreement_create(
        actor="test",
        alliance=alliance,
        goal="Mehr Familienpatenschaften",
        indicator="aktive Patenschaften",
        unit="Patenschaften",
        baseline=12,
        target_value=40,
        deadline=soon(),
        responsible=[organisation],
    )
    services.progress_update_add(
        actor="test",
        agreement=agreement,
        value=20,
        reported_on=timezone.localdate() - timedelta(days=30),
        note="Zwischenstand",
    )
    return agreement


def test_everybody_sees_the_public_alliances_but_not_the_private_ones(
    alliance: Alliance, private: Alliance, volunteer: Any, other_coordinator: Any
) -> None:
    for person in (None, volunteer, other_coordinator):
        response = client_for(person).get(BASE)
        assert response.status_code == 200
        assert "Bündnis für Familie" in response.content.decode()
        assert "Runder Tisch Intern" not in response.content.decode()


def test_the_office_sees_private_alliances_and_the_button_to_found_one(
    alliance: Alliance, private: Alliance, coordinator: Any
) -> None:
    body = client_for(coordinator).get(BASE).content.decode()
    assert "Runder Tisch Intern" in body
    assert f"{BASE}neu/" in body


def test_members_of_a_private_alliance_see_it(
    private: Alliance, organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    services.alliance_member_add(actor="test", alliance=private, organisation=organisation)
    services.alliance_member_add(actor="test", alliance=private, user=volunteer)
    for person in (org_admin, volunteer):
        assert client_for(person).get(f"{BASE}{private.slug}/").status_code == 200
        assert "Runder Tisch Intern" in client_for(person).get(BASE).content.decode()


def test_a_private_alliance_is_not_found_for_outsiders(
    private: Alliance, volunteer: Any, org_admin: Any, other_coordinator: Any
) -> None:
    for person in (None, volunteer, org_admin, other_coordinator):
        client = client_for(person)
        assert client.get(f"{BASE}{private.slug}/").status_code == 404
    assert client_for(volunteer).get(f"{BASE}{private.slug}/mitglieder/").status_code == 404


def test_an_alliance_of_another_municipality_is_not_found_here(
    other_municipality: Any, other_coordinator: Any, coordinator: Any
) -> None:
    theirs = services.alliance_create(
        actor=other_coordinator, municipality=other_municipality, name="Bündnis Beispielhausen"
    )
    assert client_for(coordinator).get(f"{BASE}{theirs.slug}/").status_code == 404
    assert (
        client_for(None).get(f"/beispielhausen/akteure/buendnisse/{theirs.slug}/").status_code
        == 200
    )


def test_the_detail_page_shows_mission_steering_group_members_projects_and_agreements(
    alliance: Alliance, agreement: TargetAgreement, volunteer: Any, coordinator: Any
) -> None:
    services.alliance_member_add(actor="test", alliance=alliance, user=volunteer, is_steering=True)
    services.alliance_project_create(actor="test", alliance=alliance, title="Familienpaten")

    body = client_for(None).get(f"{BASE}{alliance.slug}/").content.decode()

    assert "Wir machen die Stadt familienfreundlich." in body
    assert "Tafel Musterstadt e. V." in body
    assert "Familienpaten" in body
    assert "Mehr Familienpatenschaften" in body
    assert 'role="img"' in body
    assert "<table" in body
    # Individual citizens are counted for the public, named only for those who manage.
    assert "Vera" not in body
    assert "Vera" in client_for(coordinator).get(f"{BASE}{alliance.slug}/").content.decode()


def test_the_detail_page_has_a_pinned_number_of_queries(
    alliance: Alliance,
    agreement: TargetAgreement,
    municipality: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(None)
    with django_assert_max_num_queries(10) as few:
        client.get(f"{BASE}{alliance.slug}/")
    for n in range(8):
        org = services.organisation_create(
            actor="test",
            municipality=municipality,
            name=f"Verein {n}",
            type="club",
            sector="civil_society",
            published=True,
        )
        services.alliance_member_add(actor="test", alliance=alliance, organisation=org)
        extra = services.target_agreement_create(
            actor="test",
            alliance=alliance,
            goal=f"Ziel {n}",
            indicator="Zahl",
            target_value=10,
            deadline=soon(),
            responsible=[org],
        )
        services.progress_update_add(actor="test", agreement=extra, value=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{BASE}{alliance.slug}/")
    assert response.content.decode().count('role="img"') == 9


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_list_has_a_pinned_number_of_queries(
    municipality: Any, coordinator: Any, volunteer: Any
) -> None:
    services.alliance_create(actor=coordinator, municipality=municipality, name="Erstes")
    for person in (None, volunteer, coordinator):
        client = client_for(person)
        few = queries(client, BASE)
        assert few <= 8
        for n in range(10):
            services.alliance_create(
                actor="test", municipality=municipality, name=f"Bündnis {n} {few}"
            )
        assert queries(client, BASE) == few


def test_the_members_page_costs_the_same_queries_for_few_and_many_members(
    alliance: Alliance, steering: AllianceMember, org_admin: Any, municipality: Any
) -> None:
    client = client_for(org_admin)
    url = f"{BASE}{alliance.slug}/mitglieder/"
    few = queries(client, url)
    for n in range(8):
        org = services.organisation_create(
            actor="test",
            municipality=municipality,
            name=f"Verein {n}",
            type="club",
            sector="civil_society",
            published=True,
        )
        services.alliance_member_add(actor="test", alliance=alliance, organisation=org)
        services.alliance_member_add(
            actor="test", alliance=alliance, user=make_user(f"p{n}@example.org"), notify=False
        )
    assert queries(client, url) == few


def test_founding_an_alliance_is_for_the_office(
    municipality: Any, coordinator: Any, volunteer: Any, other_coordinator: Any
) -> None:
    assert client_for(None).get(f"{BASE}neu/").status_code == 302
    assert client_for(volunteer).get(f"{BASE}neu/").status_code == 403
    assert client_for(other_coordinator).get(f"{BASE}neu/").status_code == 403

    response = client_for(coordinator).post(
        f"{BASE}neu/",
        {"name": "Klimabündnis", "mission": "Gemeinsam fürs Klima.", "is_public": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{BASE}klimabuendnis/mitglieder/"
    assert Alliance.objects.get(slug="klimabuendnis").mission == "Gemeinsam fürs Klima."


def test_a_founding_without_name_keeps_what_was_typed(coordinator: Any) -> None:
    response = client_for(coordinator).post(
        f"{BASE}neu/", {"name": "", "mission": "Gemeinsam fürs Klima."}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in body
    assert "Gemeinsam fürs Klima." in body
    assert not Alliance.objects.exists()


def test_management_pages_send_anonymous_people_to_the_login(alliance: Alliance) -> None:
    for path in ("bearbeiten/", "mitglieder/", "projekte/neu/", "ziele/neu/"):
        response = client_for(None).get(f"{BASE}{alliance.slug}/{path}")
        assert response.status_code == 302
        assert "/konto/login/" in response["Location"]


def test_management_pages_are_forbidden_for_members_outside_the_steering_group(
    alliance: Alliance, organisation: Organisation, org_admin: Any, other_coordinator: Any
) -> None:
    services.alliance_member_add(actor="test", alliance=alliance, organisation=organisation)
    for person in (org_admin, other_coordinator):
        for path in ("bearbeiten/", "mitglieder/", "projekte/neu/", "ziele/neu/"):
            assert client_for(person).get(f"{BASE}{alliance.slug}/{path}").status_code == 403


def test_the_steering_group_adds_members_and_changes_the_steering_group(
    alliance: Alliance, steering: AllianceMember, org_admin: Any, municipality: Any
) -> None:
    partner = services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Sportverein",
        type="club",
        sector="civil_society",
        published=True,
    )
    client = client_for(org_admin)
    page = client.get(f"{BASE}{alliance.slug}/mitglieder/").content.decode()
    assert "Sportverein" in page

    response = client.post(
        f"{BASE}{alliance.slug}/mitglieder/", {"organisation": partner.pk, "is_steering": "on"}
    )
    assert response.status_code == 302
    member = alliance.members.get(organisation=partner)
    assert member.is_steering

    client.post(f"{BASE}{alliance.slug}/mitglieder/{member.pk}/", {"action": "steering_off"})
    member.refresh_from_db()
    assert not member.is_steering


def test_adding_neither_organisation_nor_person_says_what_is_missing(
    alliance: Alliance, coordinator: Any
) -> None:
    response = client_for(coordinator).post(f"{BASE}{alliance.slug}/mitglieder/", {})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_an_unknown_e_mail_address_gets_the_neutral_answer(
    alliance: Alliance, coordinator: Any
) -> None:
    response = client_for(coordinator).post(
        f"{BASE}{alliance.slug}/mitglieder/", {"email": "niemand@example.org"}, follow=True
    )
    assert response.status_code == 200
    assert str(NEUTRAL_INVITATION_MESSAGE) in response.content.decode()
    assert not alliance.members.exists()


def test_removing_a_member_asks_for_confirmation_first(
    alliance: Alliance, steering: AllianceMember, coordinator: Any
) -> None:
    client = client_for(coordinator)
    url = f"{BASE}{alliance.slug}/mitglieder/{steering.pk}/"

    response = client.post(url, {"action": "remove"})
    assert response.status_code == 200
    assert 'name="confirmed"' in response.content.decode()
    assert alliance.members.exists()

    response = client.post(url, {"action": "remove", "confirmed": "1"})
    assert response.status_code == 302
    assert not alliance.members.exists()


def test_a_member_of_another_alliance_is_not_found_here(
    alliance: Alliance, private: Alliance, coordinator: Any, organisation: Organisation
) -> None:
    member = services.alliance_member_add(actor="test", alliance=private, organisation=organisation)
    assert member is not None
    response = client_for(coordinator).post(
        f"{BASE}{alliance.slug}/mitglieder/{member.pk}/", {"action": "remove", "confirmed": "1"}
    )
    assert response.status_code == 404
    assert private.members.exists()


def test_the_steering_group_agrees_on_a_target_with_german_numbers(
    alliance: Alliance, steering: AllianceMember, org_admin: Any, organisation: Organisation
) -> None:
    response = client_for(org_admin).post(
        f"{BASE}{alliance.slug}/ziele/neu/",
        {
            "goal": "Mehr Paten",
            "indicator": "aktive Patenschaften",
            "unit": "Patenschaften",
            "baseline": "12,5",
            "target_value": "40",
            "deadline": soon().isoformat(),
            "responsible": [organisation.pk],
        },
    )
    assert response.status_code == 302
    agreement = alliance.target_agreements.get()
    assert str(agreement.baseline) == "12.50"
    assert response["Location"] == f"{BASE}{alliance.slug}/ziele/{agreement.pk}/"


def test_a_target_agreement_with_errors_keeps_every_value_and_names_the_problems(
    alliance: Alliance, coordinator: Any
) -> None:
    response = client_for(coordinator).post(
        f"{BASE}{alliance.slug}/ziele/neu/",
        {
            "goal": "Mehr Paten",
            "indicator": "aktive Patenschaften",
            "unit": "Patenschaften",
            "baseline": "40",
            "target_value": "40",
            "deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_target_value"' in body
    assert 'href="#id_deadline"' in body
    assert 'value="Mehr Paten"' in body
    assert 'value="aktive Patenschaften"' in body
    assert not alliance.target_agreements.exists()


def test_a_value_that_is_not_a_number_is_refused_at_the_field(
    alliance: Alliance, coordinator: Any
) -> None:
    response = client_for(coordinator).post(
        f"{BASE}{alliance.slug}/ziele/neu/",
        {
            "goal": "Mehr Paten",
            "indicator": "x",
            "baseline": "0",
            "target_value": "viele",
            "deadline": soon().isoformat(),
        },
    )
    body = response.content.decode()
    assert 'href="#id_target_value"' in body
    assert 'value="viele"' in body


def test_the_agreement_page_shows_chart_table_and_for_the_steering_group_the_update_form(
    alliance: Alliance, agreement: TargetAgreement, org_admin: Any, volunteer: Any
) -> None:
    url = f"{BASE}{alliance.slug}/ziele/{agreement.pk}/"
    public = client_for(volunteer).get(url).content.decode()
    assert 'role="img"' in public
    assert "Zwischenstand" in public
    assert 'name="value"' not in public
    assert 'name="value"' in client_for(org_admin).get(url).content.decode()
    assert client_for(volunteer).post(url, {"value": "30"}).status_code == 403


def test_the_steering_group_reports_progress_and_a_bad_value_is_kept(
    alliance: Alliance, agreement: TargetAgreement, org_admin: Any
) -> None:
    url = f"{BASE}{alliance.slug}/ziele/{agreement.pk}/"
    client = client_for(org_admin)
    today = timezone.localdate().isoformat()

    response = client.post(url, {"reported_on": today, "value": "etwa 30", "note": "Sommer"})
    assert response.status_code == 200
    assert 'value="Sommer"' in response.content.decode()

    response = client.post(url, {"reported_on": today, "value": "30", "note": "Sommer"})
    assert response.status_code == 302
    assert agreement.updates.count() == 2


def test_a_progress_update_in_the_future_is_refused(
    alliance: Alliance, agreement: TargetAgreement, coordinator: Any
) -> None:
    url = f"{BASE}{alliance.slug}/ziele/{agreement.pk}/"
    response = client_for(coordinator).post(
        url, {"reported_on": soon(3).isoformat(), "value": "30"}
    )
    assert 'href="#id_reported_on"' in response.content.decode()
    assert agreement.updates.count() == 1


def test_removing_a_progress_update_asks_first_and_is_audited(
    alliance: Alliance, agreement: TargetAgreement, coordinator: Any
) -> None:
    update = agreement.updates.get()
    url = f"{BASE}{alliance.slug}/ziele/{agreement.pk}/fortschritt/{update.pk}/"
    client = client_for(coordinator)
    assert 'name="confirmed"' in client.post(url).content.decode()
    assert agreement.updates.exists()
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not agreement.updates.exists()
    assert AuditEvent.objects.filter(action="progress_update.deleted").exists()


def test_editing_and_removing_an_agreement(
    alliance: Alliance, agreement: TargetAgreement, coordinator: Any
) -> None:
    url = f"{BASE}{alliance.slug}/ziele/{agreement.pk}/bearbeiten/"
    client = client_for(coordinator)
    page = client.get(url).content.decode()
    assert 'value="Mehr Familienpatenschaften"' in page

    data = {
        "goal": "Noch mehr Patenschaften",
        "indicator": "aktive Patenschaften",
        "unit": "Patenschaften",
        "baseline": "12",
        "target_value": "50",
        "deadline": agreement.deadline.isoformat(),
    }
    assert client.post(url, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.goal == "Noch mehr Patenschaften"
    assert agreement.target_value == 50

    assert 'name="confirmed"' in client.post(url, {"action": "delete"}).content.decode()
    assert client.post(url, {"action": "delete", "confirmed": "1"}).status_code == 302
    assert not alliance.target_agreements.exists()


def test_an_agreement_of_a_private_alliance_is_not_found_for_outsiders(
    private: Alliance, coordinator: Any, volunteer: Any
) -> None:
    agreement = services.target_agreement_create(
        actor=coordinator,
        alliance=private,
        goal="Intern",
        indicator="x",
        target_value=5,
        deadline=soon(),
    )
    url = f"{BASE}{private.slug}/ziele/{agreement.pk}/"
    assert client_for(volunteer).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 200


def test_projects_are_added_edited_and_removed_with_confirmation(
    alliance: Alliance, coordinator: Any
) -> None:
    client = client_for(coordinator)
    response = client.post(
        f"{BASE}{alliance.slug}/projekte/neu/",
        {"title": "Familienpaten", "description": "", "starts_on": "2026-05-01"},
    )
    assert response.status_code == 302
    project = alliance.projects.get()
    url = f"{BASE}{alliance.slug}/projekte/{project.pk}/"

    response = client.post(
        url, {"title": "Familienpaten", "starts_on": "2026-05-01", "ends_on": "2026-04-01"}
    )
    assert 'href="#id_ends_on"' in response.content.decode()

    assert client.post(url, {"title": "Paten für Familien"}).status_code == 302
    project.refresh_from_db()
    assert project.title == "Paten für Familien"
    assert 'name="confirmed"' in client.post(url, {"action": "delete"}).content.decode()
    client.post(url, {"action": "delete", "confirmed": "1"})
    assert not alliance.projects.exists()


def test_editing_the_alliance_changes_visibility(alliance: Alliance, coordinator: Any) -> None:
    response = client_for(coordinator).post(
        f"{BASE}{alliance.slug}/bearbeiten/",
        {"name": alliance.name, "mission": alliance.mission, "status": "active"},
    )
    assert response.status_code == 302
    alliance.refresh_from_db()
    assert not alliance.is_public
    assert client_for(None).get(f"{BASE}{alliance.slug}/").status_code == 404


def test_a_switched_off_module_hides_the_alliances(alliance: Alliance, municipality: Any) -> None:
    municipality.enabled_modules = []
    municipality.save(update_fields=["enabled_modules"])
    assert client_for(None).get(BASE).status_code == 404


def test_a_steering_person_sees_the_manage_buttons(alliance: Alliance) -> None:
    person = make_user("steuer@example.org")
    services.alliance_member_add(actor="test", alliance=alliance, user=person, is_steering=True)
    body = client_for(person).get(f"{BASE}{alliance.slug}/").content.decode()
    assert f"{BASE}{alliance.slug}/mitglieder/" in body
