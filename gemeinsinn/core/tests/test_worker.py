"""The real task worker (django-tasks database backend) delivers what the outbox queued."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from gemeinsinn.core.models import OutgoingMail
from gemeinsinn.core.outbox import mail_queue

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_delivers_queued_mail(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    queued = mail_queue(recipient="a@example.org", subject="Willkommen", body_text="Hallo")
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.QUEUED  # waits for the worker
    assert mail.outbox == []
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Willkommen"]


@pytest.mark.django_db(transaction=True)
def test_the_retry_command_requeues_due_mail(settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    waiting = OutgoingMail.objects.create(
        recipient="a@example.org",
        subject="Erneut",
        body_text="x",
        status=OutgoingMail.Status.RETRYING,
        attempts=1,
        next_attempt_at=timezone.now() - timedelta(minutes=1),
    )
    out = StringIO()
    call_command("outbox_retry", stdout=out)
    assert "1 e-mail(s) queued again." in out.getvalue()
    waiting.refresh_from_db()
    assert waiting.status == OutgoingMail.Status.SENT
