"""End listings whose date has passed and remind organisations before theirs ends (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from gemeinsinn.opportunities.services.opportunities import (
    opportunities_expire,
    opportunities_remind_expiry,
)


class Command(BaseCommand):
    help = (
        "Set published opportunities whose listing date has passed to expired, and remind the "
        "organisations of listings that end soon (each listing date at most once). Safe to run "
        "more than once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        expired = opportunities_expire(today=today)
        reminded = opportunities_remind_expiry(today=today)
        self.stdout.write(f"{expired} opportunity(ies) expired, {reminded} reminder(s) sent.")
