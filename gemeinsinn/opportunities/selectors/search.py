"""The search of opportunities: German full text, filters, radius and sort (see ADR 0014).

`opportunity_search` is the one query behind the search page, its feeds, saved-search alerts and
`GET /api/v1/opportunities`; `SearchParams` is what each of them parses its input into.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import F, FloatField, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import CombinedExpression
from django.utils import timezone

from gemeinsinn.actors.models import FieldOfEngagement, TargetGroup
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.core.search import fulltext_search
from gemeinsinn.opportunities import geo
from gemeinsinn.opportunities.models import Opportunity, SavedSearch, Skill
from gemeinsinn.opportunities.models.opportunities import Accessibility, GermanLevel
from gemeinsinn.opportunities.models.slots import day_mask, part_mask, slot_bit
from gemeinsinn.opportunities.selectors.common import opportunities_live

SORT_RELEVANCE, SORT_DISTANCE, SORT_NEWEST = "relevance", "distance", "newest"
SORTS = (SORT_RELEVANCE, SORT_DISTANCE, SORT_NEWEST)
NEWEST = ("-published_at", "-pk")


@dataclass(frozen=True)
class SearchParams:
    """Everything a search can ask for; empty values filter nothing.

    Several values of one filter (two fields, two kinds, …) mean "any of them"; different filters
    must all hold. Weekdays and parts of the day together mean those parts on those days.
    """

    q: str = ""
    fields: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    accessible: bool = False
    # Without a place: only opportunities that can be done remotely. In a radius search: those
    # in addition to the ones nearby (they are reachable from anywhere).
    remote: bool = False
    for_young_people: bool = False
    for_seniors: bool = False
    for_families: bool = False
    no_german: bool = False
    parts_of_day: tuple[str, ...] = ()
    weekdays: tuple[str, ...] = ()
    near: geo.Point | None = None
    radius_km: float | None = None
    sort: str = SORT_RELEVANCE

    def effective_sort(self) -> str:
        """The order the results really come in: relevance needs words, distance a place."""
        if self.sort == SORT_DISTANCE and self.near is not None:
            return SORT_DISTANCE
        if self.sort == SORT_NEWEST or not self.q.strip():
            return SORT_NEWEST
        return SORT_RELEVANCE

    def time_mask(self) -> int:
        """The bit mask of the chosen weekdays × parts of the day; 0 when neither is chosen."""
        if self.weekdays and self.parts_of_day:
            return sum({slot_bit(day, part) for day in self.weekdays for part in self.parts_of_day})
        mask = 0
        for day in self.weekdays:
            mask |= day_mask(day)
        for part in self.parts_of_day:
            mask |= part_mask(part)
        return mask


@dataclass(frozen=True)
class SearchOptions:
    """The active vocabulary entries and Stadtteile a municipality's search filters by."""

    fields: list[FieldOfEngagement] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    target_groups: list[TargetGroup] = field(default_factory=list)
    districts: list[TownDistrict] = field(default_factory=list)


def search_options(*, municipality: Municipality) -> SearchOptions:
    """The choices of the search filters: the municipality's active entries only."""
    return SearchOptions(
        fields=list(
            FieldOfEngagement.objects.filter(municipality=municipality, is_active=True).order_by(
                "position", "name"
            )
        ),
        skills=list(
            Skill.objects.filter(municipality=municipality, is_active=True).order_by(
                "position", "name"
            )
        ),
        target_groups=list(
            TargetGroup.objects.filter(municipality=municipality, is_active=True).order_by(
                "position", "name"
            )
        ),
        districts=list(TownDistrict.objects.filter(municipality=municipality).order_by("name")),
    )


def _distance_sq(centre: geo.Point) -> CombinedExpression:
    """The squared equirectangular distance in km² from `centre`, as SQL arithmetic only.

    The scale of a degree of longitude is taken at the centre's latitude, computed here once, so
    the database needs no trigonometry and both vendors compute the same number.
    """
    ky = Value(geo.KM_PER_DEGREE_LAT, output_field=FloatField())
    kx = Value(geo.km_per_degree_lon(centre.latitude), output_field=FloatField())
    dy = (F("latitude") - Value(centre.latitude, output_field=FloatField())) * ky
    dx = (F("longitude") - Value(centre.longitude, output_field=FloatField())) * kx
    return CombinedExpression(dy * dy, "+", dx * dx, output_field=FloatField())


# Each many-to-many vocabulary and the name of its entry in the link table.
_VOCABULARIES = {
    "engagement_fields": "fieldofengagement",
    "skills": "skill",
    "target_groups": "targetgroup",
}


def _in_vocabulary(relation: str, slugs: tuple[str, ...], municipality: Municipality) -> Q:
    """Opportunities that carry any of these slugs in a many-to-many vocabulary.

    A subquery on the link table instead of a join, so an opportunity with two of the chosen
    entries appears once and no DISTINCT is needed.
    """
    through: Any = getattr(Opportunity, relation).through
    target = _VOCABULARIES[relation]
    tagged = through.objects.filter(
        **{f"{target}__slug__in": slugs, f"{target}__municipality": municipality}
    ).values("opportunity_id")
    return Q(pk__in=tagged)


def with_card(opportunities: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """What the result card (opportunities/_card.html) shows, fetched in two queries."""
    return opportunities.select_related("organisation", "district").prefetch_related(
        Prefetch("engagement_fields", queryset=FieldOfEngagement.objects.order_by("position"))
    )


def opportunity_search(
    *, municipality: Municipality, params: SearchParams, today: date | None = None
) -> QuerySet[Opportunity]:
    """Live opportunities of the municipality that match `params`, in the order asked for.

    With a place (`near`) every row carries `distance_sq` (km², None where it has no
    coordinates); `distance_km(row)` turns it into kilometres for the page.
    """
    found = opportunities_live(municipality=municipality, today=today)
    if params.fields:
        found = found.filter(_in_vocabulary("engagement_fields", params.fields, municipality))
    if params.skills:
        found = found.filter(_in_vocabulary("skills", params.skills, municipality))
    if params.target_groups:
        found = found.filter(_in_vocabulary("target_groups", params.target_groups, municipality))
    if params.kinds:
        found = found.filter(kind__in=params.kinds)
    if params.districts:
        found = found.filter(
            district__slug__in=params.districts, district__municipality=municipality
        )
    if params.accessible:
        # A task done from home has no place to reach: it is accessible in the filter's sense.
        found = found.filter(Q(place_accessibility=Accessibility.YES) | Q(is_remote=True))
    if params.for_young_people:
        found = found.filter(for_young_people=True)
    if params.for_seniors:
        found = found.filter(for_seniors=True)
    if params.for_families:
        found = found.filter(for_families=True)
    if params.no_german:
        found = found.filter(german_level=GermanLevel.NONE)
    mask = params.time_mask()
    if mask:
        # A flexible opportunity (no slots) fits any time a person names.
        found = found.alias(slot_overlap=F("time_slots").bitand(mask)).filter(
            Q(time_slots=0) | Q(slot_overlap__gt=0)
        )
    found = _near(found, params)
    sort = params.effective_sort()
    found = found.order_by(*NEWEST)
    if params.q.strip():
        # Ranked best first; ties stay newest first.
        found = fulltext_search(
            found, params.q, fields=("title", "description"), pg_column="search_vector"
        )
    if sort == SORT_NEWEST:
        found = found.order_by(*NEWEST)
    elif sort == SORT_DISTANCE:
        tie = ("-search_rank",) if params.q.strip() else ()
        found = found.order_by(F("distance_sq").asc(nulls_last=True), *tie, *NEWEST)
    return with_card(found)


def _near(found: QuerySet[Opportunity], params: SearchParams) -> QuerySet[Opportunity]:
    if params.near is None:
        return found.filter(is_remote=True) if params.remote else found
    found = found.annotate(distance_sq=_distance_sq(params.near))
    if params.radius_km is None:
        return found.filter(is_remote=True) if params.remote else found
    radius = params.radius_km
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(params.near, radius)
    # The box is what an index can narrow by; the exact circle is checked on what is left.
    nearby = Q(
        latitude__gte=min_lat,
        latitude__lte=max_lat,
        longitude__gte=min_lon,
        longitude__lte=max_lon,
        distance_sq__lte=radius * radius,
    )
    return found.filter((nearby | Q(is_remote=True)) if params.remote else nearby)


def distance_km(opportunity: Any) -> float | None:
    """The distance a radius search measured for this row, in km (None without a place)."""
    squared = getattr(opportunity, "distance_sq", None)
    return None if squared is None else math.sqrt(max(float(squared), 0.0))


def opportunity_live_by_id(*, public_id: UUID | str) -> Opportunity | None:
    """A live opportunity of an active municipality with the exchange switched on (for the API)."""
    opportunity = (
        with_card(opportunities_live().filter(public_id=public_id, municipality__is_active=True))
        .select_related("municipality", "posted_by_agency")
        .prefetch_related("skills", "target_groups")
        .first()
    )
    if opportunity is None or not opportunity.municipality.has_module("opportunities"):
        return None
    return opportunity


def opportunities_open_data(
    *, municipality: Municipality, today: date | None = None
) -> QuerySet[Opportunity]:
    """Every live opportunity of the municipality with what open-data formats describe."""
    return (
        with_card(opportunities_live(municipality=municipality, today=today))
        .select_related("municipality", "posted_by_agency")
        .prefetch_related("skills", "target_groups")
        .order_by(*NEWEST)
    )


def saved_searches_of(*, user: Any, municipality: Municipality) -> QuerySet[SavedSearch]:
    """The person's saved searches in this municipality, by name."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user, municipality=municipality).order_by("name", "pk")


def saved_search_of(
    *, user: Any, municipality: Municipality, public_id: UUID | str
) -> SavedSearch | None:
    """One of the person's saved searches in this municipality, or None (also for others')."""
    return (
        saved_searches_of(user=user, municipality=municipality).filter(public_id=public_id).first()
    )


def search_generation(*, municipality: Municipality) -> str:
    """A token that changes whenever an opportunity of the town is saved or the date changes.

    Cached search pages carry it in their key: any save of an opportunity (auto_now on
    updated_at) or a new day (expiry) makes them stale at once. One index lookup (index
    `opp_changes`). A deleted row (only when its organisation is deleted) leaves the cache
    within GEMEINSINN_SEARCH_CACHE_SECONDS.
    """
    latest = (
        Opportunity.objects.filter(municipality=municipality)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    stamp = latest.timestamp() if latest else 0
    return f"{timezone.localdate().isoformat()}/{stamp}"
