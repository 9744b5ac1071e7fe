"""Everything works with the keyboard alone, and the focus can always be seen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    cls: el.className,
    text: el.textContent.trim(),
    href: el.getAttribute("href"),
    current: el.getAttribute("aria-current"),
    mainNav: Boolean(el.closest("nav.main-nav")),
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    top: el.getBoundingClientRect().top,
    bottom: el.getBoundingClientRect().bottom,
  };
}"""


def focused(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(FOCUSED)
    return result


def test_the_skip_link_is_the_first_stop_and_moves_the_focus_to_main(
    live_server: Any, town: Any, page: Page
) -> None:
    page.goto(live_server.url + "/musterstadt/")

    page.keyboard.press("Tab")
    first = focused(page)
    assert first["cls"] == "skip-link"
    assert first["outline"] != "none"
    assert first["top"] >= 0, "the focused skip link must be on screen"
    expect(page.locator(".skip-link")).to_be_visible()

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside_main, "after the skip link, Tab continues inside the main content"


def test_the_main_navigation_is_reached_by_tab_with_a_visible_focus(
    live_server: Any, town: Any, page: Page
) -> None:
    page.goto(live_server.url + "/musterstadt/")

    stops = []
    for _ in range(20):
        page.keyboard.press("Tab")
        stop = focused(page)
        stops.append(stop)
        assert stop["outline"] != "none", f"no visible focus on {stop}"
        assert stop["outlineWidth"] >= 2, f"focus outline too thin on {stop}"
        if stop["mainNav"]:
            break
    else:
        pytest.fail(f"the main navigation was not reached by Tab: {stops}")
    assert stop["tag"] == "a"
    assert stop["href"] == "/musterstadt/"
    assert stop["current"] == "page"


def test_every_control_on_the_sign_up_page_shows_its_focus(
    live_server: Any, town: Any, page: Page
) -> None:
    page.goto(live_server.url + "/konto/signup/")
    controls = page.locator("main").locator("a, button, input:not([type=hidden]), select").count()

    seen = 0
    for _ in range(controls + 12):
        page.keyboard.press("Tab")
        stop = focused(page)
        if stop["tag"] == "body":
            break
        assert stop["outline"] != "none", f"no visible focus on {stop}"
        seen += 1
    assert seen >= controls
