"""The search page keeps rendered results for a while, and drops them when the town changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.opportunities.tests.test_search_support import (
    make_opportunity,
    town_fixture,
    url,
)

__all__ = ["town_fixture"]


@pytest.fixture(autouse=True)
def _real_cache(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SEARCH_CACHE_SECONDS = 300


def _search(town: Any, **query: str) -> str:
    return Client().get(url("search", town), query).content.decode()


def _a_second_later() -> Any:
    """The town's generation token is re-read at most once a second."""
    return time_machine.travel(timezone.now() + timedelta(seconds=2))


def test_a_second_identical_search_runs_no_full_text_query(
    town: Any, organisation: Any, django_assert_max_num_queries: Any
) -> None:
    make_opportunity(organisation, "Lesepatin für die Grundschule")
    assert "Lesepatin" in _search(town, q="Lesepatin")
    with django_assert_max_num_queries(12) as captured:
        assert "Lesepatin" in _search(town, q="Lesepatin")
    assert not any("opportunities_opportunity_fts" in q["sql"] for q in captured.captured_queries)
    assert not any("tsquery" in q["sql"] for q in captured.captured_queries)


def test_a_new_opportunity_shows_within_a_second_despite_the_cache(
    town: Any, organisation: Any
) -> None:
    make_opportunity(organisation, "Lesepatin für die Grundschule")
    assert "Vorlesen im Seniorenheim" not in _search(town, q="Vorlesen")
    make_opportunity(organisation, "Vorlesen im Seniorenheim")
    with _a_second_later():
        assert "Vorlesen im Seniorenheim" in _search(town, q="Vorlesen")


def test_a_paused_opportunity_leaves_the_cached_results_within_a_second(
    town: Any, organisation: Any
) -> None:
    opportunity = make_opportunity(organisation, "Lesepatin für die Grundschule")
    assert "Lesepatin" in _search(town, q="Lesepatin")
    opportunity.status = Opportunity.Status.PAUSED
    opportunity.save(update_fields=["status", "updated_at"])
    with _a_second_later():
        assert "Grundschule" not in _search(town, q="Lesepatin")


def test_an_expired_listing_leaves_the_cached_results_the_next_day(
    town: Any, organisation: Any
) -> None:
    make_opportunity(organisation, "Lesepatin für die Grundschule", expires_on=timezone.localdate())
    assert "Lesepatin" in _search(town, q="Lesepatin")
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert "Grundschule" not in _search(town, q="Lesepatin")


def test_another_language_gets_its_own_rendering(town: Any, organisation: Any) -> None:
    make_opportunity(organisation, "Lesepatin für die Grundschule")
    german = Client(headers={"accept-language": "de"}).get(url("search", town)).content
    english = Client(headers={"accept-language": "en"}).get(url("search", town)).content
    assert b"opportunity found" in english
    assert b"opportunity found" not in german


def test_an_anonymous_visitor_gets_the_stored_page_with_two_queries(
    town: Any, organisation: Any, django_assert_max_num_queries: Any
) -> None:
    make_opportunity(organisation, "Lesepatin für die Grundschule")
    first = Client().get(url("search", town), {"q": "Lesepatin"})
    assert b"csrfmiddlewaretoken" not in first.content
    # The municipality (middleware); the generation token comes from the cache.
    with django_assert_max_num_queries(1):
        again = Client().get(url("search", town), {"q": "Lesepatin"})
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_visitor_with_a_session_gets_a_fresh_page(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    from conftest import client_for

    make_opportunity(organisation, "Lesepatin für die Grundschule")
    anonymous = Client().get(url("search", town), {"q": "Lesepatin"}).content.decode()
    logged_in = client_for(volunteer).get(url("search", town), {"q": "Lesepatin"})
    text = logged_in.content.decode()
    assert text != anonymous
    assert "csrfmiddlewaretoken" in text  # the logout and save-search forms


def test_the_language_switch_works_without_a_csrf_token(town: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": url("search", town)})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
