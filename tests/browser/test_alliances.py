"""axe-core finds no WCAG 2.1 A/AA violation on the alliance pages and the network graph."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page

from gemeinsinn.actors import services
from gemeinsinn.actors.models import Alliance
from gemeinsinn.core.models import Municipality

pytestmark = pytest.mark.browser

Check = Callable[[Page], None]
# Set GEMEINSINN_SCREENSHOTS=/some/dir to keep screenshots of the checked pages for a look.
SCREENSHOTS = os.environ.get("GEMEINSINN_SCREENSHOTS", "")


def shoot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def alliance(town: Municipality, organisation: Any, org_admin: Any, volunteer: Any) -> Alliance:
    today = timezone.localdate()
    alliance = services.alliance_create(
        actor="test",
        municipality=town,
        name="Bündnis für Familie Musterstadt",
        mission="Wir machen Musterstadt familienfreundlicher.",
        founded_on=today - timedelta(days=500),
    )
    partners = [
        services.organisation_create(
            actor="test",
            municipality=town,
            name=name,
            type=kind,
            sector=sector,
            published=True,
        )
        for name, kind, sector in (
            ("Sportverein Musterstadt 1890 e. V.", "club", "civil_society"),
            ("Stadtverwaltung Musterstadt – Jugendamt", "administration", "administration"),
            ("Bäckerei Korn", "business", "business"),
            ("Nachbarschaftsinitiative Nord", "initiative", "citizens"),
        )
    ]
    services.alliance_member_add(
        actor="test", alliance=alliance, organisation=organisation, is_steering=True
    )
    for partner in partners:
        services.alliance_member_add(actor="test", alliance=alliance, organisation=partner)
    services.alliance_member_add(actor="test", alliance=alliance, user=volunteer, notify=False)
    services.cooperation_link_create(
        actor="test",
        municipality=town,
        source=organisation,
        target=partners[0],
        kind="funding",
    )
    services.cooperation_link_create(
        actor="test",
        municipality=town,
        source=partners[1],
        target=partners[3],
        kind="partnership",
    )
    services.alliance_project_create(
        actor="test",
        alliance=alliance,
        title="Familienpatenschaften",
        description="Ehrenamtliche begleiten Familien.",
        starts_on=today - timedelta(days=300),
    )
    rising = services.target_agreement_create(
        actor="test",
        alliance=alliance,
        goal="Mehr Familien finden eine Patin oder einen Paten",
        indicator="aktive Patenschaften",
        unit="Patenschaften",
        baseline=12,
        target_value=40,
        deadline=today + timedelta(days=300),
        responsible=[organisation],
    )
    for days, value in ((400, 12), (250, 19), (120, 24), (20, 31)):
        services.progress_update_add(
            actor="test",
            agreement=rising,
            reported_on=today - timedelta(days=days),
            value=value,
            note="Zwischenstand" if days < 300 else "Ausgangswert",
        )
    falling = services.target_agreement_create(
        actor="test",
        alliance=alliance,
        goal="Vorstandsämter besetzen",
        indicator="Vereine mit unbesetztem Vorstandsamt",
        unit="Vereine",
        baseline=14,
        target_value=5,
        deadline=today + timedelta(days=120),
        responsible=[partners[0]],
    )
    services.progress_update_add(
        actor="test", agreement=falling, reported_on=today - timedelta(days=60), value=12
    )
    return alliance


def test_the_alliance_list_and_detail_with_charts_have_no_accessibility_violations(
    live_server: Any, alliance: Alliance, page: Page, assert_accessible: Check
) -> None:
    for path, name in [
        ("/musterstadt/akteure/buendnisse/", "alliance-list"),
        (f"/musterstadt/akteure/buendnisse/{alliance.slug}/", "alliance-detail"),
        (
            f"/musterstadt/akteure/buendnisse/{alliance.slug}/ziele/"
            f"{alliance.target_agreements.first().pk}/",  # type: ignore[union-attr]
            "agreement",
        ),
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        shoot(page, name)
        assert_accessible(page)
    assert page.locator("svg[role=img] title").count() >= 1


def test_the_management_pages_of_the_steering_group_have_no_accessibility_violations(
    live_server: Any,
    alliance: Alliance,
    org_admin: Any,
    context: BrowserContext,
    log_in: Callable[[BrowserContext, Any], None],
    assert_accessible: Check,
) -> None:
    log_in(context, org_admin)
    page = context.new_page()
    agreement = alliance.target_agreements.first()
    assert agreement is not None
    base = f"{live_server.url}/musterstadt/akteure/buendnisse/{alliance.slug}/"
    for path, name in [
        ("", "alliance-detail-steering"),
        ("mitglieder/", "members"),
        ("ziele/neu/", "agreement-new"),
        (f"ziele/{agreement.pk}/", "agreement-steering"),
        (f"ziele/{agreement.pk}/bearbeiten/", "agreement-edit"),
        ("projekte/neu/", "project-new"),
    ]:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        shoot(page, name)
        assert_accessible(page)

    # A target agreement with errors: the summary links to the fields and is accessible.
    page.goto(base + "ziele/neu/")
    page.locator("input[name=goal]").fill("Mehr Lesepaten")
    page.locator("input[name=indicator]").fill("Lesepaten")
    page.locator("input[name=baseline]").fill("10")
    page.locator("input[name=target_value]").fill("10")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert page.locator("input[name=goal]").input_value() == "Mehr Lesepaten"
    shoot(page, "agreement-errors")
    assert_accessible(page)


def test_the_network_graph_and_cooperation_pages_have_no_accessibility_violations(
    live_server: Any,
    alliance: Alliance,
    coordinator: Any,
    context: BrowserContext,
    log_in: Callable[[BrowserContext, Any], None],
    assert_accessible: Check,
) -> None:
    log_in(context, coordinator)
    page = context.new_page()
    for path, name in [
        ("/musterstadt/akteure/verwaltung/netzwerk/", "network"),
        ("/musterstadt/akteure/verwaltung/netzwerk/?sector=civil_society", "network-filtered"),
        ("/musterstadt/akteure/tafel-musterstadt-e-v/kooperationen/", "cooperations"),
        ("/musterstadt/akteure/buendnisse/neu/", "alliance-new"),
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        shoot(page, name)
        assert_accessible(page)
    link = alliance.municipality.cooperation_links.first()
    assert link is not None
    page.goto(
        f"{live_server.url}/musterstadt/akteure/tafel-musterstadt-e-v/kooperationen/"
        f"{link.pk}/entfernen/"
    )
    assert_accessible(page)


def test_the_alliance_detail_fits_a_phone_screen(
    live_server: Any, alliance: Alliance, phone_page: Page, assert_accessible: Check
) -> None:
    phone_page.goto(f"{live_server.url}/musterstadt/akteure/buendnisse/{alliance.slug}/")
    shoot(phone_page, "alliance-detail-phone")
    assert_accessible(phone_page)
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the alliance page scrolls sideways by {overflow}px"
