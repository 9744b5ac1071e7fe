"""Reads of the public directory: the list with search and filters, the map, the profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

from gemeinsinn.actors.models import (
    VISIBILITY_FIELDS,
    Alliance,
    CooperationLink,
    FieldOfEngagement,
    Membership,
    Organisation,
    TargetGroup,
    location_public_q,
)
from gemeinsinn.actors.selectors.network import LINK_PHRASES
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.core.search import fulltext_search

PUBLISHED = Organisation.Status.PUBLISHED
# Who sees a contact field, from the least to the most trusted viewer.
LEVELS = ("public", "members", "office")


@dataclass(frozen=True)
class FilterOptions:
    """The active taxonomy entries and Stadtteile a municipality's directory filters by."""

    fields: list[FieldOfEngagement]
    target_groups: list[TargetGroup]
    districts: list[TownDistrict]


def directory_filter_options(*, municipality: Municipality) -> FilterOptions:
    """The choices of the directory's filters: active entries of the municipality only."""
    return FilterOptions(
        fields=list(
            FieldOfEngagement.objects.filter(municipality=municipality, is_active=True).order_by(
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


def _in_directory(municipality: Municipality) -> Q:
    """The municipality's own organisations and those listed in its directory too."""
    listed = Organisation.listed_in.through.objects.filter(municipality=municipality).values(
        "organisation_id"
    )
    return Q(municipality=municipality) | Q(pk__in=listed)


def _filtered(
    *,
    municipality: Municipality,
    query: str,
    type: str,
    sector: str,
    field: str,
    target_group: str,
    district: str,
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(_in_directory(municipality), status=PUBLISHED)
    if type:
        organisations = organisations.filter(type=type)
    if sector:
        organisations = organisations.filter(sector=sector)
    # Taxonomies belong to each home municipality; an organisation listed from a neighbour
    # matches by the slug, which the default taxonomies share.
    if field:
        with_field = Organisation.engagement_fields.through.objects.filter(
            fieldofengagement__slug=field
        )
        organisations = organisations.filter(pk__in=with_field.values("organisation_id"))
    if target_group:
        with_group = Organisation.target_groups.through.objects.filter(
            targetgroup__slug=target_group
        )
        organisations = organisations.filter(pk__in=with_group.values("organisation_id"))
    if district:
        in_district = Organisation.districts.through.objects.filter(
            towndistrict__slug=district, towndistrict__municipality=municipality
        )
        organisations = organisations.filter(pk__in=in_district.values("organisation_id"))
    return fulltext_search(organisations.order_by("name"), query)


def organisations_public(
    *,
    municipality: Municipality,
    query: str = "",
    type: str = "",
    sector: str = "",
    field: str = "",
    target_group: str = "",
    district: str = "",
    located: bool = False,
) -> QuerySet[Organisation]:
    """Published organisations of a municipality's directory, searched and filtered; best
    matches first when there is a query, by name otherwise. With `located`, only those with
    coordinates (the ones on the map)."""
    organisations = _filtered(
        municipality=municipality,
        query=query,
        type=type,
        sector=sector,
        field=field,
        target_group=target_group,
        district=district,
    )
    if located:
        # The same rule as the map points: coordinates count only where the street is public.
        organisations = organisations.filter(
            location_public_q(), latitude__isnull=False, longitude__isnull=False
        )
    return organisations.select_related("municipality").prefetch_related(
        Prefetch("engagement_fields", queryset=FieldOfEngagement.objects.order_by("position")),
        Prefetch("districts", queryset=TownDistrict.objects.order_by("name")),
    )


@dataclass(frozen=True)
class MapPoint:
    slug: str
    name: str
    type: str
    latitude: Decimal
    longitude: Decimal


def organisations_on_map(
    *,
    municipality: Municipality,
    query: str = "",
    type: str = "",
    sector: str = "",
    field: str = "",
    target_group: str = "",
    district: str = "",
) -> list[MapPoint]:
    """The directory's organisations that have coordinates, as points for the map.

    A point on a map gives the address away, so organisations that show their street only to
    members or the office are left off the map (the list beside it still names them)."""
    rows = (
        _filtered(
            municipality=municipality,
            query=query,
            type=type,
            sector=sector,
            field=field,
            target_group=target_group,
            district=district,
        )
        .filter(location_public_q(), latitude__isnull=False, longitude__isnull=False)
        .values_list("slug", "name", "type", "latitude", "longitude")
    )
    return [
        MapPoint(slug, name, kind, latitude, longitude)
        for slug, name, kind, latitude, longitude in rows
        if latitude is not None and longitude is not None
    ]


def _with_profile(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return organisations.select_related("municipality").prefetch_related(
        Prefetch("engagement_fields", queryset=FieldOfEngagement.objects.order_by("position")),
        Prefetch("target_groups", queryset=TargetGroup.objects.order_by("position")),
        Prefetch("districts", queryset=TownDistrict.objects.order_by("name")),
    )


def organisation_in_directory(*, municipality: Municipality, slug: str) -> Organisation | None:
    """A published organisation of the municipality's directory (its own before listed ones)."""
    own_first = Case(When(municipality=municipality, then=Value(0)), default=Value(1))
    return (
        _with_profile(
            Organisation.objects.filter(_in_directory(municipality), slug=slug, status=PUBLISHED)
        )
        .order_by(own_first, "pk")
        .first()
    )


def organisation_visible(
    *, municipality: Municipality, slug: str, user: Any
) -> Organisation | None:
    """One organisation, if published or if the person may edit it; None looks like not found."""
    organisation = _with_profile(
        Organisation.objects.filter(municipality=municipality, slug=slug)
    ).first()
    if organisation is not None and (
        organisation.status == PUBLISHED
        or user.has_perm("actors.change_organisation", organisation)
    ):
        return organisation
    return organisation_in_directory(municipality=municipality, slug=slug)


def viewer_level(*, organisation: Organisation, user: Any) -> str:
    """How far a person sees into an organisation's contact data: public, members or office.

    Its own admins count as office: they entered the data and see it in the edit form anyway.
    """
    if not user.is_authenticated:
        return "public"
    if user.has_perm("actors.change_organisation", organisation):
        return "office"
    is_member = Membership.objects.filter(
        organisation=organisation, user=user, status=Membership.Status.ACTIVE
    ).exists()
    return "members" if is_member else "public"


def contact_visible(*, organisation: Organisation, level: str) -> dict[str, str]:
    """The contact fields (with a value) a viewer of `level` may see."""
    rank = LEVELS.index(level)
    visible = {}
    for name in VISIBILITY_FIELDS:
        value = getattr(organisation, name)
        needed = organisation.visibility_of(name)
        if value and LEVELS.index(needed if needed in LEVELS else "office") <= rank:
            visible[name] = str(value)
    return visible


@dataclass(frozen=True)
class Partner:
    organisation: Organisation
    phrase: str
    description: str


@dataclass(frozen=True)
class OrganisationProfile:
    organisation: Organisation
    # Contact fields the viewer may see, and of those the ones not everybody sees (name ->
    # level), so the page can say so.
    contact: dict[str, str]
    restricted: dict[str, str]
    partners: list[Partner] = field(default_factory=list)
    alliances: list[Alliance] = field(default_factory=list)
    can_edit: bool = False


def organisation_profile(
    *, municipality: Municipality, slug: str, user: Any
) -> OrganisationProfile | None:
    """Everything the profile page shows to this person, or None (not found or not allowed)."""
    organisation = organisation_visible(municipality=municipality, slug=slug, user=user)
    if organisation is None:
        return None
    level = viewer_level(organisation=organisation, user=user)
    contact = contact_visible(organisation=organisation, level=level)
    restricted = {
        name: organisation.visibility_of(name)
        for name in contact
        if organisation.visibility_of(name) != "public"
    }
    links = (
        # Only links the partner has confirmed name it in public.
        CooperationLink.objects.filter(confirmed_at__isnull=False)
        .filter(
            Q(source=organisation, target__status=PUBLISHED)
            | Q(target=organisation, source__status=PUBLISHED)
        )
        .select_related("source__municipality", "target__municipality")
        .order_by("pk")
    )
    partners = []
    for link in links:
        outgoing = link.source_id == organisation.pk
        phrase = LINK_PHRASES[link.kind][0 if outgoing else 1]
        partners.append(
            Partner(
                organisation=link.target if outgoing else link.source,
                phrase=str(phrase),
                description=link.description,
            )
        )
    partners.sort(key=lambda p: (p.organisation.name.casefold(), p.phrase))
    alliances = list(
        Alliance.objects.filter(is_public=True, members__organisation=organisation)
        .select_related("municipality")
        .order_by("status", "name")
    )
    return OrganisationProfile(
        organisation=organisation,
        contact=contact,
        restricted=restricted,
        partners=partners,
        alliances=alliances,
        can_edit=level == "office",
    )


def organisations_of(*, user: Any) -> QuerySet[Organisation]:
    """The organisations a person belongs to."""
    return (
        Organisation.objects.filter(memberships__user=user)
        .select_related("municipality")
        .distinct()
    )
