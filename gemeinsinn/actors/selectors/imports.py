"""Reads of the organisation imports of a municipality (for the coordination office)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from gemeinsinn.actors.models import ImportBatch
from gemeinsinn.core.models import Municipality


def import_batches_of(*, municipality: Municipality) -> QuerySet[ImportBatch]:
    """The municipality's imports, newest first, with the person who uploaded each."""
    return (
        ImportBatch.objects.filter(municipality=municipality)
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")
    )


def import_batch_of(*, municipality: Municipality, public_id: uuid.UUID) -> ImportBatch | None:
    """One import of the municipality; None for another municipality's (looks like not found)."""
    return (
        ImportBatch.objects.filter(municipality=municipality, public_id=public_id)
        .select_related("municipality", "uploaded_by")
        .first()
    )
