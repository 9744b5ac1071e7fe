"""The fixed demo logins: one person per role, the shared password and the TOTP secret of staff.

These accounts exist only in demo installations; the secret is public on purpose so that
`make run` users can sign in as staff, who must use a second factor.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

DEMO_PASSWORD = "gemeinsinn-demo"  # noqa: S105 - a documented demo credential
# Base32, 160 bits like allauth's generated secrets.
DEMO_TOTP_SECRET = "GEMEINSINNDEMOZWEIFAKTORGEHEIM22"  # noqa: S105 - a documented demo credential

# The organisation the demo organisation admin manages, in the first municipality.
DEMO_ORGANISATION = "Tafel Musterstadt e. V."


@dataclass(frozen=True)
class DemoLogin:
    key: str
    role: str
    email: str
    first_name: str
    last_name: str
    # Index into NAMED_PLACES: the municipality the person lives in or works for.
    place: int
    scope: str
    born: str
    totp: bool = False


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "volunteer",
        "Volunteer",
        "ehrenamt@musterstadt.example",
        "Lena",
        "Hoffmann",
        0,
        "Musterstadt",
        "1998-04-17",
    ),
    DemoLogin(
        "org_admin",
        "Organisation admin",
        "verein@musterstadt.example",
        "Otto",
        "Brandt",
        0,
        DEMO_ORGANISATION,
        "1961-09-02",
    ),
    DemoLogin(
        "coordinator",
        "Coordination office",
        "koordination@musterstadt.example",
        "Clara",
        "Koch",
        0,
        "Musterstadt",
        "1979-06-23",
        totp=True,
    ),
    DemoLogin(
        "partner",
        "Acceptance partner",
        "partner@musterstadt.example",
        "Paul",
        "Becker",
        0,
        "Musterstadt",
        "1972-11-08",
    ),
    DemoLogin(
        "card_operator",
        "Card programme operator",
        "ehrenamtskarte@bayern.example",
        "Sabine",
        "Wagner",
        0,
        "Land Bayern",
        "1968-03-30",
    ),
    DemoLogin(
        "platform_admin",
        "Platform admin",
        "admin@gemeinsinn.example",
        "Petra",
        "Schneider",
        0,
        "whole installation",
        "1985-01-14",
        totp=True,
    ),
    DemoLogin(
        "other_coordinator",
        "Coordination office",
        "koordination@beispielhausen.example",
        "Bernd",
        "Schulte",
        1,
        "Beispielhausen",
        "1975-08-05",
        totp=True,
    ),
)
LOGIN_BY_EMAIL = {login.email: login for login in DEMO_LOGINS}


def totp_code(secret: str = DEMO_TOTP_SECRET, at: float | None = None) -> str:
    """The TOTP code an authenticator app shows for `secret` at time `at` (default: now)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return str(format_hotp_value(hotp_value(secret, counter)))


def logins_table(logins: tuple[DemoLogin, ...] | list[DemoLogin], program: str) -> str:
    """A plain-text table of `logins` with the hint staff need for their second factor."""
    header = ("Role", "E-mail", "Password", "Scope", "2FA")
    rows = [
        (login.role, login.email, DEMO_PASSWORD, login.scope, "TOTP" if login.totp else "–")
        for login in logins
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = ["Demo logins:", line(header), line(tuple("-" * w for w in widths))]
    out += [line(row) for row in rows]
    staff = [login for login in logins if login.totp]
    if staff:
        out += [
            "",
            "Staff sign in with a second factor. Print the current code with",
            f"  {program} demo --totp {staff[0].email}",
            f"or add the secret {DEMO_TOTP_SECRET} to an authenticator app",
            f"(TOTP, SHA-1, {mfa_settings.TOTP_DIGITS} digits, {mfa_settings.TOTP_PERIOD} s).",
        ]
    return "\n".join(out)
