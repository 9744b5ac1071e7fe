"""Forms for organising: plans, recurring shifts, single shifts, templates and requirements.

Times are entered as a start and an end on the wall clock; an end before the start means the
next morning (a night shift 22:00–06:00). Dates use the browser's date picker.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gemeinsinn.accounts.models import User
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.shifts.models import Requirement, ShiftPlan, ShiftSeries, Visibility
from gemeinsinn.shifts.recurrence import parse_exceptions, weekday_bits, weekdays_of
from gemeinsinn.shifts.services.plans import MAX_CAPACITY, SeriesSpec, ShiftFields
from gemeinsinn.shifts.services.templates import MAX_ITEMS, TemplateItemSpec

WEEKDAY_CHOICES = [
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
]
MAX_EXCEPTION_LINES = 200


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def duration_between(start: time, end: time) -> int:
    """Minutes from start to end on the wall clock; an earlier end is the next day's."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes % (24 * 60)


def end_after(start: time, minutes: int) -> time:
    return (datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)).time()


def parse_day(value: str) -> date | None:
    """A date written as 24.12.2026, 24.12.26 or 2026-12-24; None if it is none."""
    value = value.strip()
    for pattern in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


class PlanDateField(forms.DateField):
    """A date in the years shifts can be planned for; 9999-12-31 would overflow later."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not 2000 <= value.year <= 2100:
            raise forms.ValidationError(
                gettext_lazy("Enter a date between the years 2000 and 2100."), code="range"
            )


class ExceptionDatesField(forms.CharField):
    """Dates, one per line, as dd.mm.yyyy or yyyy-mm-dd; each bad line gets its own message."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        errors: list[forms.ValidationError] = []
        found: set[date] = set()
        lines = [line for line in re.split(r"[\r\n]+", text or "") if line.strip()]
        if len(lines) > MAX_EXCEPTION_LINES:
            raise forms.ValidationError(
                _("At most %(max)d dates, please.") % {"max": MAX_EXCEPTION_LINES}
            )
        for number, line in enumerate(text.splitlines() if text else [], start=1):
            if not line.strip():
                continue
            for part in re.split(r"[,;]", line):
                if not part.strip():
                    continue
                day = parse_day(part)
                if day is None:
                    errors.append(
                        forms.ValidationError(
                            _(
                                "Line %(line)d: “%(value)s” is not a date. Write it as 24.12.2026 "
                                "or 2026-12-24."
                            )
                            % {"line": number, "value": part.strip()[:40]}
                        )
                    )
                else:
                    found.add(day)
        if errors:
            raise forms.ValidationError(errors)
        return frozenset(found)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (set, frozenset, list, tuple)):
            return "\n".join(d.strftime("%d.%m.%Y") for d in sorted(value))
        return value


class PlanForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        help_text=gettext_lazy("E.g. “Food bank counter” or “Summer festival 2027”."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What helpers should know about all shifts of this plan."),
    )
    place = forms.CharField(
        label=gettext_lazy("Place (optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Used for every shift that does not name its own place."),
    )
    opportunity = forms.ModelChoiceField(
        label=gettext_lazy("Opportunity (optional)"),
        queryset=Opportunity.objects.none(),
        required=False,
        empty_label=gettext_lazy("– none: an event of the organisation –"),
        help_text=gettext_lazy("Shifts of an opportunity appear on its page."),
    )

    def __init__(self, *args: Any, opportunities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["opportunity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = opportunities

    @classmethod
    def initial_for(cls, plan: ShiftPlan) -> dict[str, Any]:
        return {
            "title": plan.title,
            "description": plan.description,
            "place": plan.place,
            "opportunity": plan.opportunity_id,
        }


class ShiftFieldsForm(forms.Form):
    """What a shift is about: the part single shifts and series share."""

    task = forms.CharField(
        label=gettext_lazy("Task"),
        max_length=200,
        help_text=gettext_lazy("What the helpers do, e.g. “counter” or “set-up”."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    place = forms.CharField(
        label=gettext_lazy("Place (optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Leave empty to use the plan's place."),
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Places"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=2,
        help_text=gettext_lazy("How many people the shift needs."),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who can sign up"),
        choices=[
            (Visibility.PUBLIC, gettext_lazy("Everybody")),
            (Visibility.MEMBERS, gettext_lazy("Members; others can ask to join")),
        ],
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    requirements = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Requirements (optional)"),
        queryset=Requirement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only people recorded as meeting them can sign up."),
    )
    start_time = forms.TimeField(label=gettext_lazy("Start time"), widget=time_input())
    end_time = forms.TimeField(
        label=gettext_lazy("End time"),
        widget=time_input(),
        help_text=gettext_lazy("An end before the start means the next morning."),
    )

    def __init__(self, *args: Any, requirements: QuerySet[Requirement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["requirements"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = requirements
        if not requirements.exists():
            del self.fields["requirements"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start is not None and end is not None and duration_between(start, end) == 0:
            self.add_error("end_time", _("The end is the same as the start."))
        return data

    def duration_minutes(self) -> int:
        return duration_between(self.cleaned_data["start_time"], self.cleaned_data["end_time"])

    def shift_fields(self) -> ShiftFields:
        data = self.cleaned_data
        return ShiftFields(
            task=data["task"],
            capacity=data["capacity"],
            description=data.get("description", ""),
            place=data.get("place", ""),
            visibility=data["visibility"],
            requirements=tuple(data.get("requirements") or ()),
        )

    @staticmethod
    def initial_times(start: time, minutes: int) -> dict[str, Any]:
        return {"start_time": start, "end_time": end_after(start, minutes)}


class ShiftForm(ShiftFieldsForm):
    day = PlanDateField(label=gettext_lazy("Day"), widget=date_input())

    field_order = [
        "day",
        "start_time",
        "end_time",
        "task",
        "place",
        "capacity",
        "description",
        "visibility",
        "requirements",
    ]


class WeeklyFieldsMixin(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one weekday.")},
    )
    interval_weeks = forms.IntegerField(
        label=gettext_lazy("Every how many weeks"),
        min_value=1,
        max_value=52,
        initial=1,
        help_text=gettext_lazy("1 for every week, 2 for every other week, and so on."),
    )
    until = PlanDateField(
        label=gettext_lazy("Last day"),
        widget=date_input(),
        help_text=gettext_lazy("The last day is included. At most two years."),
    )
    skip_holidays = forms.BooleanField(
        label=gettext_lazy("Leave out public holidays of our Land"),
        required=False,
        initial=True,
    )
    exceptions = ExceptionDatesField(
        label=gettext_lazy("Further days without shifts (optional)"),
        required=False,
        help_text=gettext_lazy("One date per line, e.g. 24.12.2026 or 2026-12-24."),
    )


class SeriesForm(ShiftFieldsForm, WeeklyFieldsMixin):
    starts_on = PlanDateField(label=gettext_lazy("First day"), widget=date_input())

    field_order = [
        "task",
        "place",
        "capacity",
        "description",
        "visibility",
        "requirements",
        "start_time",
        "end_time",
        "weekdays",
        "interval_weeks",
        "starts_on",
        "until",
        "skip_holidays",
        "exceptions",
    ]
    GROUPS = (
        (
            gettext_lazy("The shifts"),
            ("task", "place", "capacity", "description", "visibility", "requirements"),
        ),
        (gettext_lazy("Time"), ("start_time", "end_time")),
        (
            gettext_lazy("Repeats"),
            (
                "weekdays",
                "interval_weeks",
                "from_date",
                "starts_on",
                "until",
                "skip_holidays",
                "exceptions",
            ),
        ),
    )

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.GROUPS
        ]

    def spec(self) -> SeriesSpec:
        data = self.cleaned_data
        return SeriesSpec(
            shift=self.shift_fields(),
            start_time=data["start_time"],
            duration_minutes=self.duration_minutes(),
            weekdays=weekday_bits(data["weekdays"]),
            interval_weeks=data["interval_weeks"],
            until=data["until"],
            skip_holidays=data["skip_holidays"],
            exceptions=data.get("exceptions") or frozenset(),
        )


class SeriesEditForm(SeriesForm):
    from_date = PlanDateField(
        label=gettext_lazy("Apply the changes from"),
        widget=date_input(),
        help_text=gettext_lazy(
            "Shifts on and after this day change; earlier ones and shifts changed on their own "
            "stay as they are."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["starts_on"]

    @classmethod
    def initial_for(cls, series: ShiftSeries, from_date: date) -> dict[str, Any]:
        return {
            "task": series.task,
            "description": series.description,
            "place": series.place,
            "capacity": series.capacity,
            "visibility": series.visibility,
            "requirements": list(series.requirements.all()),
            **cls.initial_times(series.start_time, series.duration_minutes),
            "weekdays": weekdays_of(series.weekdays),
            "interval_weeks": series.interval_weeks,
            "until": series.until,
            "skip_holidays": series.skip_holidays,
            "exceptions": parse_exceptions(series.exceptions),
            "from_date": from_date,
        }


class SeriesEndForm(forms.Form):
    after_date = PlanDateField(
        label=gettext_lazy("Last day with shifts"),
        widget=date_input(),
        help_text=gettext_lazy(
            "Later shifts are deleted; where people signed up, they are cancelled and the people are told."
        ),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ShiftCancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the shift cancelled?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The people signed up read this in their message."),
    )


class PlanArchiveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Message to the helpers (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TemplateForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the template"),
        max_length=120,
        help_text=gettext_lazy("E.g. “Normal week” or “Holiday week”."),
    )


class TemplateItemForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Weekday"),
        choices=[("", gettext_lazy("– choose –")), *WEEKDAY_CHOICES],
        coerce=int,
        empty_value=None,
    )
    start_time = forms.TimeField(label=gettext_lazy("Start time"), widget=time_input())
    end_time = forms.TimeField(
        label=gettext_lazy("End time"),
        widget=time_input(),
        help_text=gettext_lazy("Before the start: the next morning."),
    )
    task = forms.CharField(label=gettext_lazy("Task"), max_length=200)
    # No initial value: an untouched empty row must count as unchanged and be ignored.
    capacity = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=MAX_CAPACITY)
    place = forms.CharField(label=gettext_lazy("Place (optional)"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start is not None and end is not None and duration_between(start, end) == 0:
            self.add_error("end_time", _("The end is the same as the start."))
        return data

    def spec(self) -> TemplateItemSpec:
        data = self.cleaned_data
        return TemplateItemSpec(
            weekday=data["weekday"],
            start_time=data["start_time"],
            duration_minutes=duration_between(data["start_time"], data["end_time"]),
            task=data["task"],
            capacity=data["capacity"],
            place=data.get("place", ""),
        )


class BaseTemplateItemFormSet(forms.BaseFormSet[TemplateItemForm]):
    def items(self) -> list[TemplateItemSpec]:
        """The rows to keep: every earlier row not marked for deletion, new rows filled in."""
        return [
            form.spec()
            for i, form in enumerate(self.forms)
            if (i < self.initial_form_count() or form.has_changed())
            and not (form.cleaned_data or {}).get("DELETE")
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.items():
            raise forms.ValidationError(_("Add at least one shift to the template."))


ITEM_FIELDS = ("weekday", "start_time", "end_time", "task", "capacity", "place")


def template_item_formset(
    initial: list[dict[str, Any]] | None, data: Any, *, extra: int = 2
) -> BaseTemplateItemFormSet:
    """The rows of a template's shifts, with `extra` empty rows for new ones."""
    formset_class = forms.formset_factory(
        TemplateItemForm,
        formset=BaseTemplateItemFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_ITEMS,
        validate_max=True,
    )
    return cast(BaseTemplateItemFormSet, formset_class(data, initial=initial, prefix="items"))


def rows_typed(data: Any) -> list[dict[str, Any]]:
    """The rows a person typed so far (not those marked for deletion), as initial values."""
    try:
        total = min(int(data.get("items-TOTAL_FORMS", "0")), MAX_ITEMS)
    except ValueError:
        total = 0
    rows = []
    for i in range(total):
        row = {name: data.get(f"items-{i}-{name}", "") for name in ITEM_FIELDS}
        if data.get(f"items-{i}-DELETE"):
            continue
        if any(str(value).strip() for name, value in row.items() if name != "weekday"):
            rows.append(row)
    return rows


class TemplateApplyForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=gettext_lazy("Into the plan"),
        queryset=ShiftPlan.objects.none(),
        to_field_name="public_id",
    )
    first_day = PlanDateField(label=gettext_lazy("First day"), widget=date_input())
    last_day = PlanDateField(
        label=gettext_lazy("Last day"),
        widget=date_input(),
        help_text=gettext_lazy("Included. At most 366 days at once."),
    )
    skip_holidays = forms.BooleanField(
        label=gettext_lazy("Leave out public holidays of our Land"), required=False, initial=True
    )

    def __init__(self, *args: Any, plans: QuerySet[ShiftPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = plans


class RequirementForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=120,
        help_text=gettext_lazy("E.g. “Hygiene briefing” or “Certificate of conduct seen”."),
    )
    description = forms.CharField(
        label=gettext_lazy("How to meet it (optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Shown to people who cannot sign up yet."),
    )


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        # Names only: every member of the organisation sees this list (no e-mail addresses).
        return obj.get_full_name() or str(gettext_lazy("no name given"))


class RequirementRecordForm(forms.Form):
    volunteer = PersonChoiceField(
        label=gettext_lazy("Person"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        help_text=gettext_lazy(
            "Members, people engaged with the organisation and earlier helpers of its shifts."
        ),
    )
    recorded_on = PlanDateField(label=gettext_lazy("Met on"), widget=date_input())

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["volunteer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people
