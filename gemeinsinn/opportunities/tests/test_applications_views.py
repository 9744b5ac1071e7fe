"""The application pages: apply, the volunteer's overview, one application, the inbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from conftest import client_for, make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.opportunities.models import Application, Engagement
from gemeinsinn.opportunities.services import applications as services
from gemeinsinn.opportunities.tests.test_applications_support import (  # noqa: F401 - fixtures
    application_fixture,
    make_opportunity,
    opportunity_fixture,
    other_org_admin_fixture,
    other_organisation_fixture,
    other_volunteer_fixture,
    url,
)


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _people(request: pytest.FixtureRequest, who: str) -> Any:
    return None if who == "anonymous" else request.getfixturevalue(who)


# --- apply ---------------------------------------------------------------------------------


def test_applying_needs_a_login_and_comes_back(opportunity: Any, municipality: Any) -> None:
    target = url("apply", municipality, public_id=opportunity.public_id)
    response = client_for(None).get(target)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/") or "login" in response["Location"]
    assert "next=" in response["Location"]
    assert "interesse" in response["Location"]


def test_the_consent_box_is_explained_and_not_ticked(
    opportunity: Any, municipality: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).get(
        url("apply", municipality, public_id=opportunity.public_id)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Share my name, e-mail address and phone number with Tafel Musterstadt e. V." in body
    box = body[body.index('name="share_contact"') - 120 : body.index('name="share_contact"') + 80]
    assert "checked" not in box
    assert "What the organisation sees" in body


def test_applying_sends_the_application_without_contact_data(
    opportunity: Any, municipality: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).post(
        url("apply", municipality, public_id=opportunity.public_id),
        {"message": "Ich helfe gern.", "phone": "0151 1"},
    )
    found = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("application", municipality, public_id=found.public_id)
    assert found.message == "Ich helfe gern."
    assert found.contact_shared_at is None
    assert found.contact_phone == ""


def test_applying_with_the_box_ticked_shares_the_contact_data(
    opportunity: Any, municipality: Any, volunteer: Any
) -> None:
    client_for(volunteer).post(
        url("apply", municipality, public_id=opportunity.public_id),
        {"message": "", "share_contact": "on", "phone": "0151 1"},
    )
    found = Application.objects.get()
    assert found.contact_email == volunteer.email
    assert found.contact_phone == "0151 1"


def test_a_bad_phone_number_is_a_form_error_and_keeps_the_message(
    opportunity: Any, municipality: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).post(
        url("apply", municipality, public_id=opportunity.public_id),
        {"message": "Mein Text", "share_contact": "on", "phone": "keine"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please enter a phone number with digits." in body
    assert "Mein Text" in body
    assert not Application.objects.exists()


def test_applying_again_shows_the_existing_application(
    application: Any, municipality: Any, volunteer: Any, opportunity: Any
) -> None:
    client = client_for(volunteer)
    response = client.get(url("apply", municipality, public_id=opportunity.public_id))
    assert response.status_code == 302
    assert response["Location"] == url("application", municipality, public_id=application.public_id)
    client.post(url("apply", municipality, public_id=opportunity.public_id), {"message": "2"})
    assert Application.objects.count() == 1


def test_an_expired_opportunity_cannot_be_applied_for(
    organisation: Any, municipality: Any, volunteer: Any
) -> None:
    expired = make_opportunity(organisation, expires_on=date(2020, 1, 1))
    response = client_for(volunteer).get(url("apply", municipality, public_id=expired.public_id))
    assert response.status_code == 404


def test_an_opportunity_of_another_municipality_is_not_found_here(
    opportunity: Any, other_municipality: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).get(
        url("apply", other_municipality, public_id=opportunity.public_id)
    )
    assert response.status_code == 404


# --- one application: permission matrix and consent gate ---------------------------------

APPLICATION_MATRIX = [
    ("volunteer", 200),
    ("other_volunteer", 404),
    ("org_admin", 200),
    ("other_org_admin", 404),
    ("coordinator", 404),
    ("other_coordinator", 404),
]


@pytest.mark.parametrize(("who", "status"), APPLICATION_MATRIX)
def test_who_may_open_an_application(
    who: str, status: int, application: Any, municipality: Any, request: pytest.FixtureRequest
) -> None:
    response = client_for(_people(request, who)).get(
        url("application", municipality, public_id=application.public_id)
    )
    assert response.status_code == status


def test_anonymous_people_are_sent_to_the_login_for_an_application(
    application: Any, municipality: Any
) -> None:
    response = client_for(None).get(
        url("application", municipality, public_id=application.public_id)
    )
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_an_application_is_not_found_under_another_municipality(
    application: Any, other_municipality: Any, volunteer: Any, org_admin: Any
) -> None:
    for person in (volunteer, org_admin):
        response = client_for(person).get(
            url("application", other_municipality, public_id=application.public_id)
        )
        assert response.status_code == 404


def test_the_organisation_sees_no_contact_data_before_consent(
    application: Any, municipality: Any, org_admin: Any, volunteer: Any
) -> None:
    client = client_for(org_admin)
    body = client.get(url("application", municipality, public_id=application.public_id)).content
    text = body.decode()
    assert volunteer.email not in text
    assert "Vogel" not in text
    assert "Vera has not shared their contact data yet." in text
    assert "Ask the person to share their contact data" in text
    inbox = client.get(url("inbox", municipality, org_slug="tafel-musterstadt-e-v")).content
    assert volunteer.email.encode() not in inbox
    assert b"not shared yet" in inbox


def test_the_organisation_sees_the_contact_data_once_shared(
    application: Any, municipality: Any, org_admin: Any, volunteer: Any, organisation: Any
) -> None:
    client_for(volunteer).post(
        url("application_action", municipality, public_id=application.public_id, action="share"),
        {"phone": "0151 77"},
    )
    client = client_for(org_admin)
    text = client.get(
        url("application", municipality, public_id=application.public_id)
    ).content.decode()
    assert volunteer.email in text
    assert "0151 77" in text
    assert "Vera Vogel" in text
    inbox = client.get(url("inbox", municipality, org_slug=organisation.slug)).content.decode()
    assert "Vera Vogel" in inbox


def test_the_organisation_can_ask_the_volunteer_to_share(
    application: Any, municipality: Any, org_admin: Any, volunteer: Any
) -> None:
    response = client_for(org_admin).post(
        url("application_action", municipality, public_id=application.public_id, action="request")
    )
    assert response.status_code == 302
    assert volunteer.notifications.filter(topic="application.contact_requested").count() == 1


# --- actions -------------------------------------------------------------------------------


def _act(client: Any, municipality: Any, application: Any, action: str, **data: Any) -> Any:
    return client.post(
        url("application_action", municipality, public_id=application.public_id, action=action),
        data,
    )


def test_the_organisation_asks_and_the_volunteer_answers(
    application: Any, municipality: Any, org_admin: Any, volunteer: Any
) -> None:
    _act(client_for(org_admin), municipality, application, "ask", question="Wann können Sie?")
    application.refresh_from_db()
    assert application.status == Application.Status.QUESTION
    page = client_for(volunteer).get(
        url("application", municipality, public_id=application.public_id)
    )
    assert "Wann können Sie?" in page.content.decode()
    assert "Answer the question" in page.content.decode()
    _act(client_for(volunteer), municipality, application, "answer", answer="Dienstags")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_an_empty_question_is_a_form_error(
    application: Any, municipality: Any, org_admin: Any
) -> None:
    response = _act(client_for(org_admin), municipality, application, "ask", question="")
    assert response.status_code == 400
    assert "Please write your question." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_holding_and_accepting_with_a_start_date(
    application: Any, municipality: Any, org_admin: Any, volunteer: Any
) -> None:
    client = client_for(org_admin)
    _act(client, municipality, application, "hold")
    application.refresh_from_db()
    assert application.status == Application.Status.ON_HOLD
    _act(client, municipality, application, "accept", starts_on="2030-04-01")
    engagement = Engagement.objects.get()
    assert engagement.starts_on == date(2030, 4, 1)
    mine = client_for(volunteer).get(url("my_engagements", municipality)).content.decode()
    assert "Lebensmittel ausgeben" in mine
    theirs = client.get(
        url("org_engagements", municipality, org_slug=application.opportunity.organisation.slug)
    ).content.decode()
    assert "Lebensmittel ausgeben" in theirs
    assert volunteer.email not in theirs


def test_the_volunteer_cannot_post_the_organisations_actions(
    application: Any, municipality: Any, volunteer: Any
) -> None:
    response = _act(client_for(volunteer), municipality, application, "accept")
    assert response.status_code == 403
    assert not Engagement.objects.exists()


def test_declining_asks_for_confirmation_and_a_reason(
    application: Any, municipality: Any, org_admin: Any, volunteer: Any
) -> None:
    client = client_for(org_admin)
    target = url(
        "application_action", municipality, public_id=application.public_id, action="decline"
    )
    page = client.get(target)
    assert page.status_code == 200
    assert "Yes, decline" in page.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    empty = client.post(target, {"reason": ""})
    assert empty.status_code == 400
    assert "Please give a short reason" in empty.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    client.post(target, {"reason": "Alle Plätze sind vergeben."})
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    seen = client_for(volunteer).get(
        url("application", municipality, public_id=application.public_id)
    )
    assert "Alle Plätze sind vergeben." in seen.content.decode()


def test_withdrawing_asks_for_confirmation(
    application: Any, municipality: Any, volunteer: Any
) -> None:
    client = client_for(volunteer)
    target = url(
        "application_action", municipality, public_id=application.public_id, action="withdraw"
    )
    assert "Yes, withdraw" in client.get(target).content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    response = client.post(target)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_the_organisation_cannot_withdraw_for_the_volunteer(
    application: Any, municipality: Any, org_admin: Any
) -> None:
    response = client_for(org_admin).post(
        url("application_action", municipality, public_id=application.public_id, action="withdraw")
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_an_unknown_action_is_not_found(
    application: Any, municipality: Any, org_admin: Any
) -> None:
    response = _act(client_for(org_admin), municipality, application, "delete")
    assert response.status_code == 404


def test_a_stale_button_says_what_happened(
    application: Any, municipality: Any, org_admin: Any, volunteer: Any
) -> None:
    services.application_withdraw(application=application, actor=volunteer)
    client = client_for(org_admin)
    response = _act(client, municipality, application, "hold")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "This is not possible any more" in page


# --- the volunteer's overview --------------------------------------------------------------


def test_my_applications_show_the_status_in_words(
    application: Any, municipality: Any, volunteer: Any, org_admin: Any
) -> None:
    services.application_ask(application=application, actor=org_admin, question="Wann?")
    body = client_for(volunteer).get(url("my_applications", municipality)).content.decode()
    assert "Lebensmittel ausgeben" in body
    assert "question from the organisation" in body
    assert "The organisation has asked you a question. Please answer it." in body
    assert "Withdraw the application" in body


def test_my_applications_are_mine_only(
    application: Any, municipality: Any, other_volunteer: Any
) -> None:
    body = client_for(other_volunteer).get(url("my_applications", municipality)).content.decode()
    assert "Lebensmittel ausgeben" not in body
    assert "You have not applied for anything yet." in body


# --- the inbox -----------------------------------------------------------------------------

INBOX_MATRIX = [
    ("volunteer", 404),
    ("org_admin", 200),
    ("other_org_admin", 404),
    ("coordinator", 404),
    ("other_coordinator", 404),
]


@pytest.mark.parametrize(("who", "status"), INBOX_MATRIX)
def test_who_may_open_the_inbox(
    who: str,
    status: int,
    application: Any,
    municipality: Any,
    organisation: Any,
    request: pytest.FixtureRequest,
) -> None:
    for name in ("inbox", "org_engagements"):
        response = client_for(_people(request, who)).get(
            url(name, municipality, org_slug=organisation.slug)
        )
        assert response.status_code == status


def test_the_inbox_of_another_municipality_is_not_found(
    organisation: Any, other_municipality: Any, org_admin: Any
) -> None:
    response = client_for(org_admin).get(
        url("inbox", other_municipality, org_slug=organisation.slug)
    )
    assert response.status_code == 404


def test_a_plain_member_also_handles_the_inbox(
    application: Any, municipality: Any, organisation: Any
) -> None:
    member = make_user("mia.mitglied@example.org", first_name="Mia")
    actor_services.membership_add(actor=None, organisation=organisation, user=member)
    assert (
        client_for(member).get(url("inbox", municipality, org_slug=organisation.slug)).status_code
        == 200
    )


def test_the_inbox_filters_by_status_and_opportunity_and_counts(
    municipality: Any, organisation: Any, org_admin: Any, volunteer: Any, other_volunteer: Any
) -> None:
    first = make_opportunity(organisation, title="Ausgabe")
    second = make_opportunity(organisation, title="Fahrdienst")
    a = services.application_submit(
        opportunity=first, volunteer=volunteer, message="", share_contact=False
    )
    services.application_submit(
        opportunity=second, volunteer=other_volunteer, message="", share_contact=False
    )
    services.application_hold(application=a, actor=org_admin)
    client = client_for(org_admin)
    target = url("inbox", municipality, org_slug=organisation.slug)
    body = client.get(target).content.decode()
    assert "sent: 1" in body
    assert "on hold: 1" in body
    held = client.get(target, {"status": "on_hold"}).content.decode()
    assert "Vera" in held
    assert "Olga" not in held
    only_second = client.get(target, {"opportunity": str(second.pk)}).content.decode()
    assert "Olga" in only_second
    assert "Vera" not in only_second
    assert "on hold: 0" in only_second


def test_the_empty_inbox_says_what_happens_next(
    municipality: Any, organisation: Any, org_admin: Any
) -> None:
    body = client_for(org_admin).get(url("inbox", municipality, org_slug=organisation.slug))
    assert "No applications yet." in body.content.decode()


def test_the_inbox_costs_the_same_queries_for_many_applications(
    municipality: Any,
    organisation: Any,
    org_admin: Any,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(org_admin)
    target = url("inbox", municipality, org_slug=organisation.slug)
    listed = make_opportunity(organisation)
    for n in range(3):
        services.application_submit(
            opportunity=listed,
            volunteer=make_user(f"person{n}@example.org", first_name=f"P{n}"),
            message="",
            share_contact=n % 2 == 0,
        )
    client.get(target)
    with django_assert_num_queries(10):
        assert client.get(target).status_code == 200
    for n in range(3, 12):
        services.application_submit(
            opportunity=listed,
            volunteer=make_user(f"person{n}@example.org", first_name=f"P{n}"),
            message="",
            share_contact=False,
        )
    with django_assert_num_queries(10):
        assert client.get(target).status_code == 200


# --- engagements ---------------------------------------------------------------------------


def test_ending_an_engagement_from_the_volunteers_page(
    application: Any, municipality: Any, volunteer: Any, org_admin: Any, other_volunteer: Any
) -> None:
    engagement = services.application_accept(
        application=application, actor=org_admin, starts_on=date(2030, 1, 1)
    )
    target = url("engagement_end", municipality, public_id=engagement.public_id)
    assert client_for(other_volunteer).get(target).status_code == 404
    client = client_for(volunteer)
    assert client.get(target).status_code == 200
    early = client.post(target, {"ends_on": "2029-12-01"})
    assert early.status_code == 400
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE
    done = client.post(target, {"ends_on": "2030-06-30"})
    assert done.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ENDED


def test_my_engagements_say_what_to_do_when_empty(municipality: Any, volunteer: Any) -> None:
    body = client_for(volunteer).get(url("my_engagements", municipality)).content.decode()
    assert "You have no engagement yet." in body


def test_the_volunteers_lists_cost_the_same_queries_for_many_entries(
    municipality: Any,
    organisation: Any,
    org_admin: Any,
    volunteer: Any,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(volunteer)

    def _apply_and_accept(title: str) -> None:
        found = services.application_submit(
            opportunity=make_opportunity(organisation, title=title),
            volunteer=volunteer,
            message="",
            share_contact=False,
        )
        services.application_accept(application=found, actor=org_admin)

    _apply_and_accept("Eins")
    client.get(url("my_applications", municipality))
    with django_assert_num_queries(6):
        client.get(url("my_applications", municipality))
    with django_assert_num_queries(6):
        client.get(url("my_engagements", municipality))
    theirs = client_for(org_admin)
    with django_assert_num_queries(8):
        theirs.get(url("org_engagements", municipality, org_slug=organisation.slug))
    for n in range(5):
        _apply_and_accept(f"Weitere {n}")
    with django_assert_num_queries(6):
        assert client.get(url("my_applications", municipality)).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(url("my_engagements", municipality)).status_code == 200
    with django_assert_num_queries(8):
        response = theirs.get(url("org_engagements", municipality, org_slug=organisation.slug))
        assert response.status_code == 200
