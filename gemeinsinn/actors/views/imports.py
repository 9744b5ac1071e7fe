"""CSV import with preview and export as CSV and Open Referral HSDS JSON (coordination office)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.forms_imports import (
    ExportForm,
    ImportApplyForm,
    ImportUploadForm,
    action_field_name,
    field_label,
    overwrite_field_name,
)
from gemeinsinn.actors.models import ImportBatch, OrganisationType, Sector
from gemeinsinn.actors.services.imports import ENCODINGS
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect, mreverse
from gemeinsinn.core.views import office_required

OFFICE = "core.manage_municipality"


def _format_help() -> dict[str, Any]:
    """What the upload page tells about the columns and values the import understands."""
    return {
        "columns": [
            (c.header, [a for a in c.aliases if a != c.header.casefold()]) for c in services.COLUMNS
        ],
        "types": [str(label) for _value, label in OrganisationType.choices],
        "sectors": [str(label) for _value, label in Sector.choices],
        "separator": services.LIST_SEPARATOR,
        "max_rows": services.MAX_ROWS,
    }


@office_required(OFFICE)
@require_http_methods(["GET", "POST"])
def office_import(request: MunicipalRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_preview_create(
                actor=request.user,
                municipality=request.municipality,
                filename=upload.name or "import.csv",
                data=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if result.ignored_columns:
                messages.warning(
                    request,
                    _("These columns are not read: %(columns)s")
                    % {"columns": ", ".join(f"„{c}“" for c in result.ignored_columns)},
                )
            return mredirect(
                "actors:office_import_preview",
                request.municipality,
                public_id=result.batch.public_id,
            )
    return render(
        request,
        "actors/office_import.html",
        {
            "form": form,
            "batches": selectors.import_batches_of(municipality=request.municipality)[:20],
            **_format_help(),
        },
        status=400 if form.errors else 200,
    )


def _preview_context(batch: ImportBatch, form: ImportApplyForm) -> dict[str, Any]:
    rows = batch.rows
    duplicates = []
    for row in rows:
        name = action_field_name(row["line"])
        if name in form.fields:
            duplicates.append(
                {
                    "row": row,
                    "field": form[name],
                    "conflicts": [
                        {**c, "label": field_label(c["field"])} for c in row.get("conflicts", [])
                    ],
                    "overwrite": [
                        form[overwrite_field_name(row["line"], c["field"])]
                        for c in row.get("conflicts", [])
                    ],
                    "fills": [field_label(f) for f in row.get("fills", [])],
                }
            )
    invalid = [row for row in rows if row["errors"]]
    ready = [
        row
        for row in rows
        if not row["errors"] and not (row["duplicate_of"] or row.get("duplicate_line"))
    ]
    return {
        "batch": batch,
        "form": form,
        "invalid": invalid,
        "duplicates": duplicates,
        "ready": ready,
        "encoding": ENCODINGS.get(batch.encoding, batch.encoding),
        "delimiter": {";": _("semicolon"), ",": _("comma"), "\t": _("tab")}.get(
            batch.delimiter, batch.delimiter
        ),
        "type_labels": dict(OrganisationType.choices),
    }


@office_required(OFFICE)
@require_http_methods(["GET", "POST"])
def office_import_preview(request: MunicipalRequest, public_id: uuid.UUID) -> HttpResponse:
    batch = selectors.import_batch_of(municipality=request.municipality, public_id=public_id)
    if batch is None:
        raise Http404
    if batch.status != ImportBatch.Status.PREVIEW:
        return render(request, "actors/office_import_done.html", {"batch": batch})
    form = ImportApplyForm(request.POST if request.method == "POST" else None, rows=batch.rows)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                applied = services.import_apply(
                    actor=request.user,
                    batch=batch,
                    actions=form.actions(),
                    overwrite=form.overwrite(),
                    skip_invalid=bool(form.cleaned_data.get("skip_invalid")),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The import is done: %(count)s organisation was created.",
                        "The import is done: %(count)s organisations were created.",
                        applied.created_count,
                    )
                    % {"count": applied.created_count},
                )
                return mredirect(
                    "actors:office_import_preview", request.municipality, public_id=batch.public_id
                )
        status = 400
    return render(
        request, "actors/office_import_preview.html", _preview_context(batch, form), status=status
    )


@office_required(OFFICE)
@require_POST
def office_import_cancel(request: MunicipalRequest, public_id: uuid.UUID) -> HttpResponse:
    batch = selectors.import_batch_of(municipality=request.municipality, public_id=public_id)
    if batch is None:
        raise Http404
    try:
        services.import_cancel(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The import has been cancelled; nothing was imported."))
    return mredirect("actors:office_import", request.municipality)


@office_required(OFFICE)
@require_http_methods(["GET", "POST"])
def office_export(request: MunicipalRequest) -> HttpResponse:
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        municipality = request.municipality
        variant, fmt = form.cleaned_data["variant"], form.cleaned_data["format"]
        stamp = timezone.localdate().isoformat()
        name = f"organisationen-{municipality.slug}-{variant}-{stamp}"
        if fmt == "csv":
            body = services.organisations_csv(
                actor=request.user, municipality=municipality, variant=variant
            )
            response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
            filename = f"{name}.csv"
        else:
            data = services.organisations_hsds(
                actor=request.user,
                municipality=municipality,
                variant=variant,
                profile_base_url=request.build_absolute_uri(
                    mreverse("actors:directory", municipality)
                ),
            )
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            filename = f"{name}-hsds.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "actors/office_export.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("verwaltung/import/", office_import, name="office_import"),
    path(
        "verwaltung/import/<uuid:public_id>/",
        office_import_preview,
        name="office_import_preview",
    ),
    path(
        "verwaltung/import/<uuid:public_id>/abbrechen/",
        office_import_cancel,
        name="office_import_cancel",
    ),
    path("verwaltung/export/", office_export, name="office_export"),
]
