"""Declined and withdrawn applications lose their personal data after the retention period."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from gemeinsinn.accounts.models import Notification
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.opportunities.models import Application, ApplicationMessage, ExchangeSettings
from gemeinsinn.opportunities.services import applications as services
from gemeinsinn.opportunities.tests.test_applications_support import (  # noqa: F401 - fixtures
    make_opportunity,
    opportunity_fixture,
    other_volunteer_fixture,
)

START = datetime(2030, 1, 10, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def _declined(opportunity: Any, volunteer: Any, org_admin: Any) -> Application:
    found = services.application_submit(
        opportunity=opportunity, volunteer=volunteer, message="Hallo", share_contact=True
    )
    services.application_ask(application=found, actor=org_admin, question="Wann?")
    services.application_answer(application=found, actor=volunteer, answer="Montags.")
    services.application_decline(application=found, actor=org_admin, reason="Voll belegt.")
    found.refresh_from_db()
    return found


@pytest.fixture
def timeline(organisation: Any, org_admin: Any, volunteer: Any, other_volunteer: Any) -> Any:
    """At START: one declined (with a conversation), one withdrawn, one open, one accepted."""
    with time_machine.travel(START, tick=False):
        opportunity = make_opportunity(organisation, expires_on=START.date() + timedelta(days=30))
        declined = _declined(opportunity, volunteer, org_admin)
        second = make_opportunity(
            organisation, title="Fahrdienst", expires_on=START.date() + timedelta(days=30)
        )
        withdrawn = services.application_submit(
            opportunity=second, volunteer=volunteer, message="Ich fahre.", share_contact=True
        )
        services.application_withdraw(application=withdrawn, actor=volunteer)
        open_one = services.application_submit(
            opportunity=second, volunteer=other_volunteer, message="Offen", share_contact=True
        )
        accepted = services.application_submit(
            opportunity=opportunity, volunteer=other_volunteer, message="Ja", share_contact=True
        )
        services.application_accept(application=accepted, actor=org_admin)
    return {
        "declined": declined,
        "withdrawn": withdrawn,
        "open": open_one,
        "accepted": accepted,
    }


def test_nothing_is_deleted_before_the_retention_period_ends(timeline: dict[str, Any]) -> None:
    with time_machine.travel(START + timedelta(days=179), tick=False):
        assert services.applications_purge() == 0
    declined = Application.objects.get(pk=timeline["declined"].pk)
    assert declined.volunteer is not None
    assert declined.contact_email == "vera.volunteer@example.org"
    assert ApplicationMessage.objects.filter(application=declined).count() == 2


def test_closed_applications_are_anonymised_after_the_retention_period(
    timeline: dict[str, Any],
) -> None:
    with time_machine.travel(START + timedelta(days=181), tick=False):
        assert services.applications_purge() == 2
    for key in ("declined", "withdrawn"):
        found = Application.objects.get(pk=timeline[key].pk)
        assert found.volunteer is None
        assert found.message == ""
        assert found.decline_reason == ""
        assert (found.contact_name, found.contact_email, found.contact_phone) == ("", "", "")
        assert found.contact_shared_at is None
        assert found.anonymised_at is not None
        assert not ApplicationMessage.objects.filter(application=found).exists()
        assert not Notification.objects.filter(url__contains=str(found.public_id)).exists()
    # The rows stay for the statistics.
    assert Application.objects.count() == 4
    assert AuditEvent.objects.filter(action="application.purged").count() == 1


def test_open_and_accepted_applications_are_never_touched(timeline: dict[str, Any]) -> None:
    with time_machine.travel(START + timedelta(days=1000), tick=False):
        services.applications_purge()
    for key in ("open", "accepted"):
        found = Application.objects.get(pk=timeline[key].pk)
        assert Notification.objects.filter(url__contains=str(found.public_id)).exists()
        assert found.volunteer is not None
        assert found.contact_email == "olga.other@example.org"
        assert found.anonymised_at is None


def test_the_municipalitys_own_retention_period_counts(
    timeline: dict[str, Any], municipality: Any
) -> None:
    ExchangeSettings.objects.create(municipality=municipality, application_retention_days=30)
    with time_machine.travel(START + timedelta(days=29), tick=False):
        assert services.applications_purge() == 0
    with time_machine.travel(START + timedelta(days=31), tick=False):
        assert services.applications_purge() == 2


def test_the_purge_command_is_safe_to_run_twice(
    timeline: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    with time_machine.travel(START + timedelta(days=200), tick=False):
        call_command("opportunities_purge_applications")
        call_command("opportunities_purge_applications")
    out = capsys.readouterr().out.splitlines()
    assert out == ["2 application(s) anonymised.", "0 application(s) anonymised."]
    assert AuditEvent.objects.filter(action="application.purged").count() == 1
