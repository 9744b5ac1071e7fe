"""Send the reminders for entries not confirmed as current for a year (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gemeinsinn.actors.services import stale_reminders_send
from gemeinsinn.actors.tasks import stale_reminders


class Command(BaseCommand):
    help = (
        "Remind the administrators of organisations whose entry was not confirmed as current for "
        "12 months; each entry at most once in 30 days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the task worker instead of doing it now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = stale_reminders.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        count = stale_reminders_send()
        self.stdout.write(f"{count} organisation(s) reminded.")
