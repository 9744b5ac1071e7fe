"""axe-core finds no WCAG 2.1 A/AA violation on the office's import, export and coverage pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from gemeinsinn.actors import services
from gemeinsinn.actors.models import FieldOfEngagement, Organisation
from gemeinsinn.core.models import Municipality, TownDistrict

pytestmark = pytest.mark.browser

Check = Callable[[Page], None]
DATA = Path(__file__).resolve().parents[2] / "gemeinsinn" / "actors" / "tests" / "data"


@pytest.fixture
def office_town(town: Municipality) -> Municipality:
    services.taxonomies_ensure(municipality=town)
    for name, slug in (("Altstadt", "altstadt"), ("Nord", "nord"), ("Süd", "sued")):
        TownDistrict.objects.create(municipality=town, name=name, slug=slug)
    return town


def _organisation(town: Municipality, name: str, type: str, sector: str, fields: list[str]) -> None:
    organisation: Organisation = services.organisation_create(
        actor="test", municipality=town, name=name, type=type, sector=sector, published=True
    )
    organisation.engagement_fields.set(
        FieldOfEngagement.objects.filter(municipality=town, slug__in=fields)
    )
    organisation.districts.set(TownDistrict.objects.filter(municipality=town, slug="altstadt"))


def test_the_import_pages_with_errors_and_duplicates_have_no_accessibility_violations(
    live_server: Any,
    office_town: Municipality,
    organisation: Organisation,
    coordinator: Any,
    context: BrowserContext,
    log_in: Callable[[BrowserContext, Any], None],
    assert_accessible: Check,
) -> None:
    log_in(context, coordinator)
    page = context.new_page()
    url = f"{live_server.url}/musterstadt/akteure/verwaltung/import/"
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    assert_accessible(page)

    # A file that cannot be read: the message sits at the field, nothing is stored.
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "kaputt.csv", "mimeType": "text/csv", "buffer": b"Name\r\n\x81\x8d\r\n"}]
    )
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)

    # A preview with rows that have errors, then the refusal to import them.
    page.locator("input[type=file]").set_input_files(DATA / "organisations_with_errors.csv")
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("organisations_with_errors.csv")
    assert_accessible(page)
    page.locator("button[form=apply]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)

    # A preview with duplicates and their choices; importing leads to the result page.
    page.goto(url)
    page.locator("input[type=file]").set_input_files(DATA / "organisations_duplicates.csv")
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("fieldset").first).to_be_visible()
    page.locator("details summary").click()
    assert_accessible(page)
    page.locator("button[form=apply]").click()
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page)

    response = page.goto(url)
    assert response is not None
    assert_accessible(page)


def test_the_export_page_has_no_accessibility_violations(
    live_server: Any,
    office_town: Municipality,
    coordinator: Any,
    context: BrowserContext,
    log_in: Callable[[BrowserContext, Any], None],
    assert_accessible: Check,
) -> None:
    log_in(context, coordinator)
    page = context.new_page()
    response = page.goto(f"{live_server.url}/musterstadt/akteure/verwaltung/export/")
    assert response is not None
    assert response.status == 200
    assert_accessible(page)


def test_the_coverage_page_has_no_accessibility_violations_on_desktop_and_phone(
    live_server: Any,
    office_town: Municipality,
    coordinator: Any,
    context: BrowserContext,
    phone_page: Page,
    log_in: Callable[[BrowserContext, Any], None],
    assert_accessible: Check,
) -> None:
    _organisation(office_town, "SV Musterstadt", "club", "civil_society", ["sport-bewegung"])
    _organisation(office_town, "Jugendamt", "administration", "administration", ["soziales"])
    _organisation(office_town, "Freiwilligenagentur", "volunteer_agency", "civil_society", [])
    log_in(context, coordinator)
    page = context.new_page()
    url = f"{live_server.url}/musterstadt/akteure/verwaltung/abdeckung/"
    for path in ("", "?type=club", "?sector=administration"):
        response = page.goto(url + path)
        assert response is not None
        assert response.status == 200
        assert page.locator("td.coverage-gap").count() > 0
        assert_accessible(page)

    log_in(phone_page.context, coordinator)
    response = phone_page.goto(url)
    assert response is not None
    assert response.status == 200
    assert_accessible(phone_page)
