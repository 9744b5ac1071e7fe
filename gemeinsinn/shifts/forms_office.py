"""The coordination office's form for the municipality's shift settings."""

from __future__ import annotations

from typing import Any

from django import forms

from gemeinsinn.shifts.models import ShiftSettings
from gemeinsinn.shifts.services.settings import (
    LIMITS,
    SETTINGS_FIELDS,
    range_message,
    reminder_order_message,
)


class ShiftSettingsForm(forms.ModelForm[ShiftSettings]):
    class Meta:
        model = ShiftSettings
        fields = SETTINGS_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high, _unit) in LIMITS.items():
            model_field = self.fields[name]
            message = range_message(name)
            # A fresh field: the model's own would add its second set of limits (0 to 32767).
            self.fields[name] = forms.IntegerField(
                label=model_field.label,
                help_text=model_field.help_text,
                min_value=low,
                max_value=high,
                error_messages={"min_value": message, "max_value": message, "invalid": message},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("first_reminder_hours"), data.get("second_reminder_hours")
        if first and second and first <= second:
            self.add_error("second_reminder_hours", reminder_order_message())
        return data
