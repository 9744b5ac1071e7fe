"""Send the daily e-mail digests of saved searches (run once a day from cron, e.g. at 7:00)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gemeinsinn.opportunities.services.saved_searches import saved_search_alerts_send


class Command(BaseCommand):
    help = (
        "E-mail each person the opportunities published yesterday (or since their last digest) "
        "that match their saved searches with alerts on: at most one e-mail per person and day, "
        "none without new matches. Safe to run more than once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = saved_search_alerts_send()
        self.stdout.write(f"{count} saved-search digest(s) sent.")
