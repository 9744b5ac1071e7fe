"""The daily digest of saved searches: one e-mail per person and day with the new matches of all
their alerting searches, none without matches, never twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from conftest import make_user
from gemeinsinn.core.models import AuditEvent, OutgoingMail
from gemeinsinn.opportunities.models import PostcodeLocation, SavedSearch
from gemeinsinn.opportunities.services import saved_searches as services
from gemeinsinn.opportunities.tests.test_search_support import (
    english_fixture,
    make_opportunity,
    town_fixture,
)

__all__ = ["english_fixture", "town_fixture"]

pytestmark = pytest.mark.usefixtures("english")

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)


def digests() -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(purpose=services.ALERT_PURPOSE).order_by("pk"))


def save(user: Any, town: Any, name: str, query: str, **extra: Any) -> SavedSearch:
    return services.saved_search_create(
        user=user, municipality=town, name=name, query_string=query, **extra
    )


def publish(organisation: Any, title: str, when: datetime, **extra: Any) -> Any:
    return make_opportunity(
        organisation,
        title,
        published_at=when,
        expires_on=extra.pop("expires_on", when.date() + timedelta(days=60)),
        **extra,
    )


def test_one_mail_a_day_with_yesterday_s_new_matches_and_never_twice(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    publish(organisation, "Garten vorher", at(1, 9))
    with time_machine.travel(at(1, 10), tick=False):
        garten = save(volunteer, town, "Garten", "q=Garten")
        kinder = save(volunteer, town, "Für Kinder", "target_group=kinder")
    publish(organisation, "Garten am Fluss", at(1, 12))
    publish(organisation, "Spielplatz", at(1, 15), groups=["kinder"])
    publish(organisation, "Kochen", at(1, 16))
    with time_machine.travel(at(2, 7), tick=False):
        assert services.saved_search_alerts_send() == 1
        # The job runs again the same morning: nothing new.
        assert services.saved_search_alerts_send() == 0
    [mail] = digests()
    assert mail.recipient == volunteer.email
    assert mail.subject == "2 new opportunities for your saved searches"
    body = mail.body_text
    assert "Your search “Garten”:" in body
    assert "– Garten am Fluss (Tafel Musterstadt e. V.)" in body
    assert "Your search “Für Kinder”:" in body
    assert "Spielplatz" in body
    assert "Garten vorher" not in body  # published before the search was saved
    assert "Kochen" not in body
    assert "http://127.0.0.1:8000/musterstadt/engagement/gespeichert/" in body
    for saved in (garten, kinder):
        saved.refresh_from_db()
        assert saved.alerted_until == at(2, 0)
    assert AuditEvent.objects.filter(action="saved_search.alert_sent").count() == 1


def test_a_match_published_today_waits_for_tomorrow_s_mail(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    with time_machine.travel(at(1, 10), tick=False):
        save(volunteer, town, "Garten", "q=Garten")
    publish(organisation, "Garten heute", at(2, 8))
    with time_machine.travel(at(2, 20), tick=False):
        assert services.saved_search_alerts_send() == 0
    with time_machine.travel(at(3, 7), tick=False):
        assert services.saved_search_alerts_send() == 1
    assert "Garten heute" in digests()[0].body_text


def test_no_mail_without_new_matches_but_the_window_moves_on(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    with time_machine.travel(at(1, 10), tick=False):
        saved = save(volunteer, town, "Garten", "q=Garten")
    publish(organisation, "Kochen", at(1, 12))
    with time_machine.travel(at(2, 7), tick=False):
        assert services.saved_search_alerts_send() == 0
    assert digests() == []
    saved.refresh_from_db()
    assert saved.alerted_until == at(2, 0)


def test_each_person_gets_their_own_mail_and_switched_off_searches_none(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    other = make_user("olga@example.org")
    quiet = make_user("quiet@example.org")
    with time_machine.travel(at(1, 10), tick=False):
        save(volunteer, town, "Garten", "q=Garten")
        save(other, town, "Alles", "")
        save(quiet, town, "Alles", "", alert=False)
    publish(organisation, "Garten am Fluss", at(1, 12))
    with time_machine.travel(at(2, 7), tick=False):
        assert services.saved_search_alerts_send() == 2
    assert sorted(m.recipient for m in digests()) == [
        "olga@example.org",
        volunteer.email,
    ]


def test_an_opportunity_in_two_searches_is_listed_once(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    with time_machine.travel(at(1, 10), tick=False):
        save(volunteer, town, "A Garten", "q=Garten")
        save(volunteer, town, "B Alles", "")
    publish(organisation, "Garten am Fluss", at(1, 12))
    with time_machine.travel(at(2, 7), tick=False):
        assert services.saved_search_alerts_send() == 1
    body = digests()[0].body_text
    assert body.count("Garten am Fluss") == 1
    assert "B Alles" not in body


def test_expired_and_unpublished_opportunities_are_not_mailed(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    with time_machine.travel(at(1, 10), tick=False):
        save(volunteer, town, "Alles", "")
    publish(organisation, "Schon vorbei", at(1, 12), expires_on=at(1, 12).date())
    publish(organisation, "Entwurf", at(1, 12), status="draft")
    with time_machine.travel(at(2, 7), tick=False):
        assert services.saved_search_alerts_send() == 0


def test_a_search_whose_place_is_gone_sends_nothing_rather_than_everything(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    PostcodeLocation.objects.create(postcode="83022", latitude=47.85, longitude=12.12)
    with time_machine.travel(at(1, 10), tick=False):
        save(volunteer, town, "Nah", "place=83022&radius_km=5")
    PostcodeLocation.objects.all().delete()
    publish(organisation, "Weit weg", at(1, 12), latitude=53.5, longitude=10.0)
    with time_machine.travel(at(2, 7), tick=False):
        assert services.saved_search_alerts_send() == 0


def test_many_matches_are_cut_short_with_a_link_to_the_rest(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    with time_machine.travel(at(1, 10), tick=False):
        save(volunteer, town, "Alles", "kind=regular")
    for n in range(services.DIGEST_LIMIT + 3):
        publish(organisation, f"Angebot {n:02}", at(1, 12, n))
    with time_machine.travel(at(2, 7), tick=False):
        assert services.saved_search_alerts_send() == 1
    mail = digests()[0]
    assert mail.subject == f"{services.DIGEST_LIMIT + 3} new opportunities for your saved searches"
    assert mail.body_text.count("– Angebot") == services.DIGEST_LIMIT
    assert "3 more: http://127.0.0.1:8000/musterstadt/engagement/?kind=regular" in mail.body_text


def test_a_switched_off_module_or_a_deactivated_person_gets_no_mail(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    with time_machine.travel(at(1, 10), tick=False):
        save(volunteer, town, "Alles", "")
    publish(organisation, "Garten", at(1, 12))
    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])
    with time_machine.travel(at(2, 7), tick=False):
        assert services.saved_search_alerts_send() == 0
    volunteer.is_active = True
    volunteer.save(update_fields=["is_active"])
    town.enabled_modules = ["actors"]
    town.save(update_fields=["enabled_modules"])
    with time_machine.travel(at(2, 8), tick=False):
        assert services.saved_search_alerts_send() == 0
    assert digests() == []


def test_switching_the_alert_on_again_counts_only_what_comes_after(
    town: Any, organisation: Any, volunteer: Any
) -> None:
    with time_machine.travel(at(1, 10), tick=False):
        saved = save(volunteer, town, "Alles", "", alert=False)
    publish(organisation, "Während aus", at(1, 12))
    with time_machine.travel(at(1, 18), tick=False):
        services.saved_search_update(user=volunteer, saved_search=saved, name="Alles", alert=True)
    publish(organisation, "Danach", at(1, 19))
    with time_machine.travel(at(2, 7), tick=False):
        assert services.saved_search_alerts_send() == 1
    body = digests()[0].body_text
    assert "Danach" in body
    assert "Während aus" not in body


def test_the_command_prints_a_summary(town: Any, organisation: Any, volunteer: Any) -> None:
    with time_machine.travel(at(1, 10), tick=False):
        save(volunteer, town, "Alles", "")
    publish(organisation, "Garten", at(1, 12))
    out = StringIO()
    with time_machine.travel(at(2, 7), tick=False):
        call_command("opportunities_search_alerts", stdout=out)
        call_command("opportunities_search_alerts", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 saved-search digest(s) sent.",
        "0 saved-search digest(s) sent.",
    ]
