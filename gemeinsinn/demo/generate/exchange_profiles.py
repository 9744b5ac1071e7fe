"""Volunteer profiles of the demo: interests, skills, times, Stadtteil, coordinates and radius
for a share of each town's volunteers, a third of them glad to be suggested to organisations.
Rows at every scale (after full_clean at small scale), keyed by person."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gemeinsinn.accounts.models import User
from gemeinsinn.demo.generate.exchange import (
    INTEREST_WEIGHTS,
    Person,
    Town,
    demo_volunteer,
    near,
    terms,
)
from gemeinsinn.demo.generate.run import BATCH, DemoRun, batches
from gemeinsinn.opportunities.models import AgeBand, VolunteerProfile, slots_from_keys

PROFILE_SHARE = 0.6
SUGGEST_SHARE = 1 / 3
OTHER_LANGUAGES = ("Arabisch", "Ukrainisch", "Türkisch", "Russisch", "Farsi", "Polnisch")
SKILL_SLUGS = (
    "handwerk",
    "it-digitales",
    "organisation",
    "kommunikation",
    "sprachen",
    "paedagogik",
    "pflege-begleitung",
    "kochen",
    "fahren",
    "finanzen",
    "recht",
    "musik-kunst",
    "sport-anleitung",
    "gaertnern",
    "erste-hilfe",
)
# The demo volunteer's profile: what the recommendations of the demo are about.
DEMO_VOLUNTEER_PROFILE: dict[str, Any] = {
    "interests": ("soziales", "umwelt-natur-tierschutz"),
    "skills": ("fahren", "kochen", "organisation"),
    "slots": ("tue_evening", "thu_afternoon", "sat_morning", "sat_afternoon"),
    "radius_km": 10,
}


@dataclass(frozen=True)
class ProfileSpec:
    user: int
    municipality_id: int
    district: int | None
    values: dict[str, Any]
    interests: tuple[str, ...]
    skills: tuple[str, ...]


def _ages(pks: list[int], today: date) -> dict[int, int | None]:
    ages: dict[int, int | None] = {}
    for batch in batches(pks):
        for pk, born in User.objects.filter(pk__in=batch).values_list("pk", "date_of_birth"):
            ages[pk] = (
                None
                if born is None
                else today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            )
    return ages


def _age_band(age: int | None) -> str:
    if age is None:
        return ""
    if age < 16:
        return AgeBand.UNDER_16
    if age < 18:
        return AgeBand.FROM_16
    if age < 27:
        return AgeBand.FROM_18
    if age < 65:
        return AgeBand.FROM_27
    return AgeBand.FROM_65


def profiles_generate(run: DemoRun, towns: dict[int, Town]) -> dict[int, list[Person]]:
    """Profiles for a share of each town's volunteers; returns the people who have one."""
    rng = run.rng("volunteer-profiles")
    demo = demo_volunteer()
    chosen: list[tuple[int, Town]] = []
    if demo is not None:
        chosen.append((demo, towns[run.places[0].municipality.pk]))
    for place in run.places:
        for pk in run.volunteers.get(place.municipality.pk, []):
            if rng.random() < PROFILE_SHARE and pk != demo:
                chosen.append((pk, towns[place.municipality.pk]))
    ages = _ages([pk for pk, _ in chosen], run.today)
    specs = [
        _demo_profile(run, town, pk, ages.get(pk))
        if pk == demo
        else _profile(rng, run.today, town, pk, ages.get(pk))
        for pk, town in chosen
    ]
    fields, skills, _groups = terms(towns)
    through_interests = VolunteerProfile.interests.through
    through_skills = VolunteerProfile.skills.through
    with run.progress("Volunteer profiles", len(specs)) as progress:
        for batch in batches(specs, BATCH):
            existing = set(
                VolunteerProfile.objects.filter(user_id__in=[s.user for s in batch]).values_list(
                    "user_id", flat=True
                )
            )
            new = [s for s in batch if s.user not in existing]
            objects = []
            for spec in new:
                profile = VolunteerProfile(
                    user_id=spec.user,
                    municipality_id=spec.municipality_id,
                    district_id=spec.district,
                    **spec.values,
                )
                if not run.scale.bulk:
                    profile.full_clean(validate_unique=False)
                objects.append(profile)
            with transaction.atomic():
                created = VolunteerProfile.objects.bulk_create(objects, batch_size=BATCH)
                ids = {p.user_id: p.pk for p in created}
                if any(pk is None for pk in ids.values()):
                    ids = dict(
                        VolunteerProfile.objects.filter(user_id__in=list(ids)).values_list(
                            "user_id", "pk"
                        )
                    )
                through_interests.objects.bulk_create(
                    [
                        through_interests(
                            volunteerprofile_id=ids[s.user],
                            fieldofengagement_id=fields[(s.municipality_id, slug)],
                        )
                        for s in new
                        for slug in s.interests
                        if (s.municipality_id, slug) in fields
                    ],
                    batch_size=BATCH,
                )
                through_skills.objects.bulk_create(
                    [
                        through_skills(
                            volunteerprofile_id=ids[s.user],
                            skill_id=skills[(s.municipality_id, slug)],
                        )
                        for s in new
                        for slug in s.skills
                        if (s.municipality_id, slug) in skills
                    ],
                    batch_size=BATCH,
                )
            run.created["volunteer profiles"] += len(new)
            progress.advance(len(batch))
    people: dict[int, list[Person]] = {}
    for pk, town in chosen:
        people.setdefault(town.municipality.pk, []).append(
            Person(pk=pk, municipality_id=town.municipality.pk, age=ages.get(pk))
        )
    return people


def _profile(
    rng: random.Random, today: date, town: Town, user: int, age: int | None
) -> ProfileSpec:
    district = rng.choice(sorted(town.district_ids)) if town.district_ids else None
    base = town.district_centres.get(district, town.centre) if district else town.centre
    lat, lon = near(rng, base, 0.8)
    interests = sorted(
        set(
            rng.choices(
                list(INTEREST_WEIGHTS), list(INTEREST_WEIGHTS.values()), k=rng.randint(1, 3)
            )
        )
    )
    skills = sorted(rng.sample(SKILL_SLUGS, rng.randint(0, 3)))
    if rng.random() < 0.2:
        slots: list[str] = []  # any time
    else:
        working = age is not None and 18 <= age < 65
        parts = ("evening", "evening", "afternoon") if working else ("morning", "afternoon")
        days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        slots = sorted(
            {f"{rng.choice(days)}_{rng.choice(parts)}" for _ in range(rng.randint(2, 6))}
        )
        if working and rng.random() < 0.5:
            slots.append("sat_morning" if "sat_morning" not in slots else "sun_afternoon")
    (german,) = rng.choices((3, 2, 1, 0), (85, 7, 5, 3))
    languages = ["Deutsch"]
    if german < 3:
        languages.insert(0, rng.choice(OTHER_LANGUAGES))
    if rng.random() < 0.3:
        languages.append("Englisch")
    adult = age is None or age >= 18
    onboarded = today - timedelta(days=rng.randint(0, 400))
    return ProfileSpec(
        user=user,
        municipality_id=town.municipality.pk,
        district=town.district_ids.get(district) if district else None,
        values={
            "time_slots": slots_from_keys(slots),
            "postcode": town.place.place.postcode,
            "latitude": lat,
            "longitude": lon,
            "radius_km": rng.choice((3, 5, 5, 10, 10, 10, 15, 25)),
            "remote_ok": rng.random() < 0.5,
            "languages": ", ".join(languages),
            "german_level": german,
            "age_band": _age_band(age),
            "accepts_conduct_certificate": adult and rng.random() < 0.4,
            "suggest_to_organisations": rng.random() < SUGGEST_SHARE,
            "onboarded_at": timezone.make_aware(datetime.combine(onboarded, time(12))),
        },
        interests=tuple(interests),
        skills=tuple(skills),
    )


def _demo_profile(run: DemoRun, town: Town, user: int, age: int | None) -> ProfileSpec:
    """The demo volunteer lives in the town centre, has time on Tuesdays and Saturdays and is
    glad to be suggested, so recommendations and suggestions both show her something."""
    spec = DEMO_VOLUNTEER_PROFILE
    lat, lon = town.centre
    return ProfileSpec(
        user=user,
        municipality_id=town.municipality.pk,
        district=None,
        values={
            "time_slots": slots_from_keys(spec["slots"]),
            "postcode": town.place.place.postcode,
            "latitude": round(lat, 6),
            "longitude": round(lon, 6),
            "radius_km": spec["radius_km"],
            "remote_ok": True,
            "languages": "Deutsch, Englisch",
            "german_level": 3,
            "age_band": _age_band(age),
            "accepts_conduct_certificate": True,
            "suggest_to_organisations": True,
            "onboarded_at": timezone.make_aware(datetime.combine(run.today, time(12))),
        },
        interests=spec["interests"],
        skills=spec["skills"],
    )
