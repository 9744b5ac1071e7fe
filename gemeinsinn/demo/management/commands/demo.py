"""`gemeinsinn demo`: load realistic German demo data, print the demo logins or a TOTP code."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import connection

from gemeinsinn.accounts.models import User
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.search import database_analyze
from gemeinsinn.demo.generate import demo_load
from gemeinsinn.demo.logins import DEMO_LOGINS, LOGIN_BY_EMAIL, logins_table, totp_code
from gemeinsinn.demo.scales import SCALES


class _RawStream:
    """stderr for the progress display: no colour, no added newline."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, style_func=lambda s: s, ending="")
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


def _program() -> str:
    """How the person called us, for hints: `.venv/bin/gemeinsinn` under `make run`."""
    called = sys.argv[0] if sys.argv else ""
    if os.path.basename(called) == "gemeinsinn":
        return os.path.relpath(called) if os.path.isabs(called) else called
    return "gemeinsinn"


class Command(BaseCommand):
    help = "Load deterministic German demo data, print the demo logins or a demo TOTP code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help="Data size from PRODUCT.md: small (demo), city or state. Default: small.",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any municipality exists (for `make run`).",
        )
        parser.add_argument(
            "--logins", action="store_true", help="Only print the demo logins and exit."
        )
        parser.add_argument(
            "--totp",
            metavar="EMAIL",
            help="Print the current six-digit code of a demo staff login and exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["totp"]:
            self.stdout.write(self._totp(options["totp"]))
            return
        if options["logins"]:
            self.stdout.write(self._logins())
            return
        if options["if_empty"] and Municipality.objects.exists():
            self.stdout.write("Demo data not loaded: this installation already has municipalities.")
            return
        scale = SCALES[options["scale"]]
        started = time.perf_counter()
        created = demo_load(scale=scale, seed=options["seed"], sink=_RawStream(self.stderr))
        if created:
            # Fresh statistics let SQLite's planner run each full-text query once.
            database_analyze(connection)
        seconds = time.perf_counter() - started
        if not created:
            self.stdout.write(
                f"Demo data ({scale.name}, seed {options['seed']}) is complete; nothing to add."
            )
            return
        summary = ", ".join(f"{n:,} {what}" for what, n in sorted(created.items()))
        self.stdout.write(
            f"Demo data ({scale.name}, seed {options['seed']}) loaded in {seconds:.1f} s: {summary}."
        )

    def _logins(self) -> str:
        existing = set(
            User.objects.filter(email__in=[x.email for x in DEMO_LOGINS]).values_list(
                "email", flat=True
            )
        )
        logins = [login for login in DEMO_LOGINS if login.email in existing]
        if not logins:
            return f"No demo logins in this installation yet; load them with `{_program()} demo`."
        return logins_table(logins, _program())

    def _totp(self, email: str) -> str:
        login = LOGIN_BY_EMAIL.get(email.strip().lower())
        if login is None or not login.totp:
            staff = ", ".join(x.email for x in DEMO_LOGINS if x.totp)
            raise CommandError(f"{email} is not a demo staff login. Staff logins: {staff}.")
        return totp_code()
