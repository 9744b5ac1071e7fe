"""/api/v1/organisations: the public directory over the API (same selectors as the HTML pages).

Only published organisations of active municipalities with the actors module switched on, and
of their contact data only the fields the organisation shows to everybody: the API is open to
all. The filters take the same values as the directory's URL parameters and are checked by the
same form, so a bad value answers 400 with the reason instead of an empty list.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema
from ninja.errors import HttpError

from gemeinsinn.actors import selectors
from gemeinsinn.actors.api import router
from gemeinsinn.actors.forms import DirectoryFilterForm
from gemeinsinn.actors.models import VISIBILITY_FIELDS, Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.routing import mreverse

PAGE_SIZE = 50


class TermOut(Schema):
    slug: str
    name: str


class OrganisationSummary(Schema):
    public_id: UUID
    name: str
    slug: str
    municipality: str = Field(description="Slug of the organisation's home municipality.")
    type: str = Field(description="volunteer_agency, club, initiative, business, …")
    type_label: str
    sector: str = Field(description="administration, business, civil_society or citizens")
    description: str
    website: str
    postcode: str
    city: str
    fields: list[TermOut] = Field(description="Fields of engagement.")
    districts: list[TermOut] = Field(description="Stadtteile served.")
    latitude: float | None
    longitude: float | None
    url: str = Field(description="The profile page in the directory.")


class ContactOut(Schema):
    """Contact data the organisation shows to everybody; null where it shows it to fewer
    people (its members or the coordination office) or has none."""

    email: str | None
    phone: str | None
    street: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    opening_hours: str | None


class OrganisationOut(OrganisationSummary):
    target_groups: list[TermOut]
    premises_accessibility: str = Field(description="unknown, accessible, partly or not_accessible")
    accessibility_notes: str
    logo: str | None
    contact: ContactOut
    updated_at: datetime


class OrganisationPage(Schema):
    count: int = Field(description="Organisations matching the search and filters.")
    page: int
    pages: int
    page_size: int
    results: list[OrganisationSummary]


class DirectoryQuery(Schema):
    municipality: str = Field(description="Slug of the municipality whose directory to search.")
    q: str = Field("", description='Search words (German, websearch syntax: "phrase", OR, -word).')
    type: str = ""
    sector: str = ""
    field: str = Field("", description="Slug of a field of engagement.")
    target_group: str = Field("", description="Slug of a target group.")
    district: str = Field("", description="Slug of a Stadtteil.")
    page: int = Field(1, ge=1)


def _municipality(slug: str) -> Municipality:
    town = selectors.municipality_with_actors(slug=slug)
    if town is None:
        raise Http404
    return town


def _terms(entries: Any) -> list[TermOut]:
    return [TermOut(slug=e.slug, name=e.name) for e in entries]


def _summary(request: HttpRequest, town: Municipality, o: Organisation) -> dict[str, Any]:
    located = o.location_is_public()
    return {
        "public_id": o.public_id,
        "name": o.name,
        "slug": o.slug,
        "municipality": o.municipality.slug,
        "type": o.type,
        "type_label": str(o.get_type_display()),
        "sector": o.sector,
        "description": o.description,
        "website": o.website,
        "postcode": o.postcode,
        "city": o.city,
        "fields": _terms(o.engagement_fields.all()),
        "districts": _terms(o.districts.all()),
        # Coordinates give the address away: only where the street itself is public.
        "latitude": float(o.latitude) if o.latitude is not None and located else None,
        "longitude": float(o.longitude) if o.longitude is not None and located else None,
        "url": request.build_absolute_uri(mreverse("actors:detail", town, slug=o.slug)),
    }


@router.get("/organisations", response=OrganisationPage, tags=["organisations"])
def organisation_list(request: HttpRequest, filters: Query[DirectoryQuery]) -> OrganisationPage:
    """Published organisations of a municipality's directory, searched and filtered like the
    directory page, best matches first when there is a search, by name otherwise."""
    town = _municipality(filters.municipality)
    form = DirectoryFilterForm(
        filters.model_dump(exclude={"municipality", "page"}),
        options=selectors.directory_filter_options(municipality=town),
    )
    if not form.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in form.errors.items()
        )
        raise HttpError(400, problems)
    organisations = selectors.organisations_public(municipality=town, **form.filters())
    count = organisations.count()
    start = (filters.page - 1) * PAGE_SIZE
    return OrganisationPage(
        count=count,
        page=filters.page,
        pages=max(1, -(-count // PAGE_SIZE)),
        page_size=PAGE_SIZE,
        results=[
            OrganisationSummary(**_summary(request, town, o))
            for o in organisations[start : start + PAGE_SIZE]
        ]
        if start < count
        else [],
    )


@router.get(
    "/organisations/{municipality}/{slug}", response=OrganisationOut, tags=["organisations"]
)
def organisation_detail(request: HttpRequest, municipality: str, slug: str) -> OrganisationOut:
    """One published organisation of a municipality's directory with its public contact data."""
    town = _municipality(municipality)
    organisation = selectors.organisation_in_directory(municipality=town, slug=slug)
    if organisation is None:
        raise Http404
    public = selectors.contact_visible(organisation=organisation, level="public")
    return OrganisationOut(
        **_summary(request, town, organisation),
        target_groups=_terms(organisation.target_groups.all()),
        premises_accessibility=organisation.premises_accessibility,
        accessibility_notes=organisation.accessibility_notes,
        logo=request.build_absolute_uri(organisation.logo.url) if organisation.logo else None,
        contact=ContactOut(**{name: public.get(name) for name in VISIBILITY_FIELDS}),
        updated_at=organisation.updated_at,
    )
