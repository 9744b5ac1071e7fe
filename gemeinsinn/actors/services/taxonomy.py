"""The default taxonomies a municipality starts with: the Freiwilligensurvey's fields and
common target groups. The coordination office edits them afterwards."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from gemeinsinn.actors.models import (
    DEFAULT_TARGET_GROUPS,
    FREIWILLIGENSURVEY_FIELDS,
    FieldOfEngagement,
    TargetGroup,
)
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality


def _has_taxonomies(municipality: Municipality) -> tuple[bool, bool]:
    row = (
        Municipality.objects.filter(pk=municipality.pk)
        .annotate(
            has_fields=Exists(FieldOfEngagement.objects.filter(municipality=OuterRef("pk"))),
            has_groups=Exists(TargetGroup.objects.filter(municipality=OuterRef("pk"))),
        )
        .values_list("has_fields", "has_groups")
        .first()
    )
    return (True, True) if row is None else (bool(row[0]), bool(row[1]))


def taxonomies_ensure(*, municipality: Municipality, actor: Any = "system") -> dict[str, int]:
    """Seed the default fields and target groups where a municipality has none; returns counts.

    A taxonomy the office has already shaped (even one whose entries are all switched off) is
    left alone; only an empty one gets the defaults. Costs one query when nothing is missing.
    """
    created = {"fields": 0, "target_groups": 0}
    if _has_taxonomies(municipality) == (True, True):
        return created
    with transaction.atomic():
        # Two first visits at the same moment: the second waits here and then finds the rows.
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        has_fields, has_groups = _has_taxonomies(municipality)
        if not has_fields:
            FieldOfEngagement.objects.bulk_create(
                FieldOfEngagement(municipality=municipality, slug=slug, name=name, position=i)
                for i, (slug, name) in enumerate(FREIWILLIGENSURVEY_FIELDS, start=1)
            )
            created["fields"] = len(FREIWILLIGENSURVEY_FIELDS)
        if not has_groups:
            TargetGroup.objects.bulk_create(
                TargetGroup(municipality=municipality, slug=slug, name=name, position=i)
                for i, (slug, name) in enumerate(DEFAULT_TARGET_GROUPS, start=1)
            )
            created["target_groups"] = len(DEFAULT_TARGET_GROUPS)
        if any(created.values()):
            audit_record(
                actor=actor,
                action="taxonomy.seeded",
                target=municipality,
                municipality=municipality,
                data=created,
            )
    return created
