"""Defects found in review: editing through a listing town, the header link for steering
members, reserved slugs on import, labels in the import preview."""

from __future__ import annotations

from typing import Any

from conftest import client_for
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Alliance, AllianceMember, FieldOfEngagement, Organisation


def test_editing_through_a_listing_town_goes_to_the_home_town_and_keeps_the_fields(
    municipality: Any, other_municipality: Any, organisation: Any, org_admin: Any
) -> None:
    services.taxonomies_ensure(municipality=municipality)
    field = FieldOfEngagement.objects.get(municipality=municipality, slug="soziales")
    organisation.engagement_fields.add(field)
    organisation.listed_in.add(other_municipality)
    response = client_for(org_admin).get(f"/beispielhausen/akteure/{organisation.slug}/bearbeiten/")
    assert response.status_code == 302
    assert response["Location"] == f"/musterstadt/akteure/{organisation.slug}/bearbeiten/"
    client_for(org_admin).post(f"/beispielhausen/akteure/{organisation.slug}/bearbeiten/", {})
    assert list(organisation.engagement_fields.all()) == [field]


def test_a_steering_member_does_not_get_the_office_link_on_alliance_pages(
    municipality: Any, organisation: Any, org_admin: Any
) -> None:
    alliance = Alliance.objects.create(
        municipality=municipality, name="Bündnis Ehrenamt", slug="ehrenamt"
    )
    AllianceMember.objects.create(alliance=alliance, organisation=organisation, is_steering=True)
    page = client_for(org_admin).get("/musterstadt/akteure/buendnisse/ehrenamt/").content.decode()
    assert 'href="/musterstadt/verwaltung/"' not in page


def test_an_imported_organisation_named_like_a_page_gets_another_slug(
    municipality: Any, coordinator: Any
) -> None:
    content = b"Name;Typ;Sektor\nKarte;Verein;Zivilgesellschaft\n"
    batch = services.import_preview_create(
        actor=coordinator, municipality=municipality, filename="k.csv", data=content
    ).batch
    services.import_apply(actor=coordinator, batch=batch, actions={}, overwrite={})
    assert Organisation.objects.get(name="Karte").slug == "karte-organisation"
