"""Module switches: a switched-off module vanishes from the navigation and answers 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import client_for
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.core.services import municipality_modules_set


def test_an_enabled_module_shows_in_the_navigation_and_serves_its_pages(municipality: Any) -> None:
    page = client_for(None).get("/musterstadt/").content.decode()
    assert 'href="/musterstadt/akteure/"' in page
    assert client_for(None).get("/musterstadt/akteure/").status_code == 200


def test_a_switched_off_module_vanishes_from_navigation_and_answers_404(
    municipality: Any, coordinator: Any, organisation: Any
) -> None:
    response = client_for(coordinator).post(
        "/musterstadt/verwaltung/module/", {"modules": ["opportunities", "hours"]}
    )
    assert response.status_code == 302
    page = client_for(None).get("/musterstadt/").content.decode()
    assert "/musterstadt/akteure/" not in page
    assert client_for(None).get("/musterstadt/akteure/").status_code == 404
    assert client_for(None).get(f"/musterstadt/akteure/{organisation.slug}/").status_code == 404
    assert (
        client_for(coordinator)
        .get(f"/musterstadt/akteure/{organisation.slug}/bearbeiten/")
        .status_code
        == 404
    )


def test_switching_a_module_in_one_municipality_leaves_the_other_alone(
    municipality: Any, other_municipality: Any, coordinator: Any
) -> None:
    client_for(coordinator).post("/musterstadt/verwaltung/module/", {"modules": []})
    assert client_for(None).get("/musterstadt/akteure/").status_code == 404
    assert client_for(None).get("/beispielhausen/akteure/").status_code == 200


def test_switching_a_module_back_on_restores_it(municipality: Any, coordinator: Any) -> None:
    client = client_for(coordinator)
    client.post("/musterstadt/verwaltung/module/", {"modules": []})
    client.post("/musterstadt/verwaltung/module/", {"modules": ["actors"]})
    assert client_for(None).get("/musterstadt/akteure/").status_code == 200


def test_module_changes_are_audited_with_what_went_on_and_off(
    municipality: Any, coordinator: Any
) -> None:
    client_for(coordinator).post("/musterstadt/verwaltung/module/", {"modules": ["actors"]})
    event = AuditEvent.objects.get(action="municipality.modules_changed")
    assert event.municipality == municipality
    assert event.actor == coordinator
    assert "funding" in event.data["off"]
    assert event.data["on"] == []


def test_an_unknown_module_is_refused_and_nothing_changes(
    municipality: Any, coordinator: Any
) -> None:
    before = list(municipality.enabled_modules)
    response = client_for(coordinator).post(
        "/musterstadt/verwaltung/module/", {"modules": ["weather"]}
    )
    assert response.status_code == 200
    assert "weather" in response.content.decode()  # the form names the bad choice
    municipality.refresh_from_db()
    assert municipality.enabled_modules == before
    with pytest.raises(ValidationError):
        municipality_modules_set(actor=coordinator, municipality=municipality, enabled=["weather"])


def test_only_the_office_may_switch_modules(
    municipality: Any, volunteer: Any, other_coordinator: Any
) -> None:
    for person in (volunteer, other_coordinator):
        with pytest.raises(PermissionDenied):
            municipality_modules_set(actor=person, municipality=municipality, enabled=[])
    assert (
        client_for(volunteer).post("/musterstadt/verwaltung/module/", {"modules": []}).status_code
        == 403
    )
    municipality.refresh_from_db()
    assert "actors" in municipality.enabled_modules


def test_with_the_lookup_cache_on_a_switched_off_module_answers_404_at_once(
    settings: Any, municipality: Any, coordinator: Any
) -> None:
    settings.MUNICIPALITY_CACHE_SECONDS = 60
    assert client_for(None).get("/musterstadt/akteure/").status_code == 200
    client_for(coordinator).post("/musterstadt/verwaltung/module/", {"modules": ["opportunities"]})
    assert client_for(None).get("/musterstadt/akteure/").status_code == 404


def test_with_the_lookup_cache_on_a_repeated_page_asks_no_query_for_its_municipality(
    settings: Any, municipality: Any, django_assert_num_queries: Any
) -> None:
    from gemeinsinn.core.middleware import municipality_for_slug

    settings.MUNICIPALITY_CACHE_SECONDS = 60
    first = municipality_for_slug("musterstadt")
    assert municipality_for_slug("nowhere") is None
    with django_assert_num_queries(0):
        again = municipality_for_slug("musterstadt")
        missing_twice = municipality_for_slug("nowhere") is None
    assert again is not None
    assert first is not None
    assert again.pk == first.pk
    assert again is not first  # every request gets its own copy to change
    assert missing_twice


def test_with_the_lookup_cache_on_an_expired_lookup_asks_the_database_again(
    settings: Any, municipality: Any, monkeypatch: Any
) -> None:
    import time

    from gemeinsinn.core import middleware
    from gemeinsinn.core.models import Municipality

    settings.MUNICIPALITY_CACHE_SECONDS = 5
    assert middleware.municipality_for_slug("musterstadt") is not None
    # Another worker renamed it: no save() in this process, so nothing cleared here.
    Municipality.objects.filter(pk=municipality.pk).update(name="Neustadt")
    cached = middleware.municipality_for_slug("musterstadt")
    assert cached is not None
    assert cached.name == municipality.name
    later = time.monotonic() + 6
    monkeypatch.setattr(middleware.time, "monotonic", lambda: later)
    fresh = middleware.municipality_for_slug("musterstadt")
    assert fresh is not None
    assert fresh.name == "Neustadt"
