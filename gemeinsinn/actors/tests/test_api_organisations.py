"""/api/v1/organisations: the directory over the API, public data only, per municipality."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conftest import client_for
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.actors.tests.test_directory import org
from gemeinsinn.core.models import TownDistrict

LIST = "/api/v1/organisations"
DETAIL = "/api/v1/organisations/musterstadt/tafel-musterstadt-e-v"


@pytest.fixture
def town(organisation: Organisation) -> Any:
    municipality = organisation.municipality
    actor_services.taxonomies_ensure(municipality=municipality)
    TownDistrict.objects.create(municipality=municipality, name="Altstadt", slug="altstadt")
    organisation.engagement_fields.set(municipality.fields_of_engagement.filter(slug="soziales"))
    organisation.districts.set(municipality.districts.all())
    organisation.email = "info@tafel.example"
    organisation.phone = "08031 4711"
    organisation.contact_name = "Karla Kontakt"
    organisation.latitude = Decimal("47.856")
    organisation.longitude = Decimal("12.128")
    organisation.visibility = {"email": "public", "phone": "members", "contact_name": "office"}
    organisation.save()
    org(
        municipality,
        "Verein für Sport",
        description="Fußball für Senioren",
        fields=["sport-bewegung"],
        type="club",
    )
    org(municipality, "Seniorenbüro", type="senior_office", sector="administration")
    org(municipality, "Unveröffentlicht", published=False, description="Senioren")
    return municipality


def _names(response: Any) -> list[str]:
    return [o["name"] for o in response.json()["results"]]


def test_the_list_has_the_published_organisations_of_the_municipality(town: Any) -> None:
    response = client_for(None).get(LIST, {"municipality": "musterstadt"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert data["page"] == 1
    assert data["pages"] == 1
    assert _names(response) == ["Seniorenbüro", "Tafel Musterstadt e. V.", "Verein für Sport"]
    tafel = data["results"][1]
    assert tafel["fields"] == [{"slug": "soziales", "name": "Sozialer Bereich"}]
    assert tafel["districts"] == [{"slug": "altstadt", "name": "Altstadt"}]
    assert tafel["latitude"] == 47.856
    assert tafel["url"] == "http://testserver/musterstadt/akteure/tafel-musterstadt-e-v/"
    assert "contact" not in tafel


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Senioren"}, ["Seniorenbüro", "Verein für Sport"]),
        ({"q": "Senioren", "type": "club"}, ["Verein für Sport"]),
        ({"sector": "administration"}, ["Seniorenbüro"]),
        ({"field": "soziales"}, ["Tafel Musterstadt e. V."]),
        ({"district": "altstadt"}, ["Tafel Musterstadt e. V."]),
        ({"target_group": "kinder"}, []),
    ],
)
def test_the_list_searches_and_filters_like_the_directory(
    town: Any, params: dict[str, str], expected: list[str]
) -> None:
    response = client_for(None).get(LIST, {"municipality": "musterstadt", **params})
    assert response.status_code == 200
    assert sorted(_names(response)) == expected


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"type": "spaceship"}, "type"),
        ({"sector": "pirates"}, "sector"),
        ({"field": "gibt-es-nicht"}, "field"),
        ({"target_group": "x"}, "target_group"),
        ({"district": "anderswo"}, "district"),
    ],
)
def test_a_bad_filter_value_answers_400_naming_the_parameter(
    town: Any, params: dict[str, str], named: str
) -> None:
    response = client_for(None).get(LIST, {"municipality": "musterstadt", **params})
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{named}: ")


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_a_bad_page_answers_422(town: Any, page: str) -> None:
    response = client_for(None).get(LIST, {"municipality": "musterstadt", "page": page})
    assert response.status_code == 422


def test_the_list_pages(town: Any) -> None:
    for n in range(55):
        org(town, f"Verein {n:02d}")
    first = client_for(None).get(LIST, {"municipality": "musterstadt"}).json()
    assert (first["count"], first["pages"], len(first["results"])) == (58, 2, 50)
    second = client_for(None).get(LIST, {"municipality": "musterstadt", "page": "2"}).json()
    assert len(second["results"]) == 8
    beyond = client_for(None).get(LIST, {"municipality": "musterstadt", "page": "9"}).json()
    assert beyond["results"] == []


def test_the_list_needs_a_known_municipality_with_the_module_on(town: Any) -> None:
    assert client_for(None).get(LIST).status_code == 422
    assert client_for(None).get(LIST, {"municipality": "nirgendwo"}).status_code == 404
    town.enabled_modules = ["opportunities"]
    town.save(update_fields=["enabled_modules"])
    assert client_for(None).get(LIST, {"municipality": "musterstadt"}).status_code == 404
    assert client_for(None).get(DETAIL).status_code == 404


def test_the_detail_has_only_public_contact_fields(town: Any) -> None:
    response = client_for(None).get(DETAIL)
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Tafel Musterstadt e. V."
    assert data["contact"]["email"] == "info@tafel.example"
    assert data["contact"]["phone"] is None
    assert data["contact"]["contact_name"] is None
    assert "08031 4711" not in response.content.decode()
    assert "Karla Kontakt" not in response.content.decode()
    assert data["fields"] == [{"slug": "soziales", "name": "Sozialer Bereich"}]
    assert data["premises_accessibility"] == "unknown"


@pytest.mark.parametrize("who", ["org_admin", "coordinator", "platform_admin"])
def test_logged_in_people_get_no_more_than_the_public(town: Any, who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    data = client_for(user).get(DETAIL).json()
    assert data["contact"]["phone"] is None
    assert data["contact"]["contact_name"] is None


def test_an_unpublished_organisation_is_not_found(town: Any, coordinator: Any) -> None:
    unpublished = Organisation.objects.get(name="Unveröffentlicht")
    url = f"/api/v1/organisations/musterstadt/{unpublished.slug}"
    assert client_for(None).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 404


def test_municipalities_are_kept_apart(town: Any, other_municipality: Any) -> None:
    org(other_municipality, "Beispielverein")
    data = client_for(None).get(LIST, {"municipality": "beispielhausen"}).json()
    assert [o["name"] for o in data["results"]] == ["Beispielverein"]
    assert (
        client_for(None).get(LIST, {"municipality": "musterstadt", "q": "Beispiel"}).json()["count"]
        == 0
    )
    assert (
        client_for(None).get("/api/v1/organisations/beispielhausen/tafel-musterstadt-e-v")
    ).status_code == 404
    assert client_for(None).get("/api/v1/organisations/musterstadt/beispielverein").status_code == (
        404
    )


def test_the_endpoints_are_in_the_openapi_document(db: None) -> None:
    paths = client_for(None).get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/organisations"]
    assert "get" in paths["/api/v1/organisations/{municipality}/{slug}"]
    parameters = {p["name"] for p in paths["/api/v1/organisations"]["get"]["parameters"]}
    assert parameters >= {"municipality", "q", "type", "sector", "field", "target_group"}


def test_the_list_costs_the_same_queries_for_few_and_many(
    town: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(None)
    client.get(LIST, {"municipality": "musterstadt"})
    for n in range(30):
        org(town, f"Verein {n}", fields=["sport-bewegung"])
    with django_assert_max_num_queries(9):
        client.get(LIST, {"municipality": "musterstadt", "q": "Verein"})
