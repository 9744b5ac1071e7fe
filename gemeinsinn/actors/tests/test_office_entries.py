"""The office enters organisations itself, archives retired ones and restores them."""

from __future__ import annotations

from typing import Any

from conftest import client_for
from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import AuditEvent

FORM = {
    "name": "Bürgerbus Musterstadt e. V.",
    "type": "club",
    "sector": "civil_society",
    "premises_accessibility": "unknown",
    **{
        f"visibility_{field}": "public"
        for field in (
            "email",
            "phone",
            "street",
            "contact_name",
            "contact_email",
            "contact_phone",
            "opening_hours",
        )
    },
}


def test_the_office_enters_and_publishes_an_organisation_without_becoming_its_admin(
    municipality: Any, coordinator: Any
) -> None:
    response = client_for(coordinator).post(
        "/musterstadt/akteure/registrieren/", {**FORM, "as_office": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(name="Bürgerbus Musterstadt e. V.")
    assert organisation.status == Organisation.Status.PUBLISHED
    assert organisation.source == Organisation.Source.OFFICE
    assert organisation.confirmed_at is not None
    assert not Membership.objects.filter(organisation=organisation).exists()
    assert AuditEvent.objects.filter(action="organisation.entered_by_office").exists()


def test_a_volunteer_cannot_publish_directly(municipality: Any, volunteer: Any) -> None:
    client_for(volunteer).post("/musterstadt/akteure/registrieren/", {**FORM, "as_office": "1"})
    organisation = Organisation.objects.get(name="Bürgerbus Musterstadt e. V.")
    assert organisation.status == Organisation.Status.PENDING
    assert Membership.objects.filter(
        organisation=organisation, user=volunteer, role="admin"
    ).exists()


def test_archiving_asks_first_needs_a_reason_and_can_be_undone(
    municipality: Any, coordinator: Any, organisation: Any
) -> None:
    client = client_for(coordinator)
    url = f"/musterstadt/akteure/verwaltung/archiv/{organisation.slug}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PUBLISHED
    assert client.post(url, {"reason": "Verein aufgelöst"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ARCHIVED
    assert client_for(None).get(f"/musterstadt/akteure/{organisation.slug}/").status_code == 404
    assert organisation.name not in client_for(None).get("/musterstadt/akteure/").content.decode()
    assert (
        "Verein aufgelöst" in client.get("/musterstadt/akteure/verwaltung/archiv/").content.decode()
    )
    client.post(f"{url}wiederherstellen/")
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PUBLISHED


def test_a_rejected_entry_can_be_reopened_for_moderation(
    municipality: Any, coordinator: Any, organisation: Any
) -> None:
    organisation.status = Organisation.Status.REJECTED
    organisation.save()
    client_for(coordinator).post(
        f"/musterstadt/akteure/verwaltung/archiv/{organisation.slug}/wiederherstellen/"
    )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING


def test_only_the_office_of_the_town_archives(
    municipality: Any, organisation: Any, org_admin: Any, other_coordinator: Any
) -> None:
    url = f"/musterstadt/akteure/verwaltung/archiv/{organisation.slug}/"
    assert client_for(org_admin).post(url, {"reason": "x"}).status_code == 403
    assert client_for(other_coordinator).post(url, {"reason": "x"}).status_code == 403
    assert (
        client_for(other_coordinator)
        .post(f"/beispielhausen/akteure/verwaltung/archiv/{organisation.slug}/", {"reason": "x"})
        .status_code
        == 404
    )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PUBLISHED
