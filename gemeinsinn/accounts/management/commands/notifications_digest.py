"""Mail the daily digest of notifications (run daily from cron; safe to run twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gemeinsinn.accounts.notifications import notifications_send_digests


class Command(BaseCommand):
    help = (
        "Send each person who takes the daily digest one e-mail with all their notifications "
        "not mailed yet. Nothing is mailed twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = notifications_send_digests()
        self.stdout.write(f"{count} digest e-mail(s) queued.")
