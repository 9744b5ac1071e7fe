"""Länder, Landkreise, municipalities with their welcome and legal texts, and Stadtteile.

There is no service for creating a municipality yet (installations add them in the admin), so
this step writes the rows directly after full_clean, which checks the AGS against its Land.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils.text import slugify
from faker import Faker

from gemeinsinn.core.models import County, Municipality, State, TownDistrict, slug_is_reserved
from gemeinsinn.demo import texts
from gemeinsinn.demo.data import (
    BAVARIAN_COUNTIES,
    COMMON_SURNAMES,
    DISTRICT_NAMES,
    LAENDER,
    NAMED_PLACES,
    PLACE_PREFIXES,
    PLACE_RIVERS,
    PLACE_STEMS,
    PLACE_SUFFIXES,
)
from gemeinsinn.demo.generate.run import DemoRun, PlaceInfo, ascii_name, batches

# Colour pairs that keep white text readable (WCAG AA) on the primary colour.
PALETTE = (
    ("#0b5394", "#7a3e00"),
    ("#1b5e20", "#6a1b9a"),
    ("#8e1b1b", "#0d47a1"),
    ("#004d40", "#bf360c"),
    ("#4a148c", "#2e7d32"),
    ("#263238", "#ad1457"),
)


@dataclass
class _Spec:
    name: str
    slug: str
    kind: str
    land: str
    county_key: str
    county_name: str
    ags: str
    postcode: str
    phone_area: str
    display_name: str
    colours: tuple[str, str]
    mayor: str
    districts: list[str]
    weight: float


def generate(run: DemoRun) -> None:
    rng, fake = run.rng("places"), run.faker("places")
    specs = _specs(run.scale.municipalities, run.scale.districts, rng, fake)
    _states(run)
    counties = _counties(run, specs)
    existing = {
        m.ags: m
        for m in Municipality.objects.filter(ags__in=[s.ags for s in specs]).select_related(
            "state", "county"
        )
    }
    with run.progress("Municipalities", len(specs)) as progress:
        for batch in batches(specs, run.batch_size):
            new = []
            for spec in batch:
                if spec.ags in existing:
                    continue
                municipality = _municipality(run, spec, counties[spec.county_key])
                municipality.full_clean()
                new.append(municipality)
            for municipality in Municipality.objects.bulk_create(new):
                existing[municipality.ags] = municipality
            run.created["municipalities"] += len(new)
            progress.advance(len(batch))
    for spec in specs:
        municipality = existing[spec.ags]
        run.places.append(
            PlaceInfo(
                municipality=municipality,
                place=_place(run, spec),
                host=f"{spec.slug}.example",
                phone_area=spec.phone_area,
                districts=spec.districts,
                weight=spec.weight,
            )
        )
    _districts(run)


def _states(run: DemoRun) -> None:
    states = {s.code: s for s in State.objects.all()}
    for land in LAENDER:
        if land.code not in states:
            states[land.code] = State.objects.create(
                code=land.code, ags_prefix=land.ags_prefix, name=land.name
            )
            run.created["states"] += 1
    run.states = states


def _counties(run: DemoRun, specs: list[_Spec]) -> dict[str, County]:
    wanted = {s.county_key: s for s in specs}
    counties = {c.key: c for c in County.objects.filter(key__in=list(wanted))}
    new = [
        County(key=key, name=spec.county_name, state=run.states[spec.land])
        for key, spec in wanted.items()
        if key not in counties
    ]
    for county in County.objects.bulk_create(new):
        counties[county.key] = county
    run.created["counties"] += len(new)
    return counties


def _place(run: DemoRun, spec: _Spec) -> texts.Place:
    return texts.Place(
        name=spec.name,
        kind=spec.kind,
        land=run.land(spec.land),
        postcode=spec.postcode,
        phone=f"{spec.phone_area} 1234-0",
        email=f"engagement@{spec.slug}.example",
        mayor=spec.mayor,
    )


def _municipality(run: DemoRun, spec: _Spec, county: County) -> Municipality:
    place = _place(run, spec)
    return Municipality(
        state=run.states[spec.land],
        county=county,
        ags=spec.ags,
        name=spec.name,
        slug=spec.slug,
        display_name=spec.display_name,
        primary_colour=spec.colours[0],
        accent_colour=spec.colours[1],
        welcome_text=texts.welcome_text(place),
        contact_email=place.email,
        contact_phone=place.phone,
        imprint=texts.imprint(place),
        privacy_notice=texts.privacy_notice(place),
        accessibility_statement=texts.accessibility_statement(place),
        terms=texts.terms(place),
        easy_language=texts.easy_language(place),
    )


def _districts(run: DemoRun) -> None:
    pks = [p.municipality.pk for p in run.places]
    existing = set(
        TownDistrict.objects.filter(municipality_id__in=pks).values_list("municipality_id", "slug")
    )
    new = [
        TownDistrict(municipality=p.municipality, name=name, slug=slug)
        for p in run.places
        for name in p.districts
        if (p.municipality.pk, slug := slugify(ascii_name(name))) not in existing
    ]
    for batch in batches(new, run.batch_size):
        TownDistrict.objects.bulk_create(batch)
    run.created["districts"] += len(new)


def _specs(count: int, districts: int, rng: random.Random, fake: Faker) -> list[_Spec]:
    """The named towns first, then fictional Bavarian Gemeinden spread over the Landkreise."""
    specs: list[_Spec] = []
    for named in NAMED_PLACES[:count]:
        specs.append(
            _Spec(
                name=named.name,
                slug=named.slug,
                kind="Stadt",
                land=named.land,
                county_key=named.county_key,
                county_name=named.county_name,
                ags=named.ags,
                postcode=named.postcode,
                phone_area=named.phone_area,
                display_name=named.display_name,
                colours=(named.primary_colour, named.accent_colour),
                mayor=named.mayor,
                districts=_district_names(rng, districts),
                weight=4.0 if not specs else 2.5,
            )
        )
    names = {s.name for s in specs}
    slugs = {s.slug for s in specs}
    next_number: dict[str, int] = {}
    bavaria = next(land for land in LAENDER if land.code == "BY")
    for i in range(len(specs), count):
        county_key, county_name = BAVARIAN_COUNTIES[i % len(BAVARIAN_COUNTIES)]
        # Gemeinde numbers from 500 up are unused in every Bavarian Kreis.
        number = next_number.get(county_key, 500)
        next_number[county_key] = number + 1
        name = _place_name(rng, names)
        slug = slugify(ascii_name(name))[:60]
        while slug in slugs or slug_is_reserved(slug):
            slug = f"{slug[:55]}-{county_key[2:]}{number % 100}"
        names.add(name)
        slugs.add(slug)
        kind = "Stadt" if rng.random() < 0.15 else "Gemeinde"
        mayor_title = rng.choice(("Erster Bürgermeister", "Erste Bürgermeisterin"))
        female = mayor_title.endswith("in")
        first = fake.first_name_female() if female else fake.first_name_male()
        specs.append(
            _Spec(
                name=name,
                slug=slug,
                kind=kind,
                land="BY",
                county_key=county_key,
                county_name=county_name,
                ags=f"{county_key}{number:03d}",
                postcode=rng.choice(bavaria.postcode_prefixes) + f"{rng.randint(0, 999):03d}",
                phone_area=f"0{rng.choice('89')}{rng.randint(100, 999)}",
                display_name=rng.choice(
                    (f"Engagiert in {name}", f"Ehrenamt in {name}", f"Gemeinsam für {name}")
                ),
                colours=rng.choice(PALETTE),
                mayor=f"{mayor_title} {first} {rng.choice(COMMON_SURNAMES)}",
                districts=_district_names(rng, districts),
                weight=rng.lognormvariate(0, 0.7),
            )
        )
    return specs


def _district_names(rng: random.Random, count: int) -> list[str]:
    return rng.sample(DISTRICT_NAMES, min(count, len(DISTRICT_NAMES)))


def _place_name(rng: random.Random, taken: set[str]) -> str:
    """A fictional Bavarian-sounding place name not yet used: Oberlinding, Eichhofen am Inn."""
    for attempt in range(50):
        stem = rng.choice(PLACE_STEMS)
        prefix = rng.choice(PLACE_PREFIXES)
        if prefix:
            stem = stem.lower()
        name = f"{prefix}{stem}{rng.choice(PLACE_SUFFIXES)}"
        if attempt > 5 or rng.random() < 0.05:
            name = f"{name} {rng.choice(PLACE_RIVERS)}"
        if name not in taken:
            return name
    return f"{name} {len(taken)}"
