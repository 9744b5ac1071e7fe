"""The calendar feeds: the private feed by secret address, the public feeds of an organisation
and an opportunity, one shift as a file; who sees what, headers, and the query count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.utils import timezone

from conftest import client_for, make_user
from gemeinsinn.opportunities.tests.test_applications_support import make_opportunity
from gemeinsinn.shifts.ical import event_uid
from gemeinsinn.shifts.models import Shift, ShiftPlan, ShiftPreferences, Signup, Visibility
from gemeinsinn.shifts.selectors import feeds as feed_selectors
from gemeinsinn.shifts.services import preferences as preference_services
from gemeinsinn.shifts.services import signups as services
from gemeinsinn.shifts.tests.conftest import MakeShift

BASE = "/musterstadt/engagement/schichten/kalender"


def _uids(response: Any) -> set[str]:
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def _statuses(response: Any) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}


def _days(n: float) -> Any:
    return (timezone.localtime() + timedelta(days=n)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )


@pytest.fixture
def feed_token(volunteer: Any, municipality: Any) -> str:
    return preference_services.feed_token_renew(
        user=volunteer, municipality=municipality
    ).feed_token


# --- the private feed -----------------------------------------------------------------------


def test_the_private_feed_holds_the_persons_shifts_and_nobody_elses(
    client: Any,
    volunteer: Any,
    second_volunteer: Any,
    org_admin: Any,
    make_shift: MakeShift,
    feed_token: str,
) -> None:
    held = make_shift(starts_at=_days(2), task="Theke")
    full = make_shift(starts_at=_days(3), capacity=1, task="Lager")
    given_up = make_shift(starts_at=_days(4), task="Abholung")
    called_off = make_shift(starts_at=_days(5), task="Sortieren")
    members_only = make_shift(starts_at=_days(6), visibility=Visibility.MEMBERS, task="Kasse")
    somebody_elses = make_shift(starts_at=_days(7), task="Fahrdienst")
    services.shifts_sign_up(volunteer=second_volunteer, shifts=[full, somebody_elses])
    services.shifts_sign_up(
        volunteer=volunteer, shifts=[held, full, given_up, called_off, members_only]
    )
    mine = Signup.objects.get(volunteer=volunteer, shift=given_up)
    services.signup_cancel(actor=volunteer, signup=mine)
    # What the shift-cancelling service does.
    called_off.status = Shift.Status.CANCELLED
    called_off.sequence += 1
    called_off.save(update_fields=["status", "sequence"])
    services.signups_release_for_cancelled_shift(actor=org_admin, shift=called_off, reason="")

    response = client.get(f"{BASE}/{feed_token}.ics")

    assert _uids(response) == {
        event_uid(s) for s in (held, full, given_up, called_off, members_only)
    }
    statuses = _statuses(response)
    assert statuses[event_uid(held)] == "CONFIRMED"
    assert statuses[event_uid(given_up)] == "CANCELLED"
    assert statuses[event_uid(called_off)] == "CANCELLED"
    text = response.content.decode()
    assert "Fahrdienst" not in text
    assert "Paul" not in text
    assert second_volunteer.email not in text
    assert volunteer.email not in text


def test_the_private_feed_covers_thirty_days_back_to_a_year_ahead(
    client: Any, volunteer: Any, make_shift: MakeShift, feed_token: str
) -> None:
    inside = [make_shift(starts_at=_days(n)) for n in (-29, 360)]
    outside = [make_shift(starts_at=_days(n)) for n in (-31, 370)]
    for shift in inside + outside:
        Signup.objects.create(shift=shift, volunteer=volunteer, status=Signup.Status.CONFIRMED)
    assert _uids(client.get(f"{BASE}/{feed_token}.ics")) == {event_uid(s) for s in inside}


def test_the_private_feed_answers_as_a_private_calendar(
    client: Any, volunteer: Any, shift: Shift, feed_token: str
) -> None:
    services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    response = client.get(f"{BASE}/{feed_token}.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="meine-schichten.ics"' in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["URL"]).endswith("/musterstadt/engagement/schichten/meine/")


def test_a_revoked_or_renewed_address_answers_like_any_other_missing_page(
    client: Any, volunteer: Any, municipality: Any, feed_token: str
) -> None:
    assert client.get(f"{BASE}/{feed_token}.ics").status_code == 200
    unknown = client.get(f"{BASE}/no-such-token.ics")
    renewed = preference_services.feed_token_renew(user=volunteer, municipality=municipality)
    replaced = client.get(f"{BASE}/{feed_token}.ics")
    assert client.get(f"{BASE}/{renewed.feed_token}.ics").status_code == 200
    preference_services.feed_revoke(user=volunteer, municipality=municipality)
    revoked = client.get(f"{BASE}/{renewed.feed_token}.ics")
    assert unknown.status_code == replaced.status_code == revoked.status_code == 404
    # The same page, but for the address itself (the login link leads back to it).
    pages = {
        r.content.decode().replace(token, "TOKEN")
        for r, token in (
            (unknown, "no-such-token"),
            (replaced, feed_token),
            (revoked, renewed.feed_token),
        )
    }
    assert len(pages) == 1
    assert replaced["Content-Type"] == unknown["Content-Type"]


def test_an_empty_token_opens_no_feed(client: Any, volunteer: Any) -> None:
    ShiftPreferences.objects.create(user=volunteer, feed_token="")
    assert client.get(f"{BASE}/.ics").status_code == 404


def test_a_deactivated_account_has_no_feed(client: Any, volunteer: Any, feed_token: str) -> None:
    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])
    assert client.get(f"{BASE}/{feed_token}.ics").status_code == 404


def test_the_private_feed_costs_the_same_queries_for_five_shifts_or_forty(
    client: Any,
    volunteer: Any,
    make_shift: MakeShift,
    feed_token: str,
    django_assert_num_queries: Any,
) -> None:
    def add(n: int) -> None:
        for _i in range(n):
            Signup.objects.create(
                shift=make_shift(starts_at=_days(2)), volunteer=volunteer, status="confirmed"
            )

    add(5)
    # The municipality, the feed's owner, the sign-ups with their shifts.
    with django_assert_num_queries(3):
        assert len(_uids(client.get(f"{BASE}/{feed_token}.ics"))) == 5
    add(35)
    with django_assert_num_queries(3):
        assert len(_uids(client.get(f"{BASE}/{feed_token}.ics"))) == 40


def test_a_feed_holds_at_most_the_limit_the_coming_weeks_first(
    client: Any, organisation: Any, make_shift: MakeShift, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gemeinsinn.shifts.selectors.feeds.FEED_LIMIT", 3)
    shifts = [make_shift(starts_at=_days(n)) for n in (-5, 1, 2, 30, 200)]
    response = client.get(f"{BASE}/organisation/{organisation.slug}.ics")
    assert _uids(response) == {event_uid(s) for s in shifts[:3]}


# --- the organisation's public feed ---------------------------------------------------------


def test_the_organisation_feed_shows_only_its_public_shifts(
    client: Any,
    organisation: Any,
    other_organisation: Any,
    shift_plan: ShiftPlan,
    make_shift: MakeShift,
) -> None:
    public = make_shift(starts_at=_days(2))
    cancelled = make_shift(starts_at=_days(3))
    Shift.objects.filter(pk=cancelled.pk).update(status=Shift.Status.CANCELLED)
    members_only = make_shift(starts_at=_days(4), visibility=Visibility.MEMBERS, task="Intern")
    archived_plan = ShiftPlan.objects.create(
        municipality=organisation.municipality,
        organisation=organisation,
        title="Altes Fest",
        is_archived=True,
    )
    archived = make_shift(starts_at=_days(5), plan=archived_plan)
    elsewhere_plan = ShiftPlan.objects.create(
        municipality=other_organisation.municipality,
        organisation=other_organisation,
        title="Kleiderkammer",
    )
    elsewhere = make_shift(starts_at=_days(2), plan=elsewhere_plan)

    response = client.get(f"{BASE}/organisation/{organisation.slug}.ics")

    assert _uids(response) == {event_uid(public), event_uid(cancelled)}
    assert _statuses(response)[event_uid(cancelled)] == "CANCELLED"
    text = response.content.decode()
    assert "Intern" not in text
    assert event_uid(members_only) not in text
    assert event_uid(archived) not in text
    assert event_uid(elsewhere) not in text
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{organisation.slug}-schichten.ics"' in response["Content-Disposition"]
    assert "public" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    plan_page = f"/musterstadt/engagement/schichten/plan/{public.plan.public_id}/"
    assert all(str(e["URL"]).endswith(plan_page) for e in calendar.walk("VEVENT"))


def test_the_organisation_feed_is_missing_for_unpublished_or_foreign_organisations(
    client: Any, organisation: Any, other_organisation: Any, shift: Shift
) -> None:
    foreign = client.get(f"{BASE}/organisation/{other_organisation.slug}.ics")
    assert foreign.status_code == 404
    type(organisation).objects.filter(pk=organisation.pk).update(status="archived")
    assert client.get(f"{BASE}/organisation/{organisation.slug}.ics").status_code == 404


def test_the_organisation_feed_costs_the_same_queries_whatever_its_size(
    client: Any, organisation: Any, make_shift: MakeShift, django_assert_num_queries: Any
) -> None:
    for n in range(3):
        make_shift(starts_at=_days(n + 1))
    # The municipality, the organisation, the shifts with plan and organisation.
    with django_assert_num_queries(3):
        assert len(_uids(client.get(f"{BASE}/organisation/{organisation.slug}.ics"))) == 3
    for n in range(30):
        make_shift(starts_at=_days(n + 1), task=f"Aufgabe {n}")
    with django_assert_num_queries(3):
        assert len(_uids(client.get(f"{BASE}/organisation/{organisation.slug}.ics"))) == 33


# --- the opportunity's public feed ----------------------------------------------------------


def test_the_opportunity_feed_shows_the_public_shifts_of_its_plans(
    client: Any,
    organisation: Any,
    shift_plan: ShiftPlan,
    make_shift: MakeShift,
    django_assert_num_queries: Any,
) -> None:
    opportunity = make_opportunity(organisation)
    shift_plan.opportunity = opportunity
    shift_plan.save(update_fields=["opportunity"])
    other_plan = ShiftPlan.objects.create(
        municipality=organisation.municipality, organisation=organisation, title="Sommerfest"
    )
    its_shift = make_shift(starts_at=_days(2))
    make_shift(starts_at=_days(2), visibility=Visibility.MEMBERS)
    make_shift(starts_at=_days(3), plan=other_plan)

    with django_assert_num_queries(3):
        response = client.get(f"{BASE}/engagement/{opportunity.public_id}.ics")

    assert _uids(response) == {event_uid(its_shift)}
    assert response["Content-Disposition"].endswith('-lebensmittel-ausgeben.ics"')


def test_the_opportunity_feed_is_missing_once_the_listing_expired(
    client: Any, organisation: Any, shift_plan: ShiftPlan, shift: Shift
) -> None:
    opportunity = make_opportunity(
        organisation, expires_on=timezone.localdate() - timedelta(days=1)
    )
    shift_plan.opportunity = opportunity
    shift_plan.save(update_fields=["opportunity"])
    assert client.get(f"{BASE}/engagement/{opportunity.public_id}.ics").status_code == 404


# --- one shift as a file --------------------------------------------------------------------


def test_a_public_shift_downloads_for_everybody(client: Any, shift: Shift) -> None:
    response = client.get(f"{BASE}/schicht/{shift.public_id}.ics")
    assert _uids(response) == {event_uid(shift)}
    day = timezone.localtime(shift.starts_at).date().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="schicht-{day}-ausgabe.ics"'


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("volunteer", 404),
        ("signed_up", 200),
        ("org_member", 200),
        ("other_coordinator", 404),
    ],
)
def test_a_members_only_shift_downloads_only_for_members_and_those_signed_up(
    request: pytest.FixtureRequest, make_shift: MakeShift, who: str, status: int
) -> None:
    shift = make_shift(visibility=Visibility.MEMBERS)
    if who == "anonymous":
        user = None
    elif who == "signed_up":
        user = make_user("sina.signed@example.org")
        services.shifts_sign_up(volunteer=user, shifts=[shift])  # a request to join
    else:
        user = request.getfixturevalue(who)
    response = client_for(user).get(f"{BASE}/schicht/{shift.public_id}.ics")
    assert response.status_code == status
    if status == 200:
        assert "private" in response["Cache-Control"]


def test_a_shift_is_not_found_under_another_municipality(
    other_municipality: Any, shift: Shift
) -> None:
    url = f"/beispielhausen/engagement/schichten/kalender/schicht/{shift.public_id}.ics"
    assert client_for(None).get(url).status_code == 404


def test_the_private_feed_knows_waiting_places_and_counts_the_persons_own_changes(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    full = make_shift(starts_at=_days(2), capacity=1)
    changing = make_shift(starts_at=_days(3))
    services.shifts_sign_up(volunteer=second_volunteer, shifts=[full])
    services.shifts_sign_up(volunteer=volunteer, shifts=[full])
    revisions = []
    for _round in range(2):
        [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[changing])
        revisions.append(_item(volunteer, changing).revision)
        services.signup_cancel(actor=volunteer, signup=signup)
        revisions.append(_item(volunteer, changing).revision)
    assert revisions == [0, 1, 2, 3]
    assert _item(volunteer, changing).given_up
    waiting = _item(volunteer, full)
    assert waiting.tentative
    assert not waiting.given_up


def _item(user: Any, shift: Shift) -> feed_selectors.FeedItem:
    [item] = [i for i in feed_selectors.person_feed_items(user=user) if i.shift.pk == shift.pk]
    return item
