"""Personal mails: the office sees that they were delivered, not what they say."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import client_for
from gemeinsinn.core.models import OutgoingMail
from gemeinsinn.core.outbox import mail_is_personal, mails_redact_personal


def _mail(municipality: Any, purpose: str, *, days_ago: int) -> OutgoingMail:
    return OutgoingMail.objects.create(
        municipality=municipality,
        recipient="vera@example.org",
        subject="Your application for “Lesepatin” was declined",
        body_text="Sorry, Vera.",
        purpose=purpose,
        status=OutgoingMail.Status.SENT,
        sent_at=timezone.now() - timedelta(days=days_ago),
    )


def test_notifications_and_organisation_messages_count_as_personal() -> None:
    assert mail_is_personal("notification:application.declined")
    assert mail_is_personal("opportunities_offer_contact")
    assert not mail_is_personal("opportunities_expiry_reminder")


@pytest.mark.django_db
def test_the_office_outbox_hides_the_subject_of_personal_mails(
    municipality: Any, coordinator: Any
) -> None:
    _mail(municipality, "notification:application.declined", days_ago=1)
    page = client_for(coordinator).get(f"/{municipality.slug}/verwaltung/postausgang/")
    assert page.status_code == 200
    assert "Lesepatin" not in page.content.decode()
    assert "vera@example.org" in page.content.decode()


@pytest.mark.django_db
def test_old_personal_mails_lose_their_text_and_others_keep_it(municipality: Any) -> None:
    old = _mail(municipality, "notification:digest", days_ago=31)
    recent = _mail(municipality, "notification:digest", days_ago=3)
    office = _mail(municipality, "opportunities_expiry_reminder", days_ago=90)

    assert mails_redact_personal() == 1
    assert mails_redact_personal() == 0

    old.refresh_from_db()
    recent.refresh_from_db()
    office.refresh_from_db()
    assert (old.subject, old.body_text) == ("", "")
    assert old.status == OutgoingMail.Status.SENT
    assert recent.body_text == "Sorry, Vera."
    assert office.body_text == "Sorry, Vera."
