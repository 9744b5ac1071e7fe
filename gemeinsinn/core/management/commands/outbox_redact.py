"""Remove the text of personal mails delivered more than 30 days ago (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from gemeinsinn.core.outbox import mails_redact_personal


class Command(BaseCommand):
    help = "Blank subject and text of personal e-mails delivered more than 30 days ago."

    def handle(self, *args: Any, **options: Any) -> None:
        count = mails_redact_personal()
        self.stdout.write(f"{count} personal e-mail(s) redacted.")
