"""Export of the directory as CSV for Excel and as Open Referral HSDS JSON."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import client_for
from gemeinsinn.actors import services
from gemeinsinn.actors.models import FieldOfEngagement, Organisation, TargetGroup
from gemeinsinn.core.models import AuditEvent, TownDistrict

DATA = Path(__file__).parent / "data"
EXPORT_URL = "/musterstadt/akteure/verwaltung/export/"


@pytest.fixture(scope="module")
def hsds_validator() -> Any:
    schema = json.loads(gzip.decompress((DATA / "hsds" / "organization.json.gz").read_bytes()))
    validator_class = jsonschema.validators.validator_for(schema, jsonschema.Draft202012Validator)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _districts(municipality: Any) -> None:
    for name, slug in (("Altstadt", "altstadt"), ("Nord", "nord"), ("Süd", "sued")):
        TownDistrict.objects.create(municipality=municipality, name=name, slug=slug)


@pytest.fixture
def town(municipality: Any) -> Any:
    services.taxonomies_ensure(municipality=municipality)
    _districts(municipality)
    return municipality


@pytest.fixture
def full(town: Any) -> Organisation:
    """An organisation with every field filled, its street and contact person not public."""
    organisation = services.organisation_create(
        actor="test",
        municipality=town,
        name="Seniorenbüro Musterstadt",
        type="senior_office",
        sector="administration",
        published=True,
        description="Beratung; „Tipps“ für\nältere Menschen.",
        street="Rathausplatz 1",
        postcode="83022",
        city="Musterstadt",
        email="senioren@musterstadt.example",
        phone="+49 8031 365-0",
        website="https://www.musterstadt.example/senioren",
        latitude=Decimal("47.856100"),
        longitude=Decimal("12.128200"),
        contact_name="Erika Muster",
        contact_email="erika.muster@musterstadt.example",
        contact_phone="08031 365-12",
        opening_hours="Mo–Fr 9–12 Uhr",
    )
    organisation.visibility = {**organisation.visibility, "street": "members"}
    organisation.save(update_fields=["visibility"])
    organisation.engagement_fields.set(
        FieldOfEngagement.objects.filter(municipality=town, slug__in=["soziales", "gesundheit"])
    )
    organisation.target_groups.set(
        TargetGroup.objects.filter(municipality=town, slug="seniorinnen-senioren")
    )
    organisation.districts.set(TownDistrict.objects.filter(municipality=town))
    return organisation


@pytest.fixture
def pending(town: Any) -> Organisation:
    return services.organisation_create(
        actor="test",
        municipality=town,
        name="Neue Initiative",
        type="initiative",
        sector="citizens",
        description='=HYPERLINK("http://evil.example")',
    )


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_the_csv_export_is_for_excel_utf8_with_bom_semicolons_and_german_headers(
    full: Organisation, coordinator: Any
) -> None:
    text = services.organisations_csv(
        actor=coordinator, municipality=full.municipality, variant="office"
    )
    assert text.startswith("\ufeffName;Typ;Sektor;Beschreibung;Straße;PLZ;Ort;E-Mail;Telefon;")
    assert "\r\n" in text
    (row,) = read_csv(text)
    assert row["Typ"] == "Seniorenbüro"
    assert row["Sektor"] == "Verwaltung"
    assert row["Bereiche"] == "Gesundheitsbereich|Sozialer Bereich"
    assert row["Stadtteile"] == "Altstadt|Nord|Süd"
    assert (row["Breitengrad"], row["Längengrad"]) == ("47,856100", "12,128200")
    assert row["Telefon"] == "+49 8031 365-0"
    assert row["Beschreibung"] == "Beratung; „Tipps“ für\nältere Menschen."
    assert row["Ansprechperson"] == "Erika Muster"
    with translation.override("de"):
        assert row["Status"] == str(Organisation.Status.PUBLISHED.label)


def test_the_public_csv_holds_only_published_entries_and_public_contact_data(
    full: Organisation, pending: Organisation, organisation: Organisation, coordinator: Any
) -> None:
    text = services.organisations_csv(
        actor=coordinator, municipality=full.municipality, variant="public"
    )
    rows = read_csv(text)
    assert [r["Name"] for r in rows] == ["Seniorenbüro Musterstadt", "Tafel Musterstadt e. V."]
    assert rows[0]["Ansprechperson"] == ""  # for members only
    assert rows[0]["Öffnungszeiten"] == "Mo–Fr 9–12 Uhr"
    assert "Status" not in rows[0]
    assert "erika" not in text.casefold()
    # The street is for members only, and the coordinates would give it away.
    assert (rows[0]["Straße"], rows[0]["Breitengrad"], rows[0]["Längengrad"]) == ("", "", "")
    assert rows[0]["E-Mail"] == "senioren@musterstadt.example"
    assert rows[0]["PLZ"] == "83022"


def test_the_office_csv_holds_every_entry_with_a_guard_against_formulas(
    full: Organisation, pending: Organisation, coordinator: Any
) -> None:
    text = services.organisations_csv(
        actor=coordinator, municipality=full.municipality, variant="office"
    )
    rows = {r["Name"]: r for r in read_csv(text)}
    assert set(rows) == {"Seniorenbüro Musterstadt", "Neue Initiative"}
    assert rows["Neue Initiative"]["Beschreibung"] == '\'=HYPERLINK("http://evil.example")'


def test_a_csv_export_can_be_imported_again_with_the_same_data(
    full: Organisation,
    pending: Organisation,
    coordinator: Any,
    other_municipality: Any,
    other_coordinator: Any,
) -> None:
    services.taxonomies_ensure(municipality=other_municipality)
    _districts(other_municipality)
    text = services.organisations_csv(
        actor=coordinator, municipality=full.municipality, variant="office"
    )
    upload = services.import_preview_create(
        actor=other_coordinator,
        municipality=other_municipality,
        filename="export.csv",
        data=text.encode("utf-8"),
    )
    assert upload.ignored_columns == []
    assert [row["errors"] for row in upload.batch.rows] == [[], []]
    services.import_apply(actor=other_coordinator, batch=upload.batch, actions={}, overwrite={})
    for original in (full, pending):
        copy = Organisation.objects.get(municipality=other_municipality, name=original.name)
        for field in (
            "type",
            "sector",
            "description",
            "street",
            "postcode",
            "city",
            "email",
            "phone",
            "website",
            "latitude",
            "longitude",
            "contact_name",
            "contact_email",
            "contact_phone",
            "opening_hours",
        ):
            assert getattr(copy, field) == getattr(original, field), field
        for relation in ("engagement_fields", "target_groups", "districts"):
            assert sorted(x.slug for x in getattr(copy, relation).all()) == sorted(
                x.slug for x in getattr(original, relation).all()
            ), relation


def test_the_hsds_export_validates_against_the_open_referral_schema(
    full: Organisation,
    pending: Organisation,
    organisation: Organisation,
    coordinator: Any,
    hsds_validator: Any,
) -> None:
    for variant in ("public", "office"):
        data = services.organisations_hsds(
            actor=coordinator,
            municipality=full.municipality,
            variant=variant,
            profile_base_url="https://gemeinsinn.example/musterstadt/akteure/",
        )
        assert isinstance(data, list)
        for organization in data:
            errors = sorted(hsds_validator.iter_errors(organization), key=str)
            assert errors == [], [e.message for e in errors]
        assert json.loads(json.dumps(data)) == data


def test_the_hsds_export_maps_address_location_phones_and_contact(
    full: Organisation, coordinator: Any
) -> None:
    (office,) = services.organisations_hsds(
        actor=coordinator,
        municipality=full.municipality,
        variant="office",
        profile_base_url="https://gemeinsinn.example/musterstadt/akteure/",
    )
    assert office["id"] == str(full.public_id)
    assert (
        office["uri"] == "https://gemeinsinn.example/musterstadt/akteure/seniorenbuero-musterstadt/"
    )
    assert office["phones"][0]["number"] == "+49 8031 365-0"
    (location,) = office["locations"]
    assert (location["latitude"], location["longitude"]) == (47.8561, 12.1282)
    (address,) = location["addresses"]
    assert address["address_1"] == "Rathausplatz 1"
    assert (address["postal_code"], address["city"], address["state_province"]) == (
        "83022",
        "Musterstadt",
        "Bayern",
    )
    assert address["country"] == "DE"
    (contact,) = office["contacts"]
    assert contact["name"] == "Erika Muster"
    assert contact["phones"][0]["number"] == "08031 365-12"
    terms = {(a["link_type"], a["taxonomy_term"]["code"]) for a in office["attributes"]}
    assert ("field-of-engagement", "soziales") in terms
    assert ("district", "sued") in terms
    assert ("organisation-type", "senior_office") in terms


def test_the_public_hsds_export_holds_no_contact_data_hidden_from_the_public(
    full: Organisation, pending: Organisation, coordinator: Any
) -> None:
    (public,) = services.organisations_hsds(
        actor=coordinator, municipality=full.municipality, variant="public"
    )
    assert public["name"] == "Seniorenbüro Musterstadt"
    assert "contacts" not in public
    assert "addresses" not in public.get("locations", [{}])[0]
    assert "latitude" not in public.get("locations", [{}])[0]
    assert public["email"] == "senioren@musterstadt.example"
    assert "Erika" not in json.dumps(public)


def test_only_the_office_of_the_municipality_may_export(
    full: Organisation, other_coordinator: Any, org_admin: Any, volunteer: Any
) -> None:
    for person in (other_coordinator, org_admin, volunteer):
        with pytest.raises(PermissionDenied):
            services.organisations_csv(
                actor=person, municipality=full.municipality, variant="public"
            )
        with pytest.raises(PermissionDenied):
            services.organisations_hsds(
                actor=person, municipality=full.municipality, variant="public"
            )


def test_the_export_page_downloads_a_file_and_writes_an_audit_row(
    full: Organisation, coordinator: Any
) -> None:
    client = client_for(coordinator)
    page = client.get(EXPORT_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Internal (coordination office only)" in html
    assert "Public: published entries" in html

    response = client.post(EXPORT_URL, {"variant": "office", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="organisationen-musterstadt-office-'
    )
    assert response.content.startswith(b"\xef\xbb\xbfName;Typ;")
    assert b"Erika Muster" in response.content

    response = client.post(EXPORT_URL, {"variant": "public", "format": "hsds"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    (organization,) = json.loads(response.content)
    assert organization["uri"] == "http://testserver/musterstadt/akteure/seniorenbuero-musterstadt/"
    events = AuditEvent.objects.filter(action="organisation.exported").order_by("pk")
    assert [e.data for e in events] == [
        {"format": "csv", "variant": "office", "organisations": 1},
        {"format": "hsds", "variant": "public", "organisations": 1},
    ]


def test_a_bad_export_choice_shows_the_form_again(full: Organisation, coordinator: Any) -> None:
    response = client_for(coordinator).post(EXPORT_URL, {"variant": "alles", "format": "xml"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_export_page_is_for_the_office_of_the_municipality_only(
    full: Organisation,
    other_coordinator: Any,
    volunteer: Any,
    org_admin: Any,
    platform_admin: Any,
) -> None:
    anonymous = client_for(None).get(EXPORT_URL)
    assert anonymous.status_code == 302
    assert "/konto/login/" in anonymous["Location"]
    for person in (other_coordinator, volunteer, org_admin):
        assert client_for(person).get(EXPORT_URL).status_code == 403
        response = client_for(person).post(EXPORT_URL, {"variant": "office", "format": "csv"})
        assert response.status_code == 403
    assert client_for(platform_admin).get(EXPORT_URL).status_code == 200
    # Beispielhausen's office exports Beispielhausen, never Musterstadt.
    response = client_for(other_coordinator).post(
        "/beispielhausen/akteure/verwaltung/export/", {"variant": "office", "format": "csv"}
    )
    assert response.status_code == 200
    assert b"Seniorenb" not in response.content


def test_an_export_costs_the_same_queries_for_few_or_many_organisations(
    full: Organisation, coordinator: Any
) -> None:
    def count(fmt: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            if fmt == "csv":
                services.organisations_csv(
                    actor=coordinator, municipality=full.municipality, variant="office"
                )
            else:
                services.organisations_hsds(
                    actor=coordinator, municipality=full.municipality, variant="office"
                )
        return len(queries)

    count("csv")  # the first call also loads the permissions of the person
    few = {fmt: count(fmt) for fmt in ("csv", "hsds")}
    for n in range(6):
        copy = services.organisation_create(
            actor="test",
            municipality=full.municipality,
            name=f"Verein {n}",
            type="club",
            sector="civil_society",
            published=True,
        )
        copy.engagement_fields.set(full.engagement_fields.all())
        copy.districts.set(full.districts.all())
    assert {fmt: count(fmt) for fmt in ("csv", "hsds")} == few
