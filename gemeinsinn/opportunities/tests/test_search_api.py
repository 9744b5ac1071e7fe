"""GET /api/v1/opportunities and /api/v1/opportunities/{public_id}: the same search as the page,
clear errors for bad input, only live opportunities of towns with the exchange switched on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import client_for
from gemeinsinn.opportunities.models import Opportunity, PostcodeLocation, slots_from_keys
from gemeinsinn.opportunities.tests.test_search_support import (
    CENTRE,
    district,
    english_fixture,
    make_opportunity,
    point_at,
    town_fixture,
)

__all__ = ["english_fixture", "town_fixture"]

pytestmark = pytest.mark.usefixtures("english")

LIST = "/api/v1/opportunities"


@pytest.fixture
def listings(town: Any, organisation: Any) -> dict[str, Opportunity]:
    now = timezone.now()
    return {
        "senioren": make_opportunity(
            organisation,
            "Seniorenbegleitung",
            fields=["soziales"],
            district=district(town, "altstadt"),
            time_slots=slots_from_keys(["tue_evening"]),
            at=point_at(1.22),
            published_at=now - timedelta(days=2),
            for_seniors=True,
            skills=["fahren"],
            contact_email="otto@tafel.example",
        ),
        "sport": make_opportunity(
            organisation,
            "Fußballtraining",
            kind="one_off",
            fields=["sport-bewegung"],
            at=point_at(8),
            published_at=now - timedelta(days=1),
        ),
        "online": make_opportunity(
            organisation, "Online-Nachhilfe", is_remote=True, published_at=now
        ),
    }


def get(**params: Any) -> Any:
    return client_for(None).get(LIST, {"municipality": "musterstadt", **params})


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["title"] for r in response.json()["results"]]


def test_the_list_returns_live_opportunities_newest_first(listings: Any) -> None:
    response = get()
    assert names(response) == ["Online-Nachhilfe", "Fußballtraining", "Seniorenbegleitung"]
    data = response.json()
    assert (data["count"], data["page"], data["pages"], data["sort"]) == (3, 1, 1, "newest")
    senioren = data["results"][2]
    assert senioren["organisation"] == {
        "name": "Tafel Musterstadt e. V.",
        "slug": listings["senioren"].organisation.slug,
    }
    assert senioren["fields"] == [{"slug": "soziales", "name": "Sozialer Bereich"}]
    assert senioren["district"] == {"slug": "altstadt", "name": "Altstadt"}
    assert senioren["time_slots"] == ["tue_evening"]
    assert senioren["distance_km"] is None
    assert senioren["url"] == (
        f"http://testserver/musterstadt/engagement/angebot/{listings['senioren'].public_id}/"
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Senioren"}, ["Seniorenbegleitung"]),
        ({"field": ["soziales", "sport-bewegung"]}, ["Fußballtraining", "Seniorenbegleitung"]),
        ({"kind": "one_off"}, ["Fußballtraining"]),
        ({"district": "altstadt"}, ["Seniorenbegleitung"]),
        ({"seniors": "true"}, ["Seniorenbegleitung"]),
        ({"remote": "true"}, ["Online-Nachhilfe"]),
        # Opportunities without fixed times fit any time.
        (
            {"day": "tue", "part": "evening"},
            ["Online-Nachhilfe", "Fußballtraining", "Seniorenbegleitung"],
        ),
        ({"day": "mon", "part": "morning"}, ["Online-Nachhilfe", "Fußballtraining"]),
    ],
)
def test_the_filters_work_as_on_the_page(
    listings: Any, params: dict[str, Any], expected: list[str]
) -> None:
    assert names(get(**params)) == expected


def test_a_radius_search_around_a_position_or_a_postcode_sorts_by_distance(
    listings: Any,
) -> None:
    response = get(near=f"{CENTRE.latitude},{CENTRE.longitude}", radius_km=5, sort="distance")
    assert names(response) == ["Seniorenbegleitung"]
    assert response.json()["results"][0]["distance_km"] == 1.2
    assert response.json()["sort"] == "distance"
    PostcodeLocation.objects.create(
        postcode="83022", latitude=CENTRE.latitude, longitude=CENTRE.longitude
    )
    assert names(get(postcode="83022", radius_km=10, sort="distance", remote="true")) == [
        "Seniorenbegleitung",
        "Fußballtraining",
        "Online-Nachhilfe",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"field": "gibt-es-nicht"}, "field: Select a valid choice."),
        ({"kind": "sometimes"}, "kind: Select a valid choice."),
        ({"sort": "alphabetical"}, "sort: Select a valid choice."),
        ({"near": "47.8"}, 'near: give the position as "latitude,longitude".'),
        ({"near": "91,12"}, "near: Ensure this value is less than or equal to 90."),
        ({"near": "abc,def"}, "near: Enter a number."),
        ({"postcode": "8302"}, "postcode: a postcode has five digits."),
        ({"postcode": "99999"}, "postcode: We could not find this place."),
        ({"postcode": "83022", "near": "47.8,12.1"}, "give a position or a postcode, not both"),
        ({"sort": "distance"}, "sort: Enter a place or use your position to sort by distance."),
    ],
)
def test_bad_input_answers_400_with_the_reason(
    listings: Any, params: dict[str, str], message: str
) -> None:
    response = get(**params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize("params", [{"page": "zwei"}, {"page": "0"}, {"radius_km": "weit"}])
def test_values_of_the_wrong_type_answer_422(listings: Any, params: dict[str, str]) -> None:
    assert get(**params).status_code == 422


def test_an_unknown_or_switched_off_municipality_is_not_found(
    listings: Any, town: Any, other_municipality: Any
) -> None:
    assert client_for(None).get(LIST, {"municipality": "nirgendwo"}).status_code == 404
    town.enabled_modules = ["actors"]
    town.save(update_fields=["enabled_modules"])
    assert get().status_code == 404
    assert client_for(None).get(LIST).status_code == 422  # municipality is required


def test_pages_of_fifty(town: Any, organisation: Any) -> None:
    for n in range(55):
        make_opportunity(organisation, f"Angebot {n:02}")
    first = get().json()
    assert (first["count"], first["pages"], len(first["results"])) == (55, 2, 50)
    assert len(get(page=2).json()["results"]) == 5
    assert get(page=3).json()["results"] == []


def test_the_detail_shows_a_live_opportunity_and_hides_everything_else(
    listings: Any, organisation: Any
) -> None:
    senioren = listings["senioren"]
    response = client_for(None).get(f"{LIST}/{senioren.public_id}")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Seniorenbegleitung"
    assert data["for_seniors"] is True
    assert data["municipality"] == "musterstadt"
    assert data["contact_email"] == "otto@tafel.example"
    assert data["skills"] == [{"slug": "fahren", "name": "Fahren (Führerschein)"}]
    draft = make_opportunity(organisation, "Entwurf", status=Opportunity.Status.DRAFT)
    expired = make_opportunity(
        organisation, "Vorbei", expires_on=timezone.localdate() - timedelta(days=1)
    )
    for hidden in (draft, expired):
        assert client_for(None).get(f"{LIST}/{hidden.public_id}").status_code == 404
    assert client_for(None).get(f"{LIST}/not-a-uuid").status_code == 422


def test_the_list_costs_the_same_queries_for_few_and_many(
    town: Any, organisation: Any, django_assert_num_queries: Any
) -> None:
    make_opportunity(organisation, "Garten 1", fields=["soziales"], at=point_at(1))
    params = {"q": "Garten", "field": "soziales", "near": "47.856,12.128", "radius_km": 10}
    # municipality, 4 filter vocabularies, count, rows, their fields of engagement
    with django_assert_num_queries(8):
        assert len(names(get(**params))) == 1
    for n in range(30):
        make_opportunity(organisation, f"Garten {n}", fields=["soziales"], at=point_at(2))
    with django_assert_num_queries(8):
        assert len(names(get(**params))) == 31
