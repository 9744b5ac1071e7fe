"""/api/v1/me/recommendations and /api/v1/me/profile for the signed-in person."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from conftest import client_for
from gemeinsinn.opportunities.models import VolunteerProfile
from gemeinsinn.opportunities.services.taxonomy import skills_ensure
from gemeinsinn.opportunities.tests.test_matching_recommendations import (
    field,
    make_opportunity,
    make_profile,
)

RECOMMENDATIONS = "/api/v1/me/recommendations"
PROFILE = "/api/v1/me/profile"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_recommendations_come_with_score_and_reasons(
    municipality: Any, organisation: Any, volunteer: Any
) -> None:
    make_profile(volunteer, municipality, interests=["soziales"])
    opportunity = make_opportunity(organisation, "Tafel", fields=["soziales"], km_north=2)
    make_opportunity(organisation, "Anderes", fields=["sport-bewegung"], km_north=2)

    response = client_for(volunteer).get(
        RECOMMENDATIONS, {"municipality": "musterstadt"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    first, second = response.json()
    assert first["opportunity"]["public_id"] == str(opportunity.public_id)
    assert first["opportunity"]["organisation"] == "Tafel Musterstadt e. V."
    assert first["opportunity"]["url"].endswith(
        f"/musterstadt/engagement/angebot/{opportunity.public_id}/"
    )
    assert first["explanation"].startswith("fits your interest Sozialer Bereich; 2.0 km away")
    assert first["distance_km"] == pytest.approx(2.0, abs=0.01)
    assert 0 <= second["score"] < first["score"] <= 1


def test_the_api_needs_a_signed_in_person_and_a_known_municipality(
    municipality: Any, volunteer: Any
) -> None:
    assert client_for(None).get(RECOMMENDATIONS, {"municipality": "musterstadt"}).status_code == 401
    assert client_for(None).get(PROFILE).status_code == 401
    response = client_for(volunteer).get(RECOMMENDATIONS, {"municipality": "nirgendwo"})
    assert response.status_code == 404
    municipality.enabled_modules = ["actors"]
    municipality.save()
    response = client_for(volunteer).get(RECOMMENDATIONS, {"municipality": "musterstadt"})
    assert response.status_code == 404


def test_a_person_without_profile_gets_an_empty_list_and_404_for_the_profile(
    municipality: Any, volunteer: Any
) -> None:
    client = client_for(volunteer)
    assert client.get(RECOMMENDATIONS, {"municipality": "musterstadt"}).json() == []
    assert client.get(PROFILE).status_code == 404


def test_the_profile_is_written_and_read_with_slugs_and_slot_keys(
    municipality: Any, volunteer: Any
) -> None:
    field(municipality, "soziales")
    skills_ensure(municipality=municipality)
    client = client_for(volunteer)
    body = {
        "interests": ["soziales"],
        "skills": ["kochen"],
        "time_slots": ["tue_evening"],
        "radius_km": 12,
        "suggest_to_organisations": True,
    }
    response = client.put(
        f"{PROFILE}?municipality=musterstadt", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    data = client.get(PROFILE).json()
    assert data["interests"] == ["soziales"]
    assert data["skills"] == ["kochen"]
    assert data["time_slots"] == ["tue_evening"]
    assert data["radius_km"] == 12
    assert data["municipality"] == "musterstadt"
    assert data["located"] is False
    assert VolunteerProfile.objects.get(user=volunteer).suggest_to_organisations is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"time_slots": ["tue_midnight"]}, "Unknown time slot"),
        ({"interests": ["gibt-es-nicht"]}, "Unknown interests: gibt-es-nicht"),
        ({"district": "nirgends"}, "Unknown Stadtteil"),
        ({"radius_km": 0}, "between 1 and 200 km"),
        ({"postcode": "abc"}, "five digits"),
    ],
)
def test_bad_profile_input_answers_400_with_the_reason(
    municipality: Any, volunteer: Any, body: dict[str, Any], message: str
) -> None:
    response = client_for(volunteer).put(
        f"{PROFILE}?municipality=musterstadt",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not VolunteerProfile.objects.filter(user=volunteer).exists()
