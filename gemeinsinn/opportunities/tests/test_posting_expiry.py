"""Listings end by themselves, and organisations are reminded once before they do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import AuditEvent, Municipality, OutgoingMail
from gemeinsinn.opportunities.models import ExchangeSettings, Opportunity
from gemeinsinn.opportunities.selectors.common import opportunities_live
from gemeinsinn.opportunities.services import opportunities as services
from gemeinsinn.opportunities.tests.test_posting_support import (  # noqa: F401 - fixtures
    english_fixture,
    far_admin_fixture,
    far_organisation_fixture,
    opportunity_data,
)

pytestmark = pytest.mark.usefixtures("english")

T0 = datetime.fromisoformat("2026-03-02 09:00:00+01:00")
DAY0 = T0.date()
S = Opportunity.Status


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(T0, tick=False):
        yield


def at(days: int) -> Any:
    return time_machine.travel(T0 + timedelta(days=days), tick=False)


def listed_until(organisation: Organisation, actor: Any, day: date, **extra: Any) -> Opportunity:
    return services.opportunity_create(
        organisation=organisation,
        actor=actor,
        data=opportunity_data(expires_on=day, **extra),
        submit=True,
    )


def reminders() -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(purpose="opportunities_expiry_reminder").order_by("pk"))


def test_a_listing_leaves_the_search_the_day_after_its_date_and_the_job_sets_expired(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = listed_until(organisation, org_admin, DAY0 + timedelta(days=10))
    with at(10):
        assert services.opportunities_expire(today=DAY0 + timedelta(days=10)) == 0
        assert opportunity in opportunities_live(municipality=organisation.municipality)
    with at(11):
        assert list(opportunities_live(municipality=organisation.municipality)) == []
        assert services.opportunities_expire(today=DAY0 + timedelta(days=11)) == 1
        assert services.opportunities_expire(today=DAY0 + timedelta(days=11)) == 0
    opportunity.refresh_from_db()
    assert opportunity.status == S.EXPIRED
    event = AuditEvent.objects.get(action="opportunity.expired")
    assert (event.actor, event.actor_label) == (None, "system")
    assert event.data["status"] == {"before": "published", "after": "expired"}


def test_only_published_listings_expire(organisation: Organisation, org_admin: Any) -> None:
    paused = listed_until(organisation, org_admin, DAY0 + timedelta(days=1))
    services.opportunity_pause(opportunity=paused, actor=org_admin)
    draft = services.opportunity_create(
        organisation=organisation,
        actor=org_admin,
        data=opportunity_data(expires_on=DAY0 + timedelta(days=1), title="Entwurf"),
    )
    with at(5):
        assert services.opportunities_expire(today=DAY0 + timedelta(days=5)) == 0
    assert {o.status for o in Opportunity.objects.filter(pk__in=[paused.pk, draft.pk])} == {
        S.PAUSED,
        S.DRAFT,
    }


def test_extending_an_expired_listing_brings_it_back_into_the_search(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = listed_until(organisation, org_admin, DAY0 + timedelta(days=1))
    with at(3):
        services.opportunities_expire(today=DAY0 + timedelta(days=3))
        services.opportunity_extend(
            opportunity=opportunity, actor=org_admin, expires_on=DAY0 + timedelta(days=40)
        )
        assert list(opportunities_live(municipality=organisation.municipality)) == [opportunity]
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.expires_on) == (S.PUBLISHED, DAY0 + timedelta(days=40))


def test_the_reminder_comes_seven_days_before_and_never_twice(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = listed_until(organisation, org_admin, DAY0 + timedelta(days=20))
    with at(12):  # eight days before: too early
        assert services.opportunities_remind_expiry(today=DAY0 + timedelta(days=12)) == 0
    with at(13):
        assert services.opportunities_remind_expiry(today=DAY0 + timedelta(days=13)) == 1
        assert services.opportunities_remind_expiry(today=DAY0 + timedelta(days=13)) == 0
    for day in (14, 19, 20):
        with at(day):
            assert services.opportunities_remind_expiry(today=DAY0 + timedelta(days=day)) == 0
    (mail,) = reminders()
    assert mail.recipient == "otto.org@example.org"
    assert "Lesepatin oder Lesepate gesucht" in mail.subject
    assert f"/musterstadt/engagement/angebot/{opportunity.public_id}/verlaengern/" in (
        mail.body_text
    )
    opportunity.refresh_from_db()
    assert opportunity.expiry_reminded_at == T0 + timedelta(days=13)
    assert AuditEvent.objects.filter(action="opportunity.expiry_reminded").count() == 1


def test_the_reminder_goes_to_the_contact_email_when_there_is_one(
    organisation: Organisation, org_admin: Any
) -> None:
    listed_until(
        organisation, org_admin, DAY0 + timedelta(days=3), contact_email="lesen@tafel.example"
    )
    assert services.opportunities_remind_expiry(today=DAY0) == 1
    assert [m.recipient for m in reminders()] == ["lesen@tafel.example"]


def test_a_new_listing_date_allows_one_new_reminder(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = listed_until(organisation, org_admin, DAY0 + timedelta(days=5))
    assert services.opportunities_remind_expiry(today=DAY0) == 1
    services.opportunity_extend(
        opportunity=opportunity, actor=org_admin, expires_on=DAY0 + timedelta(days=30)
    )
    with at(23):
        assert services.opportunities_remind_expiry(today=DAY0 + timedelta(days=23)) == 1
        assert services.opportunities_remind_expiry(today=DAY0 + timedelta(days=23)) == 0
    assert len(reminders()) == 2


def test_each_town_sets_its_own_reminder_period(
    organisation: Organisation,
    org_admin: Any,
    far_organisation: Organisation,
    far_admin: Any,
) -> None:
    ExchangeSettings.objects.create(municipality=organisation.municipality, expiry_reminder_days=2)
    here = listed_until(organisation, org_admin, DAY0 + timedelta(days=5))
    there = listed_until(far_organisation, far_admin, DAY0 + timedelta(days=5), postcode="44135")
    assert services.opportunities_remind_expiry(today=DAY0) == 1
    here.refresh_from_db()
    there.refresh_from_db()
    assert here.expiry_reminded_at is None
    assert there.expiry_reminded_at is not None


def test_a_town_without_the_exchange_sends_no_reminders(
    organisation: Organisation, org_admin: Any
) -> None:
    listed_until(organisation, org_admin, DAY0 + timedelta(days=3))
    Municipality.objects.filter(pk=organisation.municipality_id).update(enabled_modules=["actors"])
    assert services.opportunities_remind_expiry(today=DAY0) == 0
    assert reminders() == []


def test_paused_listings_are_not_reminded(organisation: Organisation, org_admin: Any) -> None:
    opportunity = listed_until(organisation, org_admin, DAY0 + timedelta(days=3))
    services.opportunity_pause(opportunity=opportunity, actor=org_admin)
    assert services.opportunities_remind_expiry(today=DAY0) == 0


def test_the_command_expires_and_reminds_is_idempotent_and_prints_one_line(
    organisation: Organisation, org_admin: Any
) -> None:
    listed_until(organisation, org_admin, DAY0 + timedelta(days=1), title="Bald vorbei")
    listed_until(organisation, org_admin, DAY0 + timedelta(days=30), title="Noch lange")
    with at(2):
        Opportunity.objects.filter(title="Noch lange").update(expires_on=DAY0 + timedelta(days=6))
        out = StringIO()
        call_command("opportunities_expire", stdout=out)
        assert out.getvalue() == "1 opportunity(ies) expired, 1 reminder(s) sent.\n"
        again = StringIO()
        call_command("opportunities_expire", stdout=again)
        assert again.getvalue() == "0 opportunity(ies) expired, 0 reminder(s) sent.\n"
    assert Opportunity.objects.get(title="Bald vorbei").status == S.EXPIRED
    assert len(reminders()) == 1
