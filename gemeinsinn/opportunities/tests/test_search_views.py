"""The search page /<town>/engagement/: results, cards, shareable URLs, bad input, htmx, pages,
feeds, the position, query counts and isolation."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from conftest import client_for
from gemeinsinn.actors import services as actor_services
from gemeinsinn.opportunities.models import PostcodeLocation, slots_from_keys
from gemeinsinn.opportunities.tests.test_search_support import (
    CENTRE,
    district,
    english_fixture,
    make_opportunity,
    point_at,
    town_fixture,
    url,
)

__all__ = ["english_fixture", "town_fixture"]

pytestmark = pytest.mark.usefixtures("english")

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own output, not untrusted input


def shown(response: Any) -> list[str]:
    return [r.opportunity.title for r in response.context["results"]]


@pytest.fixture
def listings(town: Any, organisation: Any) -> Any:
    make_opportunity(
        organisation,
        "Seniorenbegleitung",
        description="Ältere Menschen beim Einkaufen begleiten.",
        fields=["soziales"],
        district=district(town, "altstadt"),
        time_slots=slots_from_keys(["tue_evening", "thu_evening"]),
        hours_per_week=2,
        at=point_at(1.2),
    )
    make_opportunity(
        organisation,
        "Fußballtraining",
        fields=["sport-bewegung"],
        district=district(town, "nordend"),
        at=point_at(8),
        for_young_people=True,
    )
    make_opportunity(organisation, "Online-Nachhilfe", is_remote=True, kind="flexible")
    return town


def test_the_search_page_lists_live_opportunities_with_their_cards(listings: Any) -> None:
    response = client_for(None).get(url("search", listings))
    assert response.status_code == 200
    assert "opportunities/search.html" in [t.name for t in response.templates]
    assert sorted(shown(response)) == ["Fußballtraining", "Online-Nachhilfe", "Seniorenbegleitung"]
    page = response.content.decode()
    assert "3 opportunities found" in page
    senioren = response.context["results"][2].opportunity
    detail = url("detail", listings, public_id=senioren.public_id)
    assert f'<a href="{detail}">Seniorenbegleitung</a>' in page
    assert "Tafel Musterstadt e. V." in page
    assert "Tuesday, Thursday: evenings" in page
    assert "2 hours a week" in page
    assert "Sozialer Bereich" in page
    assert "can be done from home" in page
    assert "Time is flexible" in page


def test_a_search_with_a_postcode_shows_distances_nearest_first(
    listings: Any, organisation: Any
) -> None:
    PostcodeLocation.objects.create(
        postcode="83022", latitude=CENTRE.latitude, longitude=CENTRE.longitude
    )
    response = client_for(None).get(
        url("search", listings), {"place": "83022", "radius_km": "10", "sort": "distance"}
    )
    assert shown(response) == ["Seniorenbegleitung", "Fußballtraining"]
    assert "1.2 km away" in response.content.decode()
    assert response.context["sort"] == "distance"
    smaller = client_for(None).get(url("search", listings), {"place": "83022", "radius_km": "5"})
    assert shown(smaller) == ["Seniorenbegleitung"]


def test_every_filter_is_in_the_url_so_a_search_can_be_shared(listings: Any) -> None:
    PostcodeLocation.objects.create(
        postcode="83022", latitude=CENTRE.latitude, longitude=CENTRE.longitude
    )
    query = {
        "q": "Senioren",
        "place": "83022",
        "radius_km": "20",
        "field": ["soziales", "sport-bewegung"],
        "district": ["altstadt"],
        "day": ["tue"],
        "part": ["evening"],
        "sort": "distance",
    }
    first = client_for(None).get(url("search", listings), query)
    assert shown(first) == ["Seniorenbegleitung"]
    shared = first.context["querystring"]
    assert parse_qs(shared)["field"] == ["soziales", "sport-bewegung"]
    # Somebody else opens the shared address and sees the same search.
    second = client_for(None).get(f"{url('search', listings)}?{shared}")
    assert shown(second) == shown(first)
    assert second.context["querystring"] == shared
    assert second.context["params"] == first.context["params"]


@pytest.mark.parametrize(
    "query",
    [
        {"field": "gibt-es-nicht"},
        {"kind": "sometimes"},
        {"day": "someday"},
        {"radius_km": "weit"},
        {"radius_km": "-3", "place": "83022"},
        {"sort": "alphabetical"},
        {"lat": "999", "lon": "12"},
        {"lat": "47.8"},
        {"q": "x" * 500},
        {"seite": "zwei"},
    ],
)
def test_bad_values_give_a_form_error_and_the_rest_of_the_search_still_works(
    listings: Any, query: dict[str, str]
) -> None:
    response = client_for(None).get(url("search", listings), {**query, "young": "1"})
    assert response.status_code == 200
    assert shown(response) == ["Fußballtraining"]
    if "seite" not in query:
        assert response.context["form"].errors
        assert "error-summary" in response.content.decode()


def test_a_place_that_cannot_be_found_says_what_to_do(listings: Any) -> None:
    response = client_for(None).get(url("search", listings), {"place": "Atlantis"})
    assert response.status_code == 200
    assert (
        "We could not find this place. Enter a postcode or a Stadtteil, or use your position."
        in response.content.decode()
    )
    # No radius without a place: everything is still listed.
    assert len(shown(response)) == 3


def test_a_search_around_the_position_uses_it_rounded_and_keeps_it_out_of_the_saved_query(
    listings: Any,
) -> None:
    at = point_at(0)
    response = client_for(None).get(
        url("search", listings),
        {"lat": f"{at.latitude + 0.0004}", "lon": f"{at.longitude - 0.0004}", "radius_km": "5"},
    )
    assert shown(response) == ["Seniorenbegleitung"]
    assert response.context["params"].near.latitude == round(at.latitude + 0.0004, 3)
    assert "lat=47.856" in response.context["querystring"]
    assert "Searching around your position" in response.content.decode()
    saved_query = response.context["save_form"].initial["query"]
    assert "lat" not in saved_query
    assert "lon" not in saved_query


def test_a_typed_place_wins_over_an_old_position(listings: Any) -> None:
    PostcodeLocation.objects.create(postcode="83022", latitude=0.0, longitude=0.0)
    response = client_for(None).get(
        url("search", listings),
        {"place": "83022", "lat": f"{CENTRE.latitude}", "lon": f"{CENTRE.longitude}"},
    )
    assert shown(response) == []
    assert response.context["form"].by_position is False


def test_htmx_gets_only_the_results(listings: Any) -> None:
    response = client_for(None).get(
        url("search", listings), {"young": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "Fußballtraining" in page
    assert "1 opportunity found" in page
    # The error summary on the page is replaced too: empty now.
    assert '<div id="search-errors" hx-swap-oob="true">' in page
    assert "error-summary" not in page
    bad = client_for(None).get(
        url("search", listings), {"field": "gibt-es-nicht"}, headers={"HX-Request": "true"}
    )
    assert "error-summary" in bad.content.decode()


def test_results_come_in_pages_of_twenty_that_keep_every_filter(
    town: Any, organisation: Any
) -> None:
    for n in range(25):
        make_opportunity(organisation, f"Angebot {n:02}", fields=["soziales", "kultur-musik"])
    query = "field=soziales&field=kultur-musik"
    first = client_for(None).get(f"{url('search', town)}?{query}")
    assert len(shown(first)) == 20
    page = first.content.decode()
    assert f"?{query.replace('&', '&amp;')}&amp;seite=2" in page
    second = client_for(None).get(f"{url('search', town)}?{query}&seite=2")
    assert len(shown(second)) == 5


def test_the_page_costs_the_same_queries_for_few_and_many_results(
    town: Any, organisation: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(None)
    params = {"q": "Garten", "field": "soziales", "day": "tue", "lat": "47.856", "lon": "12.128"}
    for n in range(2):
        make_opportunity(organisation, f"Garten {n}", fields=["soziales"], at=point_at(n))
    # municipality, 4 filter vocabularies, count, rows, their fields (cache off in tests)
    with django_assert_num_queries(8):
        assert client.get(url("search", town), params).status_code == 200
    for n in range(30):
        make_opportunity(organisation, f"Garten mehr {n}", fields=["soziales"], at=point_at(3))
    with django_assert_num_queries(8):
        response = client.get(url("search", town), params)
    assert len(shown(response)) == 20


def test_the_page_links_its_feeds_and_both_feeds_parse(listings: Any) -> None:
    page = client_for(None).get(url("search", listings), {"young": "1"}).content.decode()
    rss_url = f"{url('search_feed_rss', listings)}?young=1"
    atom_url = f"{url('search_feed_atom', listings)}?young=1"
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert f'href="{rss_url}"' in page
    assert f'href="{atom_url}"' in page
    rss = client_for(None).get(rss_url)
    assert rss["Content-Type"].startswith("application/rss+xml")
    channel = parse(rss.content).find("channel")
    assert channel is not None
    assert [i.findtext("title") for i in channel.findall("item")] == ["Fußballtraining"]
    item = channel.find("item")
    assert item is not None
    assert item.findtext("link", "").startswith("http://testserver/musterstadt/engagement/angebot/")
    atom = client_for(None).get(url("search_feed_atom", listings))
    assert atom["Content-Type"].startswith("application/atom+xml")
    feed = parse(atom.content)
    assert len(feed.findall(f"{ATOM}entry")) == 3


def test_the_feed_lists_the_newest_first(town: Any, organisation: Any) -> None:
    now = timezone.now()
    make_opportunity(organisation, "Alt", published_at=now - timedelta(days=2))
    make_opportunity(organisation, "Neu", published_at=now)
    channel = parse(client_for(None).get(url("search_feed_rss", town)).content)
    assert [i.findtext("title") for i in channel.iter("item")] == ["Neu", "Alt"]


def test_an_empty_search_says_what_to_do(town: Any) -> None:
    page = client_for(None).get(url("search", town)).content.decode()
    assert "No opportunity is listed at the moment." in page
    page = client_for(None).get(url("search", town), {"q": "Zirkus"}).content.decode()
    assert "No opportunity matches your search." in page


def test_the_search_is_the_entry_of_the_exchange_in_the_navigation(listings: Any) -> None:
    page = client_for(None).get("/musterstadt/").content.decode()
    assert f'href="{url("search", listings)}"' in page


def test_the_search_is_gone_when_the_module_is_switched_off(listings: Any) -> None:
    listings.enabled_modules = ["actors"]
    listings.save(update_fields=["enabled_modules"])
    assert client_for(None).get(url("search", listings)).status_code == 404
    assert client_for(None).get(url("search_feed_rss", listings)).status_code == 404


def test_another_town_s_page_lists_only_its_own_opportunities(
    listings: Any, other_municipality: Any
) -> None:
    neighbour = actor_services.organisation_create(
        actor="test",
        municipality=other_municipality,
        name="Verein Beispielhausen",
        type="club",
        sector="civil_society",
        published=True,
    )
    make_opportunity(neighbour, "Drüben")
    assert shown(client_for(None).get(url("search", other_municipality))) == ["Drüben"]
    assert "Drüben" not in shown(client_for(None).get(url("search", listings)))


def test_the_search_answers_get_only(listings: Any) -> None:
    assert client_for(None).post(url("search", listings)).status_code == 405


def test_htmx_restoring_history_gets_the_whole_page(listings: Any) -> None:
    response = client_for(None).get(
        url("search", listings),
        {"young": "1"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert b"<html" in response.content
    assert "HX-Request" in response["Vary"]


def test_the_page_and_the_fragment_vary_on_the_htmx_header(listings: Any) -> None:
    fragment = client_for(None).get(url("search", listings), headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    assert "HX-Request" in fragment["Vary"]
