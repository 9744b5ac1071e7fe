"""CSV imports of organisations: parsed into a preview first, applied as a whole or not at all."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.models import Municipality


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("preview")
        APPLIED = "applied", _("imported")
        CANCELLED = "cancelled", _("cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="organisation_imports"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    filename = models.CharField(_("file"), max_length=200)
    encoding = models.CharField(_("encoding"), max_length=20)
    delimiter = models.CharField(_("delimiter"), max_length=1)
    # One entry per data row: {"line": n, "values": {...}, "errors": [...], "duplicate_of": id|None,
    # "action": "create"|"merge"|"skip"}.
    rows = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    created_count = models.PositiveIntegerField(default=0)
    merged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")

    def __str__(self) -> str:
        return self.filename
