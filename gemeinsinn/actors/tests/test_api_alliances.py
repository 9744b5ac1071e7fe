"""/api/v1/alliances: public alliances with members, steering group and target agreements."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Alliance, Organisation

pytestmark = pytest.mark.django_db

API = "/api/v1/alliances"


@pytest.fixture
def alliance(municipality: Any, organisation: Organisation, volunteer: Any) -> Alliance:
    alliance = services.alliance_create(
        actor="test",
        municipality=municipality,
        name="Bündnis für Familie",
        mission="Familienfreundlich.",
    )
    services.alliance_member_add(
        actor="test", alliance=alliance, organisation=organisation, is_steering=True
    )
    services.alliance_member_add(
        actor="test", alliance=alliance, user=volunteer, is_steering=True, notify=False
    )
    services.alliance_project_create(actor="test", alliance=alliance, title="Familienpaten")
    agreement = services.target_agreement_create(
        actor="test",
        alliance=alliance,
        goal="Mehr Paten",
        indicator="aktive Patenschaften",
        unit="Patenschaften",
        baseline=10,
        target_value=30,
        deadline=timezone.localdate() + timedelta(days=100),
        responsible=[organisation],
    )
    services.progress_update_add(
        actor="test", agreement=agreement, value="15.5", note="Zwischenstand"
    )
    return alliance


@pytest.fixture
def private(municipality: Any) -> Alliance:
    return services.alliance_create(
        actor="test", municipality=municipality, name="Intern", is_public=False
    )


def test_the_list_has_the_public_alliances_of_the_municipality(
    alliance: Alliance, private: Alliance, other_municipality: Any
) -> None:
    services.alliance_create(actor="test", municipality=other_municipality, name="Fremd")

    response = client_for(None).get(API, {"municipality": "musterstadt"})

    assert response.status_code == 200
    (item,) = response.json()
    assert item["public_id"] == str(alliance.public_id)
    assert item["name"] == "Bündnis für Familie"
    assert item["municipality"] == "musterstadt"
    assert item["organisation_count"] == 1
    assert item["person_count"] == 1
    assert item["target_agreement_count"] == 1


def test_the_list_of_another_municipality_shows_only_its_own(
    alliance: Alliance, other_municipality: Any
) -> None:
    services.alliance_create(actor="test", municipality=other_municipality, name="Fremd")
    names = [
        a["name"] for a in client_for(None).get(API, {"municipality": "beispielhausen"}).json()
    ]
    assert names == ["Fremd"]


def test_an_unknown_or_switched_off_municipality_is_not_found(
    alliance: Alliance, municipality: Any
) -> None:
    assert client_for(None).get(API, {"municipality": "nirgendwo"}).status_code == 404
    municipality.enabled_modules = []
    municipality.save(update_fields=["enabled_modules"])
    assert client_for(None).get(API, {"municipality": "musterstadt"}).status_code == 404
    assert client_for(None).get(f"{API}/{alliance.public_id}").status_code == 404


def test_the_detail_has_members_steering_group_projects_and_progress(
    alliance: Alliance, organisation: Organisation
) -> None:
    data = client_for(None).get(f"{API}/{alliance.public_id}").json()

    assert data["mission"] == "Familienfreundlich."
    assert data["members"][0]["organisation"]["name"] == "Tafel Musterstadt e. V."
    assert data["members"][0]["organisation"]["public_id"] == str(organisation.public_id)
    assert data["members"][0]["steering"] is True
    assert [o["slug"] for o in data["steering_group"]] == ["tafel-musterstadt-e-v"]
    assert data["steering_person_count"] == 1
    assert data["projects"][0]["title"] == "Familienpaten"
    (agreement,) = data["target_agreements"]
    assert agreement["baseline"] == 10
    assert agreement["target_value"] == 30
    assert agreement["updates"] == [
        {"date": timezone.localdate().isoformat(), "value": 15.5, "note": "Zwischenstand"}
    ]
    assert agreement["progress"]["percent"] == 27
    assert agreement["progress"]["latest_value"] == 15.5
    assert agreement["progress"]["status"] in {"on_track", "behind", "reached", "overdue"}
    assert agreement["responsible"][0]["name"] == "Tafel Musterstadt e. V."


def test_individual_citizens_are_counted_but_never_named(
    alliance: Alliance, volunteer: Any
) -> None:
    body = client_for(None).get(f"{API}/{alliance.public_id}").content.decode()
    assert volunteer.email not in body
    assert "Vogel" not in body
    assert "Vera" not in body


def test_a_private_alliance_is_not_found_even_for_its_office(
    private: Alliance, coordinator: Any
) -> None:
    assert client_for(coordinator).get(f"{API}/{private.public_id}").status_code == 404
    assert client_for(None).get(f"{API}/{private.public_id}").status_code == 404


def test_unknown_and_malformed_ids_are_not_found() -> None:
    assert client_for(None).get(f"{API}/{uuid.uuid4()}").status_code == 404
    assert client_for(None).get(f"{API}/123").status_code == 404


def test_an_alliance_of_an_inactive_municipality_is_not_found(
    alliance: Alliance, municipality: Any
) -> None:
    municipality.is_active = False
    municipality.save(update_fields=["is_active"])
    assert client_for(None).get(f"{API}/{alliance.public_id}").status_code == 404


def test_the_endpoints_are_in_the_openapi_document() -> None:
    paths = client_for(None).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/alliances" in paths
    assert "/api/v1/alliances/{public_id}" in paths


def test_the_detail_costs_the_same_queries_for_small_and_large_alliances(
    alliance: Alliance, municipality: Any
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client_for(None).get(f"{API}/{alliance.public_id}").status_code == 200
        return len(context.captured_queries)

    few = queries()
    for n in range(6):
        org = services.organisation_create(
            actor="test",
            municipality=municipality,
            name=f"Verein {n}",
            type="club",
            sector="civil_society",
            published=True,
        )
        services.alliance_member_add(actor="test", alliance=alliance, organisation=org)
        agreement = services.target_agreement_create(
            actor="test",
            alliance=alliance,
            goal=f"Ziel {n}",
            indicator="x",
            target_value=5,
            deadline=timezone.localdate() + timedelta(days=10),
            responsible=[org],
        )
        services.progress_update_add(actor="test", agreement=agreement, value=1)
    assert queries() == few
