"""Demo organisations are findable: taxonomies, fields, target groups, Stadtteile, places."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from gemeinsinn.actors import selectors
from gemeinsinn.actors.models import (
    DEFAULT_TARGET_GROUPS,
    FREIWILLIGENSURVEY_FIELDS,
    FieldOfEngagement,
    Organisation,
    TargetGroup,
)
from gemeinsinn.core.models import Municipality
from gemeinsinn.demo.generate.profiles import NAMED_CENTRES
from gemeinsinn.demo.tests.test_demo import TINY, TINY_CITY, load, wipe

pytestmark = pytest.mark.django_db


def relations() -> dict[str, list[Any]]:
    """The many-to-many rows as a person sees them, without database ids."""
    return {
        "fields": sorted(
            Organisation.engagement_fields.through.objects.values_list(
                "organisation__slug", "fieldofengagement__slug"
            )
        ),
        "groups": sorted(
            Organisation.target_groups.through.objects.values_list(
                "organisation__slug", "targetgroup__slug"
            )
        ),
        "districts": sorted(
            Organisation.districts.through.objects.values_list(
                "organisation__slug", "towndistrict__name"
            )
        ),
        "places": sorted(
            Organisation.objects.values_list("slug", "latitude", "longitude", "opening_hours")
        ),
    }


def test_every_demo_town_has_the_default_taxonomies() -> None:
    load(TINY)
    for municipality in Municipality.objects.all():
        assert FieldOfEngagement.objects.filter(municipality=municipality).count() == len(
            FREIWILLIGENSURVEY_FIELDS
        )
        assert TargetGroup.objects.filter(municipality=municipality).count() == len(
            DEFAULT_TARGET_GROUPS
        )


def test_demo_organisations_have_fields_target_groups_and_opening_hours() -> None:
    load(TINY_CITY)
    organisations = Organisation.objects.exclude(slug="tafel-musterstadt-e-v")
    total = organisations.count()
    assert organisations.filter(engagement_fields__isnull=True).count() == 0
    assert organisations.filter(target_groups__isnull=True).count() == 0
    assert organisations.filter(districts__isnull=False).distinct().count() > total / 3
    assert organisations.exclude(opening_hours="").count() > total / 2
    # A choir sings, a fire brigade rescues: the fields follow the words of the profile.
    for organisation in organisations.prefetch_related("engagement_fields"):
        slugs = {f.slug for f in organisation.engagement_fields.all()}
        if organisation.name.startswith("Freiwillige Feuerwehr"):
            assert "unfall-rettungsdienst-feuerwehr" in slugs
        if organisation.name.startswith("Chorgemeinschaft"):
            assert "kultur-musik" in slugs


def test_demo_organisations_sit_inside_their_town() -> None:
    load(TINY_CITY)
    lat, lon = NAMED_CENTRES["musterstadt"]
    located = Organisation.objects.filter(latitude__isnull=False)
    assert located.count() > Organisation.objects.count() * 0.7
    for organisation in located:
        assert organisation.latitude is not None
        assert organisation.longitude is not None
        # Within about 10 km of the centre.
        assert abs(organisation.latitude - Decimal(str(lat))) < Decimal("0.1")
        assert abs(organisation.longitude - Decimal(str(lon))) < Decimal("0.15")


def test_the_directory_filters_find_demo_organisations() -> None:
    load(TINY_CITY)
    town = Municipality.objects.get(slug="musterstadt")
    options = selectors.directory_filter_options(municipality=town)
    found_by_field = [
        selectors.organisations_public(municipality=town, field=f.slug).count()
        for f in options.fields
    ]
    assert sum(1 for n in found_by_field if n) >= 5
    assert any(
        selectors.organisations_public(municipality=town, district=d.slug).count()
        for d in options.districts
    )


def test_the_bulk_writer_leaves_the_same_relations_as_the_services() -> None:
    load(TINY)
    through_services = relations()
    wipe()
    load(replace(TINY, bulk=True))
    assert relations() == through_services


def test_a_second_load_adds_no_relations() -> None:
    load(TINY)
    before = relations()
    load(TINY)
    assert relations() == before
