"""geo_lookup.locate: postcodes, derived postcode centres, Stadtteile, and the geocoder (mocked;
off by default, when no request may leave the machine)."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest

from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.opportunities import geo_lookup
from gemeinsinn.opportunities.geo import Point
from gemeinsinn.opportunities.models import Opportunity, PostcodeLocation
from gemeinsinn.opportunities.tests.test_search_support import (
    district,
    make_opportunity,
    town_fixture,
)

__all__ = ["town_fixture"]

GEOCODER = "https://geocoder.example/search"


def answer(payload: Any) -> mock.MagicMock:
    response = mock.MagicMock()
    response.__enter__.return_value = io.BytesIO(json.dumps(payload).encode())
    return response


def org_at(municipality: Any, name: str, lat: str, lon: str, **extra: Any) -> Organisation:
    organisation = actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name=name,
        type="club",
        sector="civil_society",
        published=True,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        **extra,
    )
    return organisation


def test_a_known_postcode_is_located_from_the_table(town: Any) -> None:
    PostcodeLocation.objects.create(postcode="83022", latitude=47.85, longitude=12.12)
    assert geo_lookup.locate(municipality=town, text=" 83022 ") == Point(47.85, 12.12)
    assert geo_lookup.locate(municipality=town, text="83022 Rosenheim") == Point(47.85, 12.12)


def test_an_unknown_postcode_is_derived_from_public_addresses_and_remembered(
    town: Any, organisation: Any
) -> None:
    make_opportunity(organisation, "A", postcode="83024", latitude=47.80, longitude=12.10)
    make_opportunity(organisation, "B", postcode="83024", latitude=47.90, longitude=12.20)
    # Not live: does not count.
    make_opportunity(
        organisation,
        "C",
        postcode="83024",
        latitude=10.0,
        longitude=10.0,
        status=Opportunity.Status.DRAFT,
    )
    org_at(town, "Verein Süd", "47.85", "12.15", postcode="83024")
    # Shows its street to members only: its coordinates must not count.
    hidden = org_at(town, "Verein Privat", "10.0", "10.0", postcode="83024")
    hidden.visibility = {"street": "members"}
    hidden.save(update_fields=["visibility"])
    point = geo_lookup.locate(municipality=town, text="83024")
    assert point is not None
    assert point.latitude == pytest.approx(47.85)
    assert point.longitude == pytest.approx(12.15)
    stored = PostcodeLocation.objects.get(postcode="83024")
    assert stored.source == PostcodeLocation.Source.DERIVED
    assert (stored.latitude, stored.longitude) == pytest.approx((47.85, 12.15))


def test_a_stadtteil_is_located_at_the_centre_of_its_opportunities_and_organisations(
    town: Any, organisation: Any
) -> None:
    altstadt = district(town, "altstadt")
    make_opportunity(organisation, "A", district=altstadt, latitude=47.80, longitude=12.00)
    verein = org_at(town, "Verein Altstadt", "47.90", "12.20")
    verein.districts.add(altstadt)
    expected = Point(47.85, 12.10)
    for text in ("Altstadt", "altstadt", "ALTSTADT"):
        point = geo_lookup.locate(municipality=town, text=text)
        assert point is not None
        assert (point.latitude, point.longitude) == pytest.approx(
            (expected.latitude, expected.longitude)
        )


def test_without_a_geocoder_an_address_is_not_found_and_nothing_leaves_the_machine(
    town: Any, settings: Any
) -> None:
    assert settings.GEOCODER_URL == ""
    with mock.patch("urllib.request.urlopen") as urlopen:
        assert geo_lookup.locate(municipality=town, text="Hauptstraße 5") is None
        assert geo_lookup.locate(municipality=town, text="99999") is None
        assert geo_lookup.locate(municipality=town, text="Nordend") is None  # no addresses yet
    urlopen.assert_not_called()
    assert not PostcodeLocation.objects.exists()


def test_with_a_geocoder_an_address_in_town_is_asked_once_a_day(town: Any, settings: Any) -> None:
    settings.GEOCODER_URL = GEOCODER
    settings.GEOCODER_TIMEOUT_SECONDS = 2
    with mock.patch(
        "urllib.request.urlopen", return_value=answer([{"lat": "47.8571", "lon": "12.1181"}])
    ) as urlopen:
        assert geo_lookup.locate(municipality=town, text="Hauptstraße 5") == Point(47.8571, 12.1181)
        assert geo_lookup.locate(municipality=town, text="hauptstraße  5") == Point(
            47.8571, 12.1181
        )
    assert urlopen.call_count == 1
    request = urlopen.call_args.args[0]
    assert request.full_url.startswith(GEOCODER + "?")
    assert "q=Hauptstra%C3%9Fe+5%2C+Musterstadt" in request.full_url
    assert "countrycodes=de" in request.full_url
    assert urlopen.call_args.kwargs["timeout"] == 2


def test_a_geocoded_postcode_is_kept_in_the_postcode_table(town: Any, settings: Any) -> None:
    settings.GEOCODER_URL = GEOCODER
    with mock.patch(
        "urllib.request.urlopen", return_value=answer([{"lat": "48.1", "lon": "11.5"}])
    ):
        assert geo_lookup.locate(municipality=town, text="80331") == Point(48.1, 11.5)
    stored = PostcodeLocation.objects.get(postcode="80331")
    assert stored.source == PostcodeLocation.Source.GEOCODED


def test_a_geocoder_that_finds_nothing_or_fails_gives_no_place(town: Any, settings: Any) -> None:
    settings.GEOCODER_URL = GEOCODER
    with mock.patch("urllib.request.urlopen", return_value=answer([])) as urlopen:
        assert geo_lookup.locate(municipality=town, text="Nirgendwo 1") is None
        assert geo_lookup.locate(municipality=town, text="Nirgendwo 1") is None
    assert urlopen.call_count == 1  # "not found" is cached too
    with mock.patch("urllib.request.urlopen", side_effect=TimeoutError("slow")) as urlopen:
        assert geo_lookup.locate(municipality=town, text="Irgendwo 2") is None
        assert geo_lookup.locate(municipality=town, text="Irgendwo 2") is None
    assert urlopen.call_count == 2  # a failure is not cached
    with mock.patch("urllib.request.urlopen", return_value=answer([{"lat": "x"}])):
        assert geo_lookup.locate(municipality=town, text="Kaputt 3") is None


def test_the_visitor_s_position_is_rounded_to_three_decimals() -> None:
    assert geo_lookup.rounded_position(latitude=47.856789, longitude=12.123456) == Point(
        47.857, 12.123
    )
