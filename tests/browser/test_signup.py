"""A person signs up, confirms the e-mail address and logs in, in German and in English."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from gemeinsinn.accounts.models import User

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"https?://\S+/konto/confirm-email/\S+/")


@dataclass(frozen=True)
class Words:
    """What the pages say in one language (allauth's own translations)."""

    sign_up: str
    email: str
    password: str
    password_again: str
    verify_heading: str
    confirm_heading: str
    confirm: str
    sign_in: str
    log_out: str


GERMAN = Words(
    sign_up="Registrieren",
    email="E-Mail-Adresse",
    password="Passwort",
    password_again="Passwort (Wiederholung)",
    verify_heading="Bestätigen Sie Ihre E-Mail-Adresse",
    confirm_heading="E-Mail-Adresse bestätigen",
    confirm="Bestätigen",
    sign_in="Anmeldung",
    log_out="Abmelden",
)
ENGLISH = Words(
    sign_up="Sign Up",
    email="Email",
    password="Password",
    password_again="Password (again)",
    verify_heading="Verify Your Email Address",
    confirm_heading="Confirm Email Address",
    confirm="Confirm",
    sign_in="Sign In",
    log_out="Log out",
)


def confirmation_link(address: str) -> str:
    """The link of the confirmation mail; the live server sends it after its response."""
    for _ in range(50):
        for message in mail.outbox:
            if address in message.to and (match := CONFIRM_LINK.search(message.body)):
                return match.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no confirmation mail to {address}: {[m.to for m in mail.outbox]}")


def fill_sign_up(page: Page, words: Words, *, email: str, born: str) -> None:
    page.get_by_label(words.email, exact=True).fill(email)
    page.get_by_label(words.password, exact=True).fill(PASSWORD)
    page.get_by_label(words.password_again, exact=True).fill(PASSWORD)
    page.locator("input[name=first_name]").fill("Kim")
    page.locator("input[name=last_name]").fill("Krause")
    page.locator("input[name=date_of_birth]").fill(born)
    page.locator("input[name=accept_terms]").check()


def sign_up_confirm_and_log_in(page: Page, live_server: Any, words: Words, email: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(words.sign_up)
    fill_sign_up(page, words, email=email, born="1990-04-12")
    page.get_by_role("button", name=words.sign_up, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words.verify_heading)
    page.goto(confirmation_link(email))
    expect(page.get_by_role("heading", level=1)).to_have_text(words.confirm_heading)
    page.get_by_role("button", name=words.confirm, exact=True).click()

    expect(page).to_have_url(re.compile(r"/konto/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words.sign_in)
    page.get_by_label(words.email, exact=True).fill(email)
    page.get_by_label(words.password, exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=words.sign_in, exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/konto/profil/")
    expect(page.locator("main")).to_contain_text(email)
    expect(page.get_by_role("button", name=words.log_out, exact=True)).to_be_visible()
    assert User.objects.get(email=email).first_name == "Kim"


def test_a_person_signs_up_confirms_and_logs_in_in_german(
    live_server: Any, municipality: Any, page: Page
) -> None:
    page.goto(live_server.url + "/konto/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    sign_up_confirm_and_log_in(page, live_server, GERMAN, "kim.de@example.org")


def test_a_person_switches_to_english_signs_up_confirms_and_logs_in(
    live_server: Any, municipality: Any, page: Page
) -> None:
    page.goto(live_server.url + "/konto/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text(GERMAN.sign_up)

    page.get_by_role("banner").get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/konto/signup/")
    sign_up_confirm_and_log_in(page, live_server, ENGLISH, "kim.en@example.org")
    expect(page.get_by_role("banner").get_by_role("button", name="Deutsch")).to_be_visible()


def test_an_under_16_sign_up_without_parental_consent_shows_the_error_and_keeps_the_input(
    live_server: Any, municipality: Any, page: Page
) -> None:
    born = f"{time.localtime().tm_year - 12}-06-15"
    page.goto(live_server.url + "/konto/signup/")
    fill_sign_up(page, GERMAN, email="jonas@example.org", born=born)
    page.get_by_role("button", name=GERMAN.sign_up, exact=True).click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    consent = page.locator("input[name=parental_consent]")
    expect(consent).to_have_attribute("aria-invalid", "true")
    error_id = consent.get_attribute("aria-describedby")
    assert error_id
    expect(page.locator(f"#{error_id}")).to_contain_text("16")
    expect(page.locator("input[name=guardian_name]")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(GERMAN.email, exact=True)).to_have_value("jonas@example.org")
    expect(page.locator("input[name=first_name]")).to_have_value("Kim")
    expect(page.locator("input[name=date_of_birth]")).to_have_value(born)
    expect(page.locator("input[name=accept_terms]")).to_be_checked()
    assert not User.objects.filter(email="jonas@example.org").exists()
    assert mail.outbox == []
