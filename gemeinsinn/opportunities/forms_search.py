"""The search form: every filter is a query-string parameter, so every search URL can be shared.

The same form parses the search page, its feeds, saved searches and the API, into one
`SearchParams`. A bad value is reported on its field and left out; the rest of the search
still works.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities import geo_lookup
from gemeinsinn.opportunities.geo import Point
from gemeinsinn.opportunities.models import DAYS, PARTS_OF_DAY
from gemeinsinn.opportunities.models.opportunities import Kind
from gemeinsinn.opportunities.selectors.search import (
    SORT_DISTANCE,
    SORT_NEWEST,
    SORT_RELEVANCE,
    SearchOptions,
    SearchParams,
)

DEFAULT_RADIUS_KM = 10
MAX_RADIUS_KM = 200
RADIUS_CHOICES = [(str(km), _("%(km)s km") % {"km": km}) for km in (1, 2, 5, 10, 20, 50, 100)]
NOT_FOUND = _(
    "We could not find this place. Enter a postcode or a Stadtteil, or use your position."
)
# Query-string parameters in the order a shared URL lists them. The position (lat, lon) is
# left out of what is saved: it is never stored.
MULTIPLE = ("field", "kind", "skill", "target_group", "district", "day", "part")
FLAGS = ("accessible", "remote", "young", "seniors", "families", "no_german")
POSITION = ("lat", "lon")
ORDER = ("q", "place", *POSITION, "radius_km", *MULTIPLE, *FLAGS, "sort")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What would you like to do?"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_(
            'For example: Senioren vorlesen. "Words in quotes" as a phrase, OR for alternatives, -word to exclude.'
        ),
    )
    place = forms.CharField(
        label=_("Where?"),
        required=False,
        max_length=geo_lookup.MAX_PLACE_LENGTH,
        help_text=_("A postcode, a Stadtteil or an address."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput())
    lon = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput()
    )
    radius_km = forms.FloatField(
        label=_("Distance"),
        required=False,
        min_value=0.5,
        max_value=MAX_RADIUS_KM,
        widget=forms.Select(choices=RADIUS_CHOICES),
    )
    field = forms.MultipleChoiceField(
        label=_("Fields of engagement"), required=False, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.MultipleChoiceField(
        label=_("Kind of engagement"),
        required=False,
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    skill = forms.MultipleChoiceField(
        label=_("Skills"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_group = forms.MultipleChoiceField(
        label=_("Target groups"), required=False, widget=forms.CheckboxSelectMultiple
    )
    district = forms.MultipleChoiceField(
        label=_("Stadtteile"), required=False, widget=forms.CheckboxSelectMultiple
    )
    day = forms.MultipleChoiceField(
        label=_("Weekdays"), required=False, choices=DAYS, widget=forms.CheckboxSelectMultiple
    )
    part = forms.MultipleChoiceField(
        label=_("Time of day"),
        required=False,
        choices=PARTS_OF_DAY,
        widget=forms.CheckboxSelectMultiple,
    )
    accessible = forms.BooleanField(
        label=_("Accessible place, or can be done from home"), required=False
    )
    remote = forms.BooleanField(
        label=_("Can be done from home"),
        required=False,
        help_text=_("With a place: shown in addition to the opportunities nearby."),
    )
    young = forms.BooleanField(label=_("Suitable for young people"), required=False)
    seniors = forms.BooleanField(label=_("Suitable for seniors"), required=False)
    families = forms.BooleanField(label=_("Suitable for families"), required=False)
    no_german = forms.BooleanField(label=_("No German needed"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (SORT_RELEVANCE, _("best match")),
            (SORT_DISTANCE, _("distance")),
            (SORT_NEWEST, _("newest first")),
        ],
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        municipality: Municipality,
        options: SearchOptions,
        **kwargs: Any,
    ) -> None:
        if data is not None and not data.get("radius_km"):
            # The select shows the distance that is searched, also before anyone picks one.
            data = data.copy()
            data["radius_km"] = str(DEFAULT_RADIUS_KM)
        super().__init__(data, **kwargs)
        self.municipality = municipality
        self.point: Point | None = None
        self.by_position = False
        vocabularies: dict[str, list[Any]] = {
            "field": options.fields,
            "skill": options.skills,
            "target_group": options.target_groups,
            "district": options.districts,
        }
        for name, entries in vocabularies.items():
            if not entries:
                del self.fields[name]  # nothing to choose from in this town
                continue
            choice = self.fields[name]
            assert isinstance(choice, forms.MultipleChoiceField)
            choice.choices = [(e.slug, e.name) for e in entries]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        place = cleaned.get("place") or ""
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if place:
            # A typed place wins over a position filled in earlier.
            self.point = geo_lookup.locate(municipality=self.municipality, text=place)
            if self.point is None:
                self.add_error("place", NOT_FOUND)
        elif lat is not None and lon is not None:
            self.point = geo_lookup.rounded_position(latitude=lat, longitude=lon)
            self.by_position = True
        elif (lat is None) != (lon is None):
            self.add_error(None, _("Your position was incomplete. Please try again."))
        if cleaned.get("sort") == SORT_DISTANCE and self.point is None and "place" in cleaned:
            self.add_error("sort", _("Enter a place or use your position to sort by distance."))
        return cleaned

    def _cleaned(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()  # fills cleaned_data with the fields that are valid
        return self.cleaned_data

    def params(self) -> SearchParams:
        """The search from the valid parameters; a bad value is left out."""
        cleaned = self._cleaned()
        radius = cleaned.get("radius_km") or DEFAULT_RADIUS_KM

        def many(name: str) -> tuple[str, ...]:
            return tuple(cleaned.get(name) or ())

        return SearchParams(
            q=cleaned.get("q") or "",
            fields=many("field"),
            kinds=many("kind"),
            skills=many("skill"),
            target_groups=many("target_group"),
            districts=many("district"),
            accessible=bool(cleaned.get("accessible")),
            remote=bool(cleaned.get("remote")),
            for_young_people=bool(cleaned.get("young")),
            for_seniors=bool(cleaned.get("seniors")),
            for_families=bool(cleaned.get("families")),
            no_german=bool(cleaned.get("no_german")),
            parts_of_day=many("part"),
            weekdays=many("day"),
            near=self.point,
            radius_km=float(radius) if self.point is not None else None,
            sort=cleaned.get("sort") or SORT_RELEVANCE,
        )

    def querystring(self, *, keep_position: bool = True) -> str:
        """The valid parameters again in a fixed order: for pages, feeds, saving and sharing."""
        cleaned = self._cleaned()
        pairs: list[tuple[str, str]] = []
        for name in ORDER:
            value = cleaned.get(name)
            if name in POSITION:
                if keep_position and self.by_position and self.point is not None:
                    coordinate = self.point.latitude if name == "lat" else self.point.longitude
                    pairs.append((name, f"{coordinate:.3f}"))
            elif name == "radius_km":
                if self.point is not None and (keep_position or not self.by_position):
                    pairs.append((name, f"{value or DEFAULT_RADIUS_KM:g}"))
            elif name in MULTIPLE:
                pairs.extend((name, v) for v in value or ())
            elif name in FLAGS:
                if value:
                    pairs.append((name, "1"))
            elif name == "place":
                if value and self.point is not None:
                    pairs.append((name, value))
            elif value:
                pairs.append((name, str(value)))
        return urlencode(pairs)

    def is_filtered(self) -> bool:
        """Whether the person asked for anything (words, a place or a filter)."""
        return bool(self.querystring())

    def filter_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The filters in the groups the page shows them in (each group a fieldset)."""
        groups = [
            (_("Topic"), ["field", "kind", "skill", "target_group"]),
            (_("Where"), ["district"]),
            (_("When"), ["day", "part"]),
            (
                _("Who can take part"),
                ["young", "seniors", "families", "no_german", "accessible", "remote"],
            ),
        ]
        return [
            (str(legend), [self[name] for name in names if name in self.fields])
            for legend, names in groups
        ]


def search_query(data: QueryDict | dict[str, Any]) -> QueryDict:
    """A query dict from a plain dict of values (lists for repeated parameters), for the API."""
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list | tuple):
            query.setlist(name, [str(v) for v in value])
        elif value is not None and value != "":
            query[name] = str(value)
    return query


class SavedSearchForm(forms.Form):
    """Rename a saved search and switch its daily e-mail on or off."""

    name = forms.CharField(label=_("Name"), max_length=120)
    alert = forms.BooleanField(label=_("Send me a daily e-mail with new matches"), required=False)


class SaveSearchForm(forms.Form):
    """The "save this search" form on the search page."""

    name = forms.CharField(label=_("Name of the search"), max_length=120)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput())
    alert = forms.BooleanField(
        label=_("Send me a daily e-mail with new matches"), required=False, initial=True
    )
