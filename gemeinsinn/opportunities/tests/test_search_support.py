"""Shared objects of the search tests (imported by the test_search_* files): a town with
vocabularies and Stadtteile, and opportunities made straight in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import FieldOfEngagement, Organisation, TargetGroup
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities import geo
from gemeinsinn.opportunities.models import Opportunity, Skill
from gemeinsinn.opportunities.services.taxonomy import skills_ensure

# The town hall of Musterstadt, the centre the radius tests measure from.
CENTRE = geo.Point(47.856, 12.128)


def point_at(km: float, *, north: bool = True) -> geo.Point:
    """A point `km` from CENTRE to the north (or east), as geo.distance_km measures it."""
    if north:
        return geo.Point(CENTRE.latitude + km / geo.KM_PER_DEGREE_LAT, CENTRE.longitude)
    return geo.Point(
        CENTRE.latitude, CENTRE.longitude + km / geo.km_per_degree_lon(CENTRE.latitude)
    )


def make_opportunity(organisation: Organisation, title: str, **extra: Any) -> Opportunity:
    """A published, live opportunity; vocabularies by slug (fields, skills, groups)."""
    relations = {k: extra.pop(k) for k in ("fields", "skills", "groups") if k in extra}
    at = extra.pop("at", None)
    if at is not None:
        extra["latitude"], extra["longitude"] = at.latitude, at.longitude
    municipality = organisation.municipality
    values: dict[str, Any] = {
        "municipality": municipality,
        "organisation": organisation,
        "title": title,
        "description": extra.pop("description", f"{title}."),
        "status": Opportunity.Status.PUBLISHED,
        "published_at": timezone.now(),
        "expires_on": timezone.localdate() + timedelta(days=30),
    }
    values.update(extra)
    opportunity = Opportunity.objects.create(**values)
    if "fields" in relations:
        opportunity.engagement_fields.set(
            FieldOfEngagement.objects.filter(
                municipality=municipality, slug__in=relations["fields"]
            )
        )
    if "skills" in relations:
        opportunity.skills.set(
            Skill.objects.filter(municipality=municipality, slug__in=relations["skills"])
        )
    if "groups" in relations:
        opportunity.target_groups.set(
            TargetGroup.objects.filter(municipality=municipality, slug__in=relations["groups"])
        )
    return opportunity


@pytest.fixture(name="town")
def town_fixture(municipality: Municipality) -> Municipality:
    """Musterstadt with the default vocabularies and two Stadtteile."""
    actor_services.taxonomies_ensure(municipality=municipality)
    skills_ensure(municipality=municipality)
    for name, slug in (("Altstadt", "altstadt"), ("Nordend", "nordend")):
        TownDistrict.objects.create(municipality=municipality, name=name, slug=slug)
    return municipality


@pytest.fixture(name="english")
def english_fixture(settings: Any) -> Iterator[None]:
    """For tests that read the English wording; the installation's default is German."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def url(name: str, municipality: Any, **kwargs: Any) -> str:
    return mreverse(f"opportunities:{name}", municipality, **kwargs)


def district(municipality: Municipality, slug: str) -> TownDistrict:
    return TownDistrict.objects.get(municipality=municipality, slug=slug)


def titles(rows: Any) -> list[str]:
    return [o.title for o in rows]
