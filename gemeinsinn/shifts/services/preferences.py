"""A person's shift preferences: which reminders they get, and their private calendar feed.

The feed address carries a secret token: whoever knows it sees the person's shifts. Renewing
it writes a new token, so the old address stops working at once; switching it off empties it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.shifts.models import ReminderChoice, ShiftPreferences, new_token


def _locked(user: Any) -> ShiftPreferences:
    """The person's preferences row, created on first use and locked for the change."""
    ShiftPreferences.objects.get_or_create(user=user)
    return ShiftPreferences.objects.select_for_update().get(user=user)


def preferences_update(*, user: Any, reminders: str) -> ShiftPreferences:
    """Choose which shift reminders the person gets."""
    if reminders not in ReminderChoice.values:
        raise ValidationError({"reminders": _("Choose one of the reminder options.")})
    with transaction.atomic():
        preferences = _locked(user)
        preferences.reminders = reminders
        preferences.save(update_fields=["reminders"])
    return preferences


def feed_token_renew(*, user: Any, municipality: Municipality) -> ShiftPreferences:
    """Give the person a new private calendar address; an old one stops working."""
    with transaction.atomic():
        preferences = _locked(user)
        had_one = bool(preferences.feed_token)
        preferences.feed_token = new_token()
        preferences.feed_created_at = timezone.now()
        preferences.save(update_fields=["feed_token", "feed_created_at"])
        audit_record(
            actor=user,
            action="shift_feed.renewed",
            target=preferences,
            municipality=municipality,
            data={"replaced": had_one},
        )
    return preferences


def feed_revoke(*, user: Any, municipality: Municipality) -> ShiftPreferences:
    """Switch the person's private calendar address off."""
    with transaction.atomic():
        preferences = _locked(user)
        if not preferences.feed_token:
            raise ValidationError(_("Your private calendar address is already switched off."))
        preferences.feed_token = ""
        preferences.feed_created_at = None
        preferences.save(update_fields=["feed_token", "feed_created_at"])
        audit_record(
            actor=user,
            action="shift_feed.revoked",
            target=preferences,
            municipality=municipality,
        )
    return preferences
