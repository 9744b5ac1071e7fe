"""Re-queue outbox e-mails whose back-off has passed (a safety net for cron; the database task
backend already schedules retries itself)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gemeinsinn.core.outbox import mails_retry_due


class Command(BaseCommand):
    help = "Queue outbox e-mails again whose retry time has come."

    def handle(self, *args: Any, **options: Any) -> None:
        count = mails_retry_due()
        self.stdout.write(f"{count} e-mail(s) queued again.")
