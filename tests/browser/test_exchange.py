"""The engagement exchange in Chromium: the whole path from search to engagement, axe clean.

A person who has never used the exchange searches on a phone, opens an opportunity, applies
and shares their contact data; the organisation accepts in its inbox; both see the engagement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from gemeinsinn.actors import services as actor_services
from gemeinsinn.opportunities.models import Application, Engagement, Opportunity
from gemeinsinn.opportunities.services import applications as services_applications
from gemeinsinn.opportunities.services import opportunities as posting
from gemeinsinn.opportunities.services.taxonomy import skills_ensure
from tests.browser.conftest import PHONE, new_context

pytestmark = pytest.mark.browser


@pytest.fixture
def exchange(municipality: Any, organisation: Any, org_admin: Any) -> Opportunity:
    """Musterstadt with the exchange on and one published opportunity of the Tafel."""
    municipality.enabled_modules = ["actors", "opportunities"]
    municipality.save(update_fields=["enabled_modules"])
    actor_services.taxonomies_ensure(municipality=municipality)
    skills_ensure(municipality=municipality)
    opportunity = posting.opportunity_create(
        organisation=organisation,
        actor=org_admin,
        data={
            "title": "Begleitung für Seniorinnen beim Einkaufen",
            "description": "Sie begleiten ältere Menschen einmal in der Woche zum Einkaufen.",
            "kind": "regular",
            "postcode": "83022",
            "city": "Musterstadt",
            "latitude": 47.8561,
            "longitude": 12.1282,
            "german_level": 1,
        },
        submit=True,
    )
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED
    return opportunity


def _url(live_server: Any, path: str) -> str:
    return f"{live_server.url}/musterstadt/engagement/{path}"


def test_a_new_person_finds_applies_and_the_organisation_accepts(
    browser: Any,
    live_server: Any,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    exchange: Opportunity,
    volunteer: Any,
    org_admin: Any,
) -> None:
    phone = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, volunteer)
    page = phone.new_page()

    page.goto(_url(live_server, ""))
    page.locator("input[name=q]").fill("Senioren")
    page.locator("form[role=search] button[type=submit]").first.click()
    result = page.get_by_role("link", name=re.compile("Begleitung für Seniorinnen"))
    expect(result).to_be_visible()
    assert_accessible(page)

    result.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Begleitung für Seniorinnen")
    assert_accessible(page)

    page.locator(".posting-interest a").first.click()
    page.locator("textarea[name=message]").fill("Ich habe dienstags Zeit und freue mich.")
    page.locator("input[name=share_contact]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(exchange.organisation.name)
    application = Application.objects.get(opportunity=exchange, volunteer=volunteer)
    assert application.contact_email == volunteer.email
    phone.close()

    office = new_context(browser)
    log_in(office, org_admin)
    inbox = office.new_page()
    inbox.goto(_url(live_server, f"organisation/{exchange.organisation.slug}/bewerbungen/"))
    assert_accessible(inbox)
    inbox.locator(f"a[href*='{application.public_id}']").first.click()
    expect(inbox.locator("main")).to_contain_text(volunteer.email)
    assert_accessible(inbox)
    accept = inbox.locator("form[action$='/accept/']")
    accept.locator("button[type=submit]").click()
    expect(inbox.locator("main")).to_contain_text(volunteer.first_name or volunteer.email)

    engagement = Engagement.objects.get(volunteer=volunteer)
    assert engagement.organisation == exchange.organisation
    assert engagement.opportunity == exchange

    inbox.goto(_url(live_server, f"organisation/{exchange.organisation.slug}/engagements/"))
    expect(inbox.locator("main")).to_contain_text(exchange.title)
    office.close()

    again = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(again, volunteer)
    mine = again.new_page()
    mine.goto(_url(live_server, "meine-engagements/"))
    expect(mine.locator("main")).to_contain_text(exchange.title)
    assert_accessible(mine)
    again.close()


@pytest.mark.parametrize("path", ["", "profil/", "einstieg/", "fuer-sie/", "meine-bewerbungen/"])
def test_the_volunteer_pages_are_accessible_on_a_phone(
    phone_page: Page,
    live_server: Any,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    exchange: Opportunity,
    volunteer: Any,
    path: str,
) -> None:
    log_in(phone_page.context, volunteer)
    phone_page.goto(_url(live_server, path))
    expect(phone_page.locator("h1")).to_be_visible()
    assert_accessible(phone_page)


def test_the_opportunity_page_is_accessible_on_a_desktop_and_carries_json_ld(
    page: Page,
    live_server: Any,
    assert_accessible: Callable[[Page], None],
    exchange: Opportunity,
) -> None:
    page.goto(_url(live_server, f"angebot/{exchange.public_id}/"))
    ld = page.locator("script[type='application/ld+json']").first.text_content() or ""
    assert '"VOLUNTEER"' in ld
    assert exchange.title in ld
    assert_accessible(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_organisation_pages_are_accessible(
    page: Page,
    phone_page: Page,
    live_server: Any,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    exchange: Opportunity,
    org_admin: Any,
    volunteer: Any,
    viewport: str,
) -> None:
    browser_page = phone_page if viewport == "phone" else page
    application = services_applications.application_submit(
        opportunity=exchange, volunteer=volunteer, message="Gern!", share_contact=False
    )
    log_in(browser_page.context, org_admin)
    slug = exchange.organisation.slug
    for path in (
        f"organisation/{slug}/angebote/",
        f"organisation/{slug}/angebote/neu/",
        f"organisation/{slug}/bewerbungen/",
        f"bewerbung/{application.public_id}/",
    ):
        browser_page.goto(_url(live_server, path))
        expect(browser_page.locator("h1")).to_be_visible()
        assert_accessible(browser_page)
