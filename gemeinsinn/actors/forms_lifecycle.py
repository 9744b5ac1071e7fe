"""Forms of an entry's life: registration, moderation, claims, members and taxonomies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.forms import OrganisationForm
from gemeinsinn.actors.models import Membership


class RegistrationForm(OrganisationForm):
    """A new organisation's profile; the home office alone decides other listings later."""

    duplicate_confirmed = forms.BooleanField(
        label=_("This is a different organisation; register it anyway."),
        required=False,
    )

    def __init__(
        self, *args: Any, show_duplicate_confirmation: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, can_change_listing=False, **kwargs)
        if not show_duplicate_confirmation:
            del self.fields["duplicate_confirmed"]

    def values(self) -> dict[str, Any]:
        values = super().values()
        values.pop("duplicate_confirmed", None)
        return values


class ModerationForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the organisation"),
        help_text=_("Required when you ask for changes or reject the entry. The admins see it."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ClaimStartForm(forms.Form):
    message = forms.CharField(
        label=_("How do you belong to the organisation? (optional)"),
        help_text=_("For example: I am on the board. This helps the coordination office decide."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class ClaimCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the e-mail"),
        help_text=_("Six digits."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )


class ClaimDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Reason or note"),
        help_text=_("Required when you reject the claim. The person is told."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class TermForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
