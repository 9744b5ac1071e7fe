"""Notifications follow each person's mail frequency; the daily digest mails each news once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from conftest import client_for
from gemeinsinn.accounts.models import MailFrequency, Notification, NotificationSettings
from gemeinsinn.accounts.notifications import (
    notification_settings_save,
    notifications_send_digests,
    notify,
)
from gemeinsinn.core.models import OutgoingMail
from gemeinsinn.opportunities.services import applications as services
from gemeinsinn.opportunities.tests.test_applications_support import (  # noqa: F401 - fixtures
    opportunity_fixture,
)

PAGE = "/konto/benachrichtigungen/"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _news(user: Any, municipality: Any, subject: str = "Neuigkeit") -> Notification:
    return notify(
        user=user,
        municipality=municipality,
        topic="test",
        subject=subject,
        body="Es gibt etwas Neues.",
        url="/musterstadt/engagement/meine-bewerbungen/",
    )


def test_immediate_mails_once_and_never_again_in_the_digest(
    volunteer: Any, municipality: Any
) -> None:
    NotificationSettings.objects.create(user=volunteer, frequency=MailFrequency.IMMEDIATE)
    news = _news(volunteer, municipality)
    assert news.mailed_at is not None
    mail = OutgoingMail.objects.get()
    assert mail.recipient == volunteer.email
    assert mail.subject == "Neuigkeit"
    assert "/musterstadt/engagement/meine-bewerbungen/" in mail.body_text
    assert notifications_send_digests() == 0
    assert OutgoingMail.objects.count() == 1


def test_without_settings_news_waits_for_exactly_one_digest(
    volunteer: Any, municipality: Any
) -> None:
    _news(volunteer, municipality, "Erste")
    _news(volunteer, municipality, "Zweite")
    assert not OutgoingMail.objects.exists()
    assert notifications_send_digests() == 1
    mail = OutgoingMail.objects.get()
    assert "Erste" in mail.body_text
    assert "Zweite" in mail.body_text
    assert mail.subject == "2 new messages about your engagement"
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()
    assert notifications_send_digests() == 0
    assert OutgoingMail.objects.count() == 1


def test_the_digest_is_one_mail_per_person(
    volunteer: Any, org_admin: Any, municipality: Any
) -> None:
    for _ in range(3):
        _news(volunteer, municipality)
    _news(org_admin, municipality)
    assert notifications_send_digests() == 2
    assert sorted(OutgoingMail.objects.values_list("recipient", flat=True)) == sorted(
        [volunteer.email, org_admin.email]
    )


def test_off_never_mails(volunteer: Any, municipality: Any) -> None:
    NotificationSettings.objects.create(user=volunteer, frequency=MailFrequency.OFF)
    news = _news(volunteer, municipality)
    assert news.mailed_at is None
    assert notifications_send_digests() == 0
    assert not OutgoingMail.objects.exists()
    # Still on the site.
    assert Notification.objects.filter(user=volunteer).count() == 1


def test_news_after_the_digest_goes_into_the_next_one(volunteer: Any, municipality: Any) -> None:
    _news(volunteer, municipality, "Alt")
    notifications_send_digests()
    _news(volunteer, municipality, "Neu")
    assert notifications_send_digests(now=timezone.now() + timedelta(seconds=1)) == 1
    latest = OutgoingMail.objects.latest("pk")
    assert "Neu" in latest.body_text
    assert "Alt" not in latest.body_text


def test_the_digest_subject_never_quotes_the_news(volunteer: Any, municipality: Any) -> None:
    _news(volunteer, municipality, "Ihre Bewerbung wurde abgelehnt")
    notifications_send_digests()
    mail = OutgoingMail.objects.get()
    assert "abgelehnt" not in mail.subject
    assert "abgelehnt" in mail.body_text


def test_deactivated_people_get_no_digest(volunteer: Any, municipality: Any) -> None:
    _news(volunteer, municipality)
    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])
    assert notifications_send_digests() == 0


def test_the_digest_command_prints_a_summary(
    volunteer: Any, municipality: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _news(volunteer, municipality)
    call_command("notifications_digest")
    call_command("notifications_digest")
    assert capsys.readouterr().out.splitlines() == [
        "1 digest e-mail(s) queued.",
        "0 digest e-mail(s) queued.",
    ]


def test_an_application_tells_the_organisation_as_its_admin_wishes(
    opportunity: Any, volunteer: Any, org_admin: Any
) -> None:
    notification_settings_save(user=org_admin, frequency=MailFrequency.IMMEDIATE)
    application = services.application_submit(
        opportunity=opportunity, volunteer=volunteer, message="", share_contact=False
    )
    mail = OutgoingMail.objects.get()
    assert mail.recipient == org_admin.email
    assert mail.subject == "New application for “Lebensmittel ausgeben”"
    assert str(application.public_id) in mail.body_text
    # The volunteer is not told about their own step.
    assert not Notification.objects.filter(user=volunteer).exists()


def test_a_decision_reaches_the_volunteer_in_the_digest(
    opportunity: Any, volunteer: Any, org_admin: Any
) -> None:
    application = services.application_submit(
        opportunity=opportunity, volunteer=volunteer, message="", share_contact=False
    )
    services.application_decline(application=application, actor=org_admin, reason="Voll.")
    notifications_send_digests()
    mail = OutgoingMail.objects.get(recipient=volunteer.email)
    assert "Voll." in mail.body_text


def test_the_settings_page_needs_a_login() -> None:
    response = client_for(None).get(PAGE)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_the_settings_page_saves_the_frequency(volunteer: Any) -> None:
    client = client_for(volunteer)
    page = client.get(PAGE)
    assert page.status_code == 200
    checked = re.findall(r'value="(\w+)"[^>]*checked', page.content.decode())
    assert checked == ["daily"]
    response = client.post(PAGE, {"action": "settings", "frequency": "off"})
    assert response.status_code == 302
    assert NotificationSettings.objects.get(user=volunteer).frequency == MailFrequency.OFF


def test_a_bad_frequency_is_a_form_error(volunteer: Any) -> None:
    response = client_for(volunteer).post(PAGE, {"action": "settings", "frequency": "hourly"})
    assert response.status_code == 400
    assert not NotificationSettings.objects.filter(user=volunteer).exists()


def test_the_list_shows_ones_own_news_and_marks_it_read(
    volunteer: Any, org_admin: Any, municipality: Any
) -> None:
    mine = _news(volunteer, municipality, "Meine Nachricht")
    theirs = _news(org_admin, municipality, "Fremde Nachricht")
    client = client_for(volunteer)
    body = client.get(PAGE).content.decode()
    assert "Meine Nachricht" in body
    assert "Fremde Nachricht" not in body
    # Another person's notification cannot be marked read from here.
    client.post(PAGE, {"action": "read", "notification": str(theirs.pk)})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(PAGE, {"action": "read", "notification": str(mine.pk)})
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_the_profile_page_links_to_the_notifications(volunteer: Any) -> None:
    body = client_for(volunteer).get("/konto/profil/").content.decode()
    assert PAGE in body


def test_news_is_written_in_the_installations_language_not_the_actors(
    opportunity: Any, volunteer: Any, org_admin: Any
) -> None:
    # The installation speaks English here (autouse fixture); the volunteer browses in German.
    with translation.override("de"):
        services.application_submit(
            opportunity=opportunity, volunteer=volunteer, message="", share_contact=False
        )
    news = Notification.objects.get(user=org_admin)
    assert news.subject == "New application for “Lebensmittel ausgeben”"
