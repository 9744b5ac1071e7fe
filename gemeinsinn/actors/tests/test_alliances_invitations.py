"""Citizens join an alliance only by accepting an invitation; the add form reveals no accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from conftest import client_for, make_user
from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.models import Alliance, AllianceMember
from gemeinsinn.actors.services.network import (
    alliance_invitation_accept,
    alliance_invitation_decline,
)
from gemeinsinn.actors.views.alliances import NEUTRAL_INVITATION_MESSAGE
from gemeinsinn.core.models import AuditEvent, OutgoingMail

pytestmark = pytest.mark.django_db

BASE = "/musterstadt/akteure/buendnisse/"


@pytest.fixture
def private(municipality: Any, coordinator: Any) -> Alliance:
    return services.alliance_create(
        actor=coordinator, municipality=municipality, name="Runder Tisch Intern", is_public=False
    )


@pytest.fixture
def invitation(private: Alliance, coordinator: Any, volunteer: Any) -> AllianceMember:
    member = services.alliance_member_add(
        actor=coordinator, alliance=private, email=volunteer.email, is_steering=True
    )
    assert member is not None
    return member


def add_by_mail(client: Any, alliance: Alliance, email: str) -> str:
    response = client.post(f"{BASE}{alliance.slug}/mitglieder/", {"email": email}, follow=True)
    assert response.status_code == 200
    body: str = response.content.decode()
    return body[body.index("<main") : body.index("</main>")].split("<h1")[0]


def test_the_answer_is_the_same_for_known_and_unknown_addresses_and_names_nobody(
    private: Alliance, coordinator: Any, volunteer: Any
) -> None:
    client = client_for(coordinator)
    known = add_by_mail(client, private, volunteer.email)
    unknown = add_by_mail(client, private, "niemand@example.org")
    assert known == unknown
    assert str(NEUTRAL_INVITATION_MESSAGE) in known
    assert volunteer.first_name not in known
    assert private.members.get().status == AllianceMember.Status.INVITED


def test_the_invited_person_gets_a_mail_with_the_alliance_page(
    invitation: AllianceMember, volunteer: Any
) -> None:
    mail = OutgoingMail.objects.get(recipient=volunteer.email)
    assert "/musterstadt/akteure/buendnisse/runder-tisch-intern/" in mail.body_text


def test_an_invited_person_is_no_member_and_cannot_manage_or_see_the_private_alliance(
    invitation: AllianceMember, private: Alliance, volunteer: Any, municipality: Any
) -> None:
    assert not volunteer.has_perm("actors.manage_alliance", private)
    assert not volunteer.has_perm("actors.view_alliance", private)
    assert list(selectors.alliances_visible(municipality=municipality, user=volunteer)) == []
    client = client_for(volunteer)
    assert client.get(f"{BASE}{private.slug}/mitglieder/").status_code == 404
    page = client.get(f"{BASE}{private.slug}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "einladung/" in body
    assert "Manage members" not in body
    assert "mitglieder/" not in body


def test_invited_people_are_not_counted(
    invitation: AllianceMember, private: Alliance, municipality: Any, coordinator: Any
) -> None:
    (alliance,) = selectors.alliances_visible(municipality=municipality, user=coordinator)
    assert alliance.person_count == 0  # type: ignore[attr-defined]


def test_accepting_makes_the_person_a_member_with_the_steering_rights(
    invitation: AllianceMember, private: Alliance, volunteer: Any
) -> None:
    response = client_for(volunteer).post(f"{BASE}{private.slug}/einladung/", {"action": "accept"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == AllianceMember.Status.ACTIVE
    assert invitation.joined_on is not None
    assert volunteer.has_perm("actors.manage_alliance", private)
    assert AuditEvent.objects.filter(action="alliance.invitation_accepted").exists()


def test_declining_removes_the_row(
    invitation: AllianceMember, private: Alliance, volunteer: Any
) -> None:
    client_for(volunteer).post(f"{BASE}{private.slug}/einladung/", {"action": "decline"})
    assert not private.members.exists()
    assert AuditEvent.objects.filter(action="alliance.invitation_declined").exists()
    assert client_for(volunteer).get(f"{BASE}{private.slug}/").status_code == 404


def test_a_different_user_cannot_accept_or_decline(
    invitation: AllianceMember, private: Alliance, coordinator: Any, org_admin: Any
) -> None:
    for person in (coordinator, org_admin, "demo"):
        with pytest.raises(PermissionDenied):
            alliance_invitation_accept(actor=person, member=invitation)
        with pytest.raises(PermissionDenied):
            alliance_invitation_decline(actor=person, member=invitation)
    assert (
        client_for(org_admin)
        .post(f"{BASE}{private.slug}/einladung/", {"action": "accept"})
        .status_code
        == 404
    )
    invitation.refresh_from_db()
    assert invitation.status == AllianceMember.Status.INVITED


def test_managers_see_the_invited_person_marked_as_invited(
    invitation: AllianceMember, private: Alliance, coordinator: Any
) -> None:
    body = client_for(coordinator).get(f"{BASE}{private.slug}/mitglieder/").content.decode()
    assert "Vera" in body or "vera" in body
    assert "invited" in body or "eingeladen" in body


def test_the_invitation_form_is_not_shown_to_other_municipalities_or_anonymous(
    invitation: AllianceMember, private: Alliance, other_coordinator: Any
) -> None:
    assert client_for(other_coordinator).get(f"{BASE}{private.slug}/").status_code == 404
    assert client_for(None).post(f"{BASE}{private.slug}/einladung/").status_code == 302
    other = make_user("otto.other@example.org")
    assert client_for(other).post(f"{BASE}{private.slug}/einladung/").status_code == 404


def test_organisations_added_as_members_are_active_at_once(
    private: Alliance, coordinator: Any, organisation: Any
) -> None:
    member = services.alliance_member_add(
        actor=coordinator, alliance=private, organisation=organisation
    )
    assert member is not None
    assert member.status == AllianceMember.Status.ACTIVE
