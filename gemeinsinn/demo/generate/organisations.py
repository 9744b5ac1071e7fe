"""Organisations of every type in every town, each with an admin, and volunteers as members."""

from __future__ import annotations

import random
from dataclasses import replace

from faker import Faker

from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import OrganisationType
from gemeinsinn.core.text import german_slugify
from gemeinsinn.demo.data import COMMON_SURNAMES, STREETS
from gemeinsinn.demo.generate import profiles
from gemeinsinn.demo.generate.run import DemoRun, PlaceInfo, apportion, batches
from gemeinsinn.demo.generate.writers import MembershipRow, OrganisationSpec, Writer, writer_for
from gemeinsinn.demo.logins import DEMO_ORGANISATION
from gemeinsinn.demo.texts import REPEATING_TYPES, SECTOR_OF_TYPE, organisation_profile

# How many organisations a volunteer belongs to: (count, weight).
MEMBERSHIPS_PER_PERSON = ((0, 30), (1, 45), (2, 20), (3, 5))
PUBLISHED_SHARE = 0.9


def generate(run: DemoRun) -> None:
    rng, fake = run.rng("organisations"), run.faker("organisations")
    # Fields, target groups, places and hours draw from a source of their own, so that adding
    # them left every name and description of earlier demo data as it was.
    more = run.rng("organisation-details")
    writer = writer_for(run)
    _taxonomies(run)
    counts = apportion(run.scale.organisations, [p.weight for p in run.places])
    if run.places and run.places[0].municipality.slug == "musterstadt" and counts[0]:
        # The demo organisation admin's Verein (see logins) takes one of Musterstadt's places.
        counts[0] -= 1
    with run.progress("Organisations", sum(counts)) as progress:
        pending: list[OrganisationSpec] = []
        for place, count in zip(run.places, counts, strict=True):
            used = {german_slugify(DEMO_ORGANISATION)} if place is run.places[0] else set()
            volunteers = run.volunteers.get(place.municipality.pk, [])
            seen: set[str] = set()
            centre = profiles.town_centre(
                place.municipality.slug, place.municipality.ags, place.place.land.code
            )
            districts = profiles.district_centres(centre, place.districts)
            for kind in _kinds(rng, count):
                spec, quarter = _organisation(
                    rng, fake, place, kind, used, volunteers, town=kind not in seen
                )
                pending.append(_with_details(more, spec, quarter, centre, districts))
                seen.add(kind)
            if len(pending) >= run.batch_size:
                _flush(run, writer, pending)
                progress.advance(len(pending))
                pending = []
        _flush(run, writer, pending)
        progress.advance(len(pending))

    rows: list[MembershipRow] = []
    for place in run.places:
        organisations = run.organisations.get(place.municipality.pk, [])
        if not organisations:
            continue
        for person in run.volunteers.get(place.municipality.pk, []):
            (k,) = rng.choices(
                [n for n, _ in MEMBERSHIPS_PER_PERSON], [w for _, w in MEMBERSHIPS_PER_PERSON]
            )
            for organisation in rng.sample(organisations, min(k, len(organisations))):
                rows.append((organisation, person, "member"))
    with run.progress("Memberships", len(rows)) as progress:
        for batch in batches(rows, run.batch_size):
            writer.memberships(batch)
            progress.advance(len(batch))


def _taxonomies(run: DemoRun) -> None:
    """The default fields of engagement and target groups of every town, through the service."""
    with run.progress("Taxonomies", len(run.places)) as progress:
        for place in run.places:
            created = actor_services.taxonomies_ensure(
                municipality=place.municipality, actor="demo"
            )
            run.created["fields of engagement"] += created["fields"]
            run.created["target groups"] += created["target_groups"]
            progress.advance(1)


def _with_details(
    rng: random.Random,
    spec: OrganisationSpec,
    quarter: str,
    centre: tuple[float, float],
    districts: dict[str, tuple[float, float]],
) -> OrganisationSpec:
    found = profiles.details(
        rng,
        kind=spec.type,
        name=spec.name,
        description=str(spec.fields.get("description", "")),
        quarter=quarter,
        centre=centre,
        districts=districts,
    )
    return replace(
        spec,
        fields={**spec.fields, **found.fields},
        engagement_fields=found.engagement_fields,
        target_groups=found.target_groups,
        districts=found.districts,
    )


def _flush(run: DemoRun, writer: Writer, specs: list[OrganisationSpec]) -> None:
    if not specs:
        return
    ids = writer.organisations(specs)
    for spec in specs:
        run.organisations.setdefault(spec.municipality.pk, []).append(ids[spec.key])


def _kinds(rng: random.Random, count: int) -> list[str]:
    """Every type once, in the order of OrganisationType, then mostly Vereine."""
    kinds = list(OrganisationType.values)[:count]
    extra = count - len(kinds)
    if extra > 0:
        kinds += rng.choices(
            [kind for kind, _ in REPEATING_TYPES], [w for _, w in REPEATING_TYPES], k=extra
        )
    return kinds


def _organisation(
    rng: random.Random,
    fake: Faker,
    place: PlaceInfo,
    kind: str,
    used: set[str],
    volunteers: list[int],
    *,
    town: bool,
) -> tuple[OrganisationSpec, str]:
    """One organisation and the Stadtteil (or town) it is named after; with `town` it is named
    after the town (the first senior office is the town's, later ones belong to a Stadtteil)."""
    town_name = place.municipality.name
    quarters = [*place.districts, town_name]
    for attempt in range(20):
        quarter = town_name if town and attempt == 0 else rng.choice(quarters)
        surname = rng.choice(COMMON_SURNAMES) if rng.random() < 0.5 else str(fake.last_name())
        name, description = organisation_profile(
            rng, kind, town=town_name, quarter=quarter, surname=surname
        )
        slug = german_slugify(name)
        if slug not in used:
            break
    else:
        base, n = name, 2
        while german_slugify(f"{base} {n}") in used:
            n += 1
        name = f"{base} {n}"
        slug = german_slugify(name)
    used.add(slug)
    domain = f"{slug[:40].strip('-')}.example"
    spec = OrganisationSpec(
        municipality=place.municipality,
        name=name,
        slug=slug,
        type=kind,
        sector=SECTOR_OF_TYPE[kind],
        published=rng.random() < PUBLISHED_SHARE,
        admin=rng.choice(volunteers) if volunteers else None,
        fields={
            "description": description,
            "website": f"https://www.{domain}" if rng.random() < 0.6 else "",
            "email": f"{rng.choice(('info', 'kontakt', 'vorstand', 'post'))}@{domain}",
            "phone": f"{place.phone_area} {rng.randint(10_000, 999_999)}",
            "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            "postcode": place.place.postcode,
            "city": town_name,
        },
    )
    return spec, quarter
