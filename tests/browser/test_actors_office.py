"""axe-core finds no WCAG 2.1 A/AA violation on registration, editing, members, history, claims
and the office's moderation, claims, stale and taxonomy pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from conftest import make_user
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core import services as core_services
from gemeinsinn.core.models import Municipality

pytestmark = pytest.mark.browser

Check = Callable[[Page], None]
LogIn = Callable[[BrowserContext, Any], None]


def visit(page: Page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == status, url


@pytest.fixture
def lively_town(town: Municipality, coordinator: Any) -> Municipality:
    """Musterstadt with taxonomies, a Stadtteil, a waiting registration and an open claim."""
    services.taxonomies_ensure(municipality=town)
    core_services.district_create(actor=coordinator, municipality=town, name="Altstadt")
    services.organisation_register(
        actor=make_user("lena.lesepatin@example.org", first_name="Lena", last_name="Lesepatin"),
        municipality=town,
        values={
            "name": "Lesepaten Musterstadt",
            "type": "initiative",
            "sector": "civil_society",
            "description": "Wir lesen Kindern vor.",
        },
    )
    imported = services.organisation_create(
        actor="import",
        municipality=town,
        name="Kleingartenverein Sonnenschein",
        type="club",
        sector="civil_society",
        published=True,
        source="import",
    )
    services.claim_start(
        actor=make_user("karl.klein@example.org", first_name="Karl"),
        organisation=imported,
        message="Ich bin der Vorsitzende.",
    )
    return town


def test_the_registration_page_with_and_without_errors_is_accessible(
    live_server: Any,
    lively_town: Municipality,
    volunteer: Any,
    context: BrowserContext,
    log_in: LogIn,
    assert_accessible: Check,
) -> None:
    log_in(context, volunteer)
    page = context.new_page()
    visit(page, live_server.url + "/musterstadt/akteure/registrieren/")
    assert_accessible(page)
    page.locator("input[name=email]").fill("kein-mail")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.locator("[aria-invalid=true]").count() >= 2
    assert_accessible(page)


def test_the_pages_of_an_organisation_admin_are_accessible(
    live_server: Any,
    lively_town: Municipality,
    organisation: Organisation,
    org_admin: Any,
    coordinator: Any,
    volunteer: Any,
    context: BrowserContext,
    log_in: LogIn,
    assert_accessible: Check,
) -> None:
    services.membership_add(actor=org_admin, organisation=organisation, user=volunteer)
    services.membership_invite(
        actor=org_admin, organisation=organisation, email="neu@example.org", message="Komm dazu!"
    )
    services.organisation_update(
        actor=org_admin,
        organisation=organisation,
        values={"phone": "08031 1", "visibility": {"phone": "members"}},
    )
    log_in(context, org_admin)
    page = context.new_page()
    base = live_server.url + "/musterstadt/akteure/tafel-musterstadt-e-v/"
    for path in ["bearbeiten/", "mitglieder/", "verlauf/"]:
        visit(page, base + path)
        assert_accessible(page)
    # The confirmation before removing somebody.
    visit(page, base + "mitglieder/")
    page.locator("button[value=remove]", has_text="Vera Vogel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vera Vogel")
    assert_accessible(page)


def test_the_edit_page_with_the_offices_questions_is_accessible(
    live_server: Any,
    lively_town: Municipality,
    coordinator: Any,
    context: BrowserContext,
    log_in: LogIn,
    assert_accessible: Check,
) -> None:
    waiting = Organisation.objects.get(name="Lesepaten Musterstadt")
    services.organisation_request_changes(
        actor=coordinator, organisation=waiting, note="Bitte eine Adresse angeben."
    )
    log_in(context, waiting.memberships.get().user)
    page = context.new_page()
    visit(page, f"{live_server.url}/musterstadt/akteure/{waiting.slug}/bearbeiten/")
    expect(page.get_by_text("Bitte eine Adresse angeben.")).to_be_visible()
    assert_accessible(page)


def test_the_claim_join_and_invitation_pages_are_accessible(
    live_server: Any,
    lively_town: Municipality,
    organisation: Organisation,
    org_admin: Any,
    volunteer: Any,
    context: BrowserContext,
    log_in: LogIn,
    assert_accessible: Check,
) -> None:
    imported = services.organisation_create(
        actor="import",
        municipality=lively_town,
        name="Heimatverein Altdorf",
        type="club",
        sector="civil_society",
        published=True,
        source="import",
        email="info@heimatverein.example",
    )
    invitation = services.membership_invite(
        actor=org_admin, organisation=organisation, email=volunteer.email
    )
    log_in(context, volunteer)
    page = context.new_page()
    base = live_server.url + "/musterstadt/akteure/"
    visit(page, f"{base}{imported.slug}/beanspruchen/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}{imported.slug}/beanspruchen/code/")
    assert_accessible(page)
    page.locator("input[name=code]").fill("000000")
    page.locator("button[value=verify]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    visit(page, f"{base}einladung/{invitation.invitation_token}/")
    assert_accessible(page)
    visit(page, f"{base}kleingartenverein-sonnenschein/mitmachen/")
    assert_accessible(page)


def test_the_offices_actor_tools_are_accessible(
    live_server: Any,
    lively_town: Municipality,
    organisation: Organisation,
    coordinator: Any,
    context: BrowserContext,
    log_in: LogIn,
    assert_accessible: Check,
) -> None:
    log_in(context, coordinator)
    page = context.new_page()
    base = live_server.url + "/musterstadt/akteure/verwaltung/"
    for path in ["moderation/", "ansprueche/", "veraltet/", "bereiche/"]:
        visit(page, base + path)
        assert_accessible(page)
    # A rejection without a reason: the error sits at the note and the page stays accessible.
    visit(page, base + "moderation/")
    page.locator("button[value=reject]").first.click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    # The confirmation before deleting a term.
    visit(page, base + "bereiche/")
    page.locator("button[value=delete]").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_the_office_pages_work_on_a_phone_without_sideways_scrolling(
    live_server: Any,
    lively_town: Municipality,
    coordinator: Any,
    phone_page: Page,
    log_in: LogIn,
    assert_accessible: Check,
) -> None:
    log_in(phone_page.context, coordinator)
    for path in ["moderation/", "bereiche/"]:
        visit(phone_page, f"{live_server.url}/musterstadt/akteure/verwaltung/{path}")
        assert_accessible(phone_page)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
