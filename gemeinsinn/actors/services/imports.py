"""CSV import of organisations: upload → preview in ImportBatch.rows → apply in one transaction.

The preview holds one entry per data row (see ImportBatch.rows). Besides the documented keys an
entry may carry "duplicate_name"/"duplicate_slug" (the existing entry it resembles),
"duplicate_line" (an earlier row of the same file it resembles), "conflicts" (fields where the
existing entry and the file disagree) and "overwrite" (the conflicting fields the office chose to
overwrite).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rapidfuzz import fuzz, process

from gemeinsinn.actors.models import (
    FieldOfEngagement,
    ImportBatch,
    Organisation,
    OrganisationType,
    Sector,
    TargetGroup,
)
from gemeinsinn.actors.services.organisations import RESERVED_SLUGS
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.core.text import FORMULA_STARTS, german_slugify

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Fields of engagement, target groups and Stadtteile are separated by this character in a cell.
LIST_SEPARATOR = "|"
DELIMITERS = (";", "\t", ",")
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "windows-1252": "Windows-1252"}

ACTION_CREATE, ACTION_MERGE, ACTION_SKIP = "create", "merge", "skip"
ACTIONS = (ACTION_CREATE, ACTION_MERGE, ACTION_SKIP)

# Similarity (0–100, rapidfuzz's normalised Indel similarity) above which two entries count as
# possible duplicates: a near-identical name alone, or a similar name at a similar address.
NAME_ALONE = 92
NAME_WITH_ADDRESS = 75
ADDRESS = 85


@dataclass(frozen=True)
class Column:
    key: str
    # The German header the export writes and the template shows.
    header: str
    aliases: tuple[str, ...]


COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", ("name", "organisation", "organization")),
    Column("type", "Typ", ("typ", "type", "art")),
    Column("sector", "Sektor", ("sektor", "sector")),
    Column("description", "Beschreibung", ("beschreibung", "description")),
    Column("street", "Straße", ("straße", "street", "straße und hausnummer", "adresse", "address")),
    Column("postcode", "PLZ", ("plz", "postleitzahl", "postcode", "postal code", "zip")),
    Column("city", "Ort", ("ort", "stadt", "city", "place")),
    Column("email", "E-Mail", ("e-mail", "email", "mail")),
    Column("phone", "Telefon", ("telefon", "phone", "tel", "telefonnummer")),
    Column("website", "Website", ("website", "webseite", "homepage", "internet", "url")),
    Column(
        "fields", "Bereiche", ("bereiche", "engagementbereiche", "fields", "fields of engagement")
    ),
    Column("target_groups", "Zielgruppen", ("zielgruppen", "target groups")),
    Column("districts", "Stadtteile", ("stadtteile", "districts")),
    Column("latitude", "Breitengrad", ("breitengrad", "latitude", "lat")),
    Column("longitude", "Längengrad", ("längengrad", "longitude", "lon", "lng")),
    Column(
        "contact_name",
        "Ansprechperson",
        ("ansprechperson", "kontaktperson", "contact person", "contact name"),
    ),
    Column(
        "contact_email",
        "E-Mail Ansprechperson",
        ("e-mail ansprechperson", "contact email", "contact e-mail"),
    ),
    Column(
        "contact_phone",
        "Telefon Ansprechperson",
        ("telefon ansprechperson", "contact phone"),
    ),
    Column("opening_hours", "Öffnungszeiten", ("öffnungszeiten", "opening hours")),
)
# Written by the office's export, not read back.
STATUS_HEADER = "Status"
IGNORED_HEADERS = frozenset({"status"})
LIST_KEYS = ("fields", "target_groups", "districts")
# Plain text fields an import fills in (or, when asked, overwrites) on an existing entry.
SCALAR_KEYS = tuple(
    c.key for c in COLUMNS if c.key not in LIST_KEYS and c.key not in ("name", "type", "sector")
)
MAX_LENGTHS = {
    "name": 200,
    "street": 200,
    "city": 100,
    "phone": 40,
    "website": 200,
    "email": 254,
    "contact_name": 150,
    "contact_email": 254,
    "contact_phone": 40,
}
SECTOR_OF_TYPE = {"administration": "administration", "business": "business"}
# A spreadsheet turns a cell that starts with one of these into a formula; the export guards
# such cells with an apostrophe, which the import removes again.


def _fold(text: str) -> str:
    """Case-, umlaut- and spacing-insensitive form of a header or a taxonomy entry."""
    text = text.strip().casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    return re.sub(r"[\s_]+", " ", text)


HEADER_KEYS: dict[str, str] = {_fold(a): c.key for c in COLUMNS for a in (c.header, *c.aliases)}


# --- reading the file ---------------------------------------------------------------------------


def decode_upload(data: bytes) -> tuple[str, str]:
    """The text of an uploaded file and its encoding (a key of ENCODINGS)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError(
            _(
                "The file is saved as UTF-16, which the import cannot read. Please save it as "
                "“CSV UTF-8” or “CSV (semicolon separated)” and upload it again."
            )
        )
    text: str | None = None
    encoding = ""
    candidates = (
        [("utf-8-sig", data[len(codecs.BOM_UTF8) :], "utf-8")]
        if data.startswith(codecs.BOM_UTF8)
        else [("utf-8", data, "utf-8"), ("windows-1252", data, "cp1252")]
    )
    for name, raw, codec in candidates:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        encoding = name
        break
    if text is None or re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise ValidationError(
            _(
                "The file cannot be read as text. Please upload a CSV file saved as UTF-8 or "
                "Windows-1252 (in Excel: “Save as” → “CSV UTF-8”); spreadsheets (.xlsx) cannot "
                "be imported directly."
            )
        )
    return text, encoding


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most columns (; before tab before ,)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, best_count = DELIMITERS[0], 1
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([first], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _unguard(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


@dataclass
class _Table:
    # Headers the import does not read.
    unknown: list[str]
    # (spreadsheet row number, {column key: cell}) of each non-empty data row.
    rows: list[tuple[int, dict[str, str]]]


def _read_table(text: str, delimiter: str) -> _Table:
    """The data rows of the file under their column keys; the header row is row 1."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ValidationError(
            _("The file is not a valid CSV file (%(reason)s).") % {"reason": exc}
        ) from exc
    header_index = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if header_index is None:
        raise ValidationError(_("The file is empty."))
    keys: list[str] = []
    unknown: list[str] = []
    for cell in records[header_index]:
        raw = cell.strip().lstrip("\ufeff")
        key = HEADER_KEYS.get(_fold(raw), "")
        if key and key in keys:
            raise ValidationError(_("The column “%(column)s” appears twice.") % {"column": raw})
        if not key and raw and _fold(raw) not in IGNORED_HEADERS:
            unknown.append(raw)
        keys.append(key)
    if "name" not in keys:
        raise ValidationError(
            _(
                "The file has no column “Name”. The first row must hold the column names, "
                "for example: Name;Typ;Sektor;Straße;PLZ;Ort."
            )
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for index in range(header_index + 1, len(records)):
        record = records[index]
        if not any(c.strip() for c in record):
            continue
        values = {
            key: _unguard(cell.strip()) for key, cell in zip(keys, record, strict=False) if key
        }
        rows.append((index + 1, values))
    if not rows:
        raise ValidationError(_("The file has a header row but no organisations below it."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("The file has more than %(max)s rows. Please split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    return _Table(unknown, rows)


# --- checking the rows --------------------------------------------------------------------------


def _choice_lookup(choices: Iterable[tuple[str, Any]], extra: Mapping[str, str]) -> dict[str, str]:
    """Values, English and German labels (and a few synonyms) → the stored value."""
    lookup: dict[str, str] = {_fold(k): v for k, v in extra.items()}
    choices = list(choices)
    for language in ("en", "de"):
        with translation.override(language):
            for value, label in choices:
                lookup[_fold(str(label))] = value
    for value, _label in choices:
        lookup[_fold(value)] = value
    return lookup


# The German labels too, so that reading a file does not depend on the compiled catalogue.
TYPE_SYNONYMS = {
    "Initiative ohne Rechtsform": "initiative",
    "Verwaltungseinheit": "administration",
    "Kirche oder Religionsgemeinschaft": "church",
    "Schule": "school",
    "Initiative": "initiative",
    "Unternehmen": "business",
    "Firma": "business",
    "Verwaltung": "administration",
    "Amt": "administration",
    "Kirche": "church",
    "Religionsgemeinschaft": "church",
    "Sonstiges": "other",
    "Sonstige": "other",
}
SECTOR_SYNONYMS = {
    "Verwaltung": "administration",
    "Zivilgesellschaft": "civil_society",
    "Bürgerschaft": "citizens",
    "Bürger:innen": "citizens",
    "Bürgerinnen und Bürger": "citizens",
    "Bürger": "citizens",
    "Wirtschaft": "business",
    "Unternehmen": "business",
}


@dataclass
class _Lookups:
    """Everything a row is checked against, loaded once per file."""

    municipality: Municipality
    types: dict[str, str]
    sectors: dict[str, str]
    taxonomies: dict[str, dict[str, tuple[int, str]]]

    @classmethod
    def load(cls, municipality: Municipality) -> _Lookups:
        taxonomies: dict[str, dict[str, tuple[int, str]]] = {}
        sources: dict[str, Iterable[tuple[int, str, str]]] = {
            "fields": FieldOfEngagement.objects.filter(municipality=municipality).values_list(
                "pk", "name", "slug"
            ),
            "target_groups": TargetGroup.objects.filter(municipality=municipality).values_list(
                "pk", "name", "slug"
            ),
            "districts": TownDistrict.objects.filter(municipality=municipality).values_list(
                "pk", "name", "slug"
            ),
        }
        for key, entries in sources.items():
            table: dict[str, tuple[int, str]] = {}
            for pk, name, slug in entries:
                for alias in (slug, german_slugify(name), _fold(name)):
                    table.setdefault(alias, (pk, name))
            taxonomies[key] = table
        return cls(
            municipality=municipality,
            types=_choice_lookup(OrganisationType.choices, TYPE_SYNONYMS),
            sectors=_choice_lookup(Sector.choices, SECTOR_SYNONYMS),
            taxonomies=taxonomies,
        )

    def find(self, key: str, value: str) -> tuple[int, str] | None:
        table = self.taxonomies[key]
        return table.get(_fold(value)) or table.get(german_slugify(value))


def _coordinate(raw: str, limit: int) -> Decimal | None:
    try:
        value = Decimal(raw.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) > limit:
        return None
    return value.quantize(Decimal("0.000001"))


def _check_row(line: int, raw: Mapping[str, str], lookups: _Lookups) -> dict[str, Any]:
    """One preview entry: the cleaned values and the row's errors in plain language."""
    values: dict[str, Any] = {}
    errors: list[str] = []

    def error(message: str) -> None:
        errors.append(_("Row %(line)s: %(message)s") % {"line": line, "message": message})

    for key, limit in MAX_LENGTHS.items():
        text = raw.get(key, "")
        if len(text) > limit:
            error(
                _("The entry in column “%(column)s” is longer than %(max)s characters.")
                % {"column": _header(key), "max": limit}
            )
    name = raw.get("name", "")
    if not name:
        error(_("The name is missing."))
    values["name"] = name

    type_raw = raw.get("type", "")
    org_type = lookups.types.get(_fold(type_raw)) if type_raw else OrganisationType.OTHER.value
    if org_type is None:
        error(
            _("The type “%(value)s” is unknown. The import page lists the types it understands.")
            % {"value": type_raw}
        )
    values["type"] = org_type or type_raw
    sector_raw = raw.get("sector", "")
    if sector_raw:
        sector = lookups.sectors.get(_fold(sector_raw))
        if sector is None:
            error(
                _(
                    "The sector “%(value)s” is unknown. Use Verwaltung, Wirtschaft, "
                    "Zivilgesellschaft or Bürgerschaft."
                )
                % {"value": sector_raw}
            )
        values["sector"] = sector or sector_raw
    else:
        values["sector"] = SECTOR_OF_TYPE.get(org_type or "", Sector.CIVIL_SOCIETY.value)

    for key in ("description", "street", "city", "phone", "contact_name", "contact_phone"):
        values[key] = raw.get(key, "")
    values["opening_hours"] = raw.get("opening_hours", "")

    postcode = raw.get("postcode", "").replace(" ", "")
    if postcode and not re.fullmatch(r"\d{5}", postcode):
        message = _("The postcode “%(value)s” does not have five digits.") % {"value": postcode}
        if re.fullmatch(r"\d{4}", postcode):
            message += " " + _(
                "Spreadsheet programs drop a leading zero (01067 becomes 1067); "
                "format the column as text."
            )
        error(message)
    values["postcode"] = postcode

    for key in ("email", "contact_email"):
        address = raw.get(key, "")
        if address:
            try:
                validate_email(address)
            except ValidationError:
                error(
                    _("The e-mail address “%(value)s” is not valid.") % {"value": address},
                )
        values[key] = address

    website = raw.get("website", "")
    if website and not re.match(r"^[a-z][a-z0-9+.-]*://", website, re.IGNORECASE):
        website = f"https://{website}"
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            error(_("The website “%(value)s” is not a valid address.") % {"value": website})
    values["website"] = website

    for key, limit, label in (
        ("latitude", 90, _("latitude")),
        ("longitude", 180, _("longitude")),
    ):
        text = raw.get(key, "")
        number = _coordinate(text, limit) if text else None
        if text and number is None:
            error(
                _("The %(what)s “%(value)s” is not a number between -%(max)s and %(max)s.")
                % {"what": label, "value": text, "max": limit}
            )
        values[key] = str(number) if number is not None else text
    if bool(raw.get("latitude")) != bool(raw.get("longitude")):
        error(_("Please give both latitude and longitude, or neither."))

    unknown_messages = {
        "fields": _("The field of engagement “%(value)s” does not exist in %(town)s."),
        "target_groups": _("The target group “%(value)s” does not exist in %(town)s."),
        "districts": _("The Stadtteil “%(value)s” does not exist in %(town)s."),
    }
    for key in LIST_KEYS:
        names: list[str] = []
        for part in raw.get(key, "").split(LIST_SEPARATOR):
            part = part.strip()
            if not part:
                continue
            found = lookups.find(key, part)
            if found is None:
                error(unknown_messages[key] % {"value": part, "town": lookups.municipality.name})
                names.append(part)
            elif found[1] not in names:
                names.append(found[1])
        values[key] = names
    return {
        "line": line,
        "values": values,
        "errors": errors,
        "duplicate_of": None,
        "action": ACTION_SKIP if errors else ACTION_CREATE,
    }


def _header(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


# --- duplicates ---------------------------------------------------------------------------------

LEGAL_FORMS = re.compile(r"\b(e\s?v|ggmbh|gmbh|ug|ag|eg|gbr|kdoer|e\s?g)\b")


def _name_key(name: str) -> str:
    text = re.sub(r"[^\w]+", " ", _fold(name))
    return re.sub(r"\s+", " ", LEGAL_FORMS.sub(" ", text)).strip()


def _address_key(street: str, postcode: str) -> str:
    text = _fold(street)
    text = re.sub(r"(strasse|str\b\.?)", "str", text)
    text = re.sub(r"[^\w]+", "", text)
    return f"{text} {postcode}".strip() if text else ""


def _resembles(name_score: float, address_a: str, address_b: str) -> bool:
    if name_score >= NAME_ALONE:
        return True
    if name_score < NAME_WITH_ADDRESS or not address_a or not address_b:
        return False
    return bool(fuzz.ratio(address_a, address_b) >= ADDRESS)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _same(key: str, current: Any, imported: Any) -> bool:
    """Whether two values of a field say the same (“Bahnhofstr. 1” is “Bahnhofstraße 1”)."""
    if key in ("latitude", "longitude"):
        try:
            return Decimal(str(current)) == Decimal(str(imported))
        except InvalidOperation:
            return False
    a, b = str(current).strip(), str(imported).strip()
    if key == "street":
        return _address_key(a, "") == _address_key(b, "")
    if key in ("phone", "contact_phone"):
        return re.sub(r"\D", "", a) == re.sub(r"\D", "", b)
    if key in ("email", "contact_email", "website"):
        return a.casefold().rstrip("/") == b.casefold().rstrip("/")
    return a == b


def _mark_duplicates(entries: list[dict[str, Any]], municipality: Municipality) -> None:
    """Mark each row that resembles an existing entry or an earlier row of the file."""
    existing = {
        row["pk"]: row
        for row in Organisation.objects.filter(municipality=municipality).values(
            "pk", "name", "slug", *SCALAR_KEYS
        )
    }
    existing_names = {pk: _name_key(row["name"]) for pk, row in existing.items()}
    existing_addresses = {
        pk: _address_key(row["street"], row["postcode"]) for pk, row in existing.items()
    }
    earlier_names: dict[int, str] = {}
    earlier_addresses: dict[int, str] = {}
    for entry in entries:
        values = entry["values"]
        if entry["errors"]:
            continue
        key = _name_key(values["name"])
        address = _address_key(values["street"], values["postcode"])
        best: tuple[float, int] | None = None
        for _choice, score, pk in process.extract(
            key, existing_names, scorer=fuzz.ratio, score_cutoff=NAME_WITH_ADDRESS, limit=5
        ):
            if _resembles(score, address, existing_addresses[pk]) and (
                best is None or score > best[0]
            ):
                best = (score, pk)
        if best is not None:
            match = existing[best[1]]
            entry.update(
                duplicate_of=match["pk"],
                duplicate_name=match["name"],
                duplicate_slug=match["slug"],
                action=ACTION_SKIP,
                conflicts=[
                    {"field": k, "current": str(match[k]), "imported": str(values[k])}
                    for k in SCALAR_KEYS
                    if not _empty(values.get(k))
                    and not _empty(match[k])
                    and not _same(k, match[k], values[k])
                ],
                fills=[k for k in SCALAR_KEYS if not _empty(values.get(k)) and _empty(match[k])],
            )
        else:
            for _choice, score, line in process.extract(
                key, earlier_names, scorer=fuzz.ratio, score_cutoff=NAME_WITH_ADDRESS, limit=5
            ):
                if _resembles(score, address, earlier_addresses[line]):
                    entry.update(duplicate_line=line, action=ACTION_SKIP)
                    break
        earlier_names[entry["line"]] = key
        earlier_addresses[entry["line"]] = address


# --- services -----------------------------------------------------------------------------------


@dataclass
class ImportUpload:
    batch: ImportBatch
    # Headers of the file that the import does not read.
    ignored_columns: list[str] = field(default_factory=list)


def _check_office(actor: Any, municipality: Municipality) -> None:
    if not actor.has_perm("core.manage_municipality", municipality):
        raise PermissionDenied(_("Only the coordination office may import organisations."))


def import_preview_create(
    *, actor: Any, municipality: Municipality, filename: str, data: bytes
) -> ImportUpload:
    """Read an uploaded CSV file into a preview; nothing is stored if it cannot be read."""
    _check_office(actor, municipality)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)s MB. Please split it into smaller files.")
            % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    text, encoding = decode_upload(data)
    delimiter = detect_delimiter(text)
    table = _read_table(text, delimiter)
    lookups = _Lookups.load(municipality)
    entries = [_check_row(line, values, lookups) for line, values in table.rows]
    _mark_duplicates(entries, municipality)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            municipality=municipality,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            filename=filename[:200],
            encoding=encoding,
            delimiter=delimiter,
            rows=entries,
        )
        audit_record(
            actor=actor,
            action="organisation_import.uploaded",
            target=batch,
            municipality=municipality,
            data={"rows": len(entries), "encoding": encoding},
        )
    return ImportUpload(batch, table.unknown)


def _fill(target: Organisation, values: Mapping[str, Any], overwrite: Collection[str]) -> list[str]:
    """Copy the imported values into empty fields (and into the fields to overwrite)."""
    changed = []
    for key in SCALAR_KEYS:
        imported = values.get(key)
        if _empty(imported):
            continue
        current = getattr(target, key)
        if _empty(current) or (key in overwrite and not _same(key, current, imported)):
            value = Decimal(str(imported)) if key in ("latitude", "longitude") else imported
            setattr(target, key, value)
            changed.append(key)
    return changed


def _row_error(line: int, exc: ValidationError) -> ValidationError:
    return ValidationError(
        _("Row %(line)s: %(message)s") % {"line": line, "message": " ".join(exc.messages)}
    )


RELATIONS = {
    "fields": "engagement_fields",
    "target_groups": "target_groups",
    "districts": "districts",
}


@dataclass
class _Pending:
    """An entry the import creates or merges into, with the taxonomy links it adds."""

    organisation: Organisation
    links: dict[str, set[int]] = field(default_factory=lambda: {k: set() for k in LIST_KEYS})
    changed: set[str] = field(default_factory=set)


@dataclass
class _Plan:
    """What an import changes, collected row by row before anything is written."""

    municipality: Municipality
    lookups: _Lookups
    # The existing entries rows are merged into, locked.
    targets: dict[int, Organisation]
    slugs: set[str]
    new: list[_Pending] = field(default_factory=list)
    merged: dict[int, _Pending] = field(default_factory=dict)
    by_line: dict[int, _Pending] = field(default_factory=dict)

    def add(self, entry: Mapping[str, Any]) -> None:
        line, values, action = entry["line"], entry["values"], entry["action"]
        if action == ACTION_SKIP:
            return
        links = self._links(values, line)
        if action == ACTION_CREATE:
            pending = _Pending(self._organisation(values, line))
            self.new.append(pending)
        elif entry["duplicate_of"]:
            target = self.targets.get(entry["duplicate_of"])
            if target is None:
                raise ValidationError(
                    _(
                        "Row %(line)s: the entry “%(name)s” to merge into no longer exists. "
                        "Please upload the file again."
                    )
                    % {"line": line, "name": entry.get("duplicate_name", "")}
                )
            pending = self.merged.setdefault(target.pk, _Pending(target))
            pending.changed.update(_fill(target, values, entry["overwrite"]))
        else:
            earlier = self.by_line.get(entry["duplicate_line"])
            if earlier is None:
                raise ValidationError(
                    _(
                        "Row %(line)s is to be merged into row %(other)s, but row %(other)s is "
                        "not imported. Choose another option for one of the two rows."
                    )
                    % {"line": line, "other": entry["duplicate_line"]}
                )
            pending = earlier
            pending.changed.update(_fill(pending.organisation, values, ()))
        for key, ids in links.items():
            pending.links[key] |= ids
        self.by_line[line] = pending

    def _links(self, values: Mapping[str, Any], line: int) -> dict[str, set[int]]:
        links: dict[str, set[int]] = {}
        for key in LIST_KEYS:
            ids = set()
            for name in values.get(key, []):
                found = self.lookups.find(key, name)
                if found is None:
                    raise ValidationError(
                        _(
                            "Row %(line)s: “%(value)s” was removed from the taxonomy after the "
                            "upload. Please upload the file again."
                        )
                        % {"line": line, "value": name}
                    )
                ids.add(found[0])
            links[key] = ids
        return links

    def _organisation(self, values: Mapping[str, Any], line: int) -> Organisation:
        base = german_slugify(values["name"], max_length=100) or "organisation"
        if base in RESERVED_SLUGS:  # "Karte" must not hide the map page
            base = f"{base}-organisation"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return _new_organisation(self.municipality, values, slug, line)

    def write(self) -> None:
        """Insert the new entries, save the merged ones, then add every taxonomy link."""
        created = Organisation.objects.bulk_create([p.organisation for p in self.new], 500)
        for pending, organisation in zip(self.new, created, strict=True):
            pending.organisation = organisation
        for pending in self.merged.values():
            if not pending.changed:
                continue
            target = pending.organisation
            try:
                target.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                raise ValidationError(
                    _("The entry “%(name)s” cannot be merged: %(message)s")
                    % {"name": target.name, "message": " ".join(exc.messages)}
                ) from exc
            target.save(update_fields=[*sorted(pending.changed), "updated_at"])
        for key, relation in RELATIONS.items():
            model_field = Organisation._meta.get_field(relation)
            assert isinstance(model_field, models.ManyToManyField)
            through: Any = model_field.remote_field.through
            source = f"{model_field.m2m_field_name()}_id"
            target_name = f"{model_field.m2m_reverse_field_name()}_id"
            through.objects.bulk_create(
                [
                    through(**{source: p.organisation.pk, target_name: pk})
                    for p in [*self.new, *self.merged.values()]
                    for pk in sorted(p.links[key])
                ],
                batch_size=1000,
                ignore_conflicts=True,
            )


def _new_organisation(
    municipality: Municipality, values: Mapping[str, Any], slug: str, line: int
) -> Organisation:
    organisation = Organisation(
        municipality=municipality,
        name=values["name"],
        slug=slug,
        type=values["type"],
        sector=values["sector"],
        status=Organisation.Status.PUBLISHED,
        source=Organisation.Source.IMPORT,
    )
    _fill(organisation, values, ())
    try:
        organisation.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise _row_error(line, exc) from exc
    return organisation


def _choose(
    entries: list[dict[str, Any]],
    actions: Mapping[int, str],
    overwrite: Mapping[int, Collection[str]],
) -> set[int]:
    """Record the office's choice on each row; returns the existing entries to merge into."""
    merge_ids = set()
    for entry in entries:
        line = entry["line"]
        action = ACTION_SKIP if entry["errors"] else actions.get(line, entry["action"])
        if action not in ACTIONS:
            raise ValidationError(_("Unknown choice for row %(line)s.") % {"line": line})
        if action == ACTION_MERGE and not (entry["duplicate_of"] or entry.get("duplicate_line")):
            raise ValidationError(
                _("Row %(line)s resembles no other entry; it cannot be merged.") % {"line": line}
            )
        entry["action"] = action
        conflicts = {c["field"] for c in entry.get("conflicts", [])}
        entry["overwrite"] = sorted(set(overwrite.get(line, ())) & conflicts)
        if action == ACTION_MERGE and entry["duplicate_of"]:
            merge_ids.add(entry["duplicate_of"])
    return merge_ids


def import_apply(
    *,
    actor: Any,
    batch: ImportBatch,
    actions: Mapping[int, str],
    overwrite: Mapping[int, Collection[str]],
    skip_invalid: bool = False,
) -> ImportBatch:
    """Create, merge or skip each row of a preview, all in one transaction or none at all."""
    municipality = batch.municipality
    _check_office(actor, municipality)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk, municipality=municipality)
        if locked.status != ImportBatch.Status.PREVIEW:
            raise ValidationError(_("This import has already been applied or cancelled."))
        entries: list[dict[str, Any]] = locked.rows
        invalid = sum(1 for e in entries if e["errors"])
        if invalid and not skip_invalid:
            raise ValidationError(
                ngettext(
                    "%(count)s row has errors. Correct the file and upload it again, or choose "
                    "to import only the valid rows.",
                    "%(count)s rows have errors. Correct the file and upload it again, or choose "
                    "to import only the valid rows.",
                    invalid,
                )
                % {"count": invalid}
            )
        merge_ids = _choose(entries, actions, overwrite)
        plan = _Plan(
            municipality=municipality,
            lookups=_Lookups.load(municipality),
            targets=Organisation.objects.select_for_update()
            .filter(municipality=municipality)
            .in_bulk(sorted(merge_ids)),
            slugs=set(
                Organisation.objects.filter(municipality=municipality).values_list(
                    "slug", flat=True
                )
            ),
        )
        for entry in entries:
            plan.add(entry)
        plan.write()
        for pending in plan.merged.values():
            audit_record(
                actor=actor,
                action="organisation.merged_from_import",
                target=pending.organisation,
                municipality=municipality,
                data={"batch": str(locked.public_id), "fields": sorted(pending.changed)},
            )
        counts = {
            "created": len(plan.new),
            "merged": sum(1 for e in entries if e["action"] == ACTION_MERGE),
            "skipped": sum(1 for e in entries if e["action"] == ACTION_SKIP),
            "invalid": invalid,
        }
        # Once applied, the file's values live in the organisations; the batch keeps only what
        # happened to each row, so no copy of contact data lingers in the import history.
        locked.rows = [
            {k: v for k, v in e.items() if k not in ("values", "conflicts")} for e in entries
        ]
        locked.status = ImportBatch.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.created_count = counts["created"]
        locked.merged_count = counts["merged"]
        locked.skipped_count = counts["skipped"]
        locked.save(
            update_fields=[
                "rows",
                "status",
                "applied_at",
                "created_count",
                "merged_count",
                "skipped_count",
            ]
        )
        audit_record(
            actor=actor,
            action="organisation_import.applied",
            target=locked,
            municipality=municipality,
            data=counts,
        )
    return locked


def import_cancel(*, actor: Any, batch: ImportBatch) -> None:
    """Throw a preview away; an applied import stays on record."""
    municipality = batch.municipality
    _check_office(actor, municipality)
    with transaction.atomic():
        locked = (
            ImportBatch.objects.select_for_update()
            .filter(pk=batch.pk, municipality=municipality)
            .first()
        )
        if locked is None:
            return
        if locked.status != ImportBatch.Status.PREVIEW:
            raise ValidationError(_("An applied import cannot be cancelled."))
        audit_record(
            actor=actor,
            action="organisation_import.cancelled",
            target=locked,
            municipality=municipality,
            data={"rows": len(locked.rows)},
        )
        locked.delete()
