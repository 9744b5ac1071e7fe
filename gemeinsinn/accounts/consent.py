"""Processing purposes a person consents to; each text has a version so a record proves what
was agreed to. Changing a text means raising its version."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Purpose:
    key: str
    label: str | Promise
    text: str | Promise
    version: str
    required: bool


PURPOSES: dict[str, Purpose] = {
    p.key: p
    for p in (
        Purpose(
            "account",
            _("User account"),
            _(
                "I agree that my e-mail address, name and date of birth are processed to run my "
                "user account, as described in the privacy notice."
            ),
            "2026-11",
            True,
        ),
        Purpose(
            "terms",
            _("Terms of use"),
            _("I accept the terms of use of this platform."),
            "2026-11",
            True,
        ),
        Purpose(
            "parental",
            _("Parental consent"),
            _(
                "A parent or legal guardian has agreed that I use this platform (required under 16)."
            ),
            "2026-11",
            False,
        ),
        Purpose(
            "newsletter",
            _("News by e-mail"),
            _(
                "I would like to receive news about engagement in my town by e-mail. I can withdraw this at any time."
            ),
            "2026-11",
            False,
        ),
        Purpose(
            "matching",
            _("Suggestions to organisations"),
            _(
                "Organisations may see my profile (without contact data) to suggest suitable "
                "opportunities to me. I can withdraw this at any time."
            ),
            "2026-11",
            False,
        ),
    )
}

# Purposes a person can switch on and off on the profile page.
OPTIONAL_PURPOSES = ("newsletter", "matching")
