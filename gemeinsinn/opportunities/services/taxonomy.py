"""The skills vocabulary a municipality starts with."""

from __future__ import annotations

from django.db import transaction

from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import Skill
from gemeinsinn.opportunities.models.opportunities import DEFAULT_SKILLS


def skills_ensure(*, municipality: Municipality) -> int:
    """Create the default skills a municipality lacks (by slug); returns how many were added."""
    with transaction.atomic():
        existing = set(
            Skill.objects.filter(municipality=municipality).values_list("slug", flat=True)
        )
        missing = [
            Skill(municipality=municipality, slug=slug, name=name, position=position)
            for position, (slug, name) in enumerate(DEFAULT_SKILLS)
            if slug not in existing
        ]
        # Two first visits at once may both find a skill missing; the second insert is a no-op.
        Skill.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
