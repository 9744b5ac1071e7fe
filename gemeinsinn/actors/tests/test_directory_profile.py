"""The organisation profile /<town>/akteure/<slug>/: fields, per-field visibility, partners."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import client_for, give_totp, make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Alliance, AllianceMember, CooperationLink, Organisation
from gemeinsinn.actors.tests.test_directory import org
from gemeinsinn.core.models import TownDistrict

URL = "/musterstadt/akteure/tafel-musterstadt-e-v/"

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def profile(organisation: Organisation, settings: Any, tmp_path: Any) -> Organisation:
    """The Tafel with every field filled: two public, two for members, two for the office."""
    settings.MEDIA_ROOT = tmp_path
    municipality = organisation.municipality
    actor_services.taxonomies_ensure(municipality=municipality)
    district = TownDistrict.objects.create(municipality=municipality, name="Altstadt", slug="a")
    organisation.engagement_fields.set(municipality.fields_of_engagement.filter(slug="soziales"))
    organisation.target_groups.set(municipality.target_groups.filter(slug="menschen-in-armut"))
    organisation.districts.set([district])
    organisation.email = "info@tafel.example"
    organisation.phone = "08031 4711"
    organisation.street = "Bahnhofstraße 12"
    organisation.postcode = "83099"
    organisation.city = "Musterstadt"
    organisation.contact_name = "Karla Kontakt"
    organisation.contact_email = "karla@tafel.example"
    organisation.contact_phone = "0170 123456"
    organisation.opening_hours = "Di und Fr 14–17 Uhr"
    organisation.premises_accessibility = "accessible"
    organisation.accessibility_notes = "Rampe am Hintereingang"
    organisation.website = "https://tafel.example"
    organisation.logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    organisation.visibility = {
        "email": "public",
        "opening_hours": "public",
        "phone": "members",
        "contact_name": "members",
        "street": "office",
        "contact_email": "office",
        "contact_phone": "office",
    }
    organisation.save()
    return organisation


PUBLIC = ("info@tafel.example", "Di und Fr 14–17 Uhr")
MEMBERS = ("08031 4711", "Karla Kontakt")
OFFICE = ("Bahnhofstraße 12", "karla@tafel.example", "0170 123456")


def _sees(user: Any) -> set[str]:
    html = client_for(user).get(URL).content.decode()
    return {value for value in (*PUBLIC, *MEMBERS, *OFFICE) if value in html}


def test_the_profile_shows_every_public_field(profile: Organisation) -> None:
    response = client_for(None).get(URL, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Tafel Musterstadt e. V.",
        "Wir retten Lebensmittel.",
        "Sozialer Bereich",
        "Menschen in Armut",
        "Altstadt",
        "step-free access",
        "Rampe am Hintereingang",
        "https://tafel.example",
        "83099 Musterstadt",
        "Di und Fr 14–17 Uhr",
    ):
        assert text in html, text
    assert profile.logo.url in html
    assert 'alt="Logo of Tafel Musterstadt e. V."' in html


def test_anonymous_visitors_see_only_public_contact_data(profile: Organisation) -> None:
    assert _sees(None) == set(PUBLIC)


def test_a_volunteer_who_is_no_member_sees_only_public_contact_data(
    profile: Organisation, volunteer: Any
) -> None:
    assert _sees(volunteer) == set(PUBLIC)


def test_members_also_see_what_is_for_members(profile: Organisation, volunteer: Any) -> None:
    actor_services.membership_add(actor=None, organisation=profile, user=volunteer)
    assert _sees(volunteer) == {*PUBLIC, *MEMBERS}
    html = client_for(volunteer).get(URL, headers={"Accept-Language": "en"}).content.decode()
    assert "visible to members and the coordination office only" in html


def test_the_coordination_office_sees_everything(profile: Organisation, coordinator: Any) -> None:
    assert _sees(coordinator) == {*PUBLIC, *MEMBERS, *OFFICE}


def test_the_organisations_admins_see_everything(profile: Organisation, org_admin: Any) -> None:
    assert _sees(org_admin) == {*PUBLIC, *MEMBERS, *OFFICE}


def test_another_municipalitys_office_sees_only_public_data(
    profile: Organisation, other_coordinator: Any
) -> None:
    assert _sees(other_coordinator) == set(PUBLIC)


def test_an_office_of_a_town_that_lists_the_organisation_sees_only_public_data(
    profile: Organisation, bavaria: Any
) -> None:
    from gemeinsinn.accounts import services as account_services
    from gemeinsinn.accounts.models import Role
    from gemeinsinn.core.models import Municipality

    neighbour = Municipality.objects.create(
        state=bavaria, ags="09187998", name="Nachbardorf", slug="nachbardorf"
    )
    profile.listed_in.add(neighbour)
    office = make_user("office@nachbardorf.example")
    account_services.role_grant(
        actor=None, user=office, role=Role.COORDINATOR, municipality=neighbour
    )
    give_totp(office)
    response = client_for(office).get("/nachbardorf/akteure/tafel-musterstadt-e-v/")
    assert response.status_code == 200
    html = response.content.decode()
    assert {v for v in (*PUBLIC, *MEMBERS, *OFFICE) if v in html} == set(PUBLIC)
    assert "/musterstadt/akteure/tafel-musterstadt-e-v/bearbeiten/" not in html


def test_a_profile_without_public_contact_data_says_so(organisation: Organisation) -> None:
    organisation.visibility = {"email": "office"}
    organisation.email = "geheim@tafel.example"
    organisation.save()
    html = client_for(None).get(URL, headers={"Accept-Language": "en"}).content.decode()
    assert "geheim@tafel.example" not in html
    assert "This organisation has not published contact details." in html


@pytest.mark.parametrize(
    ("who", "can_edit"),
    [
        ("anonymous", False),
        ("volunteer", False),
        ("other_coordinator", False),
        ("org_admin", True),
        ("coordinator", True),
        ("platform_admin", True),
    ],
)
def test_only_those_allowed_get_the_edit_link(
    organisation: Organisation, who: str, can_edit: bool, request: Any
) -> None:
    user = None if who == "anonymous" else request.getfixturevalue(who)
    html = client_for(user).get(URL).content.decode()
    assert (f"{URL}bearbeiten/" in html) is can_edit


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("volunteer", 404),
        ("other_coordinator", 404),
        ("org_admin", 200),
        ("coordinator", 200),
    ],
)
def test_an_unpublished_entry_is_not_found_for_outsiders(
    organisation: Organisation, who: str, status: int, request: Any
) -> None:
    user = None if who == "anonymous" else request.getfixturevalue(who)
    Organisation.objects.filter(pk=organisation.pk).update(status="pending")
    assert client_for(user).get(URL).status_code == status


def test_an_unknown_slug_and_another_towns_slug_are_not_found(
    organisation: Organisation, other_municipality: Any
) -> None:
    org(other_municipality, "Nur in Beispielhausen")
    assert client_for(None).get("/musterstadt/akteure/gibt-es-nicht/").status_code == 404
    assert client_for(None).get("/musterstadt/akteure/nur-in-beispielhausen/").status_code == 404
    assert client_for(None).get("/beispielhausen/akteure/tafel-musterstadt-e-v/").status_code == 404


def test_cooperation_partners_in_both_directions_are_listed_if_published(
    organisation: Organisation,
) -> None:
    municipality = organisation.municipality
    funder = org(municipality, "Bürgerstiftung Musterstadt", type="civic_foundation")
    member = org(municipality, "Foodsharing Musterstadt", type="initiative")
    hidden = org(municipality, "Geheimer Partner", published=False)
    CooperationLink.objects.create(
        municipality=municipality,
        source=funder,
        target=organisation,
        kind="funding",
        confirmed_at=timezone.now(),
    )
    CooperationLink.objects.create(
        municipality=municipality,
        source=organisation,
        target=member,
        kind="partnership",
        description="Gemeinsame Abholtouren",
        confirmed_at=timezone.now(),
    )
    CooperationLink.objects.create(
        municipality=municipality,
        source=organisation,
        target=hidden,
        kind="partnership",
        confirmed_at=timezone.now(),
    )
    html = client_for(None).get(URL, headers={"Accept-Language": "en"}).content.decode()
    assert "Is funded by" in html
    assert "/musterstadt/akteure/buergerstiftung-musterstadt/" in html
    assert "Foodsharing Musterstadt" in html
    assert "Gemeinsame Abholtouren" in html
    assert "Geheimer Partner" not in html
    # The partner's profile shows the link from its end.
    funder_page = client_for(None).get("/musterstadt/akteure/buergerstiftung-musterstadt/")
    assert "Tafel Musterstadt e. V." in funder_page.content.decode()


def test_only_public_alliances_are_listed(organisation: Organisation) -> None:
    municipality = organisation.municipality
    public = Alliance.objects.create(
        municipality=municipality, name="Bündnis gegen Armut", slug="armut"
    )
    private = Alliance.objects.create(
        municipality=municipality, name="Internes Bündnis", slug="intern", is_public=False
    )
    for alliance in (public, private):
        AllianceMember.objects.create(alliance=alliance, organisation=organisation)
    html = client_for(None).get(URL).content.decode()
    assert "Bündnis gegen Armut" in html
    assert "Internes Bündnis" not in html


def test_the_profile_costs_a_fixed_number_of_queries(
    profile: Organisation, django_assert_max_num_queries: Any
) -> None:
    client = client_for(None)
    client.get(URL)
    with django_assert_max_num_queries(12):
        client.get(URL)
