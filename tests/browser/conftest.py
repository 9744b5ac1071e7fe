"""Browser fixtures: Debian's Chromium driven by Playwright, axe-core for accessibility checks.

The browser is never downloaded: without /usr/bin/chromium every browser test is skipped with
a message that says so, so a green run without a browser cannot be mistaken for a checked one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API keeps an event loop running in the test thread; Django refuses ORM
# calls from such a thread unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The rules of WCAG 2.1 level A and AA, the level BITV 2.0 requires.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

_axe = Axe()


@pytest.fixture(autouse=True)
def _shared_database(transactional_db: None) -> None:
    """The live server runs in another thread: it sees only committed data."""


@pytest.fixture
def town(municipality: Any) -> Any:
    """Musterstadt with the actors module on, so the main navigation has entries."""
    municipality.enabled_modules = ["actors"]
    municipality.save(update_fields=["enabled_modules"])
    return municipality


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"BROWSER TESTS WERE NOT RUN: {CHROMIUM} is missing. "
            "Install Debian's chromium (make browser-deps) to run them."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A fresh browser profile that speaks German like most visitors, on a desktop screen."""
    options.setdefault("locale", "de-DE")
    options.setdefault("viewport", DESKTOP)
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def log_in(live_server: Any) -> Callable[[BrowserContext, Any], None]:
    """Put the session of a logged-in user into a browser context, as the login form would."""

    def log_in(context: BrowserContext, user: Any) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return log_in


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """Check that axe-core finds no violation of a WCAG 2.1 A/AA rule, whatever its impact."""

    def assert_accessible(page: Page) -> None:
        results = _axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return assert_accessible
