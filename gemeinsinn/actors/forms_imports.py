"""Forms of the office's import, export and coverage pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import Organisation, OrganisationType, Sector
from gemeinsinn.actors.services import MAX_UPLOAD_BYTES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "At most 2 MB. Saved from Excel or LibreOffice as CSV (UTF-8 or Windows-1252), "
            "separated by semicolons, commas or tabs."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB. Please split it into smaller files."),
                params={"max": MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload


def field_label(key: str) -> str:
    """The translated name of an organisation field, for conflicts and merge notes."""
    field = Organisation._meta.get_field(key)
    return str(getattr(field, "verbose_name", key))


def action_field_name(line: int) -> str:
    return f"action_{line}"


def overwrite_field_name(line: int, field: str) -> str:
    return f"overwrite_{line}_{field}"


class ImportApplyForm(forms.Form):
    """The office's choices on a preview: per possible duplicate create, merge or skip; which
    conflicting fields to overwrite; whether to leave out the rows with errors."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if row["errors"] or not (row["duplicate_of"] or row.get("duplicate_line")):
                continue
            line = row["line"]
            choices: list[tuple[str, Any]] = [
                ("skip", _("Skip this row")),
                ("merge", _("Merge into the existing entry: fill its empty fields")),
                ("create", _("Create a new entry anyway")),
            ]
            if row.get("duplicate_line"):
                choices[1] = (
                    "merge",
                    _("Merge into row %(other)s: fill its empty fields")
                    % {"other": row["duplicate_line"]},
                )
            self.fields[action_field_name(line)] = forms.ChoiceField(
                label=_("Row %(line)s") % {"line": line},
                choices=choices,
                initial=row["action"],
                widget=forms.RadioSelect,
            )
            for conflict in row.get("conflicts", []):
                self.fields[overwrite_field_name(line, conflict["field"])] = forms.BooleanField(
                    label=_("Overwrite %(field)s: “%(current)s” becomes “%(imported)s”")
                    % {**conflict, "field": field_label(conflict["field"])},
                    required=False,
                    initial=conflict["field"] in row.get("overwrite", []),
                )
        if any(row["errors"] for row in rows):
            self.fields["skip_invalid"] = forms.BooleanField(
                label=_("Import only the valid rows and leave out the rows with errors"),
                required=False,
            )

    def actions(self) -> dict[int, str]:
        return {
            row["line"]: self.cleaned_data[action_field_name(row["line"])]
            for row in self.rows
            if action_field_name(row["line"]) in self.cleaned_data
        }

    def overwrite(self) -> dict[int, list[str]]:
        return {
            row["line"]: [
                c["field"]
                for c in row.get("conflicts", [])
                if self.cleaned_data.get(overwrite_field_name(row["line"], c["field"]))
            ]
            for row in self.rows
        }


class ExportForm(forms.Form):
    variant = forms.ChoiceField(
        label=_("Which data"),
        choices=[
            (
                "public",
                _(
                    "Public: published entries, contact data only where the organisation "
                    "shows it to everybody"
                ),
            ),
            (
                "office",
                _(
                    "Internal (coordination office only): every entry with all contact data, "
                    "including contact persons"
                ),
            ),
        ],
        initial="public",
        widget=forms.RadioSelect,
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("csv", _("CSV for Excel (semicolons, UTF-8) – can be imported again")),
            ("hsds", _("Open Referral HSDS (JSON) – for other directories and open data")),
        ],
        initial="csv",
        widget=forms.RadioSelect,
    )


class CoverageFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("all types")), *OrganisationType.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("all sectors")), *Sector.choices]
    )
    measure = forms.ChoiceField(label=_("Count"), required=False, choices=[])

    def __init__(self, *args: Any, measures: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = self.fields["measure"]
        assert isinstance(measure, forms.ChoiceField)
        if len(measures) > 1:
            measure.choices = measures
        else:
            del self.fields["measure"]
