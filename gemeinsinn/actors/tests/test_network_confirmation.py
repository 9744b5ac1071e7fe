"""A cooperation link names the partner, so it shows only once the partner has confirmed it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from conftest import client_for, make_user
from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.models import CooperationLink, Organisation
from gemeinsinn.actors.services.network import cooperation_link_confirm, cooperation_link_decline
from gemeinsinn.core.models import AuditEvent, OutgoingMail

pytestmark = pytest.mark.django_db

PAGE = "/musterstadt/akteure/sportverein-musterstadt/kooperationen/"


@pytest.fixture
def partner(municipality: Any) -> Organisation:
    return services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Sportverein Musterstadt",
        type="club",
        sector="civil_society",
        published=True,
    )


@pytest.fixture
def partner_admin(partner: Organisation) -> Any:
    user = make_user("paula.partner@example.org", first_name="Paula")
    services.membership_add(actor=None, organisation=partner, user=user, role="admin")
    return user


@pytest.fixture
def proposal(
    municipality: Any,
    organisation: Organisation,
    partner: Organisation,
    partner_admin: Any,
    org_admin: Any,
) -> CooperationLink:
    return services.cooperation_link_create(
        actor=org_admin,
        municipality=municipality,
        source=organisation,
        target=partner,
        kind="partnership",
        description="Gemeinsames Sommerfest",
    )


def graph_edges(municipality: Any) -> int:
    return selectors.network_graph(municipality=municipality).cooperation_count


def test_a_proposal_by_an_org_admin_waits_for_the_partner(
    proposal: CooperationLink, municipality: Any, partner: Organisation
) -> None:
    assert proposal.confirmed_at is None
    assert selectors.cooperations_of(municipality=municipality, organisation=partner) == []
    assert graph_edges(municipality) == 0


def test_the_partners_admins_are_told_by_mail_with_a_link_to_their_cooperations_page(
    proposal: CooperationLink, partner_admin: Any
) -> None:
    mail = OutgoingMail.objects.get(recipient=partner_admin.email)
    assert "Tafel Musterstadt" in mail.subject
    assert PAGE in mail.body_text


def test_a_proposal_is_left_out_of_the_network_table_until_confirmed(
    proposal: CooperationLink, partner_admin: Any
) -> None:
    rows = selectors.network_graph(municipality=proposal.municipality).rows()
    assert all(not row.partners for row in rows)

    cooperation_link_confirm(actor=partner_admin, link=proposal)

    rows = selectors.network_graph(municipality=proposal.municipality).rows()
    assert sum(len(row.partners) for row in rows) == 2


def test_a_proposal_is_invisible_on_the_public_profile_until_confirmed(
    proposal: CooperationLink,
) -> None:
    profile = client_for(None).get("/musterstadt/akteure/tafel-musterstadt-e-v/")
    assert "Sportverein Musterstadt" not in profile.content.decode()


def test_the_partner_admin_confirms_and_the_link_becomes_visible(
    proposal: CooperationLink, partner_admin: Any, municipality: Any, partner: Organisation
) -> None:
    client = client_for(partner_admin)
    page = client.get(PAGE).content.decode()
    assert "Tafel Musterstadt e. V." in page
    assert f"{proposal.pk}/bestaetigen/" in page

    response = client.post(f"{PAGE}{proposal.pk}/bestaetigen/")

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.confirmed_at is not None
    assert len(selectors.cooperations_of(municipality=municipality, organisation=partner)) == 1
    assert graph_edges(municipality) == 1
    assert AuditEvent.objects.filter(action="cooperation.confirmed").exists()


def test_declining_asks_first_and_then_removes_the_proposal(
    proposal: CooperationLink, partner_admin: Any
) -> None:
    client = client_for(partner_admin)
    url = f"{PAGE}{proposal.pk}/ablehnen/"
    ask = client.get(url)
    assert ask.status_code == 200
    assert 'name="confirmed"' in ask.content.decode()
    assert CooperationLink.objects.exists()

    client.post(url, {"confirmed": "1"})

    assert not CooperationLink.objects.exists()
    assert AuditEvent.objects.filter(action="cooperation.declined").exists()


def test_a_third_party_cannot_confirm_or_decline(
    proposal: CooperationLink, org_admin: Any, volunteer: Any, other_coordinator: Any
) -> None:
    for person in (org_admin, volunteer, other_coordinator):
        with pytest.raises(PermissionDenied):
            cooperation_link_confirm(actor=person, link=proposal)
        with pytest.raises(PermissionDenied):
            cooperation_link_decline(actor=person, link=proposal)
    assert client_for(volunteer).post(f"{PAGE}{proposal.pk}/bestaetigen/").status_code == 403
    assert client_for(other_coordinator).post(f"{PAGE}{proposal.pk}/ablehnen/").status_code in (
        403,
        404,
    )
    assert client_for(None).post(f"{PAGE}{proposal.pk}/bestaetigen/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.confirmed_at is None


def test_the_source_sees_its_own_proposal_as_waiting_for_confirmation(
    proposal: CooperationLink, org_admin: Any
) -> None:
    page = client_for(org_admin).get("/musterstadt/akteure/tafel-musterstadt-e-v/kooperationen/")
    body = page.content.decode()
    assert "Gemeinsames Sommerfest" in body
    assert "bestaetigen/" not in body


def test_the_office_creates_confirmed_links_directly_without_mail(
    municipality: Any,
    coordinator: Any,
    organisation: Organisation,
    partner: Organisation,
    partner_admin: Any,
) -> None:
    link = services.cooperation_link_create(
        actor=coordinator,
        municipality=municipality,
        source=organisation,
        target=partner,
        kind="funding",
    )
    assert link.confirmed_at is not None
    assert not OutgoingMail.objects.exists()
    assert graph_edges(municipality) == 1


def test_an_admin_of_both_organisations_creates_a_confirmed_link(
    municipality: Any, organisation: Organisation, partner: Organisation, org_admin: Any
) -> None:
    services.membership_add(actor=None, organisation=partner, user=org_admin, role="admin")
    link = services.cooperation_link_create(
        actor=org_admin,
        municipality=municipality,
        source=organisation,
        target=partner,
        kind="funding",
    )
    assert link.confirmed_at is not None
