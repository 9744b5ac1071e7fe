"""Forms of agency mode: recording an advice conversation and referring a person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import FieldOfEngagement, Organisation
from gemeinsinn.opportunities.services.agency import NOTE_MAX, NOTES_MAX, REFERENCE_MAX


class ConversationForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the conversation"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    email = forms.EmailField(
        label=_("E-mail address of the person's account (if they have one)"),
        required=False,
        help_text=_(
            "Needed only if you want to refer the person later. You will only see whether the "
            "address belongs to an account."
        ),
    )
    person_reference = forms.CharField(
        label=_("Initials or your own reference"),
        max_length=REFERENCE_MAX,
        required=False,
        help_text=_("For people without an account. Please do not enter full names."),
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Interests"),
        queryset=FieldOfEngagement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only your agency reads these notes."),
    )

    def __init__(self, *args: Any, agency: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        interests: Any = self.fields["interests"]
        interests.queryset = FieldOfEngagement.objects.filter(
            municipality_id=agency.municipality_id, is_active=True
        ).order_by("position", "name")


class ReferralForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person's account"),
        help_text=_(
            "The person needs an account. You will only see whether the address belongs to one."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "The person has agreed that we pass on their interest to the organisation. "
            "They share their name and contact data with it themselves."
        ),
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the organisation"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organisation reads this with the application; the person sees it too."),
    )
