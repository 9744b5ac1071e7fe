"""The directory, a profile and the map in Chromium: markers, no outside request, axe clean."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request

from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import TownDistrict

pytestmark = pytest.mark.browser


@pytest.fixture
def directory(town: Any) -> Any:
    actor_services.taxonomies_ensure(municipality=town)
    district = TownDistrict.objects.create(municipality=town, name="Altstadt", slug="altstadt")
    places = [("47.856100", "12.128200"), ("47.861000", "12.121000"), ("47.850500", "12.135000")]
    for n, (name, kind) in enumerate(
        [
            ("Tafel Musterstadt e. V.", "club"),
            ("Seniorenbüro Altstadt", "senior_office"),
            ("Repair-Café Altstadt", "initiative"),
        ]
    ):
        organisation = actor_services.organisation_create(
            actor="test",
            municipality=town,
            name=name,
            type=kind,
            sector="civil_society",
            published=True,
            description="Wir helfen in der Nachbarschaft, auch Seniorinnen und Senioren.",
            latitude=Decimal(places[n][0]),
            longitude=Decimal(places[n][1]),
            email="info@example.org",
            opening_hours="Di 14–17 Uhr",
        )
        organisation.districts.set([district])
        organisation.engagement_fields.set(town.fields_of_engagement.filter(slug="soziales"))
    return town


def _watch(page: Page, base: str) -> tuple[list[str], list[str]]:
    outside: list[str] = []
    problems: list[str] = []

    def on_request(request: Request) -> None:
        if not request.url.startswith(base + "/") and not request.url.startswith("data:"):
            outside.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("requestfailed", lambda r: problems.append(f"{r.url}: {r.failure}"))
    return outside, problems


def test_the_map_shows_markers_and_asks_no_other_host(
    live_server: Any,
    directory: Any,
    page: Page,
    assert_accessible: Callable[[Page], None],
) -> None:
    outside, problems = _watch(page, live_server.url)
    page.goto(live_server.url + "/musterstadt/akteure/karte/")
    page.wait_for_selector("#organisation-map[data-markers='3']")
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() == 3
    assert page.locator(".leaflet-marker-icon[alt='Tafel Musterstadt e. V.']").count() == 1
    # Without a tile server there are no tiles, only the plain background.
    assert page.locator(".leaflet-tile").count() == 0
    assert page.locator("#organisation-map.org-map-plain").count() == 1
    # A marker opens a popup that links to the profile.
    page.locator(".leaflet-marker-icon[alt='Seniorenbüro Altstadt']").click(force=True)
    link = page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "/musterstadt/akteure/seniorenbuero-altstadt/"
    # The same organisations as text beside the map.
    assert page.locator(".map-list li").count() == 3
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert problems == []
    assert_accessible(page)


def test_the_map_filters_like_the_directory(live_server: Any, directory: Any, page: Page) -> None:
    page.goto(live_server.url + "/musterstadt/akteure/karte/?type=initiative")
    page.wait_for_selector("#organisation-map[data-markers='1']")
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert page.locator(".map-list li").count() == 1


def test_the_directory_is_accessible_with_results_errors_and_none(
    live_server: Any,
    directory: Any,
    page: Page,
    assert_accessible: Callable[[Page], None],
) -> None:
    outside, problems = _watch(page, live_server.url)
    page.goto(live_server.url + "/musterstadt/akteure/")
    page.locator("#id_q").fill("Senioren")
    page.locator("#id_district").select_option("altstadt")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "q=Senioren" in page.url
    assert "district=altstadt" in page.url
    assert page.locator(".directory-results .card").count() == 3
    assert_accessible(page)

    page.goto(live_server.url + "/musterstadt/akteure/?type=ufo")
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)

    page.goto(live_server.url + "/musterstadt/akteure/?q=Raumfahrt")
    assert page.locator(".empty").count() == 1
    assert_accessible(page)
    assert outside == []
    assert problems == []


def test_a_profile_is_accessible_for_visitors_and_its_admin(
    live_server: Any,
    directory: Any,
    page: Page,
    context: Any,
    log_in: Callable[[Any, Any], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    page.goto(live_server.url + "/musterstadt/akteure/tafel-musterstadt-e-v/")
    assert page.locator("h1").inner_text() == "Tafel Musterstadt e. V."
    assert_accessible(page)

    from conftest import make_user

    admin = make_user("admin@tafel.example")
    organisation = Organisation.objects.get(slug="tafel-musterstadt-e-v")
    actor_services.membership_add(actor=None, organisation=organisation, user=admin, role="admin")
    log_in(context, admin)
    page.goto(live_server.url + "/musterstadt/akteure/tafel-musterstadt-e-v/")
    assert page.locator("a[href$='/bearbeiten/']").count() == 1
    assert_accessible(page)


def test_the_map_on_a_phone_is_accessible(
    live_server: Any,
    directory: Any,
    phone_page: Page,
    assert_accessible: Callable[[Page], None],
) -> None:
    phone_page.goto(live_server.url + "/musterstadt/akteure/karte/")
    phone_page.wait_for_selector("#organisation-map[data-markers='3']")
    assert_accessible(phone_page)
