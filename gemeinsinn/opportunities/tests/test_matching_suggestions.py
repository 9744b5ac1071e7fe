"""Suggested volunteers: only people who opted in, never their address; invited by e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import client_for, make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.models import AuditEvent, OutgoingMail, TownDistrict
from gemeinsinn.opportunities.models import Application, Opportunity
from gemeinsinn.opportunities.selectors.recommendations import suggested_volunteers
from gemeinsinn.opportunities.services.profiles import suggestion_invite
from gemeinsinn.opportunities.tests.test_matching_recommendations import (
    make_opportunity,
    make_profile,
)


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def opportunity(organisation: Any) -> Opportunity:
    return make_opportunity(organisation, "Tafel-Ausgabe", fields=["soziales"], skills=["kochen"])


@pytest.fixture
def people(municipality: Any, opportunity: Opportunity) -> dict[str, Any]:
    altstadt = TownDistrict.objects.create(municipality=municipality, name="Altstadt", slug="alt")
    keen = make_user("kira.keen@example.org", first_name="Kira", last_name="Kellermann")
    make_profile(
        keen,
        municipality,
        interests=["soziales"],
        skills=["kochen"],
        suggest_to_organisations=True,
        district=altstadt,
    )
    shy = make_user("sina.shy@example.org", first_name="Sina", last_name="Scheu")
    make_profile(shy, municipality, interests=["soziales"], skills=["kochen"])
    unrelated = make_user("udo@example.org", first_name="Udo")
    make_profile(
        unrelated, municipality, interests=["sport-bewegung"], suggest_to_organisations=True
    )
    return {"keen": keen, "shy": shy, "unrelated": unrelated}


def url(opportunity: Opportunity) -> str:
    return f"/musterstadt/engagement/angebot/{opportunity.public_id}/vorschlaege/"


def test_only_people_who_opted_in_and_share_a_field_or_skill_are_suggested(
    opportunity: Opportunity, people: dict[str, Any]
) -> None:
    (only,) = suggested_volunteers(opportunity=opportunity)
    assert only.first_name == "Kira"
    assert only.district == "Altstadt"
    assert only.explanation.startswith(
        "interested in Sozialer Bereich; brings the skill Kochen und Bewirtung; 1.0 km away"
    )


def test_people_of_another_municipality_or_with_a_live_application_are_not_suggested(
    opportunity: Opportunity,
    people: dict[str, Any],
    other_municipality: Any,
) -> None:
    stranger = make_user("fremd@example.org", first_name="Fritz")
    make_profile(stranger, other_municipality, suggest_to_organisations=True, located=False)
    Application.objects.create(
        municipality=opportunity.municipality, opportunity=opportunity, volunteer=people["keen"]
    )
    assert suggested_volunteers(opportunity=opportunity) == []


def test_hard_constraints_apply_to_suggestions_too(
    opportunity: Opportunity, people: dict[str, Any]
) -> None:
    Opportunity.objects.filter(pk=opportunity.pk).update(needs_conduct_certificate=True)
    opportunity.refresh_from_db()
    assert suggested_volunteers(opportunity=opportunity) == []


def test_the_page_never_shows_an_e_mail_address_or_surname(
    opportunity: Opportunity, people: dict[str, Any], org_admin: Any
) -> None:
    response = client_for(org_admin).get(url(opportunity))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kira" in page
    assert "Altstadt" in page
    assert "Kellermann" not in page
    assert "kira.keen@example.org" not in page
    assert "Sina" not in page
    assert "Udo" not in page


def test_inviting_mails_the_person_through_the_outbox_once(
    opportunity: Opportunity,
    people: dict[str, Any],
    org_admin: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(org_admin)
    keen = people["keen"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(opportunity), {"volunteer": str(keen.public_id)})
    assert response.status_code == 302

    queued = OutgoingMail.objects.get(purpose="opportunities_suggestion")
    assert queued.recipient == "kira.keen@example.org"
    assert "Tafel-Ausgabe" in queued.body_text
    assert "Tafel Musterstadt e. V." in queued.body_text
    assert "fits your interest Sozialer Bereich" in queued.body_text
    assert "does not know your e-mail address" in queued.body_text
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(action="opportunity.volunteer_invited")
    assert event.data == {"volunteer": str(keen.public_id)}
    assert "kira" not in str(event.data).lower()

    page = client.get(url(opportunity)).content.decode()
    assert "invited" in page
    client.post(url(opportunity), {"volunteer": str(keen.public_id)})
    assert OutgoingMail.objects.filter(purpose="opportunities_suggestion").count() == 1


def test_people_who_did_not_opt_in_cannot_be_invited_by_their_id(
    opportunity: Opportunity, people: dict[str, Any], org_admin: Any
) -> None:
    response = client_for(org_admin).post(
        url(opportunity), {"volunteer": str(people["shy"].public_id)}, follow=True
    )
    assert "no longer among the suggestions" in response.content.decode()
    assert not OutgoingMail.objects.filter(purpose="opportunities_suggestion").exists()
    with pytest.raises(ValidationError):
        suggestion_invite(
            actor=org_admin, opportunity=opportunity, volunteer_public_id=people["shy"].public_id
        )


def test_the_service_refuses_people_outside_the_organisation(
    opportunity: Opportunity, people: dict[str, Any], coordinator: Any
) -> None:
    with pytest.raises(PermissionDenied):
        suggestion_invite(
            actor=coordinator, opportunity=opportunity, volunteer_public_id=people["keen"].public_id
        )


def test_a_draft_has_no_suggestions_yet(
    opportunity: Opportunity, people: dict[str, Any], org_admin: Any
) -> None:
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.DRAFT)
    page = client_for(org_admin).get(url(opportunity)).content.decode()
    assert "Suggestions appear once the opportunity is published." in page
    assert "Kira" not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("volunteer", 404),
        ("other_org_admin", 404),
        ("coordinator", 404),
        ("other_coordinator", 404),
        ("org_admin", 200),
        ("platform_admin", 200),
    ],
)
def test_only_the_organisation_sees_the_suggestions(
    request: pytest.FixtureRequest,
    opportunity: Opportunity,
    people: dict[str, Any],
    who: str,
    status: int,
) -> None:
    if who == "anonymous":
        user = None
    elif who == "other_org_admin":
        other = actor_services.organisation_create(
            actor="test",
            municipality=opportunity.municipality,
            name="Anderer Verein",
            type="club",
            sector="civil_society",
            published=True,
        )
        user = make_user("andere@example.org")
        actor_services.membership_add(actor=None, organisation=other, user=user, role="admin")
    else:
        user = request.getfixturevalue(who)
    response = client_for(user).get(url(opportunity))
    assert response.status_code == status
    response = client_for(user).post(url(opportunity), {"volunteer": str(people["keen"].public_id)})
    assert response.status_code == (302 if status in (200, 302) else 404)
    invited = OutgoingMail.objects.filter(purpose="opportunities_suggestion").exists()
    assert invited == (status == 200)


def test_an_opportunity_of_another_municipality_is_not_found(
    opportunity: Opportunity, org_admin: Any, other_municipality: Any
) -> None:
    response = client_for(org_admin).get(
        f"/beispielhausen/engagement/angebot/{opportunity.public_id}/vorschlaege/"
    )
    assert response.status_code == 404
