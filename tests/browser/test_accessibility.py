"""axe-core finds no WCAG 2.1 A/AA violation on the pages everybody sees first."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import BrowserContext, Page, expect

from conftest import PASSWORD, give_totp, make_user
from gemeinsinn.accounts import services as account_services
from gemeinsinn.accounts.models import Role
from gemeinsinn.core import services as core_services
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.outbox import mail_queue

pytestmark = pytest.mark.browser

Check = Callable[[Page], None]


def current_counter() -> int:
    return int(time.time()) // mfa_settings.TOTP_PERIOD


def test_the_public_pages_have_no_accessibility_violations(
    live_server: Any,
    town: Municipality,
    other_municipality: Municipality,
    page: Page,
    assert_accessible: Check,
) -> None:
    for path in [
        "/musterstadt/",
        "/musterstadt/barrierefreiheit/",
        "/musterstadt/leichte-sprache/",
        "/musterstadt/impressum/",
        "/musterstadt/akteure/",
        "/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        assert_accessible(page)


def test_the_not_found_page_has_no_accessibility_violations(
    live_server: Any, town: Municipality, page: Page, assert_accessible: Check
) -> None:
    response = page.goto(live_server.url + "/musterstadt/gibt-es-nicht/")
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)


def test_the_sign_up_page_with_errors_has_no_accessibility_violations(
    live_server: Any, town: Municipality, page: Page, assert_accessible: Check
) -> None:
    page.goto(live_server.url + "/konto/signup/")
    page.locator("input[name=password1]").fill("Ehrenamt-2026!")
    page.locator("input[name=date_of_birth]").fill("2020-05-01")
    page.locator("form[action='/konto/signup/'] button[type=submit]").click()

    expect(page.locator(".error-summary")).to_be_focused()
    assert page.locator("[aria-invalid=true]").count() >= 5
    assert_accessible(page)


def test_the_login_page_with_an_error_has_no_accessibility_violations(
    live_server: Any, town: Municipality, page: Page, assert_accessible: Check
) -> None:
    page.goto(live_server.url + "/konto/login/")
    page.locator("input[name=login]").fill("nobody@example.org")
    page.locator("input[name=password]").fill("wrong-password-1")
    page.locator("form[action='/konto/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_the_phone_layout_of_home_and_login_has_no_accessibility_violations(
    live_server: Any, town: Municipality, phone_page: Page, assert_accessible: Check
) -> None:
    for path in ["/musterstadt/", "/konto/login/", "/konto/signup/"]:
        phone_page.goto(live_server.url + path)
        assert_accessible(phone_page)
        # WCAG 1.4.10 Reflow: nothing needs scrolling sideways.
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_the_office_pages_have_no_accessibility_violations(
    live_server: Any,
    town: Municipality,
    coordinator: Any,
    context: BrowserContext,
    log_in: Callable[[BrowserContext, Any], None],
    assert_accessible: Check,
) -> None:
    mail_queue(
        recipient="vera@example.org", subject="Willkommen", body_text="Hallo", municipality=town
    )
    core_services.district_create(actor=coordinator, municipality=town, name="Altstadt")
    log_in(context, coordinator)
    page = context.new_page()
    for path in [
        "",
        "module/",
        "einstellungen/",
        "team/",
        "stadtteile/",
        "protokoll/",
        "postausgang/",
        "rueckmeldungen/",
    ]:
        response = page.goto(f"{live_server.url}/musterstadt/verwaltung/{path}")
        assert response is not None
        assert response.status == 200, path
        assert "/verwaltung/" in page.url
        assert_accessible(page)


def test_the_pages_of_a_volunteer_have_no_accessibility_violations(
    live_server: Any,
    town: Municipality,
    volunteer: Any,
    context: BrowserContext,
    log_in: Callable[[BrowserContext, Any], None],
    assert_accessible: Check,
) -> None:
    log_in(context, volunteer)
    page = context.new_page()
    for path, status in [
        ("/konto/profil/", 200),
        ("/konto/meine-daten/", 200),
        ("/konto/loeschen/", 200),
        ("/konto/email/", 200),
        ("/konto/password/change/", 200),
        ("/konto/2fa/", 200),
        ("/konto/logout/", 200),
        ("/musterstadt/verwaltung/", 403),
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == status, path
        assert_accessible(page)


def test_the_two_factor_login_has_no_accessibility_violations(
    live_server: Any, town: Municipality, page: Page, assert_accessible: Check
) -> None:
    clara = make_user("clara.zwei@musterstadt.example")
    account_services.role_grant(actor=None, user=clara, role=Role.COORDINATOR, municipality=town)
    secret = give_totp(clara)

    page.goto(live_server.url + "/konto/login/")
    page.locator("input[name=login]").fill(clara.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/"))
    assert_accessible(page)

    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, current_counter())))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(f"{live_server.url}/konto/profil/")
    page.goto(live_server.url + "/musterstadt/verwaltung/")
    expect(page).to_have_url(f"{live_server.url}/musterstadt/verwaltung/")


def test_the_authenticator_setup_has_no_accessibility_violations(
    live_server: Any,
    town: Municipality,
    context: BrowserContext,
    log_in: Callable[[BrowserContext, Any], None],
    assert_accessible: Check,
) -> None:
    newcomer = make_user("neu.coord@musterstadt.example")
    account_services.role_grant(actor=None, user=newcomer, role=Role.COORDINATOR, municipality=town)
    log_in(context, newcomer)
    page = context.new_page()

    page.goto(live_server.url + "/musterstadt/verwaltung/")
    # Setting up a second factor asks for the password again first.
    expect(page).to_have_url(re.compile(r"/konto/reauthenticate/"))
    expect(page.locator(".message")).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/konto/2fa/totp/activate/"))
    expect(page.locator("main img")).to_be_visible()
    assert_accessible(page)
