"""The engagement exchange of the demo: skills, opportunities, volunteer profiles, applications
with the engagements they became, and the volunteer agencies' advice and referrals.

Opportunities and profiles are written as rows at every scale (after full_clean at small scale):
posting through the organisations' service would need a member acting for each of thousands of
organisations and would move every listing through draft and review, and the demo wants the
finished picture, each listing with a status and dates of its own. Applications, their answers
and the agencies' referrals go through the services at small scale (so the demo inbox, the
notifications and the audit trail are what people clicking through would leave behind) and as
bulk rows above. Both paths write the same rows, keyed so that a second run adds nothing: an
opportunity by its public id (drawn from the seed), a profile by its person, an application by
opportunity and person, an advice conversation by agency, date and person.

Every demo opportunity has coordinates unless it is done remotely, so radius search and
distances work on the demo data. Each part draws from a random source of its own.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import TownDistrict
from gemeinsinn.core.text import german_slugify
from gemeinsinn.demo.data import STREETS
from gemeinsinn.demo.generate import exchange_applications, exchange_offers, exchange_profiles
from gemeinsinn.demo.generate import profiles as org_profiles
from gemeinsinn.demo.generate.exchange import (
    AGENCY_TYPE,
    Listing,
    Org,
    Point,
    Town,
    demo_organisation,
    draw_public_id,
    near,
    terms,
)
from gemeinsinn.demo.generate.opportunity_texts import (
    ACTIVITIES,
    ACTIVITY_BY_KEY,
    BRINGS,
    CLOSINGS,
    DAY_WORDS,
    EASY_LANGUAGE,
    NO_EXPERIENCE,
    OFFERS,
    PART_WORDS,
    TITLE_SUFFIXES,
    Activity,
)
from gemeinsinn.demo.generate.run import BATCH, DemoRun, apportion, batches
from gemeinsinn.opportunities.models import Opportunity, slots_from_keys, slots_to_keys
from gemeinsinn.opportunities.services.taxonomy import skills_ensure

# (status, weight): most listings are live; a few drafts, paused, filled and expired ones.
STATUSES = (
    ("published", 85),
    ("draft", 5),
    ("review", 1),
    ("paused", 3),
    ("filled", 2),
    ("expired", 4),
)
# Of the published ones, this share is past its date before the nightly job has run.
PUBLISHED_BUT_PAST = 0.01
# The demo organisation admin's Tafel posts these, so the demo inbox has applications.
DEMO_ORGANISATION_ACTIVITIES = ("tafel-ausgabe", "tafel-fahren", "tafel-ausgabe", "mittagstisch")
# Activities in parks and streets rather than at the organisation's address.
OUTDOOR = frozenset({"baumpflanzen", "muellsammeln", "stadtlauf"})
# Activities any organisation may post now and then.
GENERIC = ("vorstand", "website", "fest")
AGENCY_POSTS_SHARE = 0.04
ACCESSIBILITY = (("yes", 40), ("partly", 25), ("no", 10), ("unknown", 25))
STATUTORY_TYPES = frozenset({"administration", "church", "school"})


@dataclass(frozen=True)
class OpportunitySpec:
    public_id: uuid.UUID
    municipality_id: int
    organisation: int
    activity: str
    district: int | None
    values: dict[str, Any]
    engagement_fields: tuple[str, ...]
    skills: tuple[str, ...]
    target_groups: tuple[str, ...]


def generate(run: DemoRun) -> None:
    _skills(run)
    if not run.places or run.scale.opportunities <= 0:
        return
    towns = _towns(run)
    organisations = _organisations(run)
    listings = _opportunities(run, towns, organisations)
    people = exchange_profiles.profiles_generate(run, towns)
    exchange_offers.offers_generate(run, towns, people)
    exchange_applications.applications_generate(run, towns, organisations, listings, people)


def _skills(run: DemoRun) -> None:
    with run.progress("Skills", len(run.places)) as progress:
        for place in run.places:
            run.created["skills"] += skills_ensure(municipality=place.municipality)
            progress.advance(1)


def _towns(run: DemoRun) -> dict[int, Town]:
    ids: dict[tuple[int, str], int] = {}
    for batch in batches([p.municipality.pk for p in run.places]):
        ids.update(
            {
                (m, name): pk
                for m, name, pk in TownDistrict.objects.filter(
                    municipality_id__in=batch
                ).values_list("municipality_id", "name", "pk")
            }
        )
    towns = {}
    for place in run.places:
        town = place.municipality
        centre = org_profiles.town_centre(town.slug, town.ags, place.place.land.code)
        towns[town.pk] = Town(
            municipality=town,
            place=place,
            centre=centre,
            district_centres=org_profiles.district_centres(centre, place.districts),
            district_ids={n: ids[(town.pk, n)] for n in place.districts if (town.pk, n) in ids},
        )
    return towns


def _organisations(run: DemoRun) -> dict[int, list[Org]]:
    """The published organisations of each town, in generation order (the demo Tafel first)."""
    demo = demo_organisation(run)
    order = [pk for pks in run.organisations.values() for pk in pks]
    if demo is not None:
        order = [demo, *order]
    through_fields = Organisation.engagement_fields.through
    through_districts = Organisation.districts.through
    found: dict[int, Org] = {}
    for batch in batches(order):
        rows = Organisation.objects.filter(
            pk__in=batch, status=Organisation.Status.PUBLISHED
        ).values_list(
            "pk",
            "municipality_id",
            "name",
            "type",
            "latitude",
            "longitude",
            "email",
            "phone",
            "street",
        )
        fields: dict[int, list[str]] = {}
        for organisation, slug in (
            through_fields.objects.filter(organisation_id__in=batch)
            .order_by("organisation_id", "fieldofengagement__position")
            .values_list("organisation_id", "fieldofengagement__slug")
        ):
            fields.setdefault(organisation, []).append(slug)
        districts: dict[int, list[str]] = {}
        for organisation, name in (
            through_districts.objects.filter(organisation_id__in=batch)
            .order_by("organisation_id", "towndistrict__name")
            .values_list("organisation_id", "towndistrict__name")
        ):
            districts.setdefault(organisation, []).append(name)
        admins: dict[int, int] = {}
        for organisation, user in (
            Membership.objects.filter(
                organisation_id__in=batch,
                role=Membership.Role.ADMIN,
                status=Membership.Status.ACTIVE,
            )
            .order_by("organisation_id", "pk")
            .values_list("organisation_id", "user_id")
        ):
            admins.setdefault(organisation, user)
        for pk, town, name, kind, lat, lon, email, phone, street in rows:
            found[pk] = Org(
                pk=pk,
                municipality_id=town,
                name=name,
                type=kind,
                point=(float(lat), float(lon)) if lat is not None and lon is not None else None,
                email=email,
                phone=phone,
                street=street,
                fields=tuple(fields.get(pk, ())),
                districts=tuple(districts.get(pk, ())),
                admin=admins.get(pk),
            )
    by_town: dict[int, list[Org]] = {}
    for pk in order:
        if pk in found:
            by_town.setdefault(found[pk].municipality_id, []).append(found[pk])
    return by_town


def _opportunities(
    run: DemoRun, towns: dict[int, Town], organisations: dict[int, list[Org]]
) -> list[Listing]:
    rng, fake = run.rng("opportunities"), run.faker("opportunities")
    with_organisations = [p for p in run.places if organisations.get(p.municipality.pk)]
    counts = apportion(run.scale.opportunities, [p.weight for p in with_organisations])
    specs: list[OpportunitySpec] = []
    demo = demo_organisation(run)
    for place, count in zip(with_organisations, counts, strict=True):
        town = towns[place.municipality.pk]
        candidates = organisations[place.municipality.pk]
        agency = next((o for o in candidates if o.type == AGENCY_TYPE), None)
        posters: list[tuple[Org, str | None]] = []
        if candidates[0].pk == demo:
            fixed = DEMO_ORGANISATION_ACTIVITIES[: max(0, count)]
            posters += [(candidates[0], key) for key in fixed]
        # A few busy organisations post much, most post one or two.
        weights = [rng.paretovariate(1.5) for _ in candidates]
        posters += [
            (org, None) for org in rng.choices(candidates, weights, k=max(0, count - len(posters)))
        ]
        for org, key in posters:
            specs.append(
                _opportunity(rng, fake, run.today, town, org, key, agency, fixed=key is not None)
            )
    _write_opportunities(run, specs)
    return _listings(specs)


def _activity(rng: random.Random, org: Org) -> Activity:
    """An activity that suits the organisation: its own words first, then its fields."""
    name = org.name.lower()
    own = [a for a in ACTIVITIES if any(word in name for word in a.words)]
    by_field = [a for a in ACTIVITIES if a.field in org.fields and not a.own_only]
    if rng.random() < 0.08:
        return ACTIVITY_BY_KEY[rng.choice(GENERIC)]
    pool = own * 3 + by_field
    return rng.choice(pool) if pool else rng.choice([a for a in ACTIVITIES if not a.own_only])


def _opportunity(
    rng: random.Random,
    fake: Faker,
    today: date,
    town: Town,
    org: Org,
    key: str | None,
    agency: Org | None,
    *,
    fixed: bool,
) -> OpportunitySpec:
    public_id = draw_public_id(rng)
    activity = ACTIVITY_BY_KEY[key] if key else _activity(rng, org)
    (kind,) = rng.choices([k for k, _ in activity.kinds], [w for _, w in activity.kinds])
    drawn = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
    status = "published" if fixed else drawn
    remote = activity.remote

    # Where: the organisation's Stadtteil, else often one of the town's.
    district_name: str | None = None
    if not remote:
        served = [d for d in org.districts if d in town.district_ids]
        if served:
            district_name = served[0]
        elif town.district_ids and rng.random() < 0.6:
            district_name = rng.choice(sorted(town.district_ids))
    quarter = district_name or town.municipality.name
    point: Point | None = None
    if not remote:
        if org.point is not None and activity.key not in OUTDOOR:
            point = near(rng, org.point, 0.25)
        elif district_name is not None:
            point = near(rng, town.district_centres[district_name], 0.5)
        else:
            point = near(rng, town.centre, 1.0)

    title = rng.choice(activity.titles).format(quarter=quarter, in_quarter=_in(quarter))
    if rng.random() < 0.2:
        title += rng.choice(TITLE_SUFFIXES)

    # When.
    if kind == "flexible" or not activity.slots:
        slots: list[str] = []
    else:
        wanted = {"regular": rng.randint(1, 2), "project": rng.randint(1, 3)}.get(kind, 1)
        slots = slots_to_keys(
            slots_from_keys(rng.sample(activity.slots, min(wanted, len(activity.slots))))
        )
    starts_on: date | None = None
    ends_on: date | None = None
    if kind in ("one_off", "group"):
        starts_on = ends_on = today + timedelta(days=rng.randint(7, 75))
    elif kind == "project":
        starts_on = today + timedelta(days=rng.randint(0, 60))
        ends_on = starts_on + timedelta(days=rng.randint(30, 150))
    elif rng.random() < 0.4:
        starts_on = today + timedelta(days=rng.randint(0, 30))
    times_note = _times_note(slots, kind, starts_on)
    hours_per_week: Decimal | None = None
    hours_total: Decimal | None = None
    if kind in ("regular", "flexible"):
        hours_per_week = Decimal(rng.choice(("1", "1.5", "2", "2", "3", "4", "6")))
    else:
        hours_total = Decimal(
            rng.choice({"project": ("20", "40", "100"), "group": ("6", "8")}.get(kind, ("3", "4")))
        )

    # Listing dates.
    published_on = today - timedelta(days=rng.randint(0, 120))
    if status == "expired":
        expires_on = today - timedelta(days=rng.randint(1, 60))
    elif status == "published" and not fixed and rng.random() < PUBLISHED_BUT_PAST:
        expires_on = today - timedelta(days=rng.randint(1, 5))
    else:
        expires_on = today + timedelta(days=rng.randint(5, 180))
    if ends_on is not None and status != "expired" and expires_on > ends_on:
        expires_on = ends_on
    published_at = None
    if status not in ("draft", "review"):
        published_at = timezone.make_aware(
            datetime.combine(published_on, time(rng.randint(7, 20), rng.randint(0, 59)))
        )

    minimum_age = activity.minimum_age
    domain = org.email.partition("@")[2] or f"{german_slugify(org.name)[:40]}.example"
    contact = f"{fake.first_name()} {fake.last_name()}"
    (place_accessibility,) = rng.choices(
        [a for a, _ in ACCESSIBILITY], [w for _, w in ACCESSIBILITY]
    )
    own_street = rng.random() < 0.7
    street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
    if own_street and org.street:
        street = org.street
    description = _description(rng, activity, quarter=quarter, organisation=org.name)
    values: dict[str, Any] = {
        "title": title[:200],
        "description": description,
        "easy_language": EASY_LANGUAGE.format(title=title, phone=org.phone or "im Rathaus")
        if rng.random() < 0.15
        else "",
        "kind": kind,
        "minimum_age": minimum_age,
        "german_level": activity.german,
        "for_young_people": activity.young and (minimum_age is None or minimum_age <= 16),
        "for_seniors": activity.seniors,
        "for_families": activity.families,
        "place_accessibility": "unknown" if remote else place_accessibility,
        "task_accessibility": activity.task_accessibility if rng.random() < 0.6 else "",
        "insured_by_organisation": rng.random() < (0.8 if org.type == "business" else 0.5),
        "insured_by_land": rng.random() < 0.7,
        "insured_statutory": activity.field == "unfall-rettungsdienst-feuerwehr"
        or org.type in STATUTORY_TYPES,
        "needs_conduct_certificate": activity.conduct,
        "hours_per_week": hours_per_week,
        "hours_total": hours_total,
        "time_slots": slots_from_keys(slots),
        "times_note": times_note,
        "is_remote": remote,
        "street": "" if remote else street,
        "postcode": "" if remote else town.place.place.postcode,
        "city": "" if remote else town.municipality.name,
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "contact_name": contact,
        "contact_email": f"{german_slugify(contact).replace('-', '.')}@{domain}",
        "contact_phone": org.phone,
        "people_wanted": {
            "group": rng.randint(5, 20),
            "one_off": rng.randint(5, 30),
            "project": rng.randint(2, 8),
        }.get(kind, rng.randint(1, 5)),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "expires_on": expires_on,
        "status": status,
        "published_at": published_at,
        "created_by_id": org.admin,
        "posted_by_agency_id": None,
    }
    if (
        agency is not None
        and agency.pk != org.pk
        and org.type in ("club", "initiative")
        and rng.random() < AGENCY_POSTS_SHARE
    ):
        values["posted_by_agency_id"] = agency.pk
        values["created_by_id"] = agency.admin
    fields = [activity.field]
    if org.fields and org.fields[0] != activity.field and rng.random() < 0.3:
        fields.append(org.fields[0])
    skills = tuple(
        rng.sample(activity.skills, rng.randint(min(1, len(activity.skills)), len(activity.skills)))
    )
    return OpportunitySpec(
        public_id=public_id,
        municipality_id=town.municipality.pk,
        organisation=org.pk,
        activity=activity.key,
        district=town.district_ids.get(district_name) if district_name else None,
        values=values,
        engagement_fields=tuple(fields),
        skills=skills,
        target_groups=activity.groups,
    )


def _in(quarter: str) -> str:
    """ " in Weststadt", but " im Stadtteil Am Stadtpark" where the name has its preposition."""
    if quarter.split(" ", 1)[0] in ("Am", "An", "Auf", "Im", "In", "Zum", "Zur"):
        return f" im Stadtteil {quarter}"
    return f" in {quarter}"


def _times_note(slots: list[str], kind: str, day: date | None) -> str:
    if kind == "flexible" or not slots:
        return "nach Absprache"
    parts = []
    for key in slots:
        weekday, _sep, part = key.partition("_")
        parts.append(f"{DAY_WORDS[weekday]} {PART_WORDS[part]}")
    if kind in ("one_off", "group") and day is not None:
        return f"am {day:%d.%m.%Y}, {PART_WORDS[slots[0].partition('_')[2]]}"
    return ", ".join(parts)


def _description(rng: random.Random, activity: Activity, *, quarter: str, organisation: str) -> str:
    tasks = rng.sample(activity.tasks, min(len(activity.tasks), rng.randint(2, 3)))
    paragraphs = [
        rng.choice(activity.intros).format(quarter=quarter, in_quarter=_in(quarter))
        + " "
        + rng.choice(
            (
                f"{organisation} sucht Verstärkung.",
                "Dafür suchen wir Sie.",
                "Helfen Sie mit?",
                "Machen Sie mit!",
            )
        ),
        "Ihre Aufgaben:\n" + "\n".join(f"– {task}" for task in tasks),
        "Das bringen Sie mit: "
        + " und ".join(rng.sample(BRINGS, 2))
        + "."
        + (f" {NO_EXPERIENCE}" if rng.random() < 0.5 else ""),
        "Wir bieten: " + ", ".join(rng.sample(OFFERS, rng.randint(2, 3))) + ".",
    ]
    if activity.conduct:
        paragraphs.append(
            "Weil Sie mit Kindern oder Jugendlichen arbeiten, brauchen wir ein erweitertes "
            "Führungszeugnis. Für Ehrenamtliche ist es kostenlos; wir helfen beim Antrag."
        )
    paragraphs.append(rng.choice(CLOSINGS))
    return "\n\n".join(paragraphs)


def _write_opportunities(run: DemoRun, specs: list[OpportunitySpec]) -> None:
    fields, skills, groups = terms({s.municipality_id for s in specs})
    through_fields = Opportunity.engagement_fields.through
    through_skills = Opportunity.skills.through
    through_groups = Opportunity.target_groups.through
    with run.progress("Opportunities", len(specs)) as progress:
        for batch in batches(specs, BATCH):
            existing = set(
                Opportunity.objects.filter(public_id__in=[s.public_id for s in batch]).values_list(
                    "public_id", flat=True
                )
            )
            new = [s for s in batch if s.public_id not in existing]
            objects = []
            for spec in new:
                opportunity = Opportunity(
                    public_id=spec.public_id,
                    municipality_id=spec.municipality_id,
                    organisation_id=spec.organisation,
                    district_id=spec.district,
                    **spec.values,
                )
                if not run.scale.bulk:
                    opportunity.full_clean(validate_unique=False)
                objects.append(opportunity)
            with transaction.atomic():
                created = Opportunity.objects.bulk_create(objects, batch_size=BATCH)
                ids = {o.public_id: o.pk for o in created}
                if any(pk is None for pk in ids.values()):  # a database without RETURNING
                    ids = _opportunity_ids([s.public_id for s in new])
                rows_fields, rows_skills, rows_groups = [], [], []
                for spec in new:
                    pk, town = ids[spec.public_id], spec.municipality_id
                    rows_fields += [
                        through_fields(opportunity_id=pk, fieldofengagement_id=fields[(town, s)])
                        for s in spec.engagement_fields
                        if (town, s) in fields
                    ]
                    rows_skills += [
                        through_skills(opportunity_id=pk, skill_id=skills[(town, s)])
                        for s in spec.skills
                        if (town, s) in skills
                    ]
                    rows_groups += [
                        through_groups(opportunity_id=pk, targetgroup_id=groups[(town, s)])
                        for s in spec.target_groups
                        if (town, s) in groups
                    ]
                through_fields.objects.bulk_create(rows_fields, batch_size=BATCH)
                through_skills.objects.bulk_create(rows_skills, batch_size=BATCH)
                through_groups.objects.bulk_create(rows_groups, batch_size=BATCH)
            run.created["opportunities"] += len(new)
            progress.advance(len(batch))


def _opportunity_ids(public_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    ids: dict[uuid.UUID, int] = {}
    for batch in batches(public_ids):
        ids.update(Opportunity.objects.filter(public_id__in=batch).values_list("public_id", "pk"))
    return ids


def _listings(specs: list[OpportunitySpec]) -> list[Listing]:
    ids = _opportunity_ids([s.public_id for s in specs])
    return [
        Listing(
            pk=ids[s.public_id],
            municipality_id=s.municipality_id,
            organisation=s.organisation,
            status=s.values["status"],
            expires_on=s.values["expires_on"],
            minimum_age=s.values["minimum_age"],
            title=s.values["title"],
        )
        for s in specs
        if s.public_id in ids
    ]
