"""The office manages its Stadtteile and its team."""

from __future__ import annotations

from typing import Any

from conftest import client_for, make_user
from gemeinsinn.accounts.models import Role, RoleGrant
from gemeinsinn.core.models import AuditEvent, TownDistrict


def test_the_office_adds_renames_and_removes_a_district_with_confirmation(
    municipality: Any, coordinator: Any
) -> None:
    client = client_for(coordinator)
    assert (
        client.post("/musterstadt/verwaltung/stadtteile/", {"name": "Altstadt"}).status_code == 302
    )
    district = TownDistrict.objects.get(municipality=municipality)
    assert district.slug == "altstadt"
    client.post(
        "/musterstadt/verwaltung/stadtteile/altstadt/",
        {"action": "rename", "name": "Historische Altstadt"},
    )
    district.refresh_from_db()
    assert district.name == "Historische Altstadt"
    # The first delete only asks.
    confirm = client.post("/musterstadt/verwaltung/stadtteile/altstadt/", {"action": "delete"})
    assert confirm.status_code == 200
    assert TownDistrict.objects.filter(pk=district.pk).exists()
    client.post(
        "/musterstadt/verwaltung/stadtteile/altstadt/", {"action": "delete", "confirmed": "1"}
    )
    assert not TownDistrict.objects.filter(pk=district.pk).exists()
    actions = set(
        AuditEvent.objects.filter(municipality=municipality).values_list("action", flat=True)
    )
    assert {"district.created", "district.renamed", "district.deleted"} <= actions


def test_a_duplicate_or_empty_district_name_gets_a_clear_message(
    municipality: Any, coordinator: Any
) -> None:
    client = client_for(coordinator)
    client.post("/musterstadt/verwaltung/stadtteile/", {"name": "Nord"})
    page = client.post("/musterstadt/verwaltung/stadtteile/", {"name": "Nord"}).content.decode()
    assert "exists already" in page or "gibt es schon" in page
    assert TownDistrict.objects.filter(municipality=municipality).count() == 1
    client.post("/musterstadt/verwaltung/stadtteile/nord/", {"action": "rename", "name": "  "})
    assert TownDistrict.objects.get(municipality=municipality).name == "Nord"


def test_another_municipality_cannot_touch_our_districts(
    municipality: Any, other_coordinator: Any
) -> None:
    TownDistrict.objects.create(municipality=municipality, name="Süd", slug="sued")
    response = client_for(other_coordinator).post(
        "/beispielhausen/verwaltung/stadtteile/sued/", {"action": "delete", "confirmed": "1"}
    )
    assert response.status_code == 404
    assert TownDistrict.objects.filter(slug="sued").exists()


def test_the_office_gives_a_registered_person_a_role_and_takes_it_away(
    municipality: Any, coordinator: Any
) -> None:
    colleague = make_user("neue.kollegin@musterstadt.example")
    client = client_for(coordinator)
    client.post(
        "/musterstadt/verwaltung/team/",
        {"email": "Neue.Kollegin@musterstadt.example", "role": "coordinator"},
    )
    grant = RoleGrant.objects.get(user=colleague)
    assert grant.role == Role.COORDINATOR
    assert grant.municipality == municipality
    assert (
        "neue.kollegin@musterstadt.example"
        in client.get("/musterstadt/verwaltung/team/").content.decode()
    )
    client.post(f"/musterstadt/verwaltung/team/{grant.pk}/entfernen/")
    assert not RoleGrant.objects.filter(user=colleague).exists()
    assert AuditEvent.objects.filter(action="role.revoked", municipality=municipality).exists()


def test_an_unknown_email_gets_a_clear_message(municipality: Any, coordinator: Any) -> None:
    page = (
        client_for(coordinator)
        .post("/musterstadt/verwaltung/team/", {"email": "niemand@example.org", "role": "partner"})
        .content.decode()
    )
    assert "niemand@example.org" in page
    assert RoleGrant.objects.filter(role="partner").count() == 0


def test_a_coordinator_cannot_remove_their_own_office_role(
    municipality: Any, coordinator: Any
) -> None:
    own = RoleGrant.objects.get(user=coordinator)
    client_for(coordinator).post(f"/musterstadt/verwaltung/team/{own.pk}/entfernen/")
    assert RoleGrant.objects.filter(pk=own.pk).exists()


def test_volunteers_and_other_offices_cannot_give_roles(
    municipality: Any, volunteer: Any, other_coordinator: Any
) -> None:
    for person in (volunteer, other_coordinator):
        response = client_for(person).post(
            "/musterstadt/verwaltung/team/", {"email": person.email, "role": "coordinator"}
        )
        assert response.status_code == 403
    assert (
        not RoleGrant.objects.filter(municipality=municipality, role="coordinator")
        .exclude(user__email="clara.coord@musterstadt.example")
        .exists()
    )
