"""Cooperation links among the demo organisations and alliances (Bündnisse) in every town large
enough: members, a steering group, a project and two target agreements with progress updates.

Like the other steps it draws from its own random source, keys its rows (an alliance by
municipality and slug, a link by its two ends and kind) so that a second run adds nothing, goes
through the services at small scale and writes in bulk above.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gemeinsinn.accounts.models import User
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import (
    Alliance,
    AllianceMember,
    AllianceProject,
    CooperationLink,
    Organisation,
    ProgressUpdate,
    TargetAgreement,
)
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.text import german_slugify
from gemeinsinn.demo.generate.run import BATCH, DemoRun, batches
from gemeinsinn.demo.logins import DEMO_ORGANISATION, LOGIN_BY_EMAIL

# Organisations per alliance in a town; a town needs at least MIN_MEMBERS published ones.
MIN_MEMBERS, MAX_MEMBERS = 6, 18
ORGANISATIONS_PER_ALLIANCE = 200
LINKS_PER_ORGANISATION = 0.5
LINK_KINDS = (("partnership", 4), ("shared_project", 3), ("funding", 2), ("umbrella", 1))
SHARED_PROJECTS = (
    "Sommerfest im Stadtpark",
    "Freiwilligentag",
    "Lesepatenschaften",
    "Mittagstisch",
    "Nachbarschaftshilfe",
    "Ferienprogramm",
)


@dataclass(frozen=True)
class Goal:
    goal: str
    indicator: str
    unit: str
    baseline: int
    target: int


@dataclass(frozen=True)
class Theme:
    name: str
    mission: str
    project: str
    project_text: str
    goals: tuple[Goal, Goal]


THEMES: tuple[Theme, ...] = (
    Theme(
        "Bündnis für Familie",
        "Wir machen {town} familienfreundlicher: Vereine, Kitas, Betriebe und Verwaltung "
        "stimmen ihre Angebote ab und schließen Lücken bei Betreuung und Begleitung.",
        "Familienpatenschaften",
        "Ehrenamtliche begleiten Familien ein Jahr lang im Alltag.",
        (
            Goal(
                "Mehr Familien finden eine Patin oder einen Paten",
                "aktive Patenschaften",
                "Patenschaften",
                12,
                40,
            ),
            Goal(
                "Betreuung auch am Nachmittag und in den Ferien",
                "Betreuungsplätze in Randzeiten",
                "Plätze",
                20,
                45,
            ),
        ),
    ),
    Theme(
        "Netzwerk Engagement im Alter",
        "Ältere Menschen in {town} bleiben beteiligt: Besuchsdienste, Digitalhilfe und "
        "Begegnung, getragen von Seniorenbüro, Kirchen, Vereinen und Nachbarschaften.",
        "Digital-Lotsen",
        "Jüngere und ältere Ehrenamtliche helfen beim Umgang mit Smartphone und Tablet.",
        (
            Goal("Mehr Ältere digital begleiten", "begleitete Personen", "Personen", 0, 150),
            Goal(
                "Den Besuchsdienst verstärken", "Ehrenamtliche im Besuchsdienst", "Personen", 18, 35
            ),
        ),
    ),
    Theme(
        "Bündnis Sport und Bewegung",
        "Sportvereine, Schulen und Stadt sorgen gemeinsam dafür, dass in {town} alle "
        "Generationen Bewegung finden und die Vereine ihre Ämter besetzen.",
        "Bewegte Pause",
        "Übungsleitende der Vereine gestalten Pausen an Grundschulen.",
        (
            Goal(
                "Mehr junge Übungsleitende gewinnen",
                "Übungsleitende unter 27 Jahren",
                "Personen",
                8,
                20,
            ),
            Goal(
                "Vorstandsämter besetzen", "Vereine mit unbesetztem Vorstandsamt", "Vereine", 14, 5
            ),
        ),
    ),
    Theme(
        "Klimabündnis",
        "Umweltgruppen, Betriebe und Verwaltung in {town} packen Klimaschutz gemeinsam an: "
        "reparieren statt wegwerfen, teilen statt kaufen, pflanzen statt versiegeln.",
        "Repair-Café",
        "Einmal im Monat reparieren Ehrenamtliche Geräte, Kleidung und Fahrräder.",
        (
            Goal(
                "Mehr Geräte reparieren statt wegwerfen",
                "reparierte Geräte pro Jahr",
                "Geräte",
                0,
                600,
            ),
            Goal("Mehr aktive Umweltgruppen", "aktive Umweltgruppen", "Gruppen", 6, 12),
        ),
    ),
    Theme(
        "Bündnis für Demokratie und Vielfalt",
        "Wir stärken in {town} das Miteinander: Begegnung, politische Bildung und klare "
        "Haltung gegen Ausgrenzung, von Schulen, Kirchen, Vereinen und Initiativen getragen.",
        "Demokratiewerkstatt",
        "Workshops für Jugendliche zu Beteiligung im eigenen Stadtteil.",
        (
            Goal(
                "Jugendliche für Beteiligung gewinnen",
                "Teilnehmende an Workshops",
                "Personen",
                0,
                400,
            ),
            Goal("Mehr Schulen machen mit", "beteiligte Schulen", "Schulen", 2, 8),
        ),
    ),
)
# How fast an agreement moves relative to plan: some behind, most on track, a few reached.
PACES = ((0.4, 2), (0.9, 5), (1.15, 2), (1.6, 1))


@dataclass(frozen=True)
class AgreementSpec:
    goal: Goal
    deadline: date
    responsible: tuple[int, ...]
    updates: tuple[tuple[date, Decimal, str], ...]


@dataclass(frozen=True)
class AllianceSpec:
    municipality: Municipality
    name: str
    slug: str
    mission: str
    founded_on: date
    is_public: bool
    # (organisation pk, user pk, steering): exactly one of the two pks is set.
    members: tuple[tuple[int | None, int | None, bool], ...]
    theme: Theme
    project_starts: date
    agreements: tuple[AgreementSpec, ...] = field(default=())

    @property
    def key(self) -> tuple[int, str]:
        return (self.municipality.pk, self.slug)


LinkRow = tuple[int, int, int, str, str]  # municipality, source, target, kind, description


def generate(run: DemoRun) -> None:
    rng = run.rng("network")
    published = _published(run)
    demo_org = _demo_organisation(run)
    demo_volunteer = _demo_volunteer(run)
    specs: list[AllianceSpec] = []
    links: list[LinkRow] = []
    for index, place in enumerate(run.places):
        town = place.municipality
        organisations = published.get(town.pk, [])
        if index == 0 and demo_org is not None and demo_org not in organisations:
            organisations = [demo_org, *organisations]
        people = run.volunteers.get(town.pk, [])
        if index == 0 and demo_volunteer is not None and demo_volunteer not in people:
            people = [demo_volunteer, *people]
        specs += _alliances(
            rng, run, town, place.districts, organisations, people, first=index == 0
        )
        links += _links(rng, town, organisations)
    with run.progress("Alliances", len(specs)) as progress:
        for alliance_batch in batches(specs, run.batch_size):
            todo = _new_alliances(alliance_batch)
            if run.scale.bulk:
                _bulk_alliances(run, todo)
            else:
                _service_alliances(run, todo)
            progress.advance(len(alliance_batch))
    with run.progress("Cooperation links", len(links)) as progress:
        for link_batch in batches(links, run.batch_size):
            new_links = _new_links(link_batch)
            if run.scale.bulk:
                # Demo links count as confirmed by both partners, like the office's own links.
                confirmed_at = timezone.now()
                with transaction.atomic():
                    CooperationLink.objects.bulk_create(
                        [
                            CooperationLink(
                                municipality_id=m,
                                source_id=s,
                                target_id=t,
                                kind=k,
                                description=d,
                                confirmed_at=confirmed_at,
                            )
                            for m, s, t, k, d in new_links
                        ],
                        batch_size=BATCH,
                    )
            else:
                _service_links(new_links)
            run.created["cooperation links"] += len(new_links)
            progress.advance(len(link_batch))


def _published(run: DemoRun) -> dict[int, list[int]]:
    """The published organisations of each town, in generation order."""
    order = [pk for pks in run.organisations.values() for pk in pks]
    found: set[int] = set()
    for batch in batches(order):
        found.update(
            Organisation.objects.filter(
                pk__in=batch, status=Organisation.Status.PUBLISHED
            ).values_list("pk", flat=True)
        )
    return {town: [pk for pk in pks if pk in found] for town, pks in run.organisations.items()}


def _demo_organisation(run: DemoRun) -> int | None:
    """The demo organisation admin's Verein, which steers Musterstadt's first alliance."""
    if not run.places:
        return None
    return (
        Organisation.objects.filter(
            municipality=run.places[0].municipality,
            slug=german_slugify(DEMO_ORGANISATION),
            status=Organisation.Status.PUBLISHED,
        )
        .values_list("pk", flat=True)
        .first()
    )


def _demo_volunteer(run: DemoRun) -> int | None:
    volunteers = [e for e, login in LOGIN_BY_EMAIL.items() if login.key == "volunteer"]
    return User.objects.filter(email__in=volunteers).values_list("pk", flat=True).first()


def _alliances(
    rng: random.Random,
    run: DemoRun,
    town: Municipality,
    districts: list[str],
    organisations: list[int],
    people: list[int],
    *,
    first: bool,
) -> list[AllianceSpec]:
    if len(organisations) < MIN_MEMBERS:
        return []
    count = max(
        2 if len(organisations) >= 2 * MIN_MEMBERS else 1,
        len(organisations) // ORGANISATIONS_PER_ALLIANCE,
    )
    areas = [town.name, *districts]
    specs = []
    for k in range(count):
        theme = THEMES[k % len(THEMES)]
        area = areas[(k // len(THEMES)) % len(areas)]
        suffix = f" {k // (len(THEMES) * len(areas)) + 1}" if k >= len(THEMES) * len(areas) else ""
        name = f"{theme.name} {area}{suffix}"
        size = rng.randint(MIN_MEMBERS, min(MAX_MEMBERS, len(organisations)))
        chosen = rng.sample(organisations, size)
        if first and k == 0 and organisations[0] not in chosen:
            # The demo Verein (first in the list of the first town) always belongs to it.
            chosen[0] = organisations[0]
        steering = set(chosen[: rng.randint(2, 3)])
        if first and k == 0:
            steering.add(organisations[0])
        members: list[tuple[int | None, int | None, bool]] = [
            (pk, None, pk in steering) for pk in chosen
        ]
        citizens = rng.sample(people, min(len(people), rng.randint(0, 3)))
        if first and k == 0 and people and people[0] not in citizens:
            citizens = [people[0], *citizens[:2]]
        members += [(None, pk, i == 0 and rng.random() < 0.5) for i, pk in enumerate(citizens)]
        founded = run.today - timedelta(days=rng.randint(400, 2000))
        agreements = tuple(_agreement(rng, run.today, goal, chosen) for goal in theme.goals)
        specs.append(
            AllianceSpec(
                municipality=town,
                name=name,
                slug=german_slugify(name),
                mission=theme.mission.format(town=area),
                founded_on=founded,
                # Every third alliance works internally, so the demo shows private ones too.
                is_public=k % 3 != 1,
                members=tuple(members),
                theme=theme,
                project_starts=founded + timedelta(days=rng.randint(30, 300)),
                agreements=agreements,
            )
        )
    return specs


def _agreement(rng: random.Random, today: date, goal: Goal, members: list[int]) -> AgreementSpec:
    (pace,) = rng.choices([p for p, _ in PACES], [w for _, w in PACES])
    first = today - timedelta(days=rng.randint(300, 600))
    deadline = today + timedelta(days=rng.randint(180, 800))
    span = (deadline - first).days
    count = rng.randint(3, 5)
    days = sorted(rng.sample(range((today - first).days - 6), count))
    updates = []
    for i, offset in enumerate(days):
        day = first + timedelta(days=offset)
        share = min(1.0, pace * offset / span) if i else 0.0
        value = goal.baseline + (goal.target - goal.baseline) * share
        value += rng.uniform(-0.04, 0.04) * abs(goal.target - goal.baseline) if i else 0
        note = "Ausgangswert erhoben" if i == 0 else ("Zwischenstand" if rng.random() < 0.5 else "")
        updates.append((day, Decimal(str(round(value))), note))
    responsible = tuple(sorted(rng.sample(members, min(len(members), rng.randint(1, 2)))))
    return AgreementSpec(
        goal=goal, deadline=deadline, responsible=responsible, updates=tuple(updates)
    )


def _links(rng: random.Random, town: Municipality, organisations: list[int]) -> list[LinkRow]:
    if len(organisations) < 2:
        return []
    wanted = int(len(organisations) * LINKS_PER_ORGANISATION)
    rows: list[LinkRow] = []
    seen: set[tuple[int, int, str]] = set()
    for _attempt in range(wanted * 3):
        if len(rows) >= wanted:
            break
        source, target = rng.sample(organisations, 2)
        (kind,) = rng.choices([k for k, _ in LINK_KINDS], [w for _, w in LINK_KINDS])
        if (source, target, kind) in seen or (target, source, kind) in seen:
            continue
        seen.add((source, target, kind))
        description = rng.choice(SHARED_PROJECTS) if kind == "shared_project" else ""
        rows.append((town.pk, source, target, kind, description))
    return rows


def _new_alliances(specs: list[AllianceSpec]) -> list[AllianceSpec]:
    existing = set(
        Alliance.objects.filter(
            municipality_id__in={s.municipality.pk for s in specs},
            slug__in={s.slug for s in specs},
        ).values_list("municipality_id", "slug")
    )
    return [s for s in specs if s.key not in existing]


def _new_links(rows: list[LinkRow]) -> list[LinkRow]:
    found = set(
        CooperationLink.objects.filter(source_id__in={s for _, s, _, _, _ in rows}).values_list(
            "source_id", "target_id", "kind"
        )
    )
    found |= set(
        CooperationLink.objects.filter(target_id__in={s for _, s, _, _, _ in rows}).values_list(
            "target_id", "source_id", "kind"
        )
    )
    return [row for row in rows if (row[1], row[2], row[3]) not in found]


def _service_links(rows: list[LinkRow]) -> None:
    organisations = Organisation.objects.select_related("municipality").in_bulk(
        {pk for row in rows for pk in row[1:3]}
    )
    for _m, source, target, kind, description in rows:
        actor_services.cooperation_link_create(
            actor="demo",
            municipality=organisations[source].municipality,
            source=organisations[source],
            target=organisations[target],
            kind=kind,
            description=description,
        )


def _service_alliances(run: DemoRun, specs: list[AllianceSpec]) -> None:
    organisations = Organisation.objects.select_related("municipality").in_bulk(
        {m[0] for s in specs for m in s.members if m[0] is not None}
    )
    users = User.objects.in_bulk({m[1] for s in specs for m in s.members if m[1] is not None})
    for spec in specs:
        alliance = actor_services.alliance_create(
            actor="demo",
            municipality=spec.municipality,
            name=spec.name,
            mission=spec.mission,
            founded_on=spec.founded_on,
            is_public=spec.is_public,
        )
        assert alliance.slug == spec.slug, (alliance.slug, spec.slug)
        for organisation, user, steering in spec.members:
            actor_services.alliance_member_add(
                actor="demo",
                alliance=alliance,
                organisation=organisations[organisation] if organisation else None,
                user=users[user] if user else None,
                is_steering=steering,
                joined_on=spec.founded_on,
                notify=False,
            )
        actor_services.alliance_project_create(
            actor="demo",
            alliance=alliance,
            title=spec.theme.project,
            description=spec.theme.project_text,
            starts_on=spec.project_starts,
        )
        for agreement_spec in spec.agreements:
            agreement = actor_services.target_agreement_create(
                actor="demo",
                alliance=alliance,
                goal=agreement_spec.goal.goal,
                indicator=agreement_spec.goal.indicator,
                unit=agreement_spec.goal.unit,
                baseline=agreement_spec.goal.baseline,
                target_value=agreement_spec.goal.target,
                deadline=agreement_spec.deadline,
                responsible=[organisations[pk] for pk in agreement_spec.responsible],
            )
            for day, value, note in agreement_spec.updates:
                actor_services.progress_update_add(
                    actor="demo", agreement=agreement, reported_on=day, value=value, note=note
                )
        _count(run, spec)


def _count(run: DemoRun, spec: AllianceSpec) -> None:
    run.created["alliances"] += 1
    run.created["alliance members"] += len(spec.members)
    run.created["alliance projects"] += 1
    run.created["target agreements"] += len(spec.agreements)
    run.created["progress updates"] += sum(len(a.updates) for a in spec.agreements)


def _bulk_alliances(run: DemoRun, specs: list[AllianceSpec]) -> None:
    """The rows the services would write, in a few bulk inserts; no audit row per alliance."""
    if not specs:
        return
    with transaction.atomic():
        created = Alliance.objects.bulk_create(
            [
                Alliance(
                    municipality=s.municipality,
                    name=s.name,
                    slug=s.slug,
                    mission=s.mission,
                    founded_on=s.founded_on,
                    is_public=s.is_public,
                )
                for s in specs
            ],
            batch_size=BATCH,
        )
        ids = {(a.municipality_id, a.slug): a.pk for a in created}
        if any(pk is None for pk in ids.values()):  # a database without RETURNING
            ids = {
                (m, slug): pk
                for m, slug, pk in Alliance.objects.filter(
                    municipality_id__in={s.municipality.pk for s in specs},
                    slug__in={s.slug for s in specs},
                ).values_list("municipality_id", "slug", "pk")
            }
        AllianceMember.objects.bulk_create(
            [
                AllianceMember(
                    alliance_id=ids[s.key],
                    organisation_id=organisation,
                    user_id=user,
                    is_steering=steering,
                    joined_on=s.founded_on,
                )
                for s in specs
                for organisation, user, steering in s.members
            ],
            batch_size=BATCH,
        )
        AllianceProject.objects.bulk_create(
            [
                AllianceProject(
                    alliance_id=ids[s.key],
                    title=s.theme.project,
                    description=s.theme.project_text,
                    starts_on=s.project_starts,
                )
                for s in specs
            ],
            batch_size=BATCH,
        )
        pairs = [(s, a) for s in specs for a in s.agreements]
        agreements = TargetAgreement.objects.bulk_create(
            [
                TargetAgreement(
                    alliance_id=ids[s.key],
                    goal=a.goal.goal,
                    indicator=a.goal.indicator,
                    unit=a.goal.unit,
                    baseline=Decimal(a.goal.baseline),
                    target_value=Decimal(a.goal.target),
                    deadline=a.deadline,
                )
                for s, a in pairs
            ],
            batch_size=BATCH,
        )
        agreement_ids: list[Any] = [a.pk for a in agreements]
        if any(pk is None for pk in agreement_ids):
            agreement_ids = list(
                TargetAgreement.objects.filter(alliance_id__in=set(ids.values()))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        through = TargetAgreement.responsible.through
        through.objects.bulk_create(
            [
                through(targetagreement_id=pk, organisation_id=organisation)
                for pk, (_s, a) in zip(agreement_ids, pairs, strict=True)
                for organisation in a.responsible
            ],
            batch_size=BATCH,
        )
        ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(agreement_id=pk, reported_on=day, value=value, note=note)
                for pk, (_s, a) in zip(agreement_ids, pairs, strict=True)
                for day, value, note in a.updates
            ],
            batch_size=BATCH,
        )
    for spec in specs:
        _count(run, spec)
