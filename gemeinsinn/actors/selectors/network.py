"""Reads of cooperation links, alliances, target agreements and the office's network graph."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import combinations
from typing import Any

from django.db.models import CharField, Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import (
    Alliance,
    AllianceMember,
    AllianceProject,
    CooperationLink,
    FieldOfEngagement,
    Organisation,
    ProgressUpdate,
    Sector,
    TargetAgreement,
)
from gemeinsinn.core.models import Municipality

# --- Cooperation links ---------------------------------------------------------------------------

# How a link reads from each end: (seen from the source, seen from the target).
LINK_PHRASES: dict[str, tuple[Promise, Promise]] = {
    CooperationLink.Kind.PARTNERSHIP: (_("partnership with"), _("partnership with")),
    CooperationLink.Kind.FUNDING: (_("funds"), _("is funded by")),
    CooperationLink.Kind.SHARED_PROJECT: (_("shared project with"), _("shared project with")),
    CooperationLink.Kind.UMBRELLA: (
        _("is a member of the umbrella organisation"),
        _("is the umbrella organisation of"),
    ),
}
# Kinds that read the same from both ends: B→A duplicates an existing A→B.
SYMMETRIC_KINDS = frozenset({CooperationLink.Kind.PARTNERSHIP, CooperationLink.Kind.SHARED_PROJECT})


@dataclass(frozen=True)
class Cooperation:
    """A link as one organisation sees it: the partner and a phrase such as "is funded by"."""

    link: CooperationLink
    partner: Organisation
    phrase: str
    outgoing: bool

    @property
    def confirmed(self) -> bool:
        return self.link.confirmed_at is not None


def organisations_in_scope(*, municipality: Municipality) -> QuerySet[Organisation]:
    """Published organisations of a municipality or listed in its directory."""
    in_scope = Organisation.objects.filter(Q(municipality=municipality) | Q(listed_in=municipality))
    return (
        Organisation.objects.filter(
            pk__in=in_scope.values("pk"), status=Organisation.Status.PUBLISHED
        )
        .select_related("municipality")
        .order_by("name")
    )


def organisation_in_scope(*, municipality: Municipality, slug: str) -> Organisation | None:
    """One organisation of the municipality (any moderation status), or None."""
    return (
        Organisation.objects.filter(municipality=municipality, slug=slug)
        .select_related("municipality")
        .first()
    )


def cooperation_partners_eligible(
    *, municipality: Municipality, source: Organisation
) -> QuerySet[Organisation]:
    """The organisations `source` may be linked to: published ones in the municipality."""
    return organisations_in_scope(municipality=municipality).exclude(pk=source.pk)


def cooperations_of(
    *, municipality: Municipality, organisation: Organisation, include_proposals: bool = False
) -> list[Cooperation]:
    """The confirmed links of one organisation in a municipality, from both ends, by partner.

    With `include_proposals` (for the organisation's own admins and the office) also the links
    that wait for the partner's confirmation: those it proposed in the municipality and those
    proposed to it anywhere it is listed.
    """
    links = (
        CooperationLink.objects.filter(municipality=municipality)
        .filter(Q(source=organisation) | Q(target=organisation))
        .select_related("source__municipality", "target__municipality")
    )
    if include_proposals:
        links = CooperationLink.objects.filter(
            Q(pk__in=links.values("pk")) | Q(target=organisation, confirmed_at__isnull=True)
        ).select_related("source__municipality", "target__municipality", "municipality")
    else:
        links = links.filter(confirmed_at__isnull=False)
    result = []
    for link in links:
        outgoing = link.source_id == organisation.pk
        partner = link.target if outgoing else link.source
        phrase = str(LINK_PHRASES[link.kind][0 if outgoing else 1])
        result.append(Cooperation(link=link, partner=partner, phrase=phrase, outgoing=outgoing))
    result.sort(key=lambda c: (c.partner.name.casefold(), c.link.kind))
    return result


def cooperation_proposal_to(*, organisation: Organisation, pk: int) -> CooperationLink | None:
    """One link proposed to `organisation` that waits for its confirmation, or None."""
    return (
        CooperationLink.objects.filter(pk=pk, target=organisation, confirmed_at__isnull=True)
        .select_related("source__municipality", "target__municipality", "municipality")
        .first()
    )


def cooperation_link_of(
    *, municipality: Municipality, organisation: Organisation, pk: int
) -> CooperationLink | None:
    """One link of `organisation` in the municipality, or None."""
    return (
        CooperationLink.objects.filter(municipality=municipality, pk=pk)
        .filter(Q(source=organisation) | Q(target=organisation))
        .select_related("source__municipality", "target__municipality", "municipality")
        .first()
    )


# --- Alliances -----------------------------------------------------------------------------------


def _with_counts(alliances: QuerySet[Alliance]) -> QuerySet[Alliance]:
    return alliances.annotate(
        organisation_count=Count(
            "members", filter=Q(members__organisation__isnull=False), distinct=True
        ),
        person_count=Count(
            "members",
            filter=Q(members__user__isnull=False, members__status=AllianceMember.Status.ACTIVE),
            distinct=True,
        ),
        agreement_count=Count("target_agreements", distinct=True),
    )


def alliances_visible(*, municipality: Municipality, user: Any) -> QuerySet[Alliance]:
    """The alliances of a municipality a person may see: public ones, their own, all for the office."""
    visible = Alliance.objects.filter(municipality=municipality)
    if not user.has_perm("core.manage_municipality", municipality):
        condition = Q(is_public=True)
        if user.is_authenticated:
            condition |= Q(members__user=user, members__status=AllianceMember.Status.ACTIVE) | Q(
                members__organisation__memberships__user=user,
                members__organisation__memberships__status="active",
            )
        # Filter through a subquery so that the member counts below count every member.
        visible = Alliance.objects.filter(pk__in=visible.filter(condition).values("pk"))
    return _with_counts(visible).order_by("status", "name")


def _members_prefetch(*, include_invited: bool = True) -> Any:
    members = AllianceMember.objects.all()
    if not include_invited:
        members = members.filter(status=AllianceMember.Status.ACTIVE)
    return Prefetch(
        "members",
        queryset=members.select_related("organisation__municipality", "user")
        .annotate(
            sort_name=Lower(
                Coalesce(
                    "organisation__name",
                    "user__last_name",
                    "user__email",
                    output_field=CharField(),
                )
            )
        )
        .order_by("-is_steering", "sort_name", "pk"),
    )


def _agreements_prefetch() -> Any:
    return Prefetch(
        "target_agreements",
        queryset=TargetAgreement.objects.prefetch_related(
            Prefetch(
                "responsible",
                queryset=Organisation.objects.select_related("municipality").order_by("name"),
            ),
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("reported_on", "pk")),
        ).order_by("deadline", "goal"),
    )


def alliance_visible(*, municipality: Municipality, slug: str, user: Any) -> Alliance | None:
    """One alliance with members, projects and target agreements, if the person may see it."""
    alliance = (
        Alliance.objects.filter(municipality=municipality, slug=slug)
        .select_related("municipality")
        .first()
    )
    if alliance is None or not user.has_perm("actors.view_alliance", alliance):
        return None
    return (
        Alliance.objects.filter(pk=alliance.pk)
        .select_related("municipality")
        .prefetch_related(
            _members_prefetch(),
            Prefetch("projects", queryset=AllianceProject.objects.order_by("starts_on", "title")),
            _agreements_prefetch(),
        )
        .get()
    )


def alliance_invitation_for(
    *, municipality: Municipality, slug: str, user: Any
) -> AllianceMember | None:
    """The person's open invitation to an alliance of the municipality, or None."""
    if not user.is_authenticated:
        return None
    return (
        AllianceMember.objects.filter(
            alliance__municipality=municipality,
            alliance__slug=slug,
            user=user,
            status=AllianceMember.Status.INVITED,
        )
        .select_related("alliance__municipality", "user")
        .first()
    )


def alliance_member_of(*, alliance: Alliance, pk: int) -> AllianceMember | None:
    """One member of an alliance, or None."""
    return (
        AllianceMember.objects.filter(alliance=alliance, pk=pk)
        .select_related("organisation", "user", "alliance__municipality")
        .first()
    )


def alliance_project_of(*, alliance: Alliance, pk: int) -> AllianceProject | None:
    """One project of an alliance, or None."""
    return AllianceProject.objects.filter(alliance=alliance, pk=pk).first()


def target_agreement_of(*, alliance: Alliance, pk: int) -> TargetAgreement | None:
    """One target agreement of an alliance with its updates and responsible organisations."""
    return (
        TargetAgreement.objects.filter(alliance=alliance, pk=pk)
        .select_related("alliance__municipality")
        .prefetch_related(
            Prefetch("responsible", queryset=Organisation.objects.order_by("name")),
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("author").order_by(
                    "reported_on", "pk"
                ),
            ),
        )
        .first()
    )


def progress_update_of(*, agreement: TargetAgreement, pk: int) -> ProgressUpdate | None:
    """One progress update of a target agreement, or None."""
    return ProgressUpdate.objects.filter(agreement=agreement, pk=pk).first()


def alliance_member_candidates(
    *, municipality: Municipality, alliance: Alliance | None = None
) -> QuerySet[Organisation]:
    """Published organisations of the municipality that are not yet members of the alliance."""
    candidates = organisations_in_scope(municipality=municipality)
    if alliance is not None:
        candidates = candidates.exclude(
            pk__in=alliance.members.filter(organisation__isnull=False).values("organisation")
        )
    return candidates


def alliance_member_organisations(*, alliance: Alliance) -> QuerySet[Organisation]:
    """The member organisations of an alliance, for choosing who is responsible for a goal."""
    return Organisation.objects.filter(alliance_memberships__alliance=alliance).order_by("name")


def alliances_public(*, municipality: Municipality) -> QuerySet[Alliance]:
    """The public alliances of a municipality with their member counts (for the API)."""
    return _with_counts(
        Alliance.objects.filter(municipality=municipality, is_public=True)
    ).order_by("status", "name")


def municipality_with_actors(*, slug: str) -> Municipality | None:
    """An active municipality with the actors module switched on, or None (for the API)."""
    town = Municipality.objects.filter(slug=slug, is_active=True).first()
    if town is None or not town.has_module("actors"):
        return None
    return town


def alliance_public(*, public_id: Any) -> Alliance | None:
    """A public alliance of an active municipality with the actors module on, or None."""
    alliance = (
        Alliance.objects.filter(public_id=public_id, is_public=True, municipality__is_active=True)
        .select_related("municipality")
        .prefetch_related(
            _members_prefetch(include_invited=False), _agreements_prefetch(), "projects"
        )
        .first()
    )
    if alliance is None or not alliance.municipality.has_module("actors"):
        return None
    return alliance


# --- Progress of a target agreement --------------------------------------------------------------

ON_TRACK, BEHIND, REACHED, OVERDUE = "on_track", "behind", "reached", "overdue"
STATUS_LABELS: dict[str, Promise] = {
    ON_TRACK: _("on track"),
    BEHIND: _("behind schedule"),
    REACHED: _("reached"),
    OVERDUE: _("overdue"),
}
# How far (as a share of the way) progress may trail the elapsed time and still count as on track:
# updates come every few months, so a strict comparison would flag every fresh agreement.
TOLERANCE = Decimal("0.10")


@dataclass(frozen=True)
class Progress:
    share: Decimal  # 0 … 1, the share of the way from the starting value to the target
    expected: Decimal  # 0 … 1, the share of the time from start to deadline that has passed
    latest: Decimal
    latest_on: date | None
    status: str
    start: date

    @property
    def percent(self) -> int:
        return int(self.share * 100)

    @property
    def expected_percent(self) -> int:
        return int(self.expected * 100)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def share_of_way(*, baseline: Decimal, target: Decimal, value: Decimal) -> Decimal:
    """(value − baseline) / (target − baseline), clamped to 0 … 1; works for falling targets too."""
    if target == baseline:
        return Decimal(1)
    share = (value - baseline) / (target - baseline)
    return min(Decimal(1), max(Decimal(0), share))


def progress_of(
    *,
    baseline: Decimal,
    target: Decimal,
    deadline: date,
    start: date,
    updates: Sequence[tuple[date, Decimal]],
    today: date | None = None,
) -> Progress:
    """The progress of a target agreement and its status.

    The rule:
    - The latest value is the value of the most recent update (by date); without updates it is
      the starting value (baseline).
    - share = (latest − baseline) / (target − baseline), clamped to 0 … 1 (0 … 100 %). Values
      beyond the target count as 100 %, values on the wrong side of the baseline as 0 %. A target
      below the baseline (e.g. fewer empty seats) works the same way.
    - The agreement starts on `start` (the earlier of its creation and its first update) and the
      expected share is the elapsed share of the time from start to deadline, clamped to 0 … 1.
    - Status: "reached" when share = 100 % (also after the deadline); otherwise "overdue" once the
      deadline has passed; otherwise "on track" when share ≥ expected − 10 percentage points
      (TOLERANCE); otherwise "behind schedule".
    """
    today = today or timezone.localdate()
    latest, latest_on = baseline, None
    for reported_on, value in updates:
        if latest_on is None or reported_on >= latest_on:
            latest, latest_on = value, reported_on
    share = share_of_way(baseline=baseline, target=target, value=latest)
    days = (deadline - start).days
    if days <= 0:
        expected = Decimal(1)
    else:
        expected = min(Decimal(1), max(Decimal(0), Decimal((today - start).days) / days))
    if share >= 1:
        status = REACHED
    elif today > deadline:
        status = OVERDUE
    elif share >= expected - TOLERANCE:
        status = ON_TRACK
    else:
        status = BEHIND
    return Progress(
        share=share,
        expected=expected,
        latest=latest,
        latest_on=latest_on,
        status=status,
        start=start,
    )


def agreement_start(agreement: TargetAgreement) -> date:
    """The day an agreement's clock starts: its creation, or its first update if that is earlier."""
    created = timezone.localdate(agreement.created_at) if agreement.created_at else None
    first = min((u.reported_on for u in agreement.updates.all()), default=None)
    candidates = [d for d in (created, first) if d is not None]
    return min(candidates) if candidates else timezone.localdate()


def agreement_progress(agreement: TargetAgreement, *, today: date | None = None) -> Progress:
    """The progress of one agreement, from its (prefetched) updates."""
    return progress_of(
        baseline=agreement.baseline,
        target=agreement.target_value,
        deadline=agreement.deadline,
        start=agreement_start(agreement),
        updates=[(u.reported_on, u.value) for u in agreement.updates.all()],
        today=today,
    )


# --- The network graph ---------------------------------------------------------------------------

SECTOR_ORDER: tuple[str, ...] = tuple(Sector.values)


@dataclass(frozen=True)
class NetworkNode:
    pk: int
    name: str
    slug: str
    sector: str
    home_slug: str

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label)


@dataclass
class NetworkEdge:
    a: int
    b: int
    kinds: set[str] = field(default_factory=set)  # cooperation kinds between the two
    alliances: set[str] = field(default_factory=set)  # names of shared alliances

    @property
    def is_cooperation(self) -> bool:
        return bool(self.kinds)


@dataclass(frozen=True)
class NetworkRow:
    """One line of the data table: an organisation, its cooperation partners and alliances."""

    node: NetworkNode
    partners: list[tuple[NetworkNode, list[str]]]  # cooperation partners with the kinds
    alliances: list[str]
    connections: int  # partners by cooperation or by a shared alliance


@dataclass
class NetworkGraph:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    alliances_of: dict[int, list[str]]

    @property
    def cooperation_count(self) -> int:
        return sum(1 for e in self.edges if e.is_cooperation)

    @property
    def alliance_edge_count(self) -> int:
        return sum(1 for e in self.edges if not e.is_cooperation)

    def degrees(self) -> dict[int, int]:
        degree: dict[int, int] = defaultdict(int)
        for edge in self.edges:
            degree[edge.a] += 1
            degree[edge.b] += 1
        return degree

    def rows(self) -> list[NetworkRow]:
        """The data table, alphabetically: every organisation with its partners and alliances."""
        by_pk = {n.pk: n for n in self.nodes}
        partners: dict[int, list[tuple[NetworkNode, list[str]]]] = defaultdict(list)
        degree = self.degrees()
        for edge in self.edges:
            if not edge.kinds:
                continue
            labels = sorted(str(CooperationLink.Kind(k).label) for k in edge.kinds)
            partners[edge.a].append((by_pk[edge.b], labels))
            partners[edge.b].append((by_pk[edge.a], labels))
        return [
            NetworkRow(
                node=node,
                partners=sorted(partners[node.pk], key=lambda p: p[0].name.casefold()),
                alliances=self.alliances_of.get(node.pk, []),
                connections=degree.get(node.pk, 0),
            )
            for node in sorted(self.nodes, key=lambda n: (n.name.casefold(), n.pk))
        ]


def network_fields(*, municipality: Municipality) -> QuerySet[FieldOfEngagement]:
    """The fields of engagement the network graph can be filtered by."""
    return FieldOfEngagement.objects.filter(municipality=municipality, is_active=True)


def network_graph(*, municipality: Municipality, field: str = "", sector: str = "") -> NetworkGraph:
    """Organisations of a municipality and their connections, in three flat queries.

    Nodes are the published organisations of (or listed in) the municipality, narrowed by field
    of engagement (slug) and sector. Edges join two of these nodes when a cooperation link of the
    municipality or an active alliance of the municipality connects them; connections to
    organisations outside the filter are left out.
    """
    organisations = organisations_in_scope(municipality=municipality)
    if field:
        organisations = organisations.filter(
            engagement_fields__slug=field, engagement_fields__municipality=municipality
        )
    if sector:
        organisations = organisations.filter(sector=sector)
    nodes = [
        NetworkNode(pk=pk, name=name, slug=slug, sector=sec, home_slug=home)
        for pk, name, slug, sec, home in organisations.distinct().values_list(
            "pk", "name", "slug", "sector", "municipality__slug"
        )
    ]
    wanted = {n.pk for n in nodes}
    edges: dict[tuple[int, int], NetworkEdge] = {}

    def edge(x: int, y: int) -> NetworkEdge:
        key = (min(x, y), max(x, y))
        if key not in edges:
            edges[key] = NetworkEdge(a=key[0], b=key[1])
        return edges[key]

    # Only confirmed links: a proposal names the partner before the partner has agreed.
    for source, target, kind in CooperationLink.objects.filter(
        municipality=municipality, confirmed_at__isnull=False
    ).values_list("source_id", "target_id", "kind"):
        if source in wanted and target in wanted:
            edge(source, target).kinds.add(kind)

    members: dict[str, set[int]] = defaultdict(set)
    alliances_of: dict[int, list[str]] = defaultdict(list)
    for name, organisation in (
        AllianceMember.objects.filter(
            alliance__municipality=municipality,
            alliance__status=Alliance.Status.ACTIVE,
            organisation__isnull=False,
            status=AllianceMember.Status.ACTIVE,
        )
        .order_by("alliance__name", "organisation_id")
        .values_list("alliance__name", "organisation_id")
    ):
        if organisation in wanted:
            members[name].add(organisation)
            alliances_of[organisation].append(name)
    for name, pks in members.items():
        for x, y in combinations(sorted(pks), 2):
            edge(x, y).alliances.add(name)
    return NetworkGraph(
        nodes=nodes,
        edges=sorted(edges.values(), key=lambda e: (e.a, e.b)),
        alliances_of=dict(alliances_of),
    )


def sector_counts(nodes: Iterable[NetworkNode]) -> list[tuple[str, str, int]]:
    """(sector, label, number of nodes) in the fixed sector order, for the legend."""
    counts: dict[str, int] = defaultdict(int)
    for node in nodes:
        counts[node.sector] += 1
    return [(s, str(Sector(s).label), counts[s]) for s in SECTOR_ORDER if counts[s]]
