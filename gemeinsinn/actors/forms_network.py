"""Forms of cooperation links, alliances, target agreements and the network graph's filter.

The forms check what a person can correct at once; the services check again and the views turn
their ValidationErrors into field errors, so nothing typed is lost.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import Alliance, CooperationLink, Organisation, Sector

NUMBER_ERRORS = {
    "invalid": _("Please enter a number, for example 120 or 12,5."),
    "max_digits": _("Please enter a number with at most 10 digits before the decimal comma."),
    "max_decimal_places": _("Please enter at most 2 digits after the decimal comma."),
    "max_whole_digits": _("Please enter a number with at most 10 digits before the decimal comma."),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def number_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    """A decimal field that accepts German input (12,5) and says clearly what it expects."""
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        localize=True,
        error_messages=NUMBER_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class CooperationLinkForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("– please choose –"),
        error_messages={"required": _("Please choose the partner organisation.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of cooperation"),
        choices=CooperationLink.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the kind of cooperation.")},
        help_text=_(
            "Funding: your organisation funds the partner. Umbrella: your organisation is a "
            "member of the partner's umbrella organisation."
        ),
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example the name of the shared project."),
    )

    def __init__(self, *args: Any, partners: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = partners


class AllianceForm(forms.ModelForm[Alliance]):
    class Meta:
        model = Alliance
        fields = ["name", "mission", "founded_on", "is_public"]
        widgets = {"mission": forms.Textarea(attrs={"rows": 5}), "founded_on": DateInput()}
        help_texts = {
            "mission": _("What the alliance wants to achieve, in a few sentences."),
            "is_public": _(
                "Public alliances appear in the directory and in the API. Others are visible "
                "only to their members and the coordination office."
            ),
        }
        error_messages = {"name": {"required": _("Please enter a name.")}}


class AllianceEditForm(AllianceForm):
    class Meta(AllianceForm.Meta):
        fields = ["name", "mission", "founded_on", "is_public", "status"]


class AllianceMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("– no organisation –"),
    )
    email = forms.EmailField(
        label=_("or the e-mail address of a person"),
        required=False,
        help_text=_(
            "Citizens join an alliance as individuals by accepting an invitation; "
            "they need an account."
        ),
    )
    is_steering = forms.BooleanField(label=_("Member of the steering group"), required=False)

    def __init__(self, *args: Any, candidates: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = candidates

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organisation") and data.get("email"):
            raise forms.ValidationError(
                _("Please add either an organisation or a person, not both at once.")
            )
        if not data.get("organisation") and not data.get("email") and not self.errors:
            raise forms.ValidationError(
                _("Please choose an organisation or enter the e-mail address of a person.")
            )
        return data


class AllianceProjectForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Please enter a title.")},
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end cannot lie before the start."))
        return data


class TargetAgreementForm(forms.Form):
    goal = forms.CharField(
        label=_("Goal"),
        max_length=300,
        error_messages={"required": _("Please describe the goal.")},
        help_text=_("For example: More young people volunteer in sports clubs."),
    )
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        error_messages={"required": _("Please name the indicator that measures the goal.")},
        help_text=_("What is counted, for example: volunteers under 27 in sports clubs."),
    )
    unit = forms.CharField(
        label=_("Unit (optional)"),
        max_length=40,
        required=False,
        help_text=_("For example: people, hours, %."),
    )
    baseline = number_field(_("Starting value"), initial=Decimal(0))
    target_value = number_field(_("Target value"))
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        error_messages={
            "required": _("Please enter the deadline."),
            "invalid": _("Please enter a date, for example 31.12.2027."),
        },
    )
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Member organisations that answer for this goal."),
    )

    def __init__(
        self,
        *args: Any,
        members: QuerySet[Organisation],
        deadline_changed_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        responsible = self.fields["responsible"]
        assert isinstance(responsible, forms.ModelMultipleChoiceField)
        responsible.queryset = members
        # When editing, an unchanged deadline may lie in the past; a new one may not.
        self.deadline_changed_only = deadline_changed_only
        self.fields["target_value"].error_messages["required"] = _("Please enter the target value.")
        self.fields["baseline"].error_messages["required"] = _(
            "Please enter the starting value (0 if you start from nothing)."
        )

    def clean_deadline(self) -> date:
        deadline: date = self.cleaned_data["deadline"]
        if self.deadline_changed_only and "deadline" not in self.changed_data:
            return deadline
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("The deadline must lie in the future."))
        return deadline

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        baseline, target = data.get("baseline"), data.get("target_value")
        if baseline is not None and target is not None and baseline == target:
            self.add_error(
                "target_value",
                _(
                    "The target value must differ from the starting value, otherwise there is no progress to measure."
                ),
            )
        return data


class ProgressUpdateForm(forms.Form):
    reported_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={
            "required": _("Please enter the date of the value."),
            "invalid": _("Please enter a date, for example 31.12.2027."),
        },
    )
    value = number_field(_("Value"))
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].error_messages["required"] = _("Please enter the value.")
        if not self.is_bound:
            self.initial.setdefault("reported_on", timezone.localdate())

    def clean_reported_on(self) -> date:
        reported_on: date = self.cleaned_data["reported_on"]
        if reported_on > timezone.localdate():
            raise forms.ValidationError(_("A progress update cannot lie in the future."))
        return reported_on


class NetworkFilterForm(forms.Form):
    field = forms.ChoiceField(label=_("Field of engagement"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("all sectors")), *Sector.choices]
    )

    def __init__(self, *args: Any, fields: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["field"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", _("all fields")), *fields]
