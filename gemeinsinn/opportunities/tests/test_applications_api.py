"""/api/v1 applications endpoints: same services, same permissions as the HTML pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import client_for
from gemeinsinn.opportunities.models import Application, Engagement
from gemeinsinn.opportunities.services import applications as services
from gemeinsinn.opportunities.tests.test_applications_support import (  # noqa: F401 - fixtures
    application_fixture,
    make_opportunity,
    opportunity_fixture,
    other_org_admin_fixture,
    other_organisation_fixture,
    other_volunteer_fixture,
)

API = "/api/v1"


def _post(client: Any, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(API + path, json.dumps(data or {}), content_type="application/json")


def _people(request: pytest.FixtureRequest, who: str) -> Any:
    return None if who == "anonymous" else request.getfixturevalue(who)


def test_applying_over_the_api_twice_gives_one_application(
    opportunity: Any, volunteer: Any
) -> None:
    client = client_for(volunteer)
    first = _post(client, f"/opportunities/{opportunity.public_id}/applications", {"message": "Hi"})
    second = _post(client, f"/opportunities/{opportunity.public_id}/applications", {})
    assert first.status_code == 201
    assert second.status_code == 201
    assert first.json()["public_id"] == second.json()["public_id"]
    assert first.json()["contact"] is None
    assert Application.objects.count() == 1


def test_applying_needs_a_session(opportunity: Any) -> None:
    response = _post(client_for(None), f"/opportunities/{opportunity.public_id}/applications")
    assert response.status_code == 401
    assert not Application.objects.exists()


def test_applying_for_an_unknown_opportunity_is_not_found(volunteer: Any) -> None:
    response = _post(
        client_for(volunteer), "/opportunities/00000000-0000-0000-0000-000000000000/applications"
    )
    assert response.status_code == 404


def test_consent_over_the_api_shares_the_contact(opportunity: Any, volunteer: Any) -> None:
    response = _post(
        client_for(volunteer),
        f"/opportunities/{opportunity.public_id}/applications",
        {"share_contact": True, "phone": "0151 2"},
    )
    assert response.json()["contact"]["email"] == volunteer.email
    assert response.json()["contact"]["phone"] == "0151 2"


def test_my_applications_and_withdrawing(
    application: Any, volunteer: Any, other_volunteer: Any
) -> None:
    mine = client_for(volunteer).get(f"{API}/me/applications?municipality=musterstadt")
    assert [a["public_id"] for a in mine.json()] == [str(application.public_id)]
    assert client_for(other_volunteer).get(f"{API}/me/applications").json() == []
    other = _post(client_for(other_volunteer), f"/me/applications/{application.public_id}/withdraw")
    assert other.status_code == 404
    done = _post(client_for(volunteer), f"/me/applications/{application.public_id}/withdraw")
    assert done.status_code == 200
    assert done.json()["status"] == "withdrawn"
    again = _post(client_for(volunteer), f"/me/applications/{application.public_id}/withdraw")
    assert again.status_code == 400


INBOX_MATRIX = [
    ("anonymous", 401),
    ("volunteer", 404),
    ("org_admin", 200),
    ("other_org_admin", 404),
    ("coordinator", 404),
    ("other_coordinator", 404),
]


@pytest.mark.parametrize(("who", "status"), INBOX_MATRIX)
def test_who_may_read_the_organisations_applications(
    who: str, status: int, application: Any, organisation: Any, request: pytest.FixtureRequest
) -> None:
    response = client_for(_people(request, who)).get(
        f"{API}/organisations/{organisation.slug}/applications?municipality=musterstadt"
    )
    assert response.status_code == status
    if status == 200:
        listed = response.json()
        assert [a["public_id"] for a in listed] == [str(application.public_id)]
        assert listed[0]["contact"] is None
        assert listed[0]["first_name"] == "Vera"
        assert "vera.volunteer@example.org" not in response.content.decode()


def test_the_inbox_api_checks_its_filters(
    application: Any, organisation: Any, org_admin: Any
) -> None:
    client = client_for(org_admin)
    base = f"{API}/organisations/{organisation.slug}/applications?municipality=musterstadt"
    assert client.get(base + "&status=lost").status_code == 400
    assert client.get(base + "&status=on_hold").json() == []
    assert len(client.get(base + "&status=submitted").json()) == 1
    assert client.get(base.replace("musterstadt", "beispielhausen")).status_code == 404


@pytest.mark.parametrize(("who", "status"), INBOX_MATRIX)
def test_who_may_decide_over_the_api(
    who: str, status: int, application: Any, request: pytest.FixtureRequest
) -> None:
    response = _post(
        client_for(_people(request, who)), f"/applications/{application.public_id}/hold"
    )
    # The volunteer sees their own application but may not take the organisation's step.
    expected = 403 if who == "volunteer" else status
    assert response.status_code == expected
    application.refresh_from_db()
    assert (application.status == "on_hold") is (expected == 200)


def test_the_organisation_asks_accepts_and_the_volunteer_sees_the_engagement(
    application: Any, org_admin: Any, volunteer: Any
) -> None:
    client = client_for(org_admin)
    asked = _post(client, f"/applications/{application.public_id}/ask", {"question": "Wann?"})
    assert asked.json()["status"] == "question"
    assert asked.json()["messages"][0]["body"] == "Wann?"
    accepted = _post(
        client, f"/applications/{application.public_id}/accept", {"starts_on": "2030-05-01"}
    )
    assert accepted.status_code == 200
    engagement = Engagement.objects.get()
    assert accepted.json()["engagement"] == str(engagement.public_id)
    mine = client_for(volunteer).get(f"{API}/me/engagements").json()
    assert [e["public_id"] for e in mine] == [str(engagement.public_id)]
    assert mine[0]["starts_on"] == "2030-05-01"


def test_declining_over_the_api_needs_a_reason(application: Any, org_admin: Any) -> None:
    client = client_for(org_admin)
    empty = _post(client, f"/applications/{application.public_id}/decline", {"reason": " "})
    assert empty.status_code == 400
    missing = _post(client, f"/applications/{application.public_id}/decline", {})
    assert missing.status_code == 422
    application.refresh_from_db()
    assert application.status == "submitted"
    done = _post(client, f"/applications/{application.public_id}/decline", {"reason": "Voll."})
    assert done.json()["status"] == "declined"
    assert done.json()["decline_reason"] == "Voll."


def test_an_illegal_step_answers_400(application: Any, org_admin: Any, volunteer: Any) -> None:
    services.application_withdraw(application=application, actor=volunteer)
    response = _post(client_for(org_admin), f"/applications/{application.public_id}/accept")
    assert response.status_code == 400
    assert not Engagement.objects.exists()


def test_the_shared_contact_appears_for_the_organisation(
    application: Any, organisation: Any, org_admin: Any, volunteer: Any
) -> None:
    services.application_share_contact(application=application, actor=volunteer)
    listed = client_for(org_admin).get(
        f"{API}/organisations/{organisation.slug}/applications?municipality=musterstadt"
    )
    assert listed.json()[0]["contact"]["email"] == volunteer.email


def test_the_volunteer_answers_a_question_and_shares_contact_over_the_api(
    application: Any, org_admin: Any, volunteer: Any
) -> None:
    _post(client_for(org_admin), f"/applications/{application.public_id}/ask", {"question": "?"})
    mine = client_for(volunteer)
    answered = _post(
        mine, f"/me/applications/{application.public_id}/answer", {"answer": "Dienstags."}
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "submitted"
    application.refresh_from_db()
    assert application.contact_email == ""
    shared = _post(mine, f"/me/applications/{application.public_id}/share-contact", {})
    assert shared.status_code == 200
    application.refresh_from_db()
    assert application.contact_email == volunteer.email


def test_one_application_reads_for_its_two_sides_only(
    application: Any, org_admin: Any, volunteer: Any, other_volunteer: Any, coordinator: Any
) -> None:
    path = f"{API}/applications/{application.public_id}"
    assert client_for(volunteer).get(path).status_code == 200
    assert client_for(org_admin).get(path).status_code == 200
    assert client_for(other_volunteer).get(path).status_code == 404
    assert client_for(coordinator).get(path).status_code == 404


def test_an_organisation_cannot_answer_in_the_volunteers_name(
    application: Any, org_admin: Any
) -> None:
    response = _post(
        client_for(org_admin), f"/me/applications/{application.public_id}/share-contact", {}
    )
    assert response.status_code in (400, 403, 404)
    application.refresh_from_db()
    assert application.contact_shared_at is None
