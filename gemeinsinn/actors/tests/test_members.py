"""Memberships: invitations (to accounts and to plain addresses), requests, roles, removal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import client_for, make_user
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import AuditEvent, OutgoingMail

MEMBERS_URL = "/musterstadt/akteure/tafel-musterstadt-e-v/mitglieder/"
JOIN_URL = "/musterstadt/akteure/tafel-musterstadt-e-v/mitmachen/"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    """These tests read the English wording; the installation's default is German."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def other_organisation(municipality: Any) -> Organisation:
    return services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Repair-Café Musterstadt",
        type="initiative",
        sector="citizens",
        published=True,
    )


@pytest.fixture
def other_admin(other_organisation: Organisation) -> Any:
    user = make_user("rita.repair@example.org", first_name="Rita")
    services.membership_add(actor=None, organisation=other_organisation, user=user, role="admin")
    return user


def invitation_path(address: str) -> str:
    mail = OutgoingMail.objects.filter(recipient=address, purpose="actors_invitation").last()
    assert mail is not None
    match = re.search(r"(/musterstadt/akteure/einladung/[0-9a-f-]+/)", mail.body_text)
    assert match is not None
    return match.group(1)


def actions() -> set[str]:
    return set(AuditEvent.objects.values_list("action", flat=True))


# --- invitations ---------------------------------------------------------------------------------


def test_an_admin_invites_a_registered_person_who_accepts(
    organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    response = client_for(org_admin).post(
        MEMBERS_URL, {"email": "Vera.Volunteer@example.org", "role": "member", "message": "Hallo!"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=organisation, user=volunteer)
    assert membership.status == Membership.Status.INVITED
    path = invitation_path(volunteer.email)
    client = client_for(volunteer)
    page = client.get(path).content.decode()
    assert "Tafel Musterstadt e. V." in page
    assert "Hallo!" in page
    assert client.post(path, {"action": "accept"}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.invitation_token is None
    assert {"membership.invited", "membership.invitation_accepted"} <= actions()
    # The link is used up.
    assert client.get(path).status_code == 404


def test_an_invited_person_can_decline(
    organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    services.membership_invite(actor=org_admin, organisation=organisation, email=volunteer.email)
    path = invitation_path(volunteer.email)
    client_for(volunteer).post(path, {"action": "decline"})
    assert not Membership.objects.filter(organisation=organisation, user=volunteer).exists()
    assert "membership.invitation_declined" in actions()


def test_somebody_else_cannot_use_an_invitation_to_an_account(
    organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    services.membership_invite(actor=org_admin, organisation=organisation, email=volunteer.email)
    path = invitation_path(volunteer.email)
    intruder = make_user("ivan.intruder@example.org")
    client = client_for(intruder)
    assert client.get(path).status_code == 404
    assert client.post(path, {"action": "accept"}).status_code == 404
    assert not Membership.objects.filter(organisation=organisation, user=intruder).exists()


def test_an_invitation_to_an_unknown_address_attaches_after_sign_up_and_login(
    organisation: Organisation, org_admin: Any
) -> None:
    services.membership_invite(
        actor=org_admin, organisation=organisation, email="neu@example.org", role="admin"
    )
    pending = Membership.objects.get(invited_email="neu@example.org")
    assert pending.user is None
    path = invitation_path("neu@example.org")
    # Without an account the link leads to the login (which links to the sign-up) and back.
    response = client_for(None).get(path)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert "einladung" in response["Location"]
    newcomer = make_user("neu@example.org", first_name="Nora")
    client_for(newcomer).post(path, {"action": "accept"})
    pending.refresh_from_db()
    assert pending.user == newcomer
    assert pending.status == Membership.Status.ACTIVE
    assert pending.role == "admin"
    assert "membership.invitation_attached" in actions()


def test_inviting_twice_or_inviting_a_member_gets_a_clear_message(
    organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    client = client_for(org_admin)
    client.post(MEMBERS_URL, {"email": volunteer.email, "role": "member"})
    page = client.post(
        MEMBERS_URL, {"email": volunteer.email, "role": "member"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "already been invited" in page
    page = client.post(
        MEMBERS_URL, {"email": org_admin.email, "role": "member"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "already a member" in page
    assert Membership.objects.filter(organisation=organisation).count() == 2


def test_an_admin_withdraws_an_invitation(organisation: Organisation, org_admin: Any) -> None:
    invited = services.membership_invite(
        actor=org_admin, organisation=organisation, email="weg@example.org"
    )
    client_for(org_admin).post(
        f"{MEMBERS_URL}{invited.pk}/", {"action": "remove", "confirmed": "1"}
    )
    assert not Membership.objects.filter(pk=invited.pk).exists()
    assert "membership.invitation_withdrawn" in actions()


# --- requests to join ----------------------------------------------------------------------------


def test_a_person_asks_to_join_and_an_admin_accepts(
    organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    client = client_for(volunteer)
    assert "Ask to join" in client.get(JOIN_URL).content.decode()
    client.post(JOIN_URL, {"action": "request", "message": "Ich fahre gern Lieferungen."})
    membership = Membership.objects.get(organisation=organisation, user=volunteer)
    assert membership.status == Membership.Status.REQUESTED
    mail = OutgoingMail.objects.get(recipient=org_admin.email)
    assert "Ich fahre gern Lieferungen." in mail.body_text
    assert "asked to join" in client.get(JOIN_URL).content.decode()
    assert "Ich fahre gern Lieferungen." in client_for(org_admin).get(MEMBERS_URL).content.decode()
    client_for(org_admin).post(f"{MEMBERS_URL}{membership.pk}/", {"action": "accept"})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert OutgoingMail.objects.filter(recipient=volunteer.email).exists()
    assert {"membership.requested", "membership.request_accepted"} <= actions()


def test_an_admin_declines_a_request(
    organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    request = services.membership_request(actor=volunteer, organisation=organisation)
    client_for(org_admin).post(f"{MEMBERS_URL}{request.pk}/", {"action": "decline"})
    assert not Membership.objects.filter(pk=request.pk).exists()
    assert "declined" in OutgoingMail.objects.get(recipient=volunteer.email).body_text
    assert "membership.request_declined" in actions()


def test_asking_twice_is_refused(organisation: Organisation, volunteer: Any) -> None:
    services.membership_request(actor=volunteer, organisation=organisation)
    with pytest.raises(ValidationError, match="already asked"):
        services.membership_request(actor=volunteer, organisation=organisation)


def test_nobody_can_ask_to_join_an_unpublished_entry(municipality: Any, volunteer: Any) -> None:
    pending = services.organisation_create(
        actor="test", municipality=municipality, name="Noch nicht", type="club", sector="citizens"
    )
    with pytest.raises(ValidationError):
        services.membership_request(actor=volunteer, organisation=pending)
    assert (
        client_for(volunteer).get("/musterstadt/akteure/noch-nicht/mitmachen/").status_code == 404
    )


def test_a_member_leaves_after_confirming(
    organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    services.membership_add(actor=org_admin, organisation=organisation, user=volunteer)
    client = client_for(volunteer)
    confirm = client.post(JOIN_URL, {"action": "leave"})
    assert confirm.status_code == 200
    assert Membership.objects.filter(organisation=organisation, user=volunteer).exists()
    client.post(JOIN_URL, {"action": "leave", "confirmed": "1"})
    assert not Membership.objects.filter(organisation=organisation, user=volunteer).exists()
    assert "membership.left" in actions()


# --- roles and removal ---------------------------------------------------------------------------


def test_an_admin_changes_roles_and_removes_members_after_confirming(
    organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    membership = services.membership_add(actor=org_admin, organisation=organisation, user=volunteer)
    client = client_for(org_admin)
    client.post(f"{MEMBERS_URL}{membership.pk}/", {"action": "role", "role": "admin"})
    membership.refresh_from_db()
    assert membership.role == "admin"
    confirm = client.post(f"{MEMBERS_URL}{membership.pk}/", {"action": "remove"})
    assert confirm.status_code == 200
    assert "Yes, remove" in confirm.content.decode()
    client.post(f"{MEMBERS_URL}{membership.pk}/", {"action": "remove", "confirmed": "1"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert {"membership.role_changed", "membership.removed"} <= actions()


def test_the_last_admin_can_be_neither_demoted_nor_removed(
    organisation: Organisation, org_admin: Any, coordinator: Any
) -> None:
    own = Membership.objects.get(organisation=organisation, user=org_admin)
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.membership_role_set(actor=coordinator, membership=own, role="member")
    with pytest.raises(ValidationError, match="last administrator"):
        services.membership_remove(actor=org_admin, membership=own)
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.membership_add(
            actor=None, organisation=organisation, user=org_admin, role="member"
        )
    response = client_for(org_admin).post(
        f"{MEMBERS_URL}{own.pk}/",
        {"action": "role", "role": "member"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "at least one administrator" in response.content.decode()
    own.refresh_from_db()
    assert (own.role, own.status) == ("admin", "active")


def test_with_a_second_admin_the_first_may_step_down(
    organisation: Organisation, org_admin: Any, volunteer: Any
) -> None:
    services.membership_add(
        actor=org_admin, organisation=organisation, user=volunteer, role="admin"
    )
    own = Membership.objects.get(organisation=organisation, user=org_admin)
    services.membership_role_set(actor=org_admin, membership=own, role="member")
    own.refresh_from_db()
    assert own.role == "member"


def test_the_office_manages_members_too(
    organisation: Organisation, org_admin: Any, coordinator: Any
) -> None:
    response = client_for(coordinator).post(
        MEMBERS_URL, {"email": "helfer@example.org", "role": "member"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(invited_email="helfer@example.org").exists()


# --- isolation -----------------------------------------------------------------------------------


def test_members_pages_are_closed_to_outsiders(
    organisation: Organisation,
    org_admin: Any,
    volunteer: Any,
    other_admin: Any,
    other_coordinator: Any,
) -> None:
    assert client_for(None).get(MEMBERS_URL).status_code == 302
    for outsider in (volunteer, other_admin, other_coordinator):
        assert client_for(outsider).get(MEMBERS_URL).status_code == 403
        response = client_for(outsider).post(
            MEMBERS_URL, {"email": "x@example.org", "role": "admin"}
        )
        assert response.status_code == 403
    # Another municipality's address does not know the organisation at all.
    assert (
        client_for(other_coordinator)
        .get("/beispielhausen/akteure/tafel-musterstadt-e-v/mitglieder/")
        .status_code
        == 404
    )
    assert not Membership.objects.filter(invited_email="x@example.org").exists()


def test_an_admin_cannot_touch_the_members_of_another_organisation(
    organisation: Organisation, org_admin: Any, other_organisation: Organisation, other_admin: Any
) -> None:
    theirs = Membership.objects.get(organisation=other_organisation, user=other_admin)
    # Through their own page the other organisation's membership id is unknown.
    response = client_for(org_admin).post(
        f"{MEMBERS_URL}{theirs.pk}/", {"action": "remove", "confirmed": "1"}
    )
    assert response.status_code == 404
    response = client_for(org_admin).post(
        f"/musterstadt/akteure/repair-cafe-musterstadt/mitglieder/{theirs.pk}/",
        {"action": "role", "role": "member"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=org_admin, membership=theirs)
    theirs.refresh_from_db()
    assert theirs.role == "admin"


def test_an_invitation_link_only_works_in_its_own_municipality(
    organisation: Organisation, org_admin: Any, volunteer: Any, other_municipality: Any
) -> None:
    services.membership_invite(actor=org_admin, organisation=organisation, email=volunteer.email)
    path = invitation_path(volunteer.email).replace("/musterstadt/", "/beispielhausen/")
    assert client_for(volunteer).post(path, {"action": "accept"}).status_code == 404
    assert (
        Membership.objects.get(organisation=organisation, user=volunteer).status
        == Membership.Status.INVITED
    )


def test_the_members_page_costs_the_same_queries_for_2_and_12_people(
    organisation: Organisation, org_admin: Any
) -> None:
    client = client_for(org_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MEMBERS_URL).status_code == 200
        return len(captured.captured_queries)

    services.membership_add(actor=None, organisation=organisation, user=make_user("m0@example.org"))
    few = queries()
    for n in range(1, 11):
        services.membership_add(
            actor=None, organisation=organisation, user=make_user(f"m{n}@example.org")
        )
    assert queries() == few
