"""The public page of an opportunity: what a citizen needs, previews, Leichte Sprache, JSON-LD."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from conftest import client_for
from gemeinsinn.actors.models import Organisation
from gemeinsinn.opportunities.models import Opportunity, slot_bit
from gemeinsinn.opportunities.opendata import jsonld_script, opportunity_jsonld
from gemeinsinn.opportunities.tests.test_posting_support import (  # noqa: F401 - fixtures
    BASE,
    district_fixture,
    english_fixture,
    in_days,
    member_fixture,
    other_member_fixture,
    other_organisation_fixture,
    post,
)

pytestmark = pytest.mark.usefixtures("english")
S = Opportunity.Status
EN = {"Accept-Language": "en"}


def url(opportunity: Opportunity, suffix: str = "") -> str:
    return f"{BASE}/angebot/{opportunity.public_id}/{suffix}"


def jsonld_of(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.fixture
def full(organisation: Organisation, org_admin: Any, district: Any) -> Opportunity:
    """A published opportunity with every fact filled in."""
    return post(
        organisation,
        org_admin,
        kind="one_off",
        street="Marktplatz 1",
        district=district,
        latitude=47.856,
        longitude=12.128,
        time_slots=slot_bit("tue", "evening") | slot_bit("tue", "morning"),
        times_note="jeweils 17 bis 19 Uhr",
        hours_per_week=Decimal("2.5"),
        starts_on=date(2030, 5, 1),
        ends_on=date(2030, 9, 30),
        people_wanted=3,
        minimum_age=16,
        german_level=0,
        place_accessibility="yes",
        task_accessibility="Im Sitzen möglich",
        insured_by_land=True,
        needs_conduct_certificate=True,
        contact_name="Paula Paten",
        contact_email="paula@tafel.example",
        easy_language="Sie lesen Kindern vor.",
    )


def test_the_public_page_says_everything_a_citizen_needs_in_plain_words(full: Opportunity) -> None:
    response = client_for(None).get(url(full), headers=EN)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Lesepatin oder Lesepate gesucht",
        "Tafel Musterstadt e. V.",
        "One-off",
        "About 2.5 hours a week.",
        "<li>Tuesday: mornings and evenings</li>",
        "jeweils 17 bis 19 Uhr",
        "From May 1, 2030 to Sept. 30, 2030.",
        "Marktplatz 1",
        "Stadtteil: Altstadt",
        "3 people.",
        "From 16 years of age.",
        "No German needed.",
        "The place is accessible.",
        "Im Sitzen möglich",
        "collective policy for volunteers.",
        "You need an extended certificate of conduct (§72a SGB VIII)",
        "Paula Paten",
        "mailto:paula@tafel.example",
    ):
        assert text in html, text
    assert f'href="{url(full)}interesse/"' in html
    assert f'href="{url(full)}leichte-sprache/"' in html


def test_facts_that_are_not_given_are_said_plainly_and_no_contact_person_is_made_up(
    organisation: Organisation, org_admin: Any
) -> None:
    plain = post(organisation, org_admin)
    html = client_for(None).get(url(plain), headers=EN).content.decode()
    assert "Days and times are flexible, by arrangement." in html
    assert "No minimum age." in html
    assert "The organisation has not said how you are insured." in html
    assert "Contact person" not in html
    assert f"{url(plain)}leichte-sprache/" not in html


def test_the_page_carries_schema_org_jobposting_data(full: Opportunity) -> None:
    data = jsonld_of(client_for(None).get(url(full), headers=EN).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "JobPosting"
    assert data["employmentType"] == "VOLUNTEER"
    assert data["title"] == "Lesepatin oder Lesepate gesucht"
    assert data["description"] == "Sie lesen Kindern in der Stadtbibliothek vor."
    assert full.published_at is not None
    assert data["datePosted"] == full.published_at.date().isoformat()
    assert data["validThrough"] == in_days(90).isoformat()
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Tafel Musterstadt e. V.",
    }
    assert data["jobLocation"]["address"]["postalCode"] == "83022"
    assert data["jobLocation"]["address"]["streetAddress"] == "Marktplatz 1"
    assert data["jobLocation"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 47.856,
        "longitude": 12.128,
    }
    assert data["url"].endswith(url(full))
    assert "jobLocationType" not in data


def test_a_remote_opportunity_is_marked_as_telecommute(
    organisation: Organisation, org_admin: Any
) -> None:
    remote = post(organisation, org_admin, postcode="", city="", is_remote=True)
    data = opportunity_jsonld(
        Opportunity.objects.select_related("municipality", "organisation").get(pk=remote.pk)
    )
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "DE"}
    assert "jobLocation" not in data


def test_the_json_ld_cannot_break_out_of_its_script_element() -> None:
    script = str(jsonld_script({"title": "</script><script>alert(1)</script> & <!--"}))
    assert script.count("</script>") == 1
    assert "\\u003C/script\\u003E" in script
    assert "\\u0026" in script
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(inner) == {"title": "</script><script>alert(1)</script> & <!--"}


@pytest.mark.parametrize("status", [S.DRAFT, S.REVIEW, S.PAUSED, S.FILLED, S.EXPIRED, S.ARCHIVED])
def test_an_opportunity_that_is_not_live_is_not_found_by_the_public(
    organisation: Organisation, org_admin: Any, volunteer: Any, other_member: Any, status: str
) -> None:
    opportunity = post(organisation, org_admin)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=status)
    for person in (None, volunteer, other_member):
        assert client_for(person).get(url(opportunity)).status_code == 404


def test_a_published_opportunity_past_its_date_is_not_found_before_the_job_runs(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = post(organisation, org_admin)
    Opportunity.objects.filter(pk=opportunity.pk).update(expires_on=in_days(-1))
    assert client_for(None).get(url(opportunity)).status_code == 404


def test_an_unknown_opportunity_is_not_found(municipality: Any) -> None:
    missing = f"{BASE}/angebot/00000000-0000-4000-8000-000000000000/"
    assert client_for(None).get(missing).status_code == 404


def test_the_organisation_and_the_office_preview_a_draft_with_a_clear_banner(
    organisation: Organisation, org_admin: Any, member: Any, coordinator: Any
) -> None:
    draft = post(organisation, org_admin, publish=False)
    for person in (org_admin, member, coordinator):
        response = client_for(person).get(url(draft), headers=EN)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Preview: this opportunity is not public" in html
        assert "application/ld+json" not in html
        assert "/interesse/" not in html


def test_another_towns_page_does_not_show_this_towns_opportunity(
    full: Opportunity, other_municipality: Any, other_coordinator: Any
) -> None:
    foreign = f"/beispielhausen/engagement/angebot/{full.public_id}/"
    assert client_for(None).get(foreign).status_code == 404
    assert client_for(other_coordinator).get(foreign).status_code == 404
    draft = Opportunity.objects.filter(pk=full.pk)
    draft.update(status=S.DRAFT)
    assert client_for(other_coordinator).get(url(full)).status_code == 404


def test_the_leichte_sprache_page_shows_the_easy_version_in_german(full: Opportunity) -> None:
    response = client_for(None).get(url(full, "leichte-sprache/"), headers=EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="de"' in html
    assert "Sie lesen Kindern vor." in html
    assert f'href="{url(full)}interesse/"' in html


def test_without_an_easy_version_or_when_not_live_there_is_no_leichte_sprache_page(
    organisation: Organisation, org_admin: Any, full: Opportunity
) -> None:
    plain = post(organisation, org_admin, title="Ohne Leichte Sprache")
    assert client_for(None).get(url(plain, "leichte-sprache/")).status_code == 404
    Opportunity.objects.filter(pk=full.pk).update(status=S.PAUSED)
    assert client_for(None).get(url(full, "leichte-sprache/")).status_code == 404


def test_people_who_may_change_it_find_the_edit_link_on_the_public_page(
    full: Opportunity, org_admin: Any, volunteer: Any
) -> None:
    assert "/bearbeiten/" in client_for(org_admin).get(url(full), headers=EN).content.decode()
    assert "/bearbeiten/" not in client_for(volunteer).get(url(full), headers=EN).content.decode()
