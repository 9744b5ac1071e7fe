"""Volunteers of every age from 14, and a coordination office for every fictional town."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from faker import Faker

from gemeinsinn.accounts.models import Role
from gemeinsinn.demo.data import COMMON_SURNAMES, NAMED_PLACES
from gemeinsinn.demo.generate.run import DemoRun, PlaceInfo, apportion, ascii_name, batches
from gemeinsinn.demo.generate.writers import PersonSpec, writer_for

# (youngest, oldest, share in %) of people who volunteer, after the Freiwilligensurvey.
AGE_GROUPS = ((14, 15, 3), (16, 17, 4), (18, 29, 15), (30, 49, 30), (50, 64, 28), (65, 85, 20))
PARENTAL_CONSENT_AGE = 16
DOMAINS = ("example.org", "example.com", "example.net", "mail.example", "post.example")


def generate(run: DemoRun) -> None:
    rng, fake = run.rng("people"), run.faker("people")
    writer = writer_for(run)
    # Birth dates count from 1 January, so a second run in the same year draws the same ones.
    reference = date(run.today.year, 1, 1)
    counts = apportion(run.scale.volunteers, [p.weight for p in run.places])
    homes = [place for place, n in zip(run.places, counts, strict=True) for _ in range(n)]
    with run.progress("Volunteers", len(homes)) as progress:
        for start, batch in enumerate(batches(homes, run.batch_size)):
            offset = start * run.batch_size
            specs = [
                volunteer(offset + i, place, rng, fake, reference) for i, place in enumerate(batch)
            ]
            ids = writer.people(specs)
            for spec in specs:
                run.volunteers.setdefault(spec.municipality.pk, []).append(ids[spec.email])
            progress.advance(len(batch))

    # The named towns get their coordinators from the demo logins.
    towns = run.places[len(NAMED_PLACES) :]
    with run.progress("Coordinators", len(towns)) as progress:
        for batch in batches(towns, run.batch_size):
            specs = [coordinator(place, rng, fake, reference) for place in batch]
            ids = writer.people(specs)
            writer.roles(
                [(ids[spec.email], Role.COORDINATOR, spec.municipality.pk) for spec in specs]
            )
            progress.advance(len(batch))


def volunteer(
    index: int, place: PlaceInfo, rng: random.Random, fake: Faker, reference: date
) -> PersonSpec:
    first, last = fake.first_name(), _surname(rng, fake)
    low, high, _share = rng.choices(AGE_GROUPS, weights=[g[2] for g in AGE_GROUPS])[0]
    age = rng.randint(low, high)
    consents: tuple[str, ...] = ("account", "terms")
    guardian = ""
    if age < PARENTAL_CONSENT_AGE:
        consents += ("parental",)
        guardian = f"{fake.first_name()} {last}"
    if rng.random() < 0.3:
        consents += ("newsletter",)
    return PersonSpec(
        email=f"{_local_part(first, last)}.{index + 1}@{rng.choice(DOMAINS)}",
        first_name=first,
        last_name=last,
        date_of_birth=_born(rng, reference, age),
        municipality=place.municipality,
        guardian_name=guardian,
        consents=consents,
    )


def coordinator(place: PlaceInfo, rng: random.Random, fake: Faker, reference: date) -> PersonSpec:
    return PersonSpec(
        email=f"engagement@{place.host}",
        first_name=fake.first_name(),
        last_name=_surname(rng, fake),
        date_of_birth=_born(rng, reference, rng.randint(28, 62)),
        municipality=place.municipality,
    )


def _surname(rng: random.Random, fake: Faker) -> str:
    return rng.choice(COMMON_SURNAMES) if rng.random() < 0.55 else str(fake.last_name())


def _born(rng: random.Random, reference: date, age: int) -> date:
    """A birthday that makes the person exactly `age` on `reference` (a 1 January)."""
    return reference.replace(year=reference.year - age - 1) + timedelta(days=rng.randint(1, 364))


def _local_part(first: str, last: str) -> str:
    text = f"{ascii_name(first)}.{ascii_name(last)}".lower()
    return re.sub(r"[^a-z0-9.]+", "", text)
