"""Forms of the volunteer's shift pages: signing up, cancelling, preferences."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gemeinsinn.shifts.models import MAX_PARTY_SIZE, ReminderChoice

MESSAGE_MAX = 2000


class ShiftChoiceField(forms.Field):
    """The public ids of the shifts ticked on the plan page (checkboxes named `shifts`)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Choose at least one shift."),
        "invalid": _("Choose the shifts from the list."),
    }

    def to_python(self, value: Any) -> list[UUID]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        chosen: list[UUID] = []
        for item in value:
            try:
                found = UUID(str(item))
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            if found not in chosen:
                chosen.append(found)
        return chosen


class SignupForm(forms.Form):
    plan = forms.UUIDField(widget=forms.HiddenInput)
    woche = forms.CharField(required=False, widget=forms.HiddenInput)
    shifts = ShiftChoiceField(label=_("Shifts"))
    companions = forms.IntegerField(
        label=_("Companions who come with you"),
        min_value=0,
        max_value=MAX_PARTY_SIZE - 1,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    message = forms.CharField(
        label=_("Message to the organisation (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: who comes with you. Please leave out health data."),
    )
    waitlist = forms.BooleanField(
        label=_("Put me on the waitlist when a shift is full"),
        required=False,
        initial=True,
        help_text=_("You are asked by e-mail as soon as a place frees up."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["companions"].help_text = gettext(
            "A place is kept for you and for each companion (up to %(n)d)."
        ) % {"n": MAX_PARTY_SIZE - 1}

    def party_size(self) -> int:
        return 1 + int(self.cleaned_data["companions"])


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, message_needed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["message"]
        field.required = message_needed
        if message_needed:
            field.help_text = _(
                "The shift begins soon, so please tell the organisation why you can't come."
            )
            field.error_messages["required"] = _(
                "The shift begins soon: please write a short message to the organisation."
            )
        else:
            field.label = _("Message to the organisation (optional)")


class PreferencesForm(forms.Form):
    reminders = forms.ChoiceField(
        label=_("Reminders before my shifts"),
        choices=ReminderChoice.choices,
        widget=forms.RadioSelect,
    )
