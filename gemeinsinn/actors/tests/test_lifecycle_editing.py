"""Editing a profile: every field, taxonomies, visibility, listings, and the change history."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import Image

from conftest import client_for, make_user
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import AuditEvent, County, Municipality, State, TownDistrict

EDIT_URL = "/musterstadt/akteure/tafel-musterstadt-e-v/bearbeiten/"
HISTORY_URL = "/musterstadt/akteure/tafel-musterstadt-e-v/verlauf/"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    """These tests read the English wording; the installation's default is German."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def town(municipality: Any) -> Any:
    services.taxonomies_ensure(municipality=municipality)
    TownDistrict.objects.create(municipality=municipality, name="Altstadt", slug="altstadt")
    return municipality


@pytest.fixture
def neighbour(municipality: Any) -> Municipality:
    """Another town of the same Landkreis (and so of the same Land)."""
    return Municipality.objects.create(
        state=municipality.state,
        county=municipality.county,
        ags="09187111",
        name="Nachbarort",
        slug="nachbarort",
    )


@pytest.fixture
def far_away(db: None) -> Municipality:
    state = State.objects.create(code="HE", ags_prefix="06", name="Hessen")
    county = County.objects.create(state=state, key="06411", name="Darmstadt")
    return Municipality.objects.create(
        state=state, county=county, ags="06411000", name="Fernstadt", slug="fernstadt"
    )


def full_form(organisation: Organisation, **changes: Any) -> dict[str, Any]:
    """The edit form as the browser sends it, with the current values and some changes."""
    data: dict[str, Any] = {
        "name": organisation.name,
        "type": organisation.type,
        "sector": organisation.sector,
        "description": organisation.description,
        "premises_accessibility": organisation.premises_accessibility,
        "engagement_fields": [f.pk for f in organisation.engagement_fields.all()],
        "target_groups": [g.pk for g in organisation.target_groups.all()],
        "districts": [d.pk for d in organisation.districts.all()],
    }
    for field in (
        "website",
        "email",
        "phone",
        "street",
        "postcode",
        "city",
        "contact_name",
        "contact_email",
        "contact_phone",
        "opening_hours",
        "accessibility_notes",
    ):
        data[field] = getattr(organisation, field)
    for field in ("email", "phone", "street", "contact_name", "contact_email", "contact_phone"):
        data[f"visibility_{field}"] = organisation.visibility_of(field)
    data["visibility_opening_hours"] = organisation.visibility_of("opening_hours")
    data.update(changes)
    return data


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_an_admin_edits_all_fields_taxonomies_districts_and_visibility(
    town: Any, organisation: Organisation, org_admin: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    field = town.fields_of_engagement.get(slug="soziales")
    group = town.target_groups.get(slug="menschen-in-armut")
    district = TownDistrict.objects.get(slug="altstadt")
    response = client_for(org_admin).post(
        EDIT_URL,
        full_form(
            organisation,
            type="civic_foundation",
            phone="08031 12345",
            street="Marktplatz 3",
            postcode="83022",
            city="Musterstadt",
            contact_name="Paula Plan",
            opening_hours="Di 10–12 Uhr",
            premises_accessibility="accessible",
            engagement_fields=[field.pk],
            target_groups=[group.pk],
            districts=[district.pk],
            visibility_phone="members",
            visibility_contact_name="office",
            logo=png(),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    organisation.refresh_from_db()
    assert organisation.type == "civic_foundation"
    assert organisation.phone == "08031 12345"
    assert organisation.premises_accessibility == "accessible"
    assert list(organisation.engagement_fields.all()) == [field]
    assert list(organisation.target_groups.all()) == [group]
    assert list(organisation.districts.all()) == [district]
    assert organisation.visibility_of("phone") == "members"
    assert organisation.visibility_of("contact_name") == "office"
    assert organisation.visibility_of("email") == "public"
    assert str(organisation.logo.name).startswith("organisations/")
    changes = AuditEvent.objects.get(action="organisation.updated").data["changes"]
    assert changes["phone"] == {"before": "", "after": "08031 12345"}
    assert changes["type"] == {"before": "club", "after": "civic_foundation"}
    assert changes["engagement_fields"] == {"before": [], "after": ["Sozialer Bereich"]}
    assert changes["visibility.phone"] == {"before": "public", "after": "members"}
    assert "visibility.email" not in changes
    assert changes["logo"]["after"].endswith(".png")


def test_saving_without_changes_writes_no_history(
    town: Any, organisation: Organisation, org_admin: Any
) -> None:
    client_for(org_admin).post(EDIT_URL, full_form(organisation))
    assert not AuditEvent.objects.filter(action="organisation.updated").exists()


def test_a_bad_value_keeps_everything_typed_and_is_shown_at_the_field(
    town: Any, organisation: Organisation, org_admin: Any
) -> None:
    response = client_for(org_admin).post(
        EDIT_URL,
        full_form(organisation, email="kein-mail", description="Neue Beschreibung"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_email"' in page
    assert "Neue Beschreibung" in page
    organisation.refresh_from_db()
    assert organisation.description == "Wir retten Lebensmittel."


def test_terms_and_districts_of_another_municipality_are_refused(
    town: Any, organisation: Organisation, org_admin: Any, other_municipality: Any
) -> None:
    services.taxonomies_ensure(municipality=other_municipality)
    foreign = other_municipality.fields_of_engagement.first()
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=org_admin, organisation=organisation, values={"engagement_fields": [foreign]}
        )
    response = client_for(org_admin).post(
        EDIT_URL, full_form(organisation, engagement_fields=[foreign.pk])
    )
    assert response.status_code == 200
    assert not organisation.engagement_fields.exists()


def test_a_switched_off_field_stays_on_a_profile_but_is_not_offered_to_others(
    town: Any, organisation: Organisation, org_admin: Any, volunteer: Any, coordinator: Any
) -> None:
    sport = town.fields_of_engagement.get(slug="sport-bewegung")
    organisation.engagement_fields.add(sport)
    services.taxonomy_term_set_active(actor=coordinator, term=sport, active=False)
    assert "Sport und Bewegung" in client_for(org_admin).get(EDIT_URL).content.decode()
    register = client_for(volunteer).get("/musterstadt/akteure/registrieren/").content.decode()
    assert "Sport und Bewegung" not in register
    assert "Kultur und Musik" in register
    client_for(org_admin).post(EDIT_URL, full_form(organisation, phone="1"))
    assert list(organisation.engagement_fields.all()) == [sport]


def test_only_the_home_office_changes_where_an_organisation_is_listed(
    town: Any,
    organisation: Organisation,
    org_admin: Any,
    coordinator: Any,
    neighbour: Municipality,
    far_away: Municipality,
) -> None:
    assert 'name="listed_in"' not in client_for(org_admin).get(EDIT_URL).content.decode()
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=org_admin, organisation=organisation, values={"listed_in": [neighbour]}
        )
    # Posting the field anyway changes nothing: the form does not have it for admins.
    client_for(org_admin).post(EDIT_URL, full_form(organisation, listed_in=[neighbour.pk]))
    assert not organisation.listed_in.exists()

    page = client_for(coordinator).get(EDIT_URL).content.decode()
    assert 'name="listed_in"' in page
    assert "Nachbarort" in page
    assert "Fernstadt" not in page
    client_for(coordinator).post(EDIT_URL, full_form(organisation, listed_in=[neighbour.pk]))
    assert list(organisation.listed_in.all()) == [neighbour]
    changes = AuditEvent.objects.get(action="organisation.updated").data["changes"]
    assert changes["listed_in"] == {"before": [], "after": ["Nachbarort"]}
    with pytest.raises(ValidationError, match="same Land"):
        services.organisation_update(
            actor=coordinator, organisation=organisation, values={"listed_in": [far_away]}
        )


def test_the_office_of_a_listing_municipality_may_not_edit_or_relist(
    town: Any, organisation: Organisation, neighbour: Municipality
) -> None:
    from gemeinsinn.accounts import services as account_services
    from gemeinsinn.accounts.models import Role

    organisation.listed_in.add(neighbour)
    neighbour_office = make_user("office@nachbarort.example")
    account_services.role_grant(
        actor=None, user=neighbour_office, role=Role.COORDINATOR, municipality=neighbour
    )
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=neighbour_office, organisation=organisation, values={"listed_in": []}
        )
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=neighbour_office, organisation=organisation, values={"phone": "1"}
        )


def test_admins_of_other_organisations_and_strangers_cannot_edit(
    town: Any, organisation: Organisation, volunteer: Any, other_coordinator: Any
) -> None:
    other = services.organisation_create(
        actor="test",
        municipality=town,
        name="Andere",
        type="club",
        sector="citizens",
        published=True,
        admin=volunteer,
    )
    assert other.pk
    assert client_for(None).get(EDIT_URL).status_code == 302
    assert client_for(volunteer).get(EDIT_URL).status_code == 403
    assert (
        client_for(volunteer).post(EDIT_URL, full_form(organisation, phone="1")).status_code == 403
    )
    assert client_for(other_coordinator).get(EDIT_URL).status_code == 403
    assert (
        client_for(other_coordinator)
        .get("/beispielhausen/akteure/tafel-musterstadt-e-v/bearbeiten/")
        .status_code
        == 404
    )
    organisation.refresh_from_db()
    assert organisation.phone == ""


# --- change history ------------------------------------------------------------------------------


def test_the_history_shows_each_change_with_before_and_after(
    town: Any, organisation: Organisation, org_admin: Any, coordinator: Any
) -> None:
    services.organisation_update(
        actor=org_admin,
        organisation=organisation,
        values={"phone": "08031 1", "visibility": {"phone": "office"}, "type": "initiative"},
    )
    for person in (org_admin, coordinator):
        page = client_for(person).get(HISTORY_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "08031 1" in page
        assert "Who sees: phone" in page
        assert "coordination office only" in page
        # Choices appear by their names, not their codes.
        assert "Initiative without legal form" in page
        assert "Profile changed" in page


def test_the_history_is_closed_to_outsiders(
    town: Any, organisation: Organisation, org_admin: Any, volunteer: Any, other_coordinator: Any
) -> None:
    assert client_for(None).get(HISTORY_URL).status_code == 302
    assert client_for(volunteer).get(HISTORY_URL).status_code == 403
    assert client_for(other_coordinator).get(HISTORY_URL).status_code == 403
    assert (
        client_for(other_coordinator)
        .get("/beispielhausen/akteure/tafel-musterstadt-e-v/verlauf/")
        .status_code
        == 404
    )


def test_the_history_of_an_unpublished_entry_looks_missing_to_strangers(
    town: Any, volunteer: Any
) -> None:
    hidden = services.organisation_register(
        actor=make_user("owner@example.org"),
        municipality=town,
        values={"name": "Geheimprojekt", "type": "initiative", "sector": "citizens"},
    )
    response = client_for(volunteer).get(f"/musterstadt/akteure/{hidden.slug}/verlauf/")
    assert response.status_code == 404


def test_the_history_costs_the_same_queries_for_3_and_20_changes(
    town: Any, organisation: Organisation, org_admin: Any
) -> None:
    client = client_for(org_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HISTORY_URL).status_code == 200
        return len(captured.captured_queries)

    for n in range(3):
        services.organisation_update(
            actor=org_admin, organisation=organisation, values={"phone": str(n)}
        )
    few = queries()
    for n in range(3, 20):
        services.organisation_update(
            actor=org_admin, organisation=organisation, values={"phone": str(n)}
        )
    assert queries() == few
