"""Coverage analysis for the coordination office: where is engagement infrastructure missing?

Everything is counted in the database (values() + Count), so a report costs the same dozen
queries for 10 or 10,000 organisations.

Measures: the fields × Stadtteile matrix counts one *measure*. Today that is "organisations";
a later module adds its own (opportunities, volunteers) by registering a `CoverageMeasure` in
its AppConfig.ready():

    coverage_measure_register(CoverageMeasure(
        key="opportunities", label=_("Opportunities"), noun=_("opportunities"),
        queryset=lambda municipality, type, sector: Opportunity.objects.filter(...),
        field_path="fields", district_path="district",
    ))

`queryset` returns the rows to count for the municipality, filtered by organisation type and
sector (empty string = no filter); `field_path` and `district_path` lead from such a row to the
FieldOfEngagement and the TownDistrict it belongs to. The other tables of the report (sector
balance, administration units, "Soziales", infrastructure) always count organisations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import (
    INFRASTRUCTURE_TYPES,
    FieldOfEngagement,
    Organisation,
    OrganisationType,
    Sector,
)
from gemeinsinn.core import selectors as core_selectors
from gemeinsinn.core.models import Municipality

# The Freiwilligensurvey's "Sozialer Bereich"; offices may rename it, the slug stays.
SOCIAL_FIELD_SLUG = "soziales"


@dataclass(frozen=True)
class CoverageMeasure:
    key: str
    label: str | Promise
    queryset: Callable[[Municipality, str, str], QuerySet[Any]]
    field_path: str
    district_path: str
    # The plural noun for running text ("Each cell counts organisations …").
    noun: str | Promise = ""


def _published_organisations(
    municipality: Municipality, type: str, sector: str
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(
        municipality=municipality, status=Organisation.Status.PUBLISHED
    )
    if type:
        organisations = organisations.filter(type=type)
    if sector:
        organisations = organisations.filter(sector=sector)
    return organisations


MEASURES: dict[str, CoverageMeasure] = {}


def coverage_measure_register(measure: CoverageMeasure) -> None:
    """Make a further measure available to the fields × Stadtteile matrix."""
    MEASURES[measure.key] = measure


coverage_measure_register(
    CoverageMeasure(
        key="organisations",
        label=_("Organisations"),
        noun=_("organisations"),
        queryset=_published_organisations,
        field_path="engagement_fields",
        district_path="districts",
    )
)


@dataclass(frozen=True)
class Label:
    pk: int
    name: str
    slug: str


@dataclass(frozen=True)
class MatrixCell:
    district: Label
    count: int


@dataclass(frozen=True)
class MatrixRow:
    field: Label
    cells: list[MatrixCell]
    total: int


@dataclass
class CoverageMatrix:
    """Counts of a measure per field of engagement and Stadtteil.

    A row total counts each organisation once even when it serves several Stadtteile, so it can
    be smaller than the sum of its cells.
    """

    measure: CoverageMeasure
    fields: list[Label]
    districts: list[Label]
    cells: dict[tuple[int, int], int]
    field_totals: dict[int, int]
    district_totals: dict[int, int]
    total: int
    without_field: int
    without_district: int

    def count(self, field_pk: int, district_pk: int) -> int:
        return self.cells.get((field_pk, district_pk), 0)

    @property
    def rows(self) -> list[MatrixRow]:
        return [
            MatrixRow(
                f,
                [MatrixCell(d, self.count(f.pk, d.pk)) for d in self.districts],
                self.field_totals.get(f.pk, 0),
            )
            for f in self.fields
        ]

    @property
    def column_totals(self) -> list[int]:
        return [self.district_totals.get(d.pk, 0) for d in self.districts]

    @property
    def gaps(self) -> int:
        return sum(1 for f in self.fields for d in self.districts if not self.count(f.pk, d.pk))


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class SocialShare:
    """Is engagement only with "Soziales"? Organisations by the fields they name."""

    field_name: str
    social_only: int
    social_and_other: int
    other_only: int
    no_field: int

    @property
    def with_field(self) -> int:
        return self.social_only + self.social_and_other + self.other_only

    @property
    def social(self) -> int:
        return self.social_only + self.social_and_other

    def percent(self, count: int) -> float:
        return round(100 * count / self.with_field, 1) if self.with_field else 0.0

    @property
    def social_percent(self) -> float:
        return self.percent(self.social)

    @property
    def social_only_percent(self) -> float:
        return self.percent(self.social_only)

    @property
    def social_and_other_percent(self) -> float:
        return self.percent(self.social_and_other)

    @property
    def other_only_percent(self) -> float:
        return self.percent(self.other_only)


@dataclass(frozen=True)
class InfrastructureRow:
    district: Label | None
    counts: list[int]
    total: int


@dataclass
class CoverageReport:
    matrix: CoverageMatrix
    sectors: list[Share]
    administration: list[Organisation]
    social: SocialShare | None
    infrastructure_types: list[tuple[str, str]]
    infrastructure: list[InfrastructureRow]
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def organisations(self) -> int:
        return sum(share.count for share in self.sectors)


def coverage_matrix(
    *,
    municipality: Municipality,
    measure: str = "organisations",
    type: str = "",
    sector: str = "",
    fields: list[FieldOfEngagement] | None = None,
) -> CoverageMatrix:
    """Fields of engagement × Stadtteile with the count of a measure in each cell."""
    spec = MEASURES[measure]
    rows = spec.queryset(municipality, type, sector)
    f, d = spec.field_path, spec.district_path
    if fields is None:
        fields = list(FieldOfEngagement.objects.filter(municipality=municipality))
    districts = [
        Label(x.pk, x.name, x.slug) for x in core_selectors.districts_of(municipality=municipality)
    ]
    cells: dict[tuple[int, int], int] = {}
    for row in rows.values(f, d).annotate(n=Count("pk", distinct=True)).order_by():
        if row[f] is not None and row[d] is not None:
            cells[(row[f], row[d])] = row["n"]
    field_totals = {
        row[f]: row["n"] for row in rows.values(f).annotate(n=Count("pk", distinct=True)).order_by()
    }
    district_totals = {
        row[d]: row["n"] for row in rows.values(d).annotate(n=Count("pk", distinct=True)).order_by()
    }
    # Switched-off fields stay in the matrix while something still counts under them.
    labels = [Label(x.pk, x.name, x.slug) for x in fields if x.is_active or field_totals.get(x.pk)]
    return CoverageMatrix(
        measure=spec,
        fields=labels,
        districts=districts,
        cells=cells,
        field_totals=field_totals,
        district_totals=district_totals,
        total=rows.count(),
        without_field=field_totals.get(None, 0),
        without_district=district_totals.get(None, 0),
    )


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def coverage_sectors(*, organisations: QuerySet[Organisation]) -> list[Share]:
    """Count and share of each sector, every sector listed."""
    counts = {
        row["sector"]: row["n"]
        for row in organisations.values("sector").annotate(n=Count("pk")).order_by()
    }
    total = sum(counts.values())
    return [
        Share(value, str(label), counts.get(value, 0), _percent(counts.get(value, 0), total))
        for value, label in Sector.choices
    ]


def coverage_administration(*, organisations: QuerySet[Organisation]) -> list[Organisation]:
    """The administration units and departments that take part, with their fields."""
    return list(
        organisations.filter(
            Q(type=OrganisationType.ADMINISTRATION) | Q(sector=Sector.ADMINISTRATION)
        )
        .prefetch_related("engagement_fields")
        .order_by("name")
    )


def coverage_social(
    *, organisations: QuerySet[Organisation], social: FieldOfEngagement | None
) -> SocialShare | None:
    """How many organisations work in the social field only, in it and others, or elsewhere."""
    if social is None:
        return None
    through = Organisation.engagement_fields.through
    in_social = Exists(
        through.objects.filter(organisation_id=OuterRef("pk"), fieldofengagement_id=social.pk)
    )
    in_other = Exists(
        through.objects.filter(organisation_id=OuterRef("pk")).exclude(
            fieldofengagement_id=social.pk
        )
    )
    counts = (
        organisations.annotate(s=in_social, o=in_other)
        .order_by()
        .aggregate(
            social_only=Count("pk", filter=Q(s=True, o=False)),
            social_and_other=Count("pk", filter=Q(s=True, o=True)),
            other_only=Count("pk", filter=Q(s=False, o=True)),
            no_field=Count("pk", filter=Q(s=False, o=False)),
        )
    )
    return SocialShare(field_name=social.name, **counts)


def coverage_infrastructure(
    *, organisations: QuerySet[Organisation], districts: list[Label]
) -> tuple[list[tuple[str, str]], list[InfrastructureRow]]:
    """Infrastructure of engagement promotion (INFRASTRUCTURE_TYPES) per Stadtteil."""
    types = [(v, str(label)) for v, label in OrganisationType.choices if v in INFRASTRUCTURE_TYPES]
    counts: dict[tuple[int | None, str], int] = {}
    totals: dict[int | None, int] = {}
    for row in (
        organisations.filter(type__in=INFRASTRUCTURE_TYPES)
        .values("districts", "type")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    ):
        counts[(row["districts"], row["type"])] = row["n"]
        totals[row["districts"]] = totals.get(row["districts"], 0) + row["n"]
    rows = [
        InfrastructureRow(d, [counts.get((d.pk, t), 0) for t, _label in types], totals.get(d.pk, 0))
        for d in districts
    ]
    if totals.get(None):
        rows.append(
            InfrastructureRow(None, [counts.get((None, t), 0) for t, _label in types], totals[None])
        )
    return types, rows


def coverage_report(
    *,
    municipality: Municipality,
    measure: str = "organisations",
    type: str = "",
    sector: str = "",
) -> CoverageReport:
    """The office's coverage analysis of published organisations, with optional filters."""
    if measure not in MEASURES:
        measure = "organisations"
    organisations = _published_organisations(municipality, type, sector)
    fields = list(FieldOfEngagement.objects.filter(municipality=municipality))
    matrix = coverage_matrix(
        municipality=municipality, measure=measure, type=type, sector=sector, fields=fields
    )
    social = next((f for f in fields if f.slug == SOCIAL_FIELD_SLUG), None)
    infrastructure_types, infrastructure = coverage_infrastructure(
        organisations=organisations, districts=matrix.districts
    )
    return CoverageReport(
        matrix=matrix,
        sectors=coverage_sectors(organisations=organisations),
        administration=coverage_administration(organisations=organisations),
        social=coverage_social(organisations=organisations, social=social),
        infrastructure_types=infrastructure_types,
        infrastructure=infrastructure,
        filters={"measure": measure, "type": type, "sector": sector},
    )
