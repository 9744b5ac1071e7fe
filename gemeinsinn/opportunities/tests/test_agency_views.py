"""Agency mode's pages: who may open them, recording a conversation and referring a person."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from conftest import client_for, make_user
from gemeinsinn.accounts.models import User
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import AdviceConversation, Application, Opportunity, Referral
from gemeinsinn.opportunities.services import agency as services
from gemeinsinn.opportunities.services.applications import application_accept
from gemeinsinn.opportunities.tests.test_agency_services import make_agency, make_opportunity

pytestmark = pytest.mark.django_db

PAGES = ("", "gespraeche/", "gespraeche/neu/", "vermitteln/", "vermittlungen/", "einsaetze/")
BASE = "/musterstadt/engagement/agentur/freiwilligenagentur-musterstadt/"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def agency(municipality: Municipality) -> Organisation:
    return make_agency(municipality)


@pytest.fixture
def advisor(agency: Organisation) -> User:
    user = make_user("anna.advisor@example.org", first_name="Anna", last_name="Albers")
    actor_services.membership_add(actor=None, organisation=agency, user=user, role="member")
    return user


@pytest.fixture
def opportunity(organisation: Organisation) -> Opportunity:
    return make_opportunity(organisation)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("advisor", 200),
        ("platform_admin", 200),
        ("org_admin", 403),
        ("coordinator", 403),
        ("volunteer", 403),
        ("other_coordinator", 403),
    ],
)
def test_only_the_agencys_people_open_its_pages(
    request: pytest.FixtureRequest, agency: Organisation, page: str, who: str, status: int
) -> None:
    response = client_for(request.getfixturevalue(who)).get(BASE + page)

    assert response.status_code == status


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_asked_to_log_in(agency: Organisation, page: str) -> None:
    response = client_for(None).get(BASE + page)

    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_an_agency_is_not_found_in_another_town_nor_is_a_plain_organisation(
    agency: Organisation,
    advisor: User,
    organisation: Organisation,
    other_municipality: Municipality,
) -> None:
    client = client_for(advisor)

    assert client.get(f"/beispielhausen/engagement/agentur/{agency.slug}/").status_code == 404
    assert client.get(f"/musterstadt/engagement/agentur/{organisation.slug}/").status_code == 404
    assert client.get("/musterstadt/engagement/agentur/gibt-es-nicht/").status_code == 404


def test_another_towns_agency_stays_closed_to_this_towns_advisor(
    advisor: User, other_municipality: Municipality
) -> None:
    other = make_agency(other_municipality, "Agentur Beispielhausen")

    response = client_for(advisor).get(f"/beispielhausen/engagement/agentur/{other.slug}/")

    assert response.status_code == 403


def test_the_overview_shows_counts_and_says_what_to_do_when_empty(
    agency: Organisation, advisor: User
) -> None:
    response = client_for(advisor).get(BASE)

    text = response.content.decode()
    assert "0 in total, 0 in the last 90 days" in text
    assert "No conversations recorded yet." in text
    assert "No placements yet." in text


def test_the_overview_lists_conversations_referrals_and_placements_in_few_queries(
    agency: Organisation,
    advisor: User,
    organisation: Organisation,
    org_admin: User,
    django_assert_num_queries: Any,
) -> None:
    for n in range(4):
        person = make_user(f"person{n}@example.org", first_name="Pia", last_name=f"Person{n}")
        conversation = services.advice_record(
            agency=agency, actor=advisor, held_on=timezone.localdate(), volunteer=person
        )
        referral = services.referral_create(
            agency=agency,
            actor=advisor,
            opportunity=make_opportunity(organisation, f"Aufgabe {n}"),
            volunteer=person,
            consent=True,
            conversation=conversation,
        )
        if n % 2:
            application_accept(application=referral.application, actor=org_admin)
    client = client_for(advisor)
    client.get(BASE)

    # Session, user, roles, municipality, agency, membership; 3 counts; 3 lists and the
    # conversations' interests.
    with django_assert_num_queries(13):
        response = client.get(BASE)

    text = response.content.decode()
    assert "4 in total, 4 in the last 90 days" in text
    assert "4 in total, 2 still waiting for an answer" in text
    assert "2 in total, 2 active" in text
    assert "person1@example.org" in text
    assert "Aufgabe 3" in text


@pytest.mark.parametrize("page", ["gespraeche/", "vermittlungen/", "einsaetze/"])
def test_the_lists_take_the_same_queries_for_few_or_many_rows(
    agency: Organisation,
    advisor: User,
    organisation: Organisation,
    org_admin: User,
    page: str,
    django_assert_num_queries: Any,
) -> None:
    def add(n: int) -> None:
        person = make_user(f"p{n}@example.org")
        referral = services.referral_create(
            agency=agency,
            actor=advisor,
            opportunity=make_opportunity(organisation, f"Aufgabe {n}"),
            volunteer=person,
            consent=True,
            conversation=services.advice_record(
                agency=agency, actor=advisor, held_on=timezone.localdate(), volunteer=person
            ),
        )
        application_accept(application=referral.application, actor=org_admin)

    add(0)
    client = client_for(advisor)
    client.get(BASE + page)
    with CaptureQueriesContext(connection) as one:
        client.get(BASE + page)
    for n in range(1, 6):
        add(n)

    with django_assert_num_queries(len(one)):
        response = client.get(BASE + page)

    assert response.status_code == 200
    assert "Aufgabe 5" in response.content.decode() or page == "gespraeche/"


def test_recording_a_conversation_with_an_unknown_address_keeps_the_input_and_saves_nothing(
    agency: Organisation, advisor: User
) -> None:
    response = client_for(advisor).post(
        BASE + "gespraeche/neu/",
        {
            "held_on": timezone.localdate().isoformat(),
            "email": "niemand@example.org",
            "notes": "Sucht etwas mit Tieren.",
        },
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "No account uses this address." in text
    assert "Sucht etwas mit Tieren." in text
    assert not AdviceConversation.objects.exists()


def test_recording_a_conversation_and_going_on_to_refer_the_person(
    agency: Organisation, advisor: User, volunteer: User
) -> None:
    response = client_for(advisor).post(
        BASE + "gespraeche/neu/",
        {
            "held_on": timezone.localdate().isoformat(),
            "email": volunteer.email.upper(),
            "notes": "Hat dienstags Zeit.",
            "refer": "1",
        },
    )

    conversation = AdviceConversation.objects.get()
    assert conversation.volunteer == volunteer
    assert conversation.advisor == advisor
    assert response.status_code == 302
    assert response["Location"].endswith(f"vermitteln/?gespraech={conversation.public_id}")
    page = client_for(advisor).get(response["Location"]).content.decode()
    assert "From the conversation of" in page
    assert f'name="gespraech" value="{conversation.public_id}"' in page


def test_a_conversation_in_the_future_is_a_form_error(agency: Organisation, advisor: User) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client_for(advisor).post(
        BASE + "gespraeche/neu/",
        {"held_on": tomorrow.isoformat(), "person_reference": "K. M."},
    )

    assert response.status_code == 200
    assert "cannot lie in the future" in response.content.decode()
    assert not AdviceConversation.objects.exists()


def test_a_conversations_account_is_filled_in_once_an_opportunity_is_chosen(
    agency: Organisation, advisor: User, volunteer: User, opportunity: Opportunity
) -> None:
    conversation = services.advice_record(
        agency=agency, actor=advisor, held_on=timezone.localdate(), volunteer=volunteer
    )
    url = f"{BASE}vermitteln/?angebot={opportunity.public_id}&gespraech={conversation.public_id}"

    page = client_for(advisor).get(url).content.decode()
    client_for(advisor).post(url, {"email": volunteer.email, "consent": "on", "action": "refer"})

    assert f'value="{volunteer.email}"' in page
    assert Referral.objects.get().conversation == conversation


def test_the_refer_page_searches_only_other_organisations_opportunities(
    agency: Organisation, advisor: User, organisation: Organisation, opportunity: Opportunity
) -> None:
    make_opportunity(agency, "Eigene Tafel-Beratung")

    text = client_for(advisor).get(BASE + "vermitteln/?q=Tafel").content.decode()

    assert opportunity.title in text
    assert "Eigene Tafel-Beratung" not in text
    assert f"angebot={opportunity.public_id}" in text


def test_referring_without_consent_is_refused_and_nothing_is_passed_on(
    agency: Organisation, advisor: User, volunteer: User, opportunity: Opportunity
) -> None:
    response = client_for(advisor).post(
        f"{BASE}vermitteln/?angebot={opportunity.public_id}",
        {"email": volunteer.email, "note": "Bitte melden.", "action": "refer"},
    )

    assert response.status_code == 200
    assert "Without their consent nobody can be referred." in response.content.decode()
    assert not Referral.objects.exists()
    assert not Application.objects.exists()


def test_referring_with_consent_passes_the_application_on(
    agency: Organisation, advisor: User, volunteer: User, opportunity: Opportunity
) -> None:
    response = client_for(advisor).post(
        f"{BASE}vermitteln/?angebot={opportunity.public_id}",
        {"email": volunteer.email, "consent": "on", "note": "Bitte melden.", "action": "refer"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("/vermittlungen/")
    referral = Referral.objects.get()
    assert referral.volunteer == volunteer
    assert referral.application.contact_email == ""
    listing = client_for(advisor).get(response["Location"]).content.decode()
    assert opportunity.title in listing
    assert "Sent" in listing


def test_checking_an_address_says_only_whether_an_account_exists(
    agency: Organisation, advisor: User, volunteer: User, opportunity: Opportunity
) -> None:
    url = f"{BASE}vermitteln/?angebot={opportunity.public_id}"
    client = client_for(advisor)

    found = client.post(url, {"email": volunteer.email, "action": "check"}).content.decode()
    missing = client.post(url, {"email": "x@example.org", "action": "check"}).content.decode()

    assert "An account with this address exists." in found
    assert volunteer.last_name not in found
    assert "No account uses this address." in missing
    assert not Referral.objects.exists()


def test_an_opportunity_no_longer_open_sends_the_advisor_back_to_the_search(
    agency: Organisation, advisor: User, opportunity: Opportunity, volunteer: User
) -> None:
    opportunity.status = Opportunity.Status.PAUSED
    opportunity.save(update_fields=["status"])
    url = f"{BASE}vermitteln/?angebot={opportunity.public_id}"

    page = client_for(advisor).get(url).content.decode()
    posted = client_for(advisor).post(url, {"email": volunteer.email, "consent": "on"})

    assert "not open for referrals any more" in page
    assert "Step 1 of 2" in page
    assert posted.status_code == 404
    assert not Referral.objects.exists()


def test_another_agencys_conversations_and_referrals_stay_out_of_sight(
    agency: Organisation, advisor: User, volunteer: User, opportunity: Opportunity
) -> None:
    rival = make_agency(agency.municipality, "Mehrgenerationenhaus Musterstadt")
    rival_advisor = make_user("rita.rival@example.org")
    actor_services.membership_add(actor=None, organisation=rival, user=rival_advisor, role="member")
    theirs = services.advice_record(
        agency=rival,
        actor=rival_advisor,
        held_on=timezone.localdate(),
        volunteer=volunteer,
        notes="Vertraulich",
    )
    services.referral_create(
        agency=rival,
        actor=rival_advisor,
        opportunity=opportunity,
        volunteer=volunteer,
        consent=True,
    )
    client = client_for(advisor)

    listed = client.get(BASE + "gespraeche/").content.decode()
    referrals = client.get(BASE + "vermittlungen/").content.decode()
    borrowed = client.get(f"{BASE}vermitteln/?gespraech={theirs.public_id}").content.decode()

    assert "No conversations recorded yet." in listed
    assert "You have not referred anybody yet." in referrals
    assert "From the conversation of" not in borrowed


def test_an_unpublished_agency_cannot_broker(agency: Organisation, advisor: User) -> None:
    agency.status = Organisation.Status.PENDING
    agency.save(update_fields=["status"])
    assert not advisor.has_perm("opportunities.broker", agency)
    assert client_for(advisor).get(BASE).status_code == 403
