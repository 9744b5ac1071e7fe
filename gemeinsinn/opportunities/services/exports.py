"""Export of a municipality's live opportunities for the national volunteer database (bagfa).

The coordination office downloads a CSV for Excel (UTF-8 with BOM, semicolons, German headers)
and uploads it to the Engagementdatenbank of the bagfa (Bundesarbeitsgemeinschaft der
Freiwilligenagenturen). Only what the public opportunity page shows goes into the file.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.text import guard_formula
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.opportunities.selectors.search import opportunities_open_data
from gemeinsinn.opportunities.services.opportunities import absolute_url
from gemeinsinn.opportunities.templatetags.opportunity_card import effort_words, time_words

# The columns in the field order of the bagfa Engagementdatenbank's import template as far as
# it is public (title, description, organisation, place, field, target group, effort, start,
# end, contact, link); the fields it has no column for in that order follow after the link.
# Change the order here only together with the template.
BAGFA_COLUMNS: tuple[str, ...] = (
    "Titel",
    "Beschreibung",
    "Organisation",
    "Einsatzort Straße",
    "Einsatzort PLZ",
    "Einsatzort Ort",
    "Stadtteil",
    "Engagementbereich",
    "Zielgruppe",
    "Zeitaufwand",
    "Zeiten",
    "Beginn",
    "Ende",
    "Kontaktperson",
    "Kontakt E-Mail",
    "Kontakt Telefon",
    "Link",
    "Art des Engagements",
    "Gesuchte Kompetenzen",
    "Anzahl gesuchter Freiwilliger",
    "Mindestalter",
    "Barrierefreiheit des Einsatzortes",
    "Von zu Hause möglich",
    "Angebot gültig bis",
    "Kennung",
)
LIST_SEPARATOR = ", "


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _names(items: Any) -> str:
    return LIST_SEPARATOR.join(sorted((item.name for item in items), key=str.casefold))


def bagfa_row(opportunity: Opportunity) -> list[str]:
    """One opportunity as the cells of BAGFA_COLUMNS, in that order."""
    municipality = opportunity.municipality
    return [
        opportunity.title,
        opportunity.description,
        opportunity.organisation.name,
        opportunity.street,
        opportunity.postcode,
        opportunity.city or ("" if opportunity.is_remote else municipality.name),
        opportunity.district.name if opportunity.district else "",
        _names(opportunity.engagement_fields.all()),
        _names(opportunity.target_groups.all()),
        effort_words(opportunity),
        "; ".join(time_words(opportunity)),
        _day(opportunity.starts_on),
        _day(opportunity.ends_on),
        opportunity.contact_name,
        opportunity.contact_email,
        opportunity.contact_phone,
        absolute_url("opportunities:detail", municipality, public_id=opportunity.public_id),
        str(opportunity.get_kind_display()),
        _names(opportunity.skills.all()),
        str(opportunity.people_wanted),
        "" if opportunity.minimum_age is None else str(opportunity.minimum_age),
        str(opportunity.get_place_accessibility_display()),
        "ja" if opportunity.is_remote else "nein",
        _day(opportunity.expires_on),
        str(opportunity.public_id),
    ]


def opportunities_bagfa_csv(
    *, actor: Any, municipality: Municipality, today: date | None = None
) -> str:
    """The municipality's live opportunities as a bagfa CSV for Excel (UTF-8 with BOM, `;`)."""
    if not actor.has_perm("core.manage_municipality", municipality):
        raise PermissionDenied(_("Only the coordination office may export the opportunities."))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(BAGFA_COLUMNS)
    with translation.override("de"), transaction.atomic():
        count = 0
        rows = opportunities_open_data(municipality=municipality, today=today)
        for opportunity in rows.iterator(chunk_size=500):
            writer.writerow([guard_formula(cell) for cell in bagfa_row(opportunity)])
            count += 1
        audit_record(
            actor=actor,
            action="opportunity.exported",
            municipality=municipality,
            data={"format": "bagfa-csv", "opportunities": count},
        )
    return out.getvalue()
