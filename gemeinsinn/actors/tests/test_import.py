"""CSV import of organisations: encodings, delimiters, per-row errors, duplicates, one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import translation

from conftest import client_for
from gemeinsinn.actors import services
from gemeinsinn.actors.models import ImportBatch, Membership, Organisation
from gemeinsinn.actors.services import imports
from gemeinsinn.core.models import AuditEvent, TownDistrict

DATA = Path(__file__).parent / "data"
IMPORT_URL = "/musterstadt/akteure/verwaltung/import/"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are checked in English: the German catalogue is filled in separately."""
    with translation.override("en"):
        yield


@pytest.fixture
def town(municipality: Any) -> Any:
    """Musterstadt with the default taxonomies and three Stadtteile."""
    services.taxonomies_ensure(municipality=municipality)
    for name, slug in (("Altstadt", "altstadt"), ("Nord", "nord"), ("Süd", "sued")):
        TownDistrict.objects.create(municipality=municipality, name=name, slug=slug)
    return municipality


def preview(town: Any, coordinator: Any, filename: str) -> ImportBatch:
    data = (DATA / filename).read_bytes()
    return services.import_preview_create(
        actor=coordinator, municipality=town, filename=filename, data=data
    ).batch


def upload(client: Any, name: str, data: bytes, **extra: Any) -> Any:
    return client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


# --- reading files -------------------------------------------------------------------------------


def test_a_utf8_file_with_semicolons_and_german_headers_is_read(
    town: Any, coordinator: Any
) -> None:
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    assert (batch.encoding, batch.delimiter) == ("utf-8", ";")
    assert batch.status == ImportBatch.Status.PREVIEW
    assert [row["line"] for row in batch.rows] == [2, 3, 4]
    assert all(row["errors"] == [] for row in batch.rows)
    sport = batch.rows[0]["values"]
    assert sport["type"] == "club"
    assert sport["sector"] == "civil_society"
    assert sport["fields"] == ["Sport und Bewegung", "Freizeit und Geselligkeit"]
    assert sport["districts"] == ["Altstadt", "Süd"]
    assert sport["website"] == "https://www.gruen-weiss.example"
    assert (sport["latitude"], sport["longitude"]) == ("47.856100", "12.128200")
    # German labels of types and sectors; a missing sector follows from the type.
    assert batch.rows[1]["values"]["type"] == "senior_office"
    assert batch.rows[1]["values"]["sector"] == "administration"
    assert batch.rows[2]["values"]["sector"] == "civil_society"
    assert Organisation.objects.filter(source="import").count() == 0


def test_a_utf8_file_with_bom_commas_and_english_headers_is_read(
    town: Any, coordinator: Any
) -> None:
    batch = preview(town, coordinator, "organisations_utf8_bom_comma.csv")
    assert (batch.encoding, batch.delimiter) == ("utf-8-sig", ",")
    assert all(row["errors"] == [] for row in batch.rows)
    agency, house = (row["values"] for row in batch.rows)
    assert agency["name"] == "Freiwilligenagentur Musterstadt"
    assert agency["type"] == "volunteer_agency"
    assert agency["description"] == "Vermittelt Ehrenamt – schnell und unkompliziert."
    assert agency["districts"] == ["Altstadt", "Nord", "Süd"]
    assert agency["phone"] == "+49 8031 5550"
    assert house["type"] == "multi_generation_house"
    assert house["street"] == "Äußere Rosenheimer Straße 40"


def test_a_windows_1252_file_is_read_with_its_umlauts_and_typographic_characters(
    town: Any, coordinator: Any
) -> None:
    batch = preview(town, coordinator, "organisations_cp1252_semicolon.csv")
    assert (batch.encoding, batch.delimiter) == ("windows-1252", ";")
    foundation = batch.rows[2]["values"]
    assert foundation["name"] == "Bürgerstiftung Musterstadt"
    assert foundation["description"] == "Fördert Projekte – „gemeinsam stark“, ab 5 € im Jahr."
    assert foundation["street"] == "Münchener Straße 5"


def test_a_tab_separated_file_is_read(town: Any, coordinator: Any) -> None:
    batch = preview(town, coordinator, "organisations_cp1252_tab.csv")
    assert batch.delimiter == "\t"
    assert [row["values"]["name"] for row in batch.rows][:1] == [
        "Sportverein Grün-Weiß Musterstadt"
    ]
    assert all(row["errors"] == [] for row in batch.rows)


@pytest.mark.parametrize(
    "data",
    [
        b"Name;Typ\r\nVerein \x81\x8d\x90;Verein\r\n",  # bytes neither UTF-8 nor Windows-1252 know
        "Name;Typ\r\nTafel;Verein\r\n".encode("utf-16"),
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # a spreadsheet (.xlsx)
    ],
    ids=["undecodable", "utf-16", "xlsx"],
)
def test_a_file_that_is_not_readable_text_is_refused_and_nothing_is_stored(
    town: Any, coordinator: Any, data: bytes
) -> None:
    with pytest.raises(ValidationError) as error:
        services.import_preview_create(
            actor=coordinator, municipality=town, filename="x.csv", data=data
        )
    assert "UTF-8" in " ".join(error.value.messages)
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"Typ;Ort\r\nVerein;Musterstadt\r\n", "no column \u201cName\u201d"),
        (b"Name;Ort\r\n", "no organisations"),
        (b"Name;name\r\nA;B\r\n", "appears twice"),
    ],
)
def test_a_file_without_usable_rows_is_refused_with_a_clear_message(
    town: Any, coordinator: Any, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.import_preview_create(
            actor=coordinator, municipality=town, filename="x.csv", data=data
        )
    assert message in " ".join(error.value.messages)
    assert ImportBatch.objects.count() == 0


def test_a_file_with_too_many_rows_is_refused(
    town: Any, coordinator: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    with pytest.raises(ValidationError, match="more than 2 rows"):
        preview(town, coordinator, "organisations_utf8_semicolon.csv")


def test_rows_with_errors_get_plain_messages_with_their_spreadsheet_row_number(
    town: Any, coordinator: Any
) -> None:
    batch = preview(town, coordinator, "organisations_with_errors.csv")
    errors = {row["line"]: row["errors"] for row in batch.rows}
    assert errors[2] == []
    assert errors[3] == [
        "Row 3: The postcode \u201c8031\u201d does not have five digits. Spreadsheet programs "
        "drop a leading zero (01067 becomes 1067); format the column as text.",
        "Row 3: The e-mail address \u201ckein-at-zeichen\u201d is not valid.",
    ]
    assert errors[4] == ["Row 4: The name is missing."]
    assert errors[5] == [
        "Row 5: The type \u201cGesangsverein\u201d is unknown. The import page lists the types "
        "it understands.",
        "Row 5: The latitude \u201c100\u201d is not a number between -90 and 90.",
        "Row 5: The field of engagement \u201cSingen\u201d does not exist in Musterstadt.",
    ]
    assert errors[6] == ["Row 6: Please give both latitude and longitude, or neither."]
    assert errors[7] == []
    assert [row["action"] for row in batch.rows] == [
        "create",
        "skip",
        "skip",
        "skip",
        "skip",
        "create",
    ]


# --- applying -------------------------------------------------------------------------------------


def test_applying_is_refused_while_rows_have_errors(town: Any, coordinator: Any) -> None:
    batch = preview(town, coordinator, "organisations_with_errors.csv")
    with pytest.raises(ValidationError, match="4 rows have errors"):
        services.import_apply(actor=coordinator, batch=batch, actions={}, overwrite={})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert not Organisation.objects.filter(source="import").exists()


def test_importing_only_the_valid_rows_creates_published_claimable_entries(
    town: Any, coordinator: Any
) -> None:
    batch = preview(town, coordinator, "organisations_with_errors.csv")
    applied = services.import_apply(
        actor=coordinator, batch=batch, actions={}, overwrite={}, skip_invalid=True
    )
    created = Organisation.objects.filter(source="import").order_by("name")
    assert [o.name for o in created] == ["Lesepaten", "Tafel Nord"]
    for organisation in created:
        assert organisation.status == Organisation.Status.PUBLISHED
        assert organisation.municipality == town
        assert organisation.claimed_at is None
        assert not organisation.is_claimed
        assert not Membership.objects.filter(organisation=organisation).exists()
    assert [f.slug for f in created[0].engagement_fields.all()] == ["schule-kindergarten"]
    assert created[0].type == "initiative"
    assert (applied.status, applied.created_count, applied.merged_count, applied.skipped_count) == (
        ImportBatch.Status.APPLIED,
        2,
        0,
        4,
    )
    assert applied.applied_at is not None
    event = AuditEvent.objects.get(action="organisation_import.applied")
    assert event.data == {"created": 2, "merged": 0, "skipped": 4, "invalid": 4}
    assert event.municipality == town
    assert event.actor == coordinator


def test_every_column_of_a_clean_file_lands_in_the_new_entries(town: Any, coordinator: Any) -> None:
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    services.import_apply(actor=coordinator, batch=batch, actions={}, overwrite={})
    sport = Organisation.objects.get(name="Sportverein Grün-Weiß Musterstadt")
    assert sport.slug == "sportverein-gruen-weiss-musterstadt"
    assert (sport.street, sport.postcode, sport.city) == (
        "Schützenstraße 12",
        "83022",
        "Musterstadt",
    )
    assert (sport.email, sport.phone) == ("info@gruen-weiss.example", "08031 12345")
    assert str(sport.latitude) == "47.856100"
    assert sorted(d.name for d in sport.districts.all()) == ["Altstadt", "Süd"]
    assert sorted(t.slug for t in sport.target_groups.all()) == ["jugendliche", "kinder"]
    assert sport.engagement_fields.count() == 2


def test_a_failure_in_a_later_row_leaves_no_new_row_behind(
    town: Any, coordinator: Any, monkeypatch: Any
) -> None:
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    original = imports._new_organisation

    def fail_on_row_4(municipality: Any, values: Any, slug: str, line: int) -> Organisation:
        if line == 4:
            raise ValidationError("Row 4: broken")
        return original(municipality, values, slug, line)

    monkeypatch.setattr(imports, "_new_organisation", fail_on_row_4)
    with pytest.raises(ValidationError, match="Row 4: broken"):
        services.import_apply(actor=coordinator, batch=batch, actions={}, overwrite={})
    assert not Organisation.objects.filter(source="import").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert not AuditEvent.objects.filter(action="organisation_import.applied").exists()


def test_a_database_failure_after_the_entries_were_written_rolls_everything_back(
    town: Any, coordinator: Any, monkeypatch: Any
) -> None:
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    through = Organisation.districts.through

    def broken(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("disk full")

    monkeypatch.setattr(through.objects, "bulk_create", broken)
    with pytest.raises(IntegrityError):
        services.import_apply(actor=coordinator, batch=batch, actions={}, overwrite={})
    assert Organisation.objects.filter(municipality=town).count() == 0
    assert Organisation.engagement_fields.through.objects.count() == 0


def test_a_taxonomy_entry_removed_after_the_upload_stops_the_whole_import(
    town: Any, coordinator: Any
) -> None:
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    TownDistrict.objects.filter(municipality=town, name="Nord").delete()
    with pytest.raises(ValidationError, match="Row 4: \u201cNord\u201d was removed"):
        services.import_apply(actor=coordinator, batch=batch, actions={}, overwrite={})
    assert not Organisation.objects.filter(source="import").exists()


def test_an_applied_import_cannot_be_applied_or_cancelled_again(
    town: Any, coordinator: Any
) -> None:
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    services.import_apply(actor=coordinator, batch=batch, actions={}, overwrite={})
    with pytest.raises(ValidationError, match="already been applied"):
        services.import_apply(actor=coordinator, batch=batch, actions={}, overwrite={})
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.import_cancel(actor=coordinator, batch=batch)
    assert Organisation.objects.filter(source="import").count() == 3


def test_cancelling_a_preview_deletes_it(town: Any, coordinator: Any) -> None:
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    services.import_cancel(actor=coordinator, batch=batch)
    assert not ImportBatch.objects.exists()
    assert AuditEvent.objects.filter(action="organisation_import.cancelled").count() == 1


def test_only_the_office_of_the_municipality_may_import(
    town: Any, coordinator: Any, other_coordinator: Any, org_admin: Any, volunteer: Any
) -> None:
    data = (DATA / "organisations_utf8_semicolon.csv").read_bytes()
    for person in (other_coordinator, org_admin, volunteer):
        with pytest.raises(PermissionDenied):
            services.import_preview_create(
                actor=person, municipality=town, filename="x.csv", data=data
            )
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    with pytest.raises(PermissionDenied):
        services.import_apply(actor=other_coordinator, batch=batch, actions={}, overwrite={})
    with pytest.raises(PermissionDenied):
        services.import_cancel(actor=other_coordinator, batch=batch)


# --- duplicates -----------------------------------------------------------------------------------


@pytest.fixture
def tafel(organisation: Organisation) -> Organisation:
    """The Tafel with an address and a phone number of its own, but no website."""
    Organisation.objects.filter(pk=organisation.pk).update(
        street="Bahnhofstr. 1", postcode="83022", city="Musterstadt", phone="08031 1"
    )
    organisation.refresh_from_db()
    return organisation


def test_duplicates_are_found_by_name_and_address_against_the_directory_and_the_file(
    town: Any, coordinator: Any, tafel: Organisation
) -> None:
    batch = preview(town, coordinator, "organisations_duplicates.csv")
    rows = {row["line"]: row for row in batch.rows}
    assert rows[2]["duplicate_of"] == tafel.pk
    assert rows[2]["duplicate_name"] == "Tafel Musterstadt e. V."
    assert rows[2]["action"] == "skip"
    assert rows[2]["conflicts"] == [
        {"field": "phone", "current": "08031 1", "imported": "08031 4711"}
    ]
    assert rows[2]["fills"] == ["website"]
    assert rows[3]["duplicate_of"] is None
    assert "duplicate_line" not in rows[3]
    assert rows[4]["duplicate_line"] == 3
    assert rows[4]["action"] == "skip"
    assert rows[5]["duplicate_of"] is None
    assert "duplicate_line" not in rows[5]


def test_a_similar_name_at_another_address_is_no_duplicate(
    town: Any, coordinator: Any, tafel: Organisation
) -> None:
    data = "Name;Straße;PLZ\nTafel Musterstadt Nord;Gartenweg 9;83024\n".encode()
    batch = services.import_preview_create(
        actor=coordinator, municipality=town, filename="x.csv", data=data
    ).batch
    assert batch.rows[0]["duplicate_of"] is None


def test_merging_fills_empty_fields_and_keeps_filled_ones(
    town: Any, coordinator: Any, tafel: Organisation
) -> None:
    batch = preview(town, coordinator, "organisations_duplicates.csv")
    applied = services.import_apply(
        actor=coordinator, batch=batch, actions={2: "merge", 4: "skip"}, overwrite={}
    )
    tafel.refresh_from_db()
    assert tafel.phone == "08031 1"
    assert tafel.website == "https://tafel.example"
    assert tafel.street == "Bahnhofstr. 1"
    assert tafel.name == "Tafel Musterstadt e. V."
    assert tafel.source != "import"
    assert [f.slug for f in tafel.engagement_fields.all()] == ["soziales"]
    assert (applied.created_count, applied.merged_count, applied.skipped_count) == (2, 1, 1)
    event = AuditEvent.objects.get(action="organisation.merged_from_import")
    assert event.data["fields"] == ["website"]


def test_merging_overwrites_a_filled_field_only_where_the_office_ticked_it(
    town: Any, coordinator: Any, tafel: Organisation
) -> None:
    batch = preview(town, coordinator, "organisations_duplicates.csv")
    services.import_apply(
        actor=coordinator,
        batch=batch,
        actions={2: "merge"},
        overwrite={2: ["phone", "description"]},
    )
    tafel.refresh_from_db()
    assert tafel.phone == "08031 4711"
    assert tafel.description == "Wir retten Lebensmittel."


def test_merging_a_row_into_the_row_above_makes_one_entry(
    town: Any, coordinator: Any, tafel: Organisation
) -> None:
    batch = preview(town, coordinator, "organisations_duplicates.csv")
    services.import_apply(actor=coordinator, batch=batch, actions={4: "merge"}, overwrite={})
    school = Organisation.objects.get(name__startswith="Musikschule")
    assert school.name == "Musikschule Klangfarbe"
    assert (school.phone, school.website) == ("08031 9999", "https://klangfarbe.example")
    assert [f.slug for f in school.engagement_fields.all()] == ["kultur-musik"]


def test_merging_into_a_skipped_row_is_refused(
    town: Any, coordinator: Any, tafel: Organisation
) -> None:
    batch = preview(town, coordinator, "organisations_duplicates.csv")
    with pytest.raises(ValidationError, match="row 3 is not imported"):
        services.import_apply(
            actor=coordinator, batch=batch, actions={3: "skip", 4: "merge"}, overwrite={}
        )
    assert not Organisation.objects.filter(source="import").exists()


def test_creating_a_duplicate_anyway_gives_it_its_own_slug(
    town: Any, coordinator: Any, tafel: Organisation
) -> None:
    batch = preview(town, coordinator, "organisations_duplicates.csv")
    services.import_apply(
        actor=coordinator, batch=batch, actions={2: "create", 4: "create"}, overwrite={}
    )
    slugs = sorted(
        Organisation.objects.filter(name__startswith="Musikschule").values_list("slug", flat=True)
    )
    assert slugs == ["musikschule-klangfarbe", "musikschule-klangfarbe-e-v"]
    tafeln = Organisation.objects.filter(name__startswith="Tafel").order_by("pk")
    assert [t.slug for t in tafeln] == ["tafel-musterstadt-e-v", "tafel-musterstadt-ev"]


def test_a_merge_target_of_another_municipality_is_never_touched(
    town: Any, coordinator: Any, tafel: Organisation, other_municipality: Any
) -> None:
    batch = preview(town, coordinator, "organisations_duplicates.csv")
    stranger = services.organisation_create(
        actor="test",
        municipality=other_municipality,
        name="Fremde Tafel",
        type="club",
        sector="civil_society",
    )
    rows = batch.rows
    rows[0]["duplicate_of"] = stranger.pk
    ImportBatch.objects.filter(pk=batch.pk).update(rows=rows)
    batch.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer exists"):
        services.import_apply(actor=coordinator, batch=batch, actions={2: "merge"}, overwrite={})
    stranger.refresh_from_db()
    assert stranger.website == ""


# --- pages ----------------------------------------------------------------------------------------


def test_the_office_uploads_sees_the_preview_and_imports_the_valid_rows(
    town: Any, coordinator: Any
) -> None:
    client = client_for(coordinator)
    page = client.get(IMPORT_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b"Sektor" in page.content

    response = upload(client, "liste.csv", (DATA / "organisations_with_errors.csv").read_bytes())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{IMPORT_URL}{batch.public_id}/"

    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Row 3: The postcode \u201c8031\u201d does not have five digits." in html
    assert "Unbekannte Spalte" in html  # the flashed note on columns that are not read

    refused = client.post(response["Location"], {}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "4 rows have errors" in refused.content.decode()
    assert not Organisation.objects.filter(source="import").exists()

    done = client.post(response["Location"], {"skip_invalid": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 302
    assert Organisation.objects.filter(source="import").count() == 2
    result = client.get(done["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert result.status_code == 200
    assert "Result of the import" in result.content.decode()


def test_the_preview_offers_a_choice_per_duplicate_and_applies_it(
    town: Any, coordinator: Any, tafel: Organisation
) -> None:
    client = client_for(coordinator)
    upload(client, "dubletten.csv", (DATA / "organisations_duplicates.csv").read_bytes())
    batch = ImportBatch.objects.get()
    url = f"{IMPORT_URL}{batch.public_id}/"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="action_2"' in html
    assert 'name="action_4"' in html
    assert 'name="overwrite_2_phone"' in html
    assert "/musterstadt/akteure/tafel-musterstadt-e-v/" in html
    response = client.post(
        url,
        {"action_2": "merge", "overwrite_2_phone": "on", "action_4": "merge"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    tafel.refresh_from_db()
    assert tafel.phone == "08031 4711"
    assert Organisation.objects.filter(name__startswith="Musikschule").count() == 1


def test_an_upload_over_the_size_limit_is_refused_with_a_clear_message(
    town: Any, coordinator: Any
) -> None:
    data = b"Name\r\n" + b"Verein\r\n" * (imports.MAX_UPLOAD_BYTES // 8 + 1)
    response = upload(client_for(coordinator), "gross.csv", data)
    assert response.status_code == 400
    assert "The file is larger than 2 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_undecodable_upload_shows_the_reason_at_the_field(town: Any, coordinator: Any) -> None:
    response = upload(client_for(coordinator), "kaputt.csv", b"Name\r\n\x81\x8d\r\n")
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be read as text" in html
    assert 'aria-invalid="true"' in html
    assert not ImportBatch.objects.exists()


def test_cancelling_on_the_page_deletes_the_preview(town: Any, coordinator: Any) -> None:
    client = client_for(coordinator)
    upload(client, "liste.csv", (DATA / "organisations_utf8_semicolon.csv").read_bytes())
    batch = ImportBatch.objects.get()
    response = client.post(f"{IMPORT_URL}{batch.public_id}/abbrechen/")
    assert response.status_code == 302
    assert not ImportBatch.objects.exists()
    assert not Organisation.objects.filter(source="import").exists()


def test_the_import_pages_are_for_the_office_of_the_municipality_only(
    town: Any,
    coordinator: Any,
    other_coordinator: Any,
    volunteer: Any,
    org_admin: Any,
    platform_admin: Any,
) -> None:
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    urls = [IMPORT_URL, f"{IMPORT_URL}{batch.public_id}/"]
    for url in urls:
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302
        assert "/konto/login/" in anonymous["Location"]
        for person in (other_coordinator, volunteer, org_admin):
            assert client_for(person).get(url).status_code == 403
        assert client_for(platform_admin).get(url).status_code == 200
    for person in (other_coordinator, volunteer):
        assert client_for(person).post(f"{IMPORT_URL}{batch.public_id}/").status_code == 403
        assert (
            client_for(person).post(f"{IMPORT_URL}{batch.public_id}/abbrechen/").status_code == 403
        )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_another_municipalitys_import_looks_like_it_does_not_exist(
    town: Any, coordinator: Any, other_coordinator: Any
) -> None:
    batch = preview(town, coordinator, "organisations_utf8_semicolon.csv")
    client = client_for(other_coordinator)
    base = f"/beispielhausen/akteure/verwaltung/import/{batch.public_id}/"
    assert client.get(base).status_code == 404
    assert client.post(base, {}).status_code == 404
    assert client.post(f"{base}abbrechen/").status_code == 404
    assert ImportBatch.objects.filter(pk=batch.pk).exists()
    listing = client.get("/beispielhausen/akteure/verwaltung/import/").content.decode()
    assert batch.filename not in listing


def test_the_import_page_costs_the_same_queries_for_one_or_many_imports(
    town: Any, coordinator: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(coordinator)
    preview(town, coordinator, "organisations_utf8_semicolon.csv")
    client.get(IMPORT_URL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(IMPORT_URL)
    for _ in range(5):
        preview(town, coordinator, "organisations_utf8_semicolon.csv")
    with django_assert_num_queries(len(few)):
        client.get(IMPORT_URL)
