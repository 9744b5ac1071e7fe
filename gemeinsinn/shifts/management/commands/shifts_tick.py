"""Pass on expired waitlist offers, then mail due shift reminders (cron, every 10 minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from gemeinsinn.shifts.services.reminders import reminders_send
from gemeinsinn.shifts.services.signups import offers_expire


class Command(BaseCommand):
    help = (
        "Offer places whose confirmation deadline passed to the next person on the waitlist, "
        "then mail the shift reminders that are due. Every reminder goes out at most once, so "
        "the job is safe to run often, twice at once, or again after a crash."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        # Offers first: a place passed on now can still be reminded in the same run.
        expired = offers_expire(now=now)
        sent = reminders_send(now=now)
        self.stdout.write(f"{expired} offer(s) expired, {sent} reminder(s) sent.")
