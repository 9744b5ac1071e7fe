"""The municipality's shift settings, changed by its coordination office."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.shifts.models import ShiftSettings

# The allowed range of each setting, and the unit a message names. The form takes its limits
# from here too, so the page and the service never disagree.
LIMITS: dict[str, tuple[int, int, Any]] = {
    "conflict_grace_minutes": (0, 240, gettext_lazy("minutes")),
    "first_reminder_hours": (0, 168, gettext_lazy("hours")),
    "second_reminder_hours": (0, 168, gettext_lazy("hours")),
    "offer_confirm_hours": (1, 72, gettext_lazy("hours")),
    "cancel_deadline_hours": (0, 168, gettext_lazy("hours")),
    "checkin_opens_minutes": (0, 240, gettext_lazy("minutes")),
}
SETTINGS_FIELDS = tuple(LIMITS)


def range_message(name: str) -> str:
    """The message for a value outside a setting's range, e.g. "Choose 0 to 240 minutes."."""
    low, high, unit = LIMITS[name]
    return _("Choose %(low)d to %(high)d %(unit)s.") % {"low": low, "high": high, "unit": unit}


def reminder_order_message() -> str:
    return _(
        "The first reminder comes earlier, so it needs more hours before the shift than the "
        "second one. Set the second reminder to 0 to send only one."
    )


def _check(values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        low, high, _unit = LIMITS[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors.setdefault(name, []).append(range_message(name))
    first, second = values["first_reminder_hours"], values["second_reminder_hours"]
    both_valid = not {"first_reminder_hours", "second_reminder_hours"} & set(errors)
    if both_valid and first and second and first <= second:
        errors.setdefault("second_reminder_hours", []).append(reminder_order_message())
    if errors:
        raise ValidationError(errors)


def shift_settings_update(
    *, actor: Any, municipality: Municipality, values: Mapping[str, Any]
) -> ShiftSettings:
    """Change the municipality's shift settings (office only); records old and new values."""
    if actor is None or not actor.has_perm("shifts.change_settings", municipality):
        raise PermissionDenied(_("Only the coordination office changes the shift settings."))
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        # The first save creates the row; a parallel first save waits on it instead of failing.
        found, _created = ShiftSettings.objects.select_for_update().get_or_create(
            municipality=municipality
        )
        merged = {name: values.get(name, getattr(found, name)) for name in SETTINGS_FIELDS}
        # Checked as a whole: the order of the reminders depends on both values.
        _check(merged)
        changes = {
            name: [getattr(found, name), value]
            for name, value in merged.items()
            if getattr(found, name) != value
        }
        if not changes:
            return found
        for name in changes:
            setattr(found, name, merged[name])
        found.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="shift_settings.updated",
            target=found,
            municipality=municipality,
            data={"changes": changes},
        )
    return found
