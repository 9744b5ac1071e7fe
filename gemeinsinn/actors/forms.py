from typing import Any, TypedDict
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import (
    VISIBILITY_FIELDS,
    FieldOfEngagement,
    Organisation,
    OrganisationType,
    Sector,
    TargetGroup,
    Visibility,
)
from gemeinsinn.actors.services import EDITABLE_FIELDS, LISTING_FIELD, RELATION_FIELDS
from gemeinsinn.core.forms import MAX_LOGO_BYTES
from gemeinsinn.core.models import Municipality, TownDistrict


class OrganisationForm(forms.ModelForm[Organisation]):
    """Every profile field, the taxonomies, per-field visibility and (for the office) listings.

    Each contact field is followed by its own "who may see it" choice; the service gets only
    what changed (`values()`).
    """

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [*EDITABLE_FIELDS, *RELATION_FIELDS, LISTING_FIELD]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "engagement_fields": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
            "listed_in": forms.CheckboxSelectMultiple,
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
        }

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        can_change_listing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        saved = instance.pk is not None
        # Switched-off terms stay on the profiles that have them, but nobody new picks them.
        for name, model in (
            ("engagement_fields", FieldOfEngagement),
            ("target_groups", TargetGroup),
        ):
            keep = Q(is_active=True)
            if saved:
                keep |= Q(pk__in=getattr(instance, name).values("pk"))
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = model.objects.filter(keep, municipality=municipality).order_by(
                "position", "name"
            )
            if not field.queryset.exists():
                del self.fields[name]  # an empty list would only show an empty box
        districts = self.fields["districts"]
        assert isinstance(districts, forms.ModelMultipleChoiceField)
        districts.queryset = TownDistrict.objects.filter(municipality=municipality).order_by("name")
        if not districts.queryset.exists():
            del self.fields["districts"]  # a town without Stadtteile has nothing to choose
        if can_change_listing:
            listed_in = self.fields[LISTING_FIELD]
            assert isinstance(listed_in, forms.ModelMultipleChoiceField)
            listed_in.queryset = (
                Municipality.objects.filter(state_id=municipality.state_id, is_active=True)
                .exclude(pk=municipality.pk)
                .order_by("name")
            )
            listed_in.help_text = _(
                "Other municipalities of the same Land whose directory also shows this organisation."
            )
            if not listed_in.queryset.exists():
                del self.fields[LISTING_FIELD]  # the only town of its Land on this platform
        else:
            del self.fields[LISTING_FIELD]
        # Each contact field is followed by the choice of who may see it.
        ordered: dict[str, forms.Field] = {}
        for name, field in self.fields.items():
            ordered[name] = field
            if name in VISIBILITY_FIELDS:
                ordered[f"visibility_{name}"] = forms.ChoiceField(
                    label=_("Who may see “%(field)s”?") % {"field": field.label},
                    choices=Visibility.choices,
                    initial=instance.visibility_of(name),
                )
        self.fields = ordered

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                _("The logo may be at most 1 MB; please upload a smaller image.")
            )
        return logo

    def values(self) -> dict[str, Any]:
        """What the person changed, in the shape organisation_update expects."""
        values: dict[str, Any] = {}
        visibility: dict[str, str] = {}
        for name in self.changed_data:
            if name.startswith("visibility_"):
                visibility[name.removeprefix("visibility_")] = self.cleaned_data[name]
            elif name == "logo":
                # None: no new file; False: the "remove" box was ticked.
                logo = self.cleaned_data.get("logo")
                values["logo"] = False if logo is False else (logo or None)
            else:
                values[name] = self.cleaned_data[name]
        if visibility:
            values["visibility"] = visibility
        if "logo" in values and values["logo"] is None:
            del values["logo"]
        return values


class DirectoryFilters(TypedDict):
    """The keywords of the directory selectors (organisations_public, organisations_on_map)."""

    query: str
    type: str
    sector: str
    field: str
    target_group: str
    district: str


class DirectoryFilterForm(forms.Form):
    """Search and filters of the directory and the map; the choices come from the municipality."""

    q = forms.CharField(
        label=_("Search words"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_(
            'For example: Verein Senioren. "Words in quotes" as a phrase, OR for alternatives, -word to exclude.'
        ),
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("all types")), *OrganisationType.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("all sectors")), *Sector.choices]
    )
    field = forms.ChoiceField(label=_("Field of engagement"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    district = forms.ChoiceField(label=_("Stadtteil"), required=False)

    def __init__(self, data: Any = None, *, options: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        choices = {
            "field": (_("all fields"), getattr(options, "fields", [])),
            "target_group": (_("all target groups"), getattr(options, "target_groups", [])),
            "district": (_("all Stadtteile"), getattr(options, "districts", [])),
        }
        for name, (everything, entries) in choices.items():
            if not entries and name == "district":
                del self.fields[name]  # a town without Stadtteile has nothing to choose
                continue
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", everything), *((e.slug, e.name) for e in entries)]

    def filters(self) -> DirectoryFilters:
        """The selectors' keywords from the valid parameters; a bad value is reported on its
        field and ignored, so the rest of the search still works."""
        cleaned: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()  # fills cleaned_data with the fields that are valid
            cleaned = self.cleaned_data

        def value(name: str) -> str:
            return str(cleaned.get(name) or "")

        return DirectoryFilters(
            query=value("q"),
            type=value("type"),
            sector=value("sector"),
            field=value("field"),
            target_group=value("target_group"),
            district=value("district"),
        )

    def querystring(self) -> str:
        """The valid parameters again, for links that keep the filters (map, pages, API)."""
        values = self.filters()
        pairs = [
            ("q", values["query"]),
            ("type", values["type"]),
            ("sector", values["sector"]),
            ("field", values["field"]),
            ("target_group", values["target_group"]),
            ("district", values["district"]),
        ]
        return urlencode([(name, value) for name, value in pairs if value])
