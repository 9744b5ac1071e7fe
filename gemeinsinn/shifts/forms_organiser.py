"""Forms of the organiser's pages: assign, decide, move, swap and the message to the helpers.

People and shifts are chosen from lists the organisation may use; the services check again
(known helper, same organisation, free place, no clash) and their messages reach the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gemeinsinn.shifts.models import MAX_PARTY_SIZE, Shift, Signup
from gemeinsinn.shifts.services.messages import MAX_MESSAGE_CHARS


def shift_choice_label(shift: Shift) -> str:
    """A shift as one line of a list: "Sat 05.12. 09:00–12:00 · Ausgabe · Plan (2 free)"."""
    start = timezone.localtime(shift.starts_at)
    end = timezone.localtime(shift.ends_at)
    free = gettext("full") if shift.free <= 0 else gettext("%(count)d free") % {"count": shift.free}
    return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M} · {shift.task} · {shift.plan.title} ({free})"


class AssignForm(forms.Form):
    volunteer = forms.TypedChoiceField(label=_("Person"), coerce=int, empty_value=None)
    party_size = forms.IntegerField(
        label=_("People (the person and companions)"),
        min_value=1,
        max_value=MAX_PARTY_SIZE,
        initial=1,
    )

    def __init__(self, *args: Any, candidates: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["volunteer"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose a person")), *candidates]
        field.help_text = _(
            "Members, people engaged with the organisation and earlier helpers. People who gave "
            "no name are not listed: ask them to sign up themselves."
        )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (optional, the person reads it)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    to_shift = forms.UUIDField(label=_("Move to the shift"))

    def __init__(self, *args: Any, targets: Sequence[Shift], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_shift"].widget = forms.Select(
            choices=[
                ("", _("Choose a shift")),
                *((str(s.public_id), shift_choice_label(s)) for s in targets),
            ]
        )


class SwapShiftForm(forms.Form):
    """First step of a swap: the other shift (a GET form)."""

    schicht = forms.UUIDField(label=_("The other shift"))

    def __init__(self, *args: Any, targets: Sequence[Shift], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schicht"].widget = forms.Select(
            choices=[
                ("", _("Choose a shift")),
                *((str(s.public_id), shift_choice_label(s)) for s in targets),
            ]
        )


class SwapForm(forms.Form):
    """Second step of a swap: the helper of the other shift."""

    other = forms.UUIDField(label=_("Swap with"))

    def __init__(self, *args: Any, partners: Sequence[Signup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].widget = forms.RadioSelect(
            choices=[(str(s.public_id), _person_label(s)) for s in partners]
        )


def _person_label(signup: Signup) -> str:
    name = f"{signup.volunteer.first_name} {signup.volunteer.last_name}".strip()
    name = name or gettext("no name given")
    if signup.party_size > 1:
        return gettext("%(name)s (%(count)d people)") % {"name": name, "count": signup.party_size}
    return name


class MessageForm(forms.Form):
    # No max_length validator: the service says what is too long, the attribute stops typing.
    body = forms.CharField(
        label=_("Message to all helpers"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_MESSAGE_CHARS}),
        help_text=_(
            "Everybody holding a place gets it at once by e-mail and on the site; the waitlist "
            "does not."
        ),
    )
