"""When an entry counts as stale, and the signed link that confirms it as current.

Shared by the lifecycle services (reminders, confirmation) and selectors (the office's list).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.core import signing
from django.utils import timezone

# An entry nobody confirmed for a year is stale; its admins hear about it at most monthly.
STALE_AFTER = timedelta(days=365)
REMIND_EVERY = timedelta(days=30)
# The reminder's link works for two reminder periods; after that the edit page's button does.
CONFIRM_LINK_MAX_AGE = timedelta(days=60)
_CONFIRM_SALT = "gemeinsinn.actors.confirm-current"


def stale_before(now: datetime | None = None) -> datetime:
    """Entries last confirmed (or, never confirmed, created) before this moment are stale."""
    return (now or timezone.now()) - STALE_AFTER


def confirm_token_make(public_id: uuid.UUID) -> str:
    """The signed token of the reminder's "still current" link."""
    return signing.dumps(str(public_id), salt=_CONFIRM_SALT, compress=True)


def confirm_token_read(token: str) -> uuid.UUID | None:
    """The organisation's public id in a valid, unexpired token, else None."""
    try:
        value = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_LINK_MAX_AGE)
        return uuid.UUID(str(value))
    except (signing.BadSignature, ValueError):
        return None
