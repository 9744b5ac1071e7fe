"""Open data: the bagfa CSV for the coordination office and the JSON-LD list for everybody."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conftest import client_for
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.opportunities.models import Opportunity, slots_from_keys
from gemeinsinn.opportunities.services.exports import BAGFA_COLUMNS, opportunities_bagfa_csv
from gemeinsinn.opportunities.tests.test_search_support import (
    district,
    english_fixture,
    make_opportunity,
    town_fixture,
    url,
)

__all__ = ["english_fixture", "town_fixture"]

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def listed(town: Any, organisation: Any) -> Opportunity:
    make_opportunity(organisation, "Entwurf", status=Opportunity.Status.DRAFT)
    make_opportunity(
        organisation, "Abgelaufen", expires_on=timezone.localdate() - timedelta(days=1)
    )
    return make_opportunity(
        organisation,
        '=HYPERLINK("http://evil.example")',
        description='Lebensmittel ausgeben; mit "Anführungszeichen".\nZweite Zeile.',
        fields=["soziales", "gesundheit"],
        groups=["seniorinnen-senioren"],
        skills=["fahren"],
        street="Hauptstraße 1",
        postcode="83022",
        city="Musterstadt",
        district=district(town, "altstadt"),
        hours_per_week=Decimal("2.5"),
        time_slots=slots_from_keys(["tue_evening"]),
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 9, 30),
        contact_name="Otto Ortmann",
        contact_email="otto@tafel.example",
        contact_phone="+49 8031 12345",
        people_wanted=3,
        place_accessibility="yes",
    )


def rows(body: str) -> list[dict[str, str]]:
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:]), delimiter=";"))


def test_the_bagfa_csv_has_the_documented_columns_and_only_live_opportunities(
    listed: Opportunity, town: Any, coordinator: Any
) -> None:
    body = opportunities_bagfa_csv(actor=coordinator, municipality=town)
    assert body.splitlines()[0] == "\ufeff" + ";".join(BAGFA_COLUMNS)
    [row] = rows(body)
    assert row["Titel"] == '\'=HYPERLINK("http://evil.example")'  # no formula in Excel
    assert row["Beschreibung"] == 'Lebensmittel ausgeben; mit "Anführungszeichen".\nZweite Zeile.'
    assert row["Organisation"] == "Tafel Musterstadt e. V."
    assert (row["Einsatzort PLZ"], row["Einsatzort Ort"]) == ("83022", "Musterstadt")
    assert row["Stadtteil"] == "Altstadt"
    assert row["Engagementbereich"] == "Gesundheitsbereich, Sozialer Bereich"
    assert row["Zielgruppe"] == "Seniorinnen und Senioren"
    assert row["Gesuchte Kompetenzen"] == "Fahren (Führerschein)"
    # German words, whatever language the office works in.
    assert row["Zeitaufwand"].startswith("2,5 ")
    assert row["Zeiten"].startswith("Dienstag: ")
    assert (row["Beginn"], row["Ende"]) == ("01.04.2026", "30.09.2026")
    assert row["Kontakt E-Mail"] == "otto@tafel.example"
    assert row["Kontakt Telefon"] == "+49 8031 12345"  # a phone number is not a formula
    assert row["Link"] == (
        f"http://127.0.0.1:8000/musterstadt/engagement/angebot/{listed.public_id}/"
    )
    assert row["Anzahl gesuchter Freiwilliger"] == "3"
    assert row["Von zu Hause möglich"] == "nein"
    assert row["Kennung"] == str(listed.public_id)


def test_only_the_office_of_the_town_may_export(
    listed: Any, town: Any, volunteer: Any, org_admin: Any, other_coordinator: Any
) -> None:
    for person in (volunteer, org_admin, other_coordinator):
        with pytest.raises(PermissionDenied):
            opportunities_bagfa_csv(actor=person, municipality=town)


def test_the_office_downloads_the_bagfa_csv_and_the_download_is_audited(
    listed: Opportunity, town: Any, coordinator: Any
) -> None:
    response = client_for(coordinator).get(url("export_bagfa", town))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'attachment; filename="engagementangebote-musterstadt-bagfa-'
        in (response["Content-Disposition"])
    )
    assert response["Cache-Control"] == "no-store"
    assert len(rows(response.content.decode("utf-8"))) == 1
    event = AuditEvent.objects.get(action="opportunity.exported")
    assert event.data == {"format": "bagfa-csv", "opportunities": 1}
    assert event.municipality == town


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("volunteer", 403),
        ("org_admin", 403),
        ("other_coordinator", 403),
        ("coordinator", 200),
        ("platform_admin", 200),
    ],
)
def test_who_may_download_the_bagfa_csv(
    listed: Any, town: Any, who: str | None, status: int, request: Any
) -> None:
    person = request.getfixturevalue(who) if who else None
    assert client_for(person).get(url("export_bagfa", town)).status_code == status


def test_the_json_ld_list_holds_every_live_opportunity_as_a_job_posting(
    listed: Opportunity, town: Any, organisation: Any, django_assert_max_num_queries: Any
) -> None:
    response = client_for(None).get(url("opendata_jsonld", town))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    data = json.loads(response.content)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ItemList"
    assert data["numberOfItems"] == 1
    [element] = data["itemListElement"]
    posting = element["item"]
    assert element["position"] == 1
    assert posting["@type"] == "JobPosting"
    assert "@context" not in posting
    assert posting["title"] == listed.title
    assert posting["employmentType"] == "VOLUNTEER"
    for n in range(10):
        make_opportunity(organisation, f"Mehr {n}", fields=["soziales"])
    with django_assert_max_num_queries(8):
        data = client_for(None).get(url("opendata_jsonld", town)).json()
    assert data["numberOfItems"] == 11


def test_the_json_ld_list_of_another_town_is_its_own(listed: Any, other_municipality: Any) -> None:
    data = client_for(None).get(url("opendata_jsonld", other_municipality)).json()
    assert data["numberOfItems"] == 0
