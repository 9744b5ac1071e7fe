"""What the demo's exchange steps share: towns, organisations and listings as they need them,
and small deterministic helpers."""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from gemeinsinn.accounts.models import User
from gemeinsinn.actors.models import FieldOfEngagement, Organisation, TargetGroup
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.text import german_slugify
from gemeinsinn.demo.generate import profiles as org_profiles
from gemeinsinn.demo.generate.run import DemoRun, PlaceInfo, batches
from gemeinsinn.demo.logins import DEMO_ORGANISATION, LOGIN_BY_EMAIL
from gemeinsinn.opportunities.models import Skill

AGENCY_TYPE = "volunteer_agency"
# (field slug, weight) of volunteers' interests, roughly as in the Freiwilligensurvey.
INTEREST_WEIGHTS = {
    "sport-bewegung": 14,
    "kultur-musik": 9,
    "soziales": 12,
    "schule-kindergarten": 9,
    "kirche-religion": 7,
    "freizeit-geselligkeit": 6,
    "umwelt-natur-tierschutz": 8,
    "jugendarbeit-bildung": 4,
    "politik-interessenvertretung": 3,
    "gesundheit": 3,
    "unfall-rettungsdienst-feuerwehr": 3,
    "berufliche-interessenvertretung": 2,
    "justiz-kriminalitaet": 1,
    "sonstiges": 2,
}

Point = tuple[float, float]


@dataclass(frozen=True)
class Town:
    municipality: Municipality
    place: PlaceInfo
    centre: Point
    district_centres: dict[str, Point]
    district_ids: dict[str, int]


@dataclass(frozen=True)
class Org:
    pk: int
    municipality_id: int
    name: str
    type: str
    point: Point | None
    email: str
    phone: str
    street: str
    fields: tuple[str, ...]
    districts: tuple[str, ...]
    admin: int | None


@dataclass(frozen=True)
class Listing:
    """An opportunity of this load as the later parts need it."""

    pk: int
    municipality_id: int
    organisation: int
    status: str
    expires_on: date
    minimum_age: int | None
    title: str

    def live_on(self, day: date) -> bool:
        return self.status == "published" and self.expires_on >= day


@dataclass(frozen=True)
class Person:
    pk: int
    municipality_id: int
    age: int | None


def draw_public_id(rng: random.Random) -> uuid.UUID:
    """A public id from the seed: the key that makes a second load skip the row."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def near(rng: random.Random, point: Point, km: float) -> Point:
    """A point scattered around `point` (normally distributed, `km` standard deviation)."""
    lat = point[0] + rng.gauss(0, km) / org_profiles.KM_PER_DEGREE
    lon = point[1] + rng.gauss(0, km) / (
        org_profiles.KM_PER_DEGREE * math.cos(math.radians(point[0]))
    )
    return round(lat, 6), round(lon, 6)


def terms(towns: Iterable[int]) -> tuple[dict[Any, int], dict[Any, int], dict[Any, int]]:
    """Fields, skills and target groups of the towns by (municipality pk, slug)."""
    fields: dict[Any, int] = {}
    skills: dict[Any, int] = {}
    groups: dict[Any, int] = {}
    for batch in batches(sorted(set(towns)), 500):
        fields.update(
            ((m, s), pk)
            for m, s, pk in FieldOfEngagement.objects.filter(municipality_id__in=batch).values_list(
                "municipality_id", "slug", "pk"
            )
        )
        skills.update(
            ((m, s), pk)
            for m, s, pk in Skill.objects.filter(municipality_id__in=batch).values_list(
                "municipality_id", "slug", "pk"
            )
        )
        groups.update(
            ((m, s), pk)
            for m, s, pk in TargetGroup.objects.filter(municipality_id__in=batch).values_list(
                "municipality_id", "slug", "pk"
            )
        )
    return fields, skills, groups


def demo_organisation(run: DemoRun) -> int | None:
    return (
        Organisation.objects.filter(
            municipality=run.places[0].municipality, slug=german_slugify(DEMO_ORGANISATION)
        )
        .values_list("pk", flat=True)
        .first()
    )


def demo_volunteer() -> int | None:
    emails = [e for e, login in LOGIN_BY_EMAIL.items() if login.key == "volunteer"]
    return User.objects.filter(email__in=emails).values_list("pk", flat=True).first()
