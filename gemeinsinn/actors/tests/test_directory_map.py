"""The map /<town>/akteure/karte/ and its points; the tile server setting and the CSP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest

from conftest import client_for
from gemeinsinn.actors.models import Organisation
from gemeinsinn.actors.tests.test_directory import org

MAP = "/musterstadt/akteure/karte/"
POINTS = "/musterstadt/akteure/karte/punkte/"


def located(municipality: Any, name: str, lat: str, lon: str, **extra: Any) -> Organisation:
    return org(municipality, name, latitude=Decimal(lat), longitude=Decimal(lon), **extra)


@pytest.fixture
def town(municipality: Any) -> Any:
    located(municipality, "Tafel Musterstadt", "47.856100", "12.128200", type="club")
    located(municipality, "Seniorenbüro", "47.860000", "12.130000", type="senior_office")
    located(municipality, "Noch geheim", "47.850000", "12.120000", published=False)
    org(municipality, "Ohne Adresse")
    return municipality


def test_the_points_are_geojson_of_published_organisations_with_coordinates(town: Any) -> None:
    response = client_for(None).get(POINTS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    assert set(by_name) == {"Tafel Musterstadt", "Seniorenbüro"}
    tafel = by_name["Tafel Musterstadt"]
    assert tafel["geometry"] == {"type": "Point", "coordinates": [12.1282, 47.8561]}
    assert tafel["properties"]["url"] == "/musterstadt/akteure/tafel-musterstadt/"


def test_the_points_are_filtered_like_the_directory(town: Any) -> None:
    data = client_for(None).get(POINTS, {"type": "senior_office"}).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Seniorenbüro"]
    data = client_for(None).get(POINTS, {"q": "Tafel"}).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Tafel Musterstadt"]
    # A bad value is ignored here as on the page, which shows the error.
    assert len(client_for(None).get(POINTS, {"type": "ufo"}).json()["features"]) == 2


def test_the_map_page_lists_the_same_organisations_beside_the_map(town: Any) -> None:
    response = client_for(None).get(MAP, {"q": "Tafel"})
    assert response.status_code == 200
    html = response.content.decode()
    assert [o.name for o in response.context["page"].object_list] == ["Tafel Musterstadt"]
    assert 'data-points="/musterstadt/akteure/karte/punkte/?q=Tafel"' in html
    assert 'href="/musterstadt/akteure/tafel-musterstadt/"' in html
    assert "/static/leaflet/leaflet.js" in html
    assert "/static/actors/map.js" in html


def test_without_a_tile_server_the_map_asks_no_other_host(town: Any, settings: Any) -> None:
    settings.MAP_TILE_URL = ""
    response = client_for(None).get(MAP)
    html = response.content.decode()
    assert 'data-tiles=""' in html
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    policy = response["Content-Security-Policy"]
    img = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert img.split() == ["img-src", "'self'", "data:"]


def test_a_configured_tile_server_reaches_the_page(town: Any, settings: Any) -> None:
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Kartenanbieter"
    html = client_for(None).get(MAP).content.decode()
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="© Kartenanbieter"' in html


def _csp_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "GEMEINSINN_DEV": "1", "DJANGO_SETTINGS_MODULE": "gemeinsinn.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_tile_servers_host_and_only_it_joins_the_csp() -> None:
    result = _csp_with({"GEMEINSINN_MAP_TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["'self'", "data:", "https://*.tiles.example.org"]
    result = _csp_with({})
    assert json.loads(result.stdout) == ["'self'", "data:"]


@pytest.mark.parametrize(
    "url", ["http://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/tile.png"]
)
def test_a_bad_tile_url_stops_start_up_and_names_the_variable(url: str) -> None:
    result = _csp_with({"GEMEINSINN_MAP_TILE_URL": url})
    assert result.returncode != 0
    assert "GEMEINSINN_MAP_TILE_URL" in result.stderr


def test_the_map_without_located_organisations_says_what_to_do(municipality: Any) -> None:
    org(municipality, "Ohne Adresse")
    html = client_for(None).get(MAP, headers={"Accept-Language": "en"}).content.decode()
    assert "No organisation has an address on the map yet." in html
    assert "leaflet.js" not in html
    none = client_for(None).get(MAP, {"q": "Raumfahrt"}, headers={"Accept-Language": "en"})
    assert "No organisation with an address matches your search." in none.content.decode()


def test_another_municipalitys_points_stay_apart(town: Any, other_municipality: Any) -> None:
    located(other_municipality, "Beispielverein", "50.800000", "7.200000")
    names = {f["properties"]["name"] for f in client_for(None).get(POINTS).json()["features"]}
    assert "Beispielverein" not in names
    other = client_for(None).get("/beispielhausen/akteure/karte/punkte/").json()
    assert [f["properties"]["name"] for f in other["features"]] == ["Beispielverein"]


@pytest.mark.parametrize("who", ["anonymous", "volunteer", "coordinator", "other_coordinator"])
def test_everybody_gets_the_same_public_points(town: Any, who: str, request: Any) -> None:
    user = None if who == "anonymous" else request.getfixturevalue(who)
    features = client_for(user).get(POINTS).json()["features"]
    assert len(features) == 2
    assert client_for(user).get(MAP).status_code == 200


def test_the_points_cost_the_same_queries_for_few_and_many(
    municipality: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        located(municipality, f"Verein {n}", "47.85", "12.12")
    client = client_for(None)
    client.get(POINTS)
    with django_assert_max_num_queries(8):
        assert len(client.get(POINTS).json()["features"]) == 30


def test_an_organisation_that_hides_its_street_is_not_on_the_map_nor_located_in_the_api(
    municipality: Any,
) -> None:
    from decimal import Decimal

    from conftest import client_for
    from gemeinsinn.actors import services

    hidden = services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Frauenhaus Musterstadt",
        type="other",
        sector="civil_society",
        published=True,
    )
    hidden.latitude, hidden.longitude = Decimal("47.85"), Decimal("12.12")
    hidden.visibility = {**hidden.visibility, "street": "office"}
    hidden.save()
    points = client_for(None).get("/musterstadt/akteure/karte/punkte/").json()
    assert "Frauenhaus Musterstadt" not in str(points)
    data = client_for(None).get(f"/api/v1/organisations/musterstadt/{hidden.slug}").json()
    assert data["latitude"] is None
    assert data["longitude"] is None


def test_the_list_beside_the_map_leaves_out_organisations_that_hide_their_street(
    municipality: Any,
) -> None:
    from decimal import Decimal

    from conftest import client_for
    from gemeinsinn.actors import services

    shown = services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Sichtbarer Verein",
        type="club",
        sector="civil_society",
        published=True,
        latitude=Decimal("47.85"),
        longitude=Decimal("12.12"),
    )
    hidden = services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Verborgener Verein",
        type="club",
        sector="civil_society",
        published=True,
        latitude=Decimal("47.86"),
        longitude=Decimal("12.13"),
    )
    hidden.visibility = {**hidden.visibility, "street": "members"}
    hidden.save()
    page = client_for(None).get("/musterstadt/akteure/karte/").content.decode()
    assert shown.name in page
    assert hidden.name not in page
