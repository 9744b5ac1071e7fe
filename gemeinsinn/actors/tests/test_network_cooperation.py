"""Cooperation links between organisations: who records and removes them, and where."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import client_for, make_user
from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.models import CooperationLink, Organisation
from gemeinsinn.actors.services.network import cooperation_link_confirm
from gemeinsinn.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def published(municipality: Any, name: str) -> Organisation:
    return services.organisation_create(
        actor="test",
        municipality=municipality,
        name=name,
        type="club",
        sector="civil_society",
        published=True,
    )


@pytest.fixture
def partner(municipality: Any) -> Organisation:
    return published(municipality, "Sportverein Musterstadt")


@pytest.fixture
def partner_admin(partner: Organisation) -> Any:
    user = make_user("paula.partner@example.org", first_name="Paula")
    services.membership_add(actor=None, organisation=partner, user=user, role="admin")
    return user


@pytest.fixture
def foreign(other_municipality: Any) -> Organisation:
    return published(other_municipality, "Tafel Beispielhausen")


@pytest.fixture
def link(
    municipality: Any, organisation: Organisation, partner: Organisation, org_admin: Any
) -> CooperationLink:
    proposed = services.cooperation_link_create(
        actor=org_admin,
        municipality=municipality,
        source=organisation,
        target=partner,
        kind="funding",
        description="Spenden für das Sommerfest",
    )
    # The partner's confirmation (tested in test_network_confirmation.py).
    return cooperation_link_confirm(actor="test", link=proposed)


def test_an_admin_of_the_source_records_a_cooperation_and_it_is_audited(
    link: CooperationLink, org_admin: Any
) -> None:
    assert link.kind == "funding"
    event = AuditEvent.objects.get(action="cooperation.created")
    assert event.actor == org_admin
    assert event.municipality == link.municipality


def test_the_office_records_a_cooperation_between_any_two_organisations(
    municipality: Any, coordinator: Any, organisation: Organisation, partner: Organisation
) -> None:
    services.cooperation_link_create(
        actor=coordinator,
        municipality=municipality,
        source=partner,
        target=organisation,
        kind="partnership",
    )
    assert CooperationLink.objects.count() == 1


def test_others_cannot_record_a_cooperation_of_an_organisation(
    municipality: Any,
    organisation: Organisation,
    partner: Organisation,
    partner_admin: Any,
    volunteer: Any,
    other_coordinator: Any,
) -> None:
    for person in (partner_admin, volunteer, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.cooperation_link_create(
                actor=person,
                municipality=municipality,
                source=organisation,
                target=partner,
                kind="partnership",
            )
    assert not CooperationLink.objects.exists()


def test_both_organisations_must_be_in_the_municipality_or_listed_there(
    municipality: Any, coordinator: Any, organisation: Organisation, foreign: Organisation
) -> None:
    with pytest.raises(ValidationError):
        services.cooperation_link_create(
            actor=coordinator,
            municipality=municipality,
            source=organisation,
            target=foreign,
            kind="partnership",
        )
    foreign.listed_in.add(municipality)
    services.cooperation_link_create(
        actor=coordinator,
        municipality=municipality,
        source=organisation,
        target=foreign,
        kind="partnership",
    )


def test_an_organisation_cannot_cooperate_with_itself(
    municipality: Any, coordinator: Any, organisation: Organisation
) -> None:
    with pytest.raises(ValidationError):
        services.cooperation_link_create(
            actor=coordinator,
            municipality=municipality,
            source=organisation,
            target=organisation,
            kind="partnership",
        )


def test_the_same_partnership_is_recorded_once_from_either_side(
    municipality: Any, coordinator: Any, organisation: Organisation, partner: Organisation
) -> None:
    services.cooperation_link_create(
        actor=coordinator,
        municipality=municipality,
        source=organisation,
        target=partner,
        kind="partnership",
    )
    for source, target in ((organisation, partner), (partner, organisation)):
        with pytest.raises(ValidationError):
            services.cooperation_link_create(
                actor=coordinator,
                municipality=municipality,
                source=source,
                target=target,
                kind="partnership",
            )
    # Funding has a direction: each may fund the other.
    services.cooperation_link_create(
        actor=coordinator,
        municipality=municipality,
        source=partner,
        target=organisation,
        kind="funding",
    )
    services.cooperation_link_create(
        actor=coordinator,
        municipality=municipality,
        source=organisation,
        target=partner,
        kind="funding",
    )
    assert CooperationLink.objects.count() == 3


def test_an_unpublished_partner_cannot_be_linked(
    municipality: Any, coordinator: Any, organisation: Organisation
) -> None:
    pending = services.organisation_create(
        actor="test", municipality=municipality, name="Neu", type="club", sector="civil_society"
    )
    with pytest.raises(ValidationError):
        services.cooperation_link_create(
            actor=coordinator,
            municipality=municipality,
            source=organisation,
            target=pending,
            kind="partnership",
        )


def test_a_link_reads_from_each_end(
    link: CooperationLink, municipality: Any, organisation: Organisation, partner: Organisation
) -> None:
    with_translation = selectors.cooperations_of(municipality=municipality, organisation=partner)
    (seen_from_partner,) = with_translation
    assert seen_from_partner.partner == organisation
    assert not seen_from_partner.outgoing
    (seen_from_source,) = selectors.cooperations_of(
        municipality=municipality, organisation=organisation
    )
    assert seen_from_source.outgoing
    assert seen_from_source.phrase != seen_from_partner.phrase


def test_an_admin_of_either_end_or_the_office_removes_a_link_and_it_is_audited(
    link: CooperationLink, partner_admin: Any
) -> None:
    services.cooperation_link_delete(actor=partner_admin, link=link)
    assert not CooperationLink.objects.exists()
    assert AuditEvent.objects.filter(action="cooperation.deleted").exists()


def test_outsiders_cannot_remove_a_link(
    link: CooperationLink, volunteer: Any, other_coordinator: Any
) -> None:
    for person in (volunteer, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.cooperation_link_delete(actor=person, link=link)
    assert CooperationLink.objects.exists()


# --- pages ---------------------------------------------------------------------------------------

URL = "/musterstadt/akteure/tafel-musterstadt-e-v/kooperationen/"


def test_the_admin_records_a_cooperation_on_the_organisations_page(
    organisation: Organisation, partner: Organisation, org_admin: Any
) -> None:
    client = client_for(org_admin)
    page = client.get(URL).content.decode()
    assert "Sportverein Musterstadt" in page

    response = client.post(
        URL, {"target": partner.pk, "kind": "shared_project", "description": "Ferienprogramm"}
    )

    assert response.status_code == 302
    assert CooperationLink.objects.get().description == "Ferienprogramm"
    assert "Ferienprogramm" in client.get(URL).content.decode()


def test_a_duplicate_cooperation_is_refused_on_the_page_and_the_input_kept(
    link: CooperationLink, org_admin: Any, partner: Organisation
) -> None:
    response = client_for(org_admin).post(
        URL, {"target": partner.pk, "kind": "funding", "description": "Noch einmal"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in body
    assert 'value="Noch einmal"' in body
    assert CooperationLink.objects.count() == 1


def test_a_missing_kind_is_named_at_the_field(org_admin: Any, partner: Organisation) -> None:
    response = client_for(org_admin).post(URL, {"target": partner.pk})
    assert "error-summary" in response.content.decode()
    assert not CooperationLink.objects.exists()


def test_the_cooperation_page_is_for_admins_and_the_office_only(
    organisation: Organisation,
    partner_admin: Any,
    volunteer: Any,
    other_coordinator: Any,
    coordinator: Any,
) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    for person in (partner_admin, volunteer, other_coordinator):
        assert client_for(person).get(URL).status_code == 403
    assert client_for(coordinator).get(URL).status_code == 200


def test_an_unpublished_organisation_is_not_found_for_outsiders(
    municipality: Any, volunteer: Any, coordinator: Any
) -> None:
    services.organisation_create(
        actor="test", municipality=municipality, name="Geheim", type="club", sector="civil_society"
    )
    url = "/musterstadt/akteure/geheim/kooperationen/"
    assert client_for(volunteer).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 200


def test_an_organisation_of_another_municipality_is_not_found_here(
    foreign: Organisation, other_coordinator: Any
) -> None:
    url = f"/musterstadt/akteure/{foreign.slug}/kooperationen/"
    assert client_for(other_coordinator).get(url).status_code == 404


def test_removing_a_link_asks_for_confirmation_first(
    link: CooperationLink, partner_admin: Any, partner: Organisation
) -> None:
    url = f"/musterstadt/akteure/{partner.slug}/kooperationen/{link.pk}/entfernen/"
    client = client_for(partner_admin)

    page = client.get(url)
    assert page.status_code == 200
    assert "Tafel Musterstadt e. V." in page.content.decode()
    assert CooperationLink.objects.exists()

    response = client.post(url)
    assert response.status_code == 302
    assert not CooperationLink.objects.exists()


def test_removing_is_refused_for_outsiders_and_unknown_links_are_not_found(
    link: CooperationLink, volunteer: Any, coordinator: Any, other_coordinator: Any
) -> None:
    url = f"{URL}{link.pk}/entfernen/"
    assert client_for(volunteer).post(url).status_code == 403
    assert client_for(other_coordinator).post(url).status_code == 403
    assert client_for(coordinator).post(f"{URL}{link.pk + 999}/entfernen/").status_code == 404
    assert CooperationLink.objects.exists()
