"""An applied import keeps no copy of the file's personal data."""

from __future__ import annotations

from typing import Any

from gemeinsinn.actors import services
from gemeinsinn.actors.models import ImportBatch, Organisation


def test_an_applied_import_keeps_only_what_happened_to_each_row(
    municipality: Any, coordinator: Any
) -> None:
    content = "Name;Typ;Sektor;E-Mail\nLauftreff Süd;Verein;Zivilgesellschaft;anna.lauf@example.org\n".encode()
    batch = services.import_preview_create(
        actor=coordinator, municipality=municipality, filename="a.csv", data=content
    ).batch
    assert "anna.lauf@example.org" in str(batch.rows)
    applied = services.import_apply(actor=coordinator, batch=batch, actions={}, overwrite={})
    assert Organisation.objects.filter(email="anna.lauf@example.org").exists()
    stored = ImportBatch.objects.get(pk=applied.pk)
    assert "anna.lauf@example.org" not in str(stored.rows)
    assert stored.rows[0]["line"] == 2
    assert stored.created_count == 1
