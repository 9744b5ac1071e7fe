"""Health check, outbox delivery with retries, structured logs."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from conftest import client_for
from gemeinsinn.core.logs import JsonFormatter
from gemeinsinn.core.models import OutgoingMail
from gemeinsinn.core.outbox import deliver_mail, mail_queue, mails_retry_due


def test_healthz_answers_200_with_json_when_the_database_answers(db: None) -> None:
    response = client_for(None).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not_answer(db: None) -> None:
    with mock.patch("gemeinsinn.core.views.connection") as broken:
        broken.cursor.side_effect = Exception("connection refused")
        response = client_for(None).get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db(transaction=True)
def test_a_queued_mail_is_delivered_after_commit_and_marked_sent() -> None:
    with transaction.atomic():
        queued = mail_queue(recipient="a@example.org", subject="Hallo", body_text="Text")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT
    assert queued.attempts == 1
    assert mail.outbox[0].to == ["a@example.org"]
    assert mail.outbox[0].subject == "Hallo"


@pytest.mark.django_db(transaction=True)
def test_a_mail_that_is_rolled_back_is_never_sent() -> None:
    def queue_then_fail() -> None:
        with transaction.atomic():
            mail_queue(recipient="a@example.org", subject="Hallo", body_text="Text")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        queue_then_fail()
    assert mail.outbox == []
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_relay_loses_nothing_and_retries_with_back_off(settings: Any) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("relay down")
    ):
        queued = mail_queue(recipient="a@example.org", subject="Hallo", body_text="Text")
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.RETRYING
    assert "relay down" in queued.last_error
    assert queued.next_attempt_at is not None
    assert queued.next_attempt_at > timezone.now()
    # Not yet due: nothing is retried.
    assert mails_retry_due() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert mails_retry_due() == 1
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT
    assert queued.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_mail_fails_for_good_after_the_maximum_attempts(settings: Any) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("relay down")
    ):
        queued = mail_queue(recipient="a@example.org", subject="Hallo", body_text="Text")
        deliver_mail.call(queued.pk)
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.FAILED
    assert queued.attempts == 2


def test_the_office_sees_delivery_status_and_can_send_a_failed_mail_again(
    coordinator: Any, municipality: Any, django_capture_on_commit_callbacks: Any
) -> None:
    failed = OutgoingMail.objects.create(
        municipality=municipality,
        recipient="x@example.org",
        subject="Einladung",
        body_text="…",
        status=OutgoingMail.Status.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected",
    )
    client = client_for(coordinator)
    page = client.get("/musterstadt/verwaltung/postausgang/?status=failed").content.decode()
    assert "Einladung" in page
    assert "SMTPServerDisconnected" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/musterstadt/verwaltung/postausgang/{failed.public_id}/erneut/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutgoingMail.Status.SENT


def test_the_office_cannot_resend_mail_of_another_municipality(
    other_coordinator: Any, municipality: Any
) -> None:
    foreign = OutgoingMail.objects.create(
        municipality=municipality,
        recipient="x@example.org",
        subject="S",
        body_text="B",
        status="failed",
    )
    response = client_for(other_coordinator).post(
        f"/beispielhausen/verwaltung/postausgang/{foreign.public_id}/erneut/"
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "failed"


def test_log_lines_are_json_objects_with_the_extra_fields() -> None:
    record = logging.LogRecord(
        "gemeinsinn.request", logging.INFO, __file__, 1, "GET %s", ("/x",), None
    )
    record.status = 200
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /x"
    assert line["status"] == 200
    assert line["level"] == "INFO"


def test_every_response_carries_a_request_id(db: None) -> None:
    response = client_for(None).get("/healthz", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
