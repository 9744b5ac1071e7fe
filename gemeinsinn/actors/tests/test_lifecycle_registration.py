"""Self-registration of organisations and their moderation by the coordination office."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import client_for
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import AuditEvent, OutgoingMail

REGISTER_URL = "/musterstadt/akteure/registrieren/"
QUEUE_URL = "/musterstadt/akteure/verwaltung/moderation/"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    """These tests read the English wording; the installation's default is German."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are checked in English: the German catalogue is filled in separately."""
    with translation.override("en"):
        yield


@pytest.fixture
def town(municipality: Any) -> Any:
    services.taxonomies_ensure(municipality=municipality)
    return municipality


def form_data(**extra: Any) -> dict[str, Any]:
    data = {
        "name": "Lesepaten Musterstadt",
        "type": "initiative",
        "sector": "civil_society",
        "description": "Wir lesen Kindern vor.",
        "email": "kontakt@lesepaten.example",
        "premises_accessibility": "unknown",
        "visibility_email": "public",
        "visibility_phone": "public",
        "visibility_street": "public",
        "visibility_contact_name": "members",
        "visibility_contact_email": "members",
        "visibility_contact_phone": "members",
        "visibility_opening_hours": "public",
    }
    data.update(extra)
    return data


def registered(town: Any, person: Any, name: str = "Lesepaten Musterstadt") -> Organisation:
    return services.organisation_register(
        actor=person,
        municipality=town,
        values={"name": name, "type": "initiative", "sector": "civil_society"},
    )


# --- registration --------------------------------------------------------------------------------


def test_a_logged_in_person_registers_an_organisation_and_becomes_its_admin(
    town: Any, volunteer: Any
) -> None:
    field = town.fields_of_engagement.get(slug="kultur-musik")
    group = town.target_groups.get(slug="kinder")
    response = client_for(volunteer).post(
        REGISTER_URL,
        form_data(engagement_fields=[field.pk], target_groups=[group.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Lesepaten Musterstadt")
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.source == Organisation.Source.SELF_REGISTERED
    assert list(organisation.engagement_fields.all()) == [field]
    assert list(organisation.target_groups.all()) == [group]
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role, membership.status) == (volunteer, "admin", "active")
    assert AuditEvent.objects.filter(action="organisation.registered", actor=volunteer).exists()


def test_the_office_is_told_by_email_about_a_new_registration(town: Any, volunteer: Any) -> None:
    registered(town, volunteer)
    mail = OutgoingMail.objects.get(purpose="actors_moderation")
    assert mail.recipient == "engagement@musterstadt.example"
    assert "Lesepaten Musterstadt" in mail.subject
    assert "/musterstadt/akteure/verwaltung/moderation/" in mail.body_text


def test_the_new_entry_is_not_public_but_its_admin_sees_it(town: Any, volunteer: Any) -> None:
    organisation = registered(town, volunteer)
    url = f"/musterstadt/akteure/{organisation.slug}/"
    assert client_for(None).get(url).status_code == 404
    assert client_for(volunteer).get(url).status_code == 200
    assert organisation.name not in client_for(None).get("/musterstadt/akteure/").content.decode()


def test_registering_needs_a_login(town: Any) -> None:
    response = client_for(None).get(REGISTER_URL)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert client_for(None).post(REGISTER_URL, form_data()).status_code == 302
    assert not Organisation.objects.filter(name="Lesepaten Musterstadt").exists()


def test_a_form_without_a_name_keeps_what_was_typed_and_says_what_is_missing(
    town: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).post(
        REGISTER_URL, form_data(name=""), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page
    assert "Wir lesen Kindern vor." in page
    assert not Organisation.objects.filter(source="self_registered").exists()


def test_a_very_similar_published_name_warns_and_offers_the_existing_entry(
    town: Any, volunteer: Any, organisation: Any
) -> None:
    client = client_for(volunteer)
    response = client.post(
        REGISTER_URL, form_data(name="Tafel Musterstadt"), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "/musterstadt/akteure/tafel-musterstadt-e-v/" in page
    assert 'name="duplicate_confirmed"' in page
    assert "Wir lesen Kindern vor." in page
    assert Organisation.objects.filter(municipality=town).count() == 1
    # Ticking the box registers it anyway.
    response = client.post(
        REGISTER_URL,
        form_data(name="Tafel Musterstadt", duplicate_shown="1", duplicate_confirmed="on"),
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Tafel Musterstadt", status="pending").exists()


def test_an_imported_lookalike_is_offered_for_claiming(town: Any, volunteer: Any) -> None:
    services.organisation_create(
        actor="test",
        municipality=town,
        name="Sportverein Blau-Weiß e.V.",
        type="club",
        sector="civil_society",
        published=True,
        source="import",
    )
    page = (
        client_for(volunteer)
        .post(REGISTER_URL, form_data(name="Sportverein Blau Weiss"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "/musterstadt/akteure/sportverein-blau-weiss-ev/beanspruchen/" in page


def test_names_that_only_share_a_word_are_not_duplicates(town: Any, organisation: Any) -> None:
    assert services.organisations_similar(municipality=town, name="Tafel Nachbarstadt") == []
    assert services.organisations_similar(municipality=town, name="Musterstädter Chor") == []
    assert services.organisations_similar(municipality=town, name="Tafel Musterstadt eV")


def test_a_duplicate_in_another_municipality_does_not_count(
    town: Any, other_municipality: Any, volunteer: Any
) -> None:
    services.organisation_create(
        actor="test",
        municipality=other_municipality,
        name="Lesepaten Musterstadt",
        type="club",
        sector="civil_society",
        published=True,
    )
    assert client_for(volunteer).post(REGISTER_URL, form_data()).status_code == 302


# --- moderation ----------------------------------------------------------------------------------


def test_the_office_approves_a_waiting_entry(town: Any, volunteer: Any, coordinator: Any) -> None:
    organisation = registered(town, volunteer)
    client = client_for(coordinator)
    assert organisation.name in client.get(QUEUE_URL).content.decode()
    response = client.post(f"{QUEUE_URL}{organisation.slug}/", {"decision": "approve"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PUBLISHED
    assert organisation.confirmed_at is not None
    assert AuditEvent.objects.filter(action="organisation.approved", actor=coordinator).exists()
    mail = OutgoingMail.objects.filter(recipient=volunteer.email).get()
    assert "published" in mail.subject
    assert f"moderation/{organisation.slug}/" not in client.get(QUEUE_URL).content.decode()


def test_asking_for_changes_sends_the_note_to_the_admins_and_shows_it_on_the_edit_page(
    town: Any, volunteer: Any, coordinator: Any
) -> None:
    organisation = registered(town, volunteer)
    client_for(coordinator).post(
        f"{QUEUE_URL}{organisation.slug}/",
        {"decision": "request_changes", f"{organisation.slug}-note": "Bitte Adresse ergänzen."},
    )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.CHANGES_REQUESTED
    assert organisation.moderation_note == "Bitte Adresse ergänzen."
    mail = OutgoingMail.objects.get(recipient=volunteer.email)
    assert "Bitte Adresse ergänzen." in mail.body_text
    edit = client_for(volunteer).get(f"/musterstadt/akteure/{organisation.slug}/bearbeiten/")
    assert "Bitte Adresse ergänzen." in edit.content.decode()


def test_saving_after_the_office_asked_for_changes_puts_the_entry_back_in_the_queue(
    town: Any, volunteer: Any, coordinator: Any
) -> None:
    organisation = registered(town, volunteer)
    services.organisation_request_changes(
        actor=coordinator, organisation=organisation, note="Adresse fehlt."
    )
    OutgoingMail.objects.all().delete()
    response = client_for(volunteer).post(
        f"/musterstadt/akteure/{organisation.slug}/bearbeiten/",
        form_data(street="Hauptstraße 1", postcode="83022", city="Musterstadt"),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.street == "Hauptstraße 1"
    assert AuditEvent.objects.filter(action="organisation.resubmitted").exists()
    assert OutgoingMail.objects.filter(recipient="engagement@musterstadt.example").exists()


def test_rejecting_needs_a_reason_and_keeps_the_typed_note_when_it_fails(
    town: Any, volunteer: Any, coordinator: Any
) -> None:
    organisation = registered(town, volunteer)
    client = client_for(coordinator)
    response = client.post(
        f"{QUEUE_URL}{organisation.slug}/", {"decision": "reject"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Please give a reason" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING
    client.post(
        f"{QUEUE_URL}{organisation.slug}/",
        {"decision": "reject", f"{organisation.slug}-note": "Kein Bezug zum Engagement."},
    )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.REJECTED
    mail = OutgoingMail.objects.get(recipient=volunteer.email)
    assert "Kein Bezug zum Engagement." in mail.body_text
    assert AuditEvent.objects.filter(action="organisation.rejected").get().data["note"] == (
        "Kein Bezug zum Engagement."
    )


def test_illegal_moderation_steps_are_refused_with_a_clear_message(
    town: Any, volunteer: Any, coordinator: Any, organisation: Any
) -> None:
    with pytest.raises(ValidationError, match="not possible"):
        services.organisation_approve(actor=coordinator, organisation=organisation)
    pending = registered(town, volunteer)
    services.organisation_reject(actor=coordinator, organisation=pending, reason="Nein.")
    for step in (
        lambda: services.organisation_approve(actor=coordinator, organisation=pending),
        lambda: services.organisation_request_changes(
            actor=coordinator, organisation=pending, note="Doch?"
        ),
    ):
        with pytest.raises(ValidationError, match="not possible"):
            step()
    response = client_for(coordinator).post(
        f"{QUEUE_URL}{organisation.slug}/", {"decision": "approve"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "not possible" in response.content.decode()


def test_an_org_admin_cannot_moderate_their_own_entry(town: Any, volunteer: Any) -> None:
    organisation = registered(town, volunteer)
    with pytest.raises(PermissionDenied):
        services.organisation_approve(actor=volunteer, organisation=organisation)
    response = client_for(volunteer).post(
        f"{QUEUE_URL}{organisation.slug}/", {"decision": "approve"}
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING


def test_the_moderation_queue_is_for_the_own_office_only(
    town: Any, volunteer: Any, other_coordinator: Any, platform_admin: Any
) -> None:
    organisation = registered(town, volunteer)
    assert client_for(None).get(QUEUE_URL).status_code == 302
    assert client_for(volunteer).get(QUEUE_URL).status_code == 403
    assert client_for(other_coordinator).get(QUEUE_URL).status_code == 403
    assert client_for(platform_admin).get(QUEUE_URL).status_code == 200
    # Another office, even on its own URL, finds nothing of ours to decide.
    response = client_for(other_coordinator).post(
        f"/beispielhausen/akteure/verwaltung/moderation/{organisation.slug}/",
        {"decision": "approve"},
    )
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING


def test_the_moderation_queue_costs_the_same_queries_for_2_and_12_entries(
    town: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_user

    client = client_for(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE_URL).status_code == 200
        return len(captured.captured_queries)

    for n in range(2):
        registered(town, make_user(f"person{n}@example.org"), name=f"Initiative {n}")
    few = count()
    for n in range(2, 12):
        registered(town, make_user(f"person{n}@example.org"), name=f"Initiative {n}")
    assert count() == few
