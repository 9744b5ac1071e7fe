"""/api/v1/opportunities: the search of opportunities over the API (same form and selector as the
search page).

Open to all, like the public search: only live opportunities of active municipalities with the
engagement exchange switched on. The filters take the same values as the search page's URL
parameters and are checked by the same form, so a bad value answers 400 with the reason instead
of an empty list; a value of the wrong type (a page that is no number) answers 422.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, QueryDict
from ninja import Field, Query, Schema
from ninja.errors import HttpError

from gemeinsinn.core.models import Municipality
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.api import router
from gemeinsinn.opportunities.forms_search import SearchForm
from gemeinsinn.opportunities.models import Opportunity, slots_to_keys
from gemeinsinn.opportunities.selectors import search as selectors
from gemeinsinn.opportunities.selectors.common import municipality_with_exchange

PAGE_SIZE = 50


class TermOut(Schema):
    slug: str
    name: str


class OrganisationRef(Schema):
    name: str
    slug: str


class OpportunitySummary(Schema):
    public_id: UUID
    title: str
    description: str
    municipality: str = Field(description="Slug of the municipality.")
    organisation: OrganisationRef
    kind: str = Field(description="regular, one_off, project, flexible or group")
    kind_label: str
    fields: list[TermOut] = Field(description="Fields of engagement.")
    district: TermOut | None = Field(description="The Stadtteil, if any.")
    postcode: str
    city: str
    latitude: float | None
    longitude: float | None
    is_remote: bool
    distance_km: float | None = Field(
        description="Distance from the searched place, rounded to 0.1 km; null without a place "
        "or for remote opportunities without an address."
    )
    time_slots: list[str] = Field(
        description='Weekday and part of the day, e.g. "tue_evening"; empty: the time is flexible.'
    )
    times_note: str
    hours_per_week: Decimal | None
    hours_total: Decimal | None
    starts_on: date | None
    ends_on: date | None
    expires_on: date
    published_at: datetime | None
    url: str = Field(description="The opportunity's public page.")


class OpportunityOut(OpportunitySummary):
    easy_language: str
    skills: list[TermOut]
    target_groups: list[TermOut]
    minimum_age: int | None
    german_level: int = Field(description="0 none, 1 basic, 2 good, 3 fluent German needed.")
    for_young_people: bool
    for_seniors: bool
    for_families: bool
    place_accessibility: str = Field(description="yes, partly, no or unknown")
    task_accessibility: str
    needs_conduct_certificate: bool
    insured_by_organisation: bool
    insured_by_land: bool
    insured_statutory: bool
    people_wanted: int
    street: str
    contact_name: str
    contact_email: str
    contact_phone: str


class OpportunityPage(Schema):
    count: int = Field(description="Opportunities matching the search and filters.")
    page: int
    pages: int
    page_size: int
    sort: str = Field(description="The order of the results: relevance, distance or newest.")
    results: list[OpportunitySummary]


class SearchQuery(Schema):
    municipality: str = Field(description="Slug of the municipality whose opportunities to search.")
    q: str = Field("", description='Search words (German, websearch syntax: "phrase", OR, -word).')
    field: list[str] = Field([], description="Slugs of fields of engagement (any of them).")
    kind: list[str] = Field([], description="regular, one_off, project, flexible, group.")
    skill: list[str] = Field([], description="Slugs of skills wanted (any of them).")
    target_group: list[str] = Field([], description="Slugs of target groups (any of them).")
    district: list[str] = Field([], description="Slugs of Stadtteile (any of them).")
    day: list[str] = Field([], description="Weekdays: mon, tue, wed, thu, fri, sat, sun.")
    part: list[str] = Field([], description="Parts of the day: morning, afternoon, evening.")
    accessible: bool = Field(False, description="Only places that are accessible.")
    remote: bool = Field(
        False,
        description="Only opportunities that can be done remotely; with a place, those in "
        "addition to the ones nearby.",
    )
    young: bool = Field(False, description="Suitable for young people.")
    seniors: bool = Field(False, description="Suitable for seniors.")
    families: bool = Field(False, description="Suitable for families.")
    no_german: bool = Field(False, description="No German needed.")
    near: str = Field("", description='A position "lat,lon" (used rounded to 3 decimals).')
    postcode: str = Field("", description="A five-digit postcode to search around.")
    radius_km: float | None = Field(None, gt=0, description="Radius in km (default 10).")
    sort: str = Field("", description="relevance (default with q), distance or newest.")
    page: int = Field(1, ge=1)


def _municipality(slug: str) -> Municipality:
    town = municipality_with_exchange(slug=slug)
    if town is None:
        raise Http404
    return town


def _form_data(filters: SearchQuery) -> QueryDict:
    data = QueryDict(mutable=True)
    values = filters.model_dump(exclude={"municipality", "page", "near", "postcode"})
    for name, value in values.items():
        if isinstance(value, list):
            data.setlist(name, value)
        elif value is True:
            data[name] = "1"
        elif value not in (None, "", False):
            data[name] = str(value)
    if filters.near and filters.postcode:
        raise HttpError(400, "near, postcode: give a position or a postcode, not both.")
    if filters.near:
        lat, _sep, lon = filters.near.partition(",")
        data["lat"], data["lon"] = lat.strip(), lon.strip()
        if not (lat.strip() and lon.strip()):
            raise HttpError(400, 'near: give the position as "latitude,longitude".')
    if filters.postcode:
        if not (len(filters.postcode) == 5 and filters.postcode.isdigit()):
            raise HttpError(400, "postcode: a postcode has five digits.")
        data["place"] = filters.postcode
    return data


def _problems(form: SearchForm) -> str:
    names = {"lat": "near", "lon": "near", "place": "postcode", "__all__": "near"}
    return "; ".join(
        f"{names.get(name, name)}: {' '.join(str(m) for m in messages)}"
        for name, messages in form.errors.items()
    )


def _terms(entries: Any) -> list[TermOut]:
    return [TermOut(slug=e.slug, name=e.name) for e in entries]


def _summary(request: HttpRequest, town: Municipality, o: Opportunity) -> dict[str, Any]:
    distance = selectors.distance_km(o)
    return {
        "public_id": o.public_id,
        "title": o.title,
        "description": o.description,
        "municipality": town.slug,
        "organisation": OrganisationRef(name=o.organisation.name, slug=o.organisation.slug),
        "kind": o.kind,
        "kind_label": str(o.get_kind_display()),
        "fields": _terms(o.engagement_fields.all()),
        "district": TermOut(slug=o.district.slug, name=o.district.name) if o.district else None,
        "postcode": o.postcode,
        "city": o.city,
        "latitude": o.latitude,
        "longitude": o.longitude,
        "is_remote": o.is_remote,
        "distance_km": round(distance, 1) if distance is not None else None,
        "time_slots": slots_to_keys(o.time_slots),
        "times_note": o.times_note,
        "hours_per_week": o.hours_per_week,
        "hours_total": o.hours_total,
        "starts_on": o.starts_on,
        "ends_on": o.ends_on,
        "expires_on": o.expires_on,
        "published_at": o.published_at,
        "url": request.build_absolute_uri(
            mreverse("opportunities:detail", town, public_id=o.public_id)
        ),
    }


@router.get("/opportunities", response=OpportunityPage, tags=["opportunities"])
def opportunity_list(request: HttpRequest, filters: Query[SearchQuery]) -> OpportunityPage:
    """Live opportunities of a municipality, searched and filtered like the search page: best
    matches first with search words, the nearest first with sort=distance, else the newest."""
    town = _municipality(filters.municipality)
    form = SearchForm(
        _form_data(filters),
        municipality=town,
        options=selectors.search_options(municipality=town),
    )
    if not form.is_valid():
        raise HttpError(400, _problems(form))
    params = form.params()
    found = selectors.opportunity_search(municipality=town, params=params)
    count = found.count()
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(found[start : start + PAGE_SIZE]) if start < count else []
    return OpportunityPage(
        count=count,
        page=filters.page,
        pages=max(1, -(-count // PAGE_SIZE)),
        page_size=PAGE_SIZE,
        sort=params.effective_sort(),
        results=[OpportunitySummary(**_summary(request, town, o)) for o in rows],
    )


@router.get("/opportunities/{public_id}", response=OpportunityOut, tags=["opportunities"])
def opportunity_detail(request: HttpRequest, public_id: UUID) -> OpportunityOut:
    """One live opportunity with everything its public page shows."""
    o = selectors.opportunity_live_by_id(public_id=public_id)
    if o is None:
        raise Http404
    return OpportunityOut(
        **_summary(request, o.municipality, o),
        easy_language=o.easy_language,
        skills=_terms(o.skills.all()),
        target_groups=_terms(o.target_groups.all()),
        minimum_age=o.minimum_age,
        german_level=o.german_level,
        for_young_people=o.for_young_people,
        for_seniors=o.for_seniors,
        for_families=o.for_families,
        place_accessibility=o.place_accessibility,
        task_accessibility=o.task_accessibility,
        needs_conduct_certificate=o.needs_conduct_certificate,
        insured_by_organisation=o.insured_by_organisation,
        insured_by_land=o.insured_by_land,
        insured_statutory=o.insured_statutory,
        people_wanted=o.people_wanted,
        street=o.street,
        contact_name=o.contact_name,
        contact_email=o.contact_email,
        contact_phone=o.contact_phone,
    )
