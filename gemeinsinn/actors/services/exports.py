"""Export of a municipality's organisations as CSV (for Excel) and as Open Referral HSDS JSON.

Two variants: "public" holds what the public directory shows (published entries, contact data
only where its visibility is "everybody"); "office" holds every entry with every field, for the
coordination office's own use. The CSV has the columns the import reads, so a file can go round.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import VISIBILITY_FIELDS, Organisation, Visibility
from gemeinsinn.actors.services.imports import (
    COLUMNS,
    LIST_SEPARATOR,
    STATUS_HEADER,
)
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.text import guard_formula

VARIANT_PUBLIC, VARIANT_OFFICE = "public", "office"
VARIANTS = (VARIANT_PUBLIC, VARIANT_OFFICE)
# Contact fields whose visibility the organisation chooses, with the fields that would give
# them away (coordinates reveal the street).
GUARDED = {"street": ("street", "latitude", "longitude")}
# Stable identifiers for the HSDS objects the model has no own id for.
HSDS_NAMESPACE = uuid.UUID("6f1c9b52-55c3-4c1e-9a55-2f3a3f0b8d11")


def _check(actor: Any, municipality: Municipality, variant: str) -> None:
    if not actor.has_perm("core.manage_municipality", municipality):
        raise PermissionDenied(_("Only the coordination office may export the directory."))
    if variant not in VARIANTS:
        raise ValidationError(_("Unknown export variant."))


def _organisations(municipality: Municipality, variant: str) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(municipality=municipality)
    if variant == VARIANT_PUBLIC:
        organisations = organisations.filter(status=Organisation.Status.PUBLISHED)
    return (
        organisations.select_related("municipality__state")
        .prefetch_related("engagement_fields", "target_groups", "districts")
        .order_by("name", "pk")
    )


def _shown(organisation: Organisation, key: str, variant: str) -> bool:
    """Whether a field goes into the export of this variant."""
    if variant == VARIANT_OFFICE:
        return True
    guard = next((g for g, keys in GUARDED.items() if key in keys), key)
    if guard in VISIBILITY_FIELDS:
        return organisation.visibility_of(guard) == Visibility.PUBLIC
    return True


def _names(items: Iterable[Any]) -> list[str]:
    return sorted((item.name for item in items), key=str.casefold)


def _decimal_comma(value: Any) -> str:
    return "" if value is None else str(value).replace(".", ",")


def organisations_csv(*, actor: Any, municipality: Municipality, variant: str) -> str:
    """The organisations as CSV for Excel: UTF-8 with BOM, semicolons, German headers."""
    _check(actor, municipality, variant)
    columns = list(COLUMNS)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = [c.header for c in columns]
    if variant == VARIANT_OFFICE:
        header.append(STATUS_HEADER)
    writer.writerow(header)
    with translation.override("de"), transaction.atomic():
        organisations = list(_organisations(municipality, variant))
        for organisation in organisations:
            row = []
            for column in columns:
                key = column.key
                if not _shown(organisation, key, variant):
                    row.append("")
                elif key == "type":
                    row.append(str(organisation.get_type_display()))
                elif key == "sector":
                    row.append(str(organisation.get_sector_display()))
                elif key == "fields":
                    row.append(LIST_SEPARATOR.join(_names(organisation.engagement_fields.all())))
                elif key == "target_groups":
                    row.append(LIST_SEPARATOR.join(_names(organisation.target_groups.all())))
                elif key == "districts":
                    row.append(LIST_SEPARATOR.join(_names(organisation.districts.all())))
                elif key in ("latitude", "longitude"):
                    row.append(_decimal_comma(getattr(organisation, key)))
                else:
                    row.append(str(getattr(organisation, key) or ""))
            if variant == VARIANT_OFFICE:
                row.append(str(organisation.get_status_display()))
            writer.writerow([guard_formula(cell) for cell in row])
        _audit(actor, municipality, variant, "csv", len(organisations))
    return out.getvalue()


def _audit(actor: Any, municipality: Municipality, variant: str, fmt: str, count: int) -> None:
    audit_record(
        actor=actor,
        action="organisation.exported",
        municipality=municipality,
        data={"format": fmt, "variant": variant, "organisations": count},
    )


def _id(*parts: object) -> str:
    return str(uuid.uuid5(HSDS_NAMESPACE, ":".join(str(p) for p in parts)))


def _terms(
    organisation: Organisation, org_id: str, taxonomy: str, items: Iterable[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Taxonomy terms linked to the organisation (HSDS attribute objects)."""
    attributes = []
    for code, name in items:
        term_id = _id(organisation.municipality_id, taxonomy, code)
        attributes.append(
            {
                "id": _id(org_id, "attribute", taxonomy, code),
                "link_id": org_id,
                "link_type": taxonomy,
                "link_entity": "organization",
                "taxonomy_term_id": term_id,
                "taxonomy_term": {
                    "id": term_id,
                    "code": code,
                    "name": name,
                    "description": "",
                    "taxonomy": f"gemeinsinn:{taxonomy}",
                    "language": "de",
                },
            }
        )
    return attributes


def hsds_organization(
    organisation: Organisation, *, variant: str, profile_url: str = ""
) -> dict[str, Any]:
    """One organisation as an HSDS 3 organization object with its location, phones, contact."""
    org_id = str(organisation.public_id)

    def shown(key: str) -> bool:
        return _shown(organisation, key, variant)

    data: dict[str, Any] = {
        "id": org_id,
        "name": organisation.name,
        "description": organisation.description,
    }
    if organisation.email and shown("email"):
        data["email"] = organisation.email
    if organisation.website:
        data["website"] = organisation.website
    if profile_url:
        data["uri"] = profile_url
    data["legal_status"] = str(organisation.get_type_display())
    if organisation.phone and shown("phone"):
        data["phones"] = [
            {
                "id": _id(org_id, "phone"),
                "organization_id": org_id,
                "number": organisation.phone,
                "type": "voice",
            }
        ]
    contact: dict[str, Any] = {}
    if organisation.contact_name and shown("contact_name"):
        contact["name"] = organisation.contact_name
    if organisation.contact_email and shown("contact_email"):
        contact["email"] = organisation.contact_email
    if organisation.contact_phone and shown("contact_phone"):
        contact["phones"] = [
            {"id": _id(org_id, "contact", "phone"), "number": organisation.contact_phone}
        ]
    if contact:
        contact_id = _id(org_id, "contact")
        for phone in contact.get("phones", []):
            phone["contact_id"] = contact_id
        data["contacts"] = [{"id": contact_id, "organization_id": org_id, **contact}]
    location: dict[str, Any] = {
        "id": _id(org_id, "location"),
        "location_type": "physical",
        "organization_id": org_id,
        "name": organisation.name,
    }
    if shown("street"):
        if organisation.latitude is not None and organisation.longitude is not None:
            location["latitude"] = float(organisation.latitude)
            location["longitude"] = float(organisation.longitude)
        if organisation.street and organisation.city:
            location["addresses"] = [
                {
                    "id": _id(org_id, "address"),
                    "location_id": location["id"],
                    "address_1": organisation.street,
                    "city": organisation.city,
                    "state_province": organisation.municipality.state.name,
                    "postal_code": organisation.postcode,
                    "country": "DE",
                    "address_type": "physical",
                }
            ]
    if organisation.opening_hours and shown("opening_hours"):
        location["description"] = organisation.opening_hours
    if len(location) > 4:
        data["locations"] = [location]
    attributes = [
        *_terms(
            organisation, org_id, "organisation-type", [(organisation.type, data["legal_status"])]
        ),
        *_terms(
            organisation,
            org_id,
            "sector",
            [(organisation.sector, str(organisation.get_sector_display()))],
        ),
        *_terms(
            organisation,
            org_id,
            "field-of-engagement",
            [(f.slug, f.name) for f in organisation.engagement_fields.all()],
        ),
        *_terms(
            organisation,
            org_id,
            "target-group",
            [(g.slug, g.name) for g in organisation.target_groups.all()],
        ),
        *_terms(
            organisation,
            org_id,
            "district",
            [(d.slug, d.name) for d in organisation.districts.all()],
        ),
    ]
    data["attributes"] = attributes
    return data


def organisations_hsds(
    *, actor: Any, municipality: Municipality, variant: str, profile_base_url: str = ""
) -> list[dict[str, Any]]:
    """The organisations as a list of Open Referral HSDS 3 organization objects."""
    _check(actor, municipality, variant)
    with translation.override("de"), transaction.atomic():
        organisations = list(_organisations(municipality, variant))
        result = [
            hsds_organization(
                o,
                variant=variant,
                profile_url=f"{profile_base_url}{o.slug}/"
                if profile_base_url and o.status == Organisation.Status.PUBLISHED
                else "",
            )
            for o in organisations
        ]
        _audit(actor, municipality, variant, "hsds", len(organisations))
    return result
