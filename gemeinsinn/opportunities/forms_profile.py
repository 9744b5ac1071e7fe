"""Forms of the volunteer profile, its onboarding steps, suggestions and the office's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import FieldOfEngagement
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.opportunities.matching import SLOT_PHRASES
from gemeinsinn.opportunities.models import AgeBand, ExchangeSettings, Skill, VolunteerProfile
from gemeinsinn.opportunities.models.slots import DAYS, PARTS_OF_DAY, slots_from_keys, slots_to_keys
from gemeinsinn.opportunities.selectors.recommendations import profile_choices
from gemeinsinn.opportunities.services.profiles import (
    RADIUS_MAX_KM,
    RADIUS_MIN_KM,
    SETTINGS_FIELDS,
    ProfileInput,
)

# The volunteer's own words for the GermanLevel values (the model's labels speak of the task).
GERMAN_CHOICES = (
    (0, _("I speak little or no German")),
    (1, _("Basic German")),
    (2, _("Good German")),
    (3, _("Fluent or native German")),
)
SLOT_CHOICES = [
    (f"{day}_{part}", SLOT_PHRASES[f"{day}_{part}"])
    for day, _d in DAYS
    for part, _p in PARTS_OF_DAY
]

# The onboarding questionnaire: one screen each, in this order.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("interests", ("interests",)),
    ("abilities", ("skills", "german_level", "languages")),
    ("time", ("time_slots",)),
    (
        "place",
        (
            "postcode",
            "district",
            "radius_km",
            "remote_ok",
            "age_band",
            "accepts_conduct_certificate",
            "suggest_to_organisations",
        ),
    ),
)


class ProfileForm(forms.Form):
    """The whole profile; `only` keeps a subset of the fields (one onboarding step)."""

    interests = forms.ModelMultipleChoiceField(
        label=_("What interests you?"),
        queryset=FieldOfEngagement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose as many as you like. We recommend opportunities in these fields."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("What can you bring?"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("No skills needed: many opportunities welcome everybody."),
    )
    german_level = forms.TypedChoiceField(
        label=_("How well do you speak German?"),
        choices=GERMAN_CHOICES,
        coerce=int,
        initial=3,
        widget=forms.RadioSelect,
        help_text=_("Some tasks need good German, many need none."),
    )
    languages = forms.CharField(
        label=_("Other languages you speak"),
        max_length=200,
        required=False,
        help_text=_("Separated by commas, for example: English, Arabic, Turkish"),
    )
    time_slots = forms.MultipleChoiceField(
        label=_("When do you have time?"),
        choices=SLOT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every time that usually suits you. Tick nothing if you are flexible."),
    )
    postcode = forms.CharField(
        label=_("Your postcode"),
        max_length=5,
        required=False,
        validators=[
            RegexValidator(r"^\d{5}$", _("A postcode has five digits, for example 83022."))
        ],
        help_text=_("Used only to measure distances; nobody else sees it."),
    )
    district = forms.ModelChoiceField(
        label=_("Your Stadtteil"),
        queryset=TownDistrict.objects.none(),
        required=False,
        empty_label=_("– not stated –"),
    )
    radius_km = forms.IntegerField(
        label=_("How far would you travel (km)?"),
        min_value=RADIUS_MIN_KM,
        max_value=RADIUS_MAX_KM,
        initial=10,
    )
    remote_ok = forms.BooleanField(
        label=_("I would also help remotely, from home"), required=False, initial=True
    )
    age_band = forms.ChoiceField(
        label=_("Your age"),
        choices=[("", _("I would rather not say")), *AgeBand.choices],
        required=False,
        help_text=_("Some opportunities have a minimum age."),
    )
    accepts_conduct_certificate = forms.BooleanField(
        label=_("I would obtain an extended certificate of conduct"),
        required=False,
        help_text=_(
            "Work with children and young people often needs one (§72a SGB VIII). "
            "For volunteers it is free of charge."
        ),
    )
    suggest_to_organisations = forms.BooleanField(
        label=_("Organisations may suggest opportunities to me"),
        required=False,
        help_text=_(
            "Organisations looking for help then see your first name, your Stadtteil and why you "
            "would fit – never your surname or e-mail address – and can invite you by e-mail "
            "through this platform. You can switch this off at any time."
        ),
    )

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        user: Any,
        only: tuple[str, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields, skills, districts = profile_choices(municipality=municipality)
        self.fields["interests"].queryset = fields  # type: ignore[attr-defined]
        self.fields["skills"].queryset = skills  # type: ignore[attr-defined]
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        self.fields["postcode"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code", "pattern": "[0-9]{5}"}
        )
        self.fields["languages"].widget.attrs["autocomplete"] = "off"
        if getattr(user, "date_of_birth", None):
            # The date of birth gives the exact age; the band is only for people without one.
            del self.fields["age_band"]
        if not districts.exists():
            del self.fields["district"]
        if only is not None:
            for name in list(self.fields):
                if name not in only:
                    del self.fields[name]

    def to_input(self) -> ProfileInput:
        """The cleaned data for the service (all fields must be present)."""
        data = self.cleaned_data
        district = data.get("district")
        return ProfileInput(
            interest_ids=frozenset(f.pk for f in data["interests"]),
            skill_ids=frozenset(s.pk for s in data["skills"]),
            time_slots=slots_from_keys(data["time_slots"]),
            district_id=district.pk if district is not None else None,
            postcode=data["postcode"],
            radius_km=data["radius_km"],
            remote_ok=data["remote_ok"],
            languages=data["languages"],
            german_level=data["german_level"],
            age_band=data.get("age_band", ""),
            accepts_conduct_certificate=data["accepts_conduct_certificate"],
            suggest_to_organisations=data["suggest_to_organisations"],
        )


def profile_initial(profile: VolunteerProfile | None) -> dict[str, Any]:
    """The form's initial values from a saved profile (the defaults without one)."""
    if profile is None:
        return {}
    return {
        "interests": [f.pk for f in profile.interests.all()],
        "skills": [s.pk for s in profile.skills.all()],
        "german_level": profile.german_level,
        "languages": profile.languages,
        "time_slots": slots_to_keys(profile.time_slots),
        "postcode": profile.postcode,
        "district": profile.district_id,
        "radius_km": profile.radius_km,
        "remote_ok": profile.remote_ok,
        "age_band": profile.age_band,
        "accepts_conduct_certificate": profile.accepts_conduct_certificate,
        "suggest_to_organisations": profile.suggest_to_organisations,
    }


def slot_grid(form: forms.Form) -> dict[str, Any]:
    """The availability table: part-of-day columns, and per weekday its checkbox cells.

    The cells carry Django's ids for the choices (id_time_slots_0 …), so the error summary's
    link lands on the first checkbox.
    """
    field = form["time_slots"]
    chosen = {str(v) for v in (field.value() or [])}
    rows = []
    for d, (day, day_label) in enumerate(DAYS):
        cells = []
        for p, (part, _part_label) in enumerate(PARTS_OF_DAY):
            key = f"{day}_{part}"
            cells.append(
                {
                    "key": key,
                    "id": f"{field.auto_id}_{d * len(PARTS_OF_DAY) + p}",
                    "label": SLOT_PHRASES[key],
                    "checked": key in chosen,
                }
            )
        rows.append({"label": day_label, "cells": cells})
    return {"field": field, "parts": [label for _key, label in PARTS_OF_DAY], "rows": rows}


class InviteForm(forms.Form):
    volunteer = forms.UUIDField(widget=forms.HiddenInput)


WEIGHT_HELP = {
    "weight_fields": _("How much it counts that an opportunity lies in a field the person likes."),
    "weight_skills": _("How much it counts that an opportunity asks for skills the person has."),
    "weight_distance": _(
        "How much it counts that the place is close, within the distance the person would travel."
    ),
    "weight_time": _("How much it counts that the person has time when the opportunity needs it."),
    "weight_freshness": _(
        "How much newly published opportunities are preferred; the advantage fades over 60 days."
    ),
}


class ExchangeSettingsForm(forms.ModelForm[ExchangeSettings]):
    class Meta:
        model = ExchangeSettings
        fields = SETTINGS_FIELDS
        help_texts = WEIGHT_HELP

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in WEIGHT_HELP:
            self.fields[name].widget.attrs.update({"min": 0, "max": 10})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        listing, reminder = data.get("default_listing_days"), data.get("expiry_reminder_days")
        if listing is not None and reminder is not None and reminder >= listing:
            self.add_error(
                "expiry_reminder_days",
                _(
                    "The reminder must come before the listing ends: choose fewer days than an "
                    "opportunity is listed."
                ),
            )
        return data
