"""Forms for posting opportunities and offers, reviewing them and writing to people who offer help."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import FieldOfEngagement, Organisation, TargetGroup
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.opportunities.matching import SLOT_PHRASES
from gemeinsinn.opportunities.models import Offer, Opportunity, Skill
from gemeinsinn.opportunities.models.slots import (
    DAYS,
    PARTS_OF_DAY,
    slots_from_keys,
    slots_to_keys,
)
from gemeinsinn.opportunities.services.offers import MESSAGE_MAX_LENGTH, OFFER_LISTING_DAYS

SLOT_KEYS: list[str] = [f"{day}_{part}" for day, _d in DAYS for part, _p in PARTS_OF_DAY]

# The opportunity form in the order a poster thinks about it; each group is one fieldset.
OPPORTUNITY_GROUPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "what",
        _("What is it about?"),
        ("title", "description", "kind", "engagement_fields", "skills", "easy_language"),
    ),
    (
        "when",
        _("When and how much time?"),
        ("time_slots", "times_note", "hours_per_week", "hours_total", "starts_on", "ends_on"),
    ),
    (
        "where",
        _("Where?"),
        ("is_remote", "street", "postcode", "city", "district", "latitude", "longitude"),
    ),
    (
        "who",
        _("Who can take part?"),
        (
            "people_wanted",
            "minimum_age",
            "german_level",
            "target_groups",
            "for_young_people",
            "for_seniors",
            "for_families",
            "needs_conduct_certificate",
        ),
    ),
    (
        "care",
        _("Accessibility and insurance"),
        (
            "place_accessibility",
            "task_accessibility",
            "insured_by_organisation",
            "insured_by_land",
            "insured_statutory",
        ),
    ),
    ("contact", _("Contact person"), ("contact_name", "contact_email", "contact_phone")),
    ("listing", _("Listing"), ("expires_on",)),
)
OPPORTUNITY_FORM_FIELDS: tuple[str, ...] = tuple(
    name for _key, _legend, names in OPPORTUNITY_GROUPS for name in names
)
OFFER_FORM_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "engagement_fields",
    "skills",
    "district",
    "time_slots",
    "is_remote",
    "expires_on",
)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@dataclass(frozen=True)
class SlotCell:
    key: str
    id: str
    label: str
    checked: bool


@dataclass(frozen=True)
class SlotRow:
    label: str
    cells: list[SlotCell]


class SlotsField(forms.MultipleChoiceField):
    """Weekday × part of day as checkboxes; cleans to the bit mask of models/slots.py."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(choices=[(key, SLOT_PHRASES[key]) for key in SLOT_KEYS], **kwargs)

    def clean(self, value: Any) -> int:
        keys = super().clean(value)
        return slots_from_keys(keys)


def slot_rows(field: forms.BoundField) -> list[SlotRow]:
    """The grid of a SlotsField: one row per weekday, one checkbox per part of the day.

    The checkboxes are numbered like Django's own (id_x_0, id_x_1, …), so the error summary's
    link to the field lands on the first one.
    """
    value = field.value() or []
    if isinstance(value, int):
        value = slots_to_keys(value)
    chosen = {str(v) for v in value}
    rows = []
    index = 0
    for day, day_label in DAYS:
        cells = []
        for part, _part_label in PARTS_OF_DAY:
            key = f"{day}_{part}"
            cells.append(
                SlotCell(
                    key=key,
                    id=f"{field.auto_id}_{index}",
                    label=str(SLOT_PHRASES[key]),
                    checked=key in chosen,
                )
            )
            index += 1
        rows.append(SlotRow(label=str(day_label), cells=cells))
    return rows


def _vocabulary(
    field: forms.Field, model: type[Any], *, municipality: Municipality, chosen: list[int]
) -> bool:
    """Limit a choice to the municipality's active terms (and those already chosen)."""
    assert isinstance(field, forms.ModelMultipleChoiceField)
    keep = Q(is_active=True) | Q(pk__in=chosen)
    field.queryset = model.objects.filter(keep, municipality=municipality).order_by(
        "position", "name"
    )
    return bool(field.queryset.exists())


class _PostingForm(forms.Form):
    """Fields taken from a model, vocabularies of the municipality, a slot grid, and `values()`."""

    model: type[Any]
    field_names: tuple[str, ...]
    relation_models: dict[str, type[Any]]

    def __init__(
        self,
        data: Any = None,
        *,
        municipality: Municipality,
        instance: Any = None,
        **kwargs: Any,
    ) -> None:
        initial = kwargs.pop("initial", None) or {}
        if instance is not None and instance.pk:
            initial = {
                **forms.model_to_dict(instance, fields=list(self.field_names)),
                **initial,
            }
            initial["time_slots"] = slots_to_keys(instance.time_slots)
        super().__init__(data, initial=initial, **kwargs)
        self.municipality = municipality
        widgets = dict.fromkeys(self.relation_models, forms.CheckboxSelectMultiple)
        generated = forms.fields_for_model(
            self.model,
            fields=[n for n in self.field_names if n != "time_slots"],
            widgets={**widgets, **self.widgets()},
        )
        fields: dict[str, forms.Field] = {}
        for name in self.field_names:
            if name == "time_slots":
                fields[name] = SlotsField(label=_("Days and times"))
            else:
                field = generated[name]
                assert field is not None
                fields[name] = field
        self.fields = {**fields, **self.fields}
        for name, model in self.relation_models.items():
            chosen = list(initial.get(name) or [])
            chosen_pks = [getattr(c, "pk", c) for c in chosen]
            if not _vocabulary(
                self.fields[name], model, municipality=municipality, chosen=chosen_pks
            ):
                del self.fields[name]  # an empty list would only show an empty box
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = TownDistrict.objects.filter(municipality=municipality).order_by("name")
        if not district.queryset.exists():
            del self.fields["district"]  # a town without Stadtteile has nothing to choose

    def widgets(self) -> dict[str, Any]:
        return {}

    def values(self) -> dict[str, Any]:
        """The cleaned input in the shape the services expect."""
        values = {name: self.cleaned_data.get(name) for name in self.fields}
        for name in self.relation_models:
            if name in values:
                values[name] = list(values[name] or [])
        return values

    def slot_rows(self) -> list[SlotRow]:
        return slot_rows(self["time_slots"])

    def grouped(self, groups: Any) -> list[tuple[str, Any, list[forms.BoundField]]]:
        return [
            (key, legend, [self[name] for name in names if name in self.fields])
            for key, legend, names in groups
        ]


class OpportunityForm(_PostingForm):
    """Everything a citizen needs to know about an opportunity, in fieldsets.

    With `agencies`, a member of a volunteer agency posts on the organisation's behalf and
    chooses in the name of which agency.
    """

    model = Opportunity
    field_names = OPPORTUNITY_FORM_FIELDS
    relation_models = {
        "engagement_fields": FieldOfEngagement,
        "skills": Skill,
        "target_groups": TargetGroup,
    }

    def __init__(
        self,
        data: Any = None,
        *,
        municipality: Municipality,
        instance: Opportunity | None = None,
        agencies: list[Organisation] | None = None,
        default_listing_days: int = 90,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, municipality=municipality, instance=instance, **kwargs)
        self.fields["postcode"].help_text = _(
            "If you give the postcode of your organisation and no coordinates, the place gets "
            "your organisation's location on the map and in the distance search, as long as "
            "your organisation's address is public."
        )
        self.fields["latitude"].help_text = _(
            "Optional, for the distance search: for example 48.137. Leave empty if you do not know it."
        )
        self.fields["longitude"].help_text = _("Optional: for example 11.575.")
        self.fields["street"].help_text = _("Shown on the public page.")
        self.fields["time_slots"].help_text = _(
            "Tick when people would help. Leave everything empty if the time is flexible."
        )
        self.fields["expires_on"].required = False
        self.fields["expires_on"].help_text = _(
            "Until this day the opportunity appears in the search (at most two years ahead). "
            "Empty: %(days)s days from today. You will be reminded before it ends."
        ) % {"days": default_listing_days}
        self.fields["easy_language"].help_text = _(
            "Optional: the same in Leichte Sprache (short sentences, simple words). It gets a page of its own."
        )
        self.fields["contact_name"].help_text = _(
            "Optional and shown on the public page. Without it, people reach you through the "
            "“I'm interested” button."
        )
        self.fields["minimum_age"].help_text = _("Leave empty if there is no minimum age.")
        self.fields["is_remote"].help_text = _(
            "Tick if the engagement can be done from home. Otherwise please give the place."
        )
        if agencies:
            self.fields["agency"] = forms.ModelChoiceField(
                label=_("Posted on behalf of the organisation by"),
                queryset=Organisation.objects.filter(pk__in=[a.pk for a in agencies]).order_by(
                    "name"
                ),
                initial=agencies[0].pk if len(agencies) == 1 else None,
                empty_label=None if len(agencies) == 1 else "---------",
            )

    def widgets(self) -> dict[str, Any]:
        return {
            "description": forms.Textarea(attrs={"rows": 8}),
            "easy_language": forms.Textarea(attrs={"rows": 6}),
            "hours_per_week": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
            "hours_total": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
            "minimum_age": forms.NumberInput(attrs={"min": "0", "max": "99"}),
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}
            ),
            "starts_on": _date_input(),
            "ends_on": _date_input(),
            "expires_on": _date_input(),
        }

    def values(self) -> dict[str, Any]:
        values = super().values()
        values.pop("agency", None)
        return values

    def groups(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        return self.grouped(OPPORTUNITY_GROUPS)


class OfferForm(_PostingForm):
    """A person's offer: what they can do, where and when."""

    model = Offer
    field_names = OFFER_FORM_FIELDS
    relation_models = {"engagement_fields": FieldOfEngagement, "skills": Skill}

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["title"].help_text = _(
            "In a few words, for example: help with computers, reading to children, gardening."
        )
        self.fields["description"].help_text = _(
            "Organisations see your first name, your Stadtteil and this text, never your e-mail address."
        )
        self.fields["time_slots"].label = _("When I have time")
        self.fields["time_slots"].help_text = _("Leave everything empty if you are flexible.")
        self.fields["expires_on"].required = False
        self.fields["expires_on"].help_text = _(
            "Until this day organisations see your offer. Empty: %(days)s days from today."
        ) % {"days": OFFER_LISTING_DAYS}

    def widgets(self) -> dict[str, Any]:
        return {
            "description": forms.Textarea(attrs={"rows": 5}),
            "expires_on": _date_input(),
        }

    def before_slots(self) -> list[forms.BoundField]:
        return [self[n] for n in OFFER_FORM_FIELDS[:5] if n in self.fields]

    def after_slots(self) -> list[forms.BoundField]:
        return [self[n] for n in OFFER_FORM_FIELDS[6:] if n in self.fields]


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the organisation"),
        help_text=_("Required when you return the opportunity. The organisation reads it."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ExtendForm(forms.Form):
    expires_on = forms.DateField(label=_("Listed until"), widget=_date_input())


class ContactForm(forms.Form):
    """An organisation's first message to a person who offers help."""

    message = forms.CharField(
        label=_("Your message"),
        help_text=_(
            "Say who you are and what you would like to ask. The person answers by e-mail if they want."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MESSAGE_MAX_LENGTH,
    )

    def __init__(
        self, data: Any = None, *, organisations: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Write on behalf of"),
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by(
                    "name"
                ),
            )
            self.order_fields(["organisation", "message"])
        self.organisations = organisations

    def organisation(self) -> Organisation:
        chosen = self.cleaned_data.get("organisation")
        return chosen if isinstance(chosen, Organisation) else self.organisations[0]
