"""Forms of the application pages: apply, ask, answer, decide, share contact data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gemeinsinn.opportunities.models import Application
from gemeinsinn.opportunities.services.applications import MESSAGE_MAX, PHONE_MAX


class ApplyForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the organisation"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For example: why this interests you and when you have time. "
            "Please do not include health or other sensitive data."
        ),
    )
    # Unticked by default: contact data leaves only with the person's consent at this moment.
    share_contact = forms.BooleanField(required=False)
    phone = forms.CharField(
        label=_("Phone (optional, only shared if you tick the box above)"),
        required=False,
        max_length=PHONE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(
        self, *args: Any, organisation_name: str = "", agency_name: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The volunteer agency that posted the listing handles its applications too, so the
        # consent names it.
        self.fields["share_contact"].label = (
            _(
                "Share my name, e-mail address and phone number with %(organisation)s and with "
                "%(agency)s, which handles this opportunity for it"
            )
            % {"organisation": organisation_name, "agency": agency_name}
            if agency_name
            else _("Share my name, e-mail address and phone number with %(organisation)s")
            % {"organisation": organisation_name}
        )
        self.fields["share_contact"].help_text = _(
            "Without a tick the organisation sees your first name and your message only and "
            "answers you on this platform. You can share your contact data later at any time."
        )


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write your question.")},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write your answer.")},
    )
    share_contact = forms.BooleanField(
        label=_("Also share my name, e-mail address and phone number with the organisation"),
        required=False,
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=PHONE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args: Any, contact_shared: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if contact_shared:
            # Already shared: nothing more to ask.
            del self.fields["share_contact"]
            del self.fields["phone"]

    def share(self) -> bool:
        return bool(self.cleaned_data.get("share_contact", False))


class ShareContactForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=PHONE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class AcceptForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Start of the engagement"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to start today."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person reads it)"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Be kind and brief, for example: all places are taken for this season."),
        error_messages={"required": _("Please give a short reason; the person will read it.")},
    )


class EndEngagementForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Please enter the last day.")},
    )


class InboxFilterForm(forms.Form):
    opportunity = forms.TypedChoiceField(
        label=_("Opportunity"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, opportunities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opportunity = self.fields["opportunity"]
        assert isinstance(opportunity, forms.TypedChoiceField)
        opportunity.choices = [("", _("all opportunities")), *opportunities]
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("all statuses")), *Application.Status.choices]
