"""Entries not confirmed for 12 months: reminders at most monthly, a stale list, confirmation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from conftest import client_for, make_user
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import AuditEvent, OutgoingMail

T0 = datetime.fromisoformat("2025-01-15 09:00:00+01:00")
STALE_URL = "/musterstadt/akteure/verwaltung/veraltet/"


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
def entry(municipality: Any) -> Iterator[Organisation]:
    """A published entry created at T0 with one admin; the clock stands still at T0."""
    with time_machine.travel(T0, tick=False):
        organisation = services.organisation_create(
            actor="test",
            municipality=municipality,
            name="Chor Cantamus",
            type="club",
            sector="civil_society",
            published=True,
        )
        admin = make_user("anna.admin@example.org", first_name="Anna")
        services.membership_add(actor=None, organisation=organisation, user=admin, role="admin")
        yield organisation


def at(days: int) -> Any:
    return time_machine.travel(T0 + timedelta(days=days), tick=False)


def reminders() -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(purpose="actors_stale_reminder").order_by("pk"))


def test_after_eleven_months_nothing_is_sent(entry: Organisation) -> None:
    with at(335):
        assert services.stale_reminders_send() == 0
    assert reminders() == []


def test_after_twelve_months_the_admins_get_one_reminder_with_a_link(entry: Organisation) -> None:
    with at(366):
        assert services.stale_reminders_send() == 1
        assert services.stale_reminders_send() == 0  # the same day: no second mail
    (mail,) = reminders()
    assert mail.recipient == "anna.admin@example.org"
    assert "/musterstadt/akteure/aktuell/" in mail.body_text
    assert "/musterstadt/akteure/chor-cantamus/bearbeiten/" in mail.body_text
    entry.refresh_from_db()
    assert entry.reminded_at == T0 + timedelta(days=366)
    assert AuditEvent.objects.filter(action="organisation.reminded").count() == 1


def test_the_reminder_repeats_after_thirty_days_not_before(entry: Organisation) -> None:
    with at(366):
        services.stale_reminders_send()
    with at(366 + 29):
        assert services.stale_reminders_send() == 0
    with at(366 + 31):
        assert services.stale_reminders_send() == 1
    assert len(reminders()) == 2


def test_confirming_through_the_link_resets_the_clock(entry: Organisation, client: Any) -> None:
    with at(366):
        services.stale_reminders_send()
        link = re.search(r"(/musterstadt/akteure/aktuell/\S+/)", reminders()[0].body_text)
        assert link is not None
        path = link.group(1)
        # Opening the link changes nothing (mail scanners open links); the button does.
        page = client.get(path)
        assert page.status_code == 200
        assert "Chor Cantamus" in page.content.decode()
        entry.refresh_from_db()
        assert entry.confirmed_at is None
        response = client.post(path)
        assert response.status_code == 302
        entry.refresh_from_db()
        assert entry.confirmed_at == T0 + timedelta(days=366)
    with at(366 + 40):
        assert services.stale_reminders_send() == 0
    with at(366 + 366):
        assert services.stale_reminders_send() == 1
    assert AuditEvent.objects.filter(action="organisation.confirmed").exists()


def test_the_edit_page_button_confirms_the_entry(entry: Organisation) -> None:
    admin = entry.memberships.get().user
    with at(400):
        client = client_for(admin)
        page = client.get("/musterstadt/akteure/chor-cantamus/bearbeiten/").content.decode()
        assert "still current" in page
        client.post("/musterstadt/akteure/chor-cantamus/bestaetigen/")
        entry.refresh_from_db()
        assert entry.confirmed_at == T0 + timedelta(days=400)
        assert services.stale_reminders_send() == 0


def test_a_stranger_cannot_confirm_an_entry(entry: Organisation, volunteer: Any) -> None:
    with at(400):
        response = client_for(volunteer).post("/musterstadt/akteure/chor-cantamus/bestaetigen/")
        assert response.status_code == 403
        assert (
            client_for(None).post("/musterstadt/akteure/chor-cantamus/bestaetigen/").status_code
            == 302
        )
    entry.refresh_from_db()
    assert entry.confirmed_at is None


def test_a_broken_or_foreign_link_confirms_nothing(
    entry: Organisation, other_municipality: Any, client: Any
) -> None:
    with at(366):
        services.stale_reminders_send()
        link = re.search(r"/aktuell/(\S+)/", reminders()[0].body_text)
        assert link is not None
        token = link.group(1)
        assert client.post(f"/musterstadt/akteure/aktuell/{token}x/").status_code == 404
        assert client.post(f"/beispielhausen/akteure/aktuell/{token}/").status_code == 404
    with at(366 + 61):  # the link is valid for 60 days
        assert client.post(f"/musterstadt/akteure/aktuell/{token}/").status_code == 404
    entry.refresh_from_db()
    assert entry.confirmed_at is None


def test_the_office_sees_stale_entries_and_those_without_admins(
    entry: Organisation, municipality: Any, coordinator: Any
) -> None:
    with time_machine.travel(T0, tick=False):
        services.organisation_create(
            actor="import",
            municipality=municipality,
            name="Heimatverein Altdorf",
            type="club",
            sector="civil_society",
            published=True,
            source="import",
        )
    with at(200):
        page = client_for(coordinator).get(STALE_URL).content.decode()
        assert "Chor Cantamus" not in page
        assert "All published entries have been confirmed" in page
    with at(366):
        # Entries nobody administers get no mail, but the office sees them.
        assert services.stale_reminders_send() == 1
        page = client_for(coordinator).get(STALE_URL).content.decode()
        assert "Chor Cantamus" in page
        assert "Heimatverein Altdorf" in page
        assert "nobody gets a reminder" in page


def test_the_stale_list_is_for_the_own_office_only(
    entry: Organisation, volunteer: Any, other_coordinator: Any
) -> None:
    with at(366):
        assert client_for(None).get(STALE_URL).status_code == 302
        assert client_for(volunteer).get(STALE_URL).status_code == 403
        assert client_for(other_coordinator).get(STALE_URL).status_code == 403
        page = client_for(other_coordinator).get("/beispielhausen/akteure/verwaltung/veraltet/")
        assert "Chor Cantamus" not in page.content.decode()


def test_the_stale_list_costs_the_same_queries_for_2_and_15_entries(
    municipality: Any, coordinator: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def create(start: int, count: int) -> None:
        with time_machine.travel(T0, tick=False):
            for n in range(start, start + count):
                services.organisation_create(
                    actor="test",
                    municipality=municipality,
                    name=f"Verein {n}",
                    type="club",
                    sector="civil_society",
                    published=True,
                )

    def queries() -> int:
        with at(400), CaptureQueriesContext(connection) as captured:
            assert client_for(coordinator).get(STALE_URL).status_code == 200
        return len(captured.captured_queries)

    create(0, 2)
    few = queries()
    create(2, 13)
    assert queries() == few


def test_entries_of_a_town_without_the_actors_module_get_no_reminder(
    entry: Organisation, municipality: Any
) -> None:
    municipality.enabled_modules = ["opportunities"]
    municipality.save(update_fields=["enabled_modules"])
    with at(400):
        assert services.stale_reminders_send() == 0


def test_unpublished_entries_are_never_stale(entry: Organisation) -> None:
    Organisation.objects.filter(pk=entry.pk).update(status="pending")
    with at(800):
        assert services.stale_reminders_send() == 0


def test_the_command_sends_the_reminders_and_can_hand_them_to_the_worker(
    entry: Organisation,
) -> None:
    out = StringIO()
    with at(366):
        call_command("actors_stale_reminders", stdout=out)
    assert "1 organisation(s) reminded." in out.getvalue()
    assert len(reminders()) == 1
    out = StringIO()
    with at(366 + 31):
        call_command("actors_stale_reminders", "--enqueue", stdout=out)
    assert "Queued as task" in out.getvalue()
    # The test settings run tasks at once.
    assert len(reminders()) == 2
