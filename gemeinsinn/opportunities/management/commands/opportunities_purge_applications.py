"""Delete the personal data of old declined and withdrawn applications (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gemeinsinn.opportunities.services.applications import applications_purge


class Command(BaseCommand):
    help = (
        "Anonymise declined and withdrawn applications older than each municipality's retention "
        "period (settings of the engagement exchange). Open and accepted ones are untouched; "
        "safe to run twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = applications_purge()
        self.stdout.write(f"{count} application(s) anonymised.")
