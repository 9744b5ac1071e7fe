"""No page asks another host for anything: no fonts, scripts, images or trackers from outside."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request

pytestmark = pytest.mark.browser

PAGES = ["/musterstadt/", "/konto/login/", "/konto/signup/"]


def test_no_request_leaves_the_installation(live_server: Any, town: Any, page: Page) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    for path in PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")

    # Each page loads at least itself, the stylesheet and htmx.
    assert len(requested) >= 3 * len(PAGES), requested
    outside = [url for url in requested if not url.startswith(live_server.url + "/")]
    assert outside == []


def test_the_pages_keep_to_the_content_security_policy(
    live_server: Any, town: Any, page: Page
) -> None:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(message.text)

    def on_failed(request: Request) -> None:
        problems.append(f"{request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("requestfailed", on_failed)

    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")

    assert problems == []
