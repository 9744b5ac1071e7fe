"""The organiser's week plan: fill levels in words and as a bar, the day view, bad addresses, the
Berlin wall clock, and a fixed number of queries for any size of week."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F

from conftest import client_for
from gemeinsinn.shifts.models import Shift, ShiftPlan, Signup, Visibility
from gemeinsinn.shifts.selectors.organiser import (
    PLAN_PAGE_SIZE,
    day_parse,
    week_label,
    week_parse,
)
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin
from gemeinsinn.shifts.tests.test_organiser_support import (  # noqa: F401 - fixture
    EN,
    frozen_fixture,
    helpers_url,
    people,
    put,
    week_url,
)

pytestmark = pytest.mark.usefixtures("frozen")


def _page(user: Any, organisation: Any, query: str = "") -> str:
    response = client_for(user).get(week_url(organisation) + query, headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def test_the_week_shows_each_shift_with_time_task_plan_and_fill_level_in_words_and_as_a_bar(
    organisation: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(starts_at=berlin(2026, 12, 1, 9), capacity=3, task="Theke")
    a, b, c, d, e = people(5)
    put(shift, a)
    put(shift, b)
    put(shift, c, Signup.Status.WAITLISTED)
    put(shift, d, Signup.Status.REQUESTED)
    put(shift, e, Signup.Status.REQUESTED)
    html = _page(org_admin, organisation, "?woche=2026-W49")
    assert "30 November – 6 December 2026" in html
    assert "Tuesday, 1 December" in html
    assert ">09:00</time>–<time" in html
    assert ">12:00</time>" in html
    assert "Theke" in html
    assert "Lebensmittelausgabe" in html
    assert "2 of 3 places taken" in html
    assert '<meter min="0" max="3" value="2"' in html
    assert "1 on the waitlist" in html
    assert "2 requests to decide" in html
    assert f'href="{helpers_url(shift)}"' in html


def test_a_full_shift_says_full_in_words(
    organisation: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(starts_at=berlin(2026, 12, 2, 14), capacity=1)
    put(shift, people(1)[0])
    html = _page(org_admin, organisation, "?woche=2026-W49")
    assert "1 of 1 place taken · <strong>full</strong>" in html


def test_the_week_holds_all_plans_of_the_organisation_and_nothing_else(
    organisation: Any,
    other_organisation: Any,
    org_admin: Any,
    make_shift: MakeShift,
    shift_plan: ShiftPlan,
) -> None:
    second = ShiftPlan.objects.create(
        municipality=organisation.municipality, organisation=organisation, title="Sommerfest"
    )
    archived = ShiftPlan.objects.create(
        municipality=organisation.municipality,
        organisation=organisation,
        title="Altes Fest",
        is_archived=True,
    )
    foreign = ShiftPlan.objects.create(
        municipality=other_organisation.municipality,
        organisation=other_organisation,
        title="Fremder Plan",
    )
    make_shift(starts_at=berlin(2026, 12, 1, 9), task="Aufbau")
    make_shift(starts_at=berlin(2026, 12, 5, 15), task="Grill", plan=second)
    make_shift(starts_at=berlin(2026, 12, 3, 9), task="Archiviert", plan=archived)
    make_shift(starts_at=berlin(2026, 12, 3, 9), task="Fremd", plan=foreign)
    make_shift(starts_at=berlin(2026, 12, 8, 9), task="Naechste Woche")
    html = _page(org_admin, organisation, "?woche=2026-W49")
    assert "Aufbau" in html
    assert "Grill" in html
    assert "Sommerfest" in html
    for absent in ("Archiviert", "Fremd", "Naechste Woche"):
        assert absent not in html
    assert "2 shifts" in html


def test_a_cancelled_shift_says_so_in_words(
    organisation: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(starts_at=berlin(2026, 12, 1, 9))
    Shift.objects.filter(pk=shift.pk).update(status=Shift.Status.CANCELLED)
    html = _page(org_admin, organisation, "?woche=2026-W49")
    assert "<strong>cancelled</strong>" in html


def test_without_a_week_the_current_week_is_shown(
    organisation: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    make_shift(starts_at=berlin(2026, 11, 27, 9), task="Freitagsdienst")
    html = _page(org_admin, organisation)
    assert "23 November – 29 November 2026" in html
    assert "Freitagsdienst" in html
    assert "?woche=2026-W49" in html  # the next week
    assert "?woche=2026-W47" in html  # the previous week


@pytest.mark.parametrize("value", ["2026-W60", "2026-12-01", "nonsense", "9999-W52", "2026-W00"])
def test_a_bad_week_says_so_and_shows_the_current_week(
    organisation: Any, org_admin: Any, make_shift: MakeShift, value: str
) -> None:
    make_shift(starts_at=berlin(2026, 11, 27, 9), task="Freitagsdienst")
    html = _page(org_admin, organisation, f"?woche={value}")
    assert "is not a week. Weeks are written like 2026-W49" in html
    assert "23 November – 29 November 2026" in html
    assert "Freitagsdienst" in html


def test_the_day_view_shows_only_that_day_with_a_way_to_the_next_and_the_week(
    organisation: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    make_shift(starts_at=berlin(2026, 12, 1, 9), task="Dienstagsdienst")
    make_shift(starts_at=berlin(2026, 12, 2, 9), task="Mittwochsdienst")
    html = _page(org_admin, organisation, "?tag=2026-12-01")
    assert "on Tuesday, 1 December 2026" in html
    assert "Dienstagsdienst" in html
    assert "Mittwochsdienst" not in html
    assert "?tag=2026-12-02" in html
    assert "?tag=2026-11-30" in html
    assert "?woche=2026-W49" in html
    assert 'aria-current="date"' in html


def test_an_empty_day_says_what_to_do(organisation: Any, org_admin: Any) -> None:
    html = _page(org_admin, organisation, "?tag=2026-12-01")
    assert "No shifts on this day." in html


def test_an_empty_week_says_what_to_do(organisation: Any, org_admin: Any) -> None:
    html = _page(org_admin, organisation, "?woche=2027-W02")
    assert "No shifts in this week. Choose another week, or add shifts in a shift plan." in html


def test_a_bad_day_says_so_and_shows_the_current_week(
    organisation: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    make_shift(starts_at=berlin(2026, 11, 27, 9), task="Freitagsdienst")
    html = _page(org_admin, organisation, "?tag=2026-02-30")
    assert "is not a day." in html
    assert "23 November – 29 November 2026" in html
    assert "Freitagsdienst" in html


def test_days_and_weeks_follow_the_berlin_wall_clock_across_the_clock_change(
    organisation: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    # 2026-W13 ends on Sunday 29 March, the night the clocks go forward.
    make_shift(starts_at=berlin(2026, 3, 23, 0, 30), hours=1, task="Montag frueh")
    make_shift(starts_at=berlin(2026, 3, 29, 23, 0), hours=0.5, task="Sonntag spaet")
    make_shift(starts_at=berlin(2026, 3, 22, 23, 30), hours=0.25, task="Vorwoche")
    make_shift(starts_at=berlin(2026, 3, 30, 0, 0), hours=1, task="Folgewoche")
    html = _page(org_admin, organisation, "?woche=2026-W13")
    assert "Montag frueh" in html
    assert "Sonntag spaet" in html
    assert "Vorwoche" not in html
    assert "Folgewoche" not in html
    assert ">23:00</time>" in html  # shown on the wall clock, not in UTC


def test_the_office_sees_the_fill_levels_but_no_way_to_the_helpers(
    organisation: Any, coordinator: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(starts_at=berlin(2026, 12, 1, 9))
    put(shift, people(1)[0])
    html = _page(coordinator, organisation, "?woche=2026-W49")
    assert "1 of 3 places taken" in html
    assert helpers_url(shift) not in html


def test_the_week_parser_takes_iso_weeks_and_days_only() -> None:
    assert week_parse("2026-W49") == day_parse("2026-11-30")
    assert week_parse("2025-W53") is None  # 2025 has 52 ISO weeks
    assert week_parse("2026-W53") == day_parse("2026-12-28")  # 2026 has 53
    assert week_parse("2026-w49") is None
    assert day_parse("1.12.2026") is None
    new_year = day_parse("2027-01-01")
    assert new_year is not None
    assert week_label(new_year) == "2026-W53"


# --- queries ----------------------------------------------------------------------------------


def _fill_week(plan: ShiftPlan, count: int, volunteers: list[Any]) -> None:
    """`count` shifts across the week 2026-W49, each with four sign-ups of mixed status."""
    shifts = Shift.objects.bulk_create(
        Shift(
            municipality=plan.municipality,
            organisation=plan.organisation,
            plan=plan,
            task=f"Schicht {n}",
            place="Halle",
            starts_at=berlin(2026, 11, 30, 8) + timedelta(days=n % 7, minutes=n),
            ends_at=berlin(2026, 11, 30, 10) + timedelta(days=n % 7, minutes=n),
            capacity=3,
            visibility=Visibility.PUBLIC,
        )
        for n in range(count)
    )
    statuses = [
        Signup.Status.CONFIRMED,
        Signup.Status.OFFERED,
        Signup.Status.WAITLISTED,
        Signup.Status.REQUESTED,
    ]
    Signup.objects.bulk_create(
        Signup(shift=shift, volunteer=volunteer, status=status, waitlisted_at=None)
        for shift in shifts
        for volunteer, status in zip(volunteers, statuses, strict=True)
    )
    Shift.objects.filter(pk__in=[s.pk for s in shifts]).update(taken=F("taken") + 2)


def test_the_week_costs_the_same_queries_for_two_or_three_hundred_shifts(
    organisation: Any, org_admin: Any, shift_plan: ShiftPlan, django_assert_num_queries: Any
) -> None:
    volunteers = people(4)
    _fill_week(shift_plan, 2, volunteers)
    client = client_for(org_admin)
    url = week_url(organisation) + "?woche=2026-W49"
    client.get(url)  # warm the session
    with django_assert_num_queries(9) as few:
        small = client.get(url, headers=EN).content.decode()
    assert small.count('">2 of 3 places taken</span>') == 2
    _fill_week(shift_plan, 298, volunteers)
    assert Signup.objects.filter(shift__plan=shift_plan).count() == 1200
    with django_assert_num_queries(len(few)):
        big = client.get(url, headers=EN).content.decode()
    assert big.count('">2 of 3 places taken</span>') == PLAN_PAGE_SIZE
    assert big.count("1 request to decide") == PLAN_PAGE_SIZE
    assert "Shifts 1–50 of 300" in big
    with django_assert_num_queries(len(few)):
        last = client.get(url + "&seite=6", headers=EN).content.decode()
    assert "Shifts 251–300 of 300" in last
    assert ">Sunday, 6 December<" in last
    assert ">Monday, 30 November<" not in last  # its shifts were on the first page
    assert "Later shifts" not in last


def test_the_week_overview_totals_every_day_even_beyond_the_page(
    organisation: Any, org_admin: Any, shift_plan: ShiftPlan
) -> None:
    _fill_week(shift_plan, 210, people(4))  # 30 shifts a day, 90 places, 60 taken
    html = _page(org_admin, organisation, "?woche=2026-W49")
    assert html.count("30 shifts, 60 of 90 places taken") == 7
    assert "Page 1 of 5" in html
    assert "?woche=2026-W49&amp;seite=2" in html
    second = _page(org_admin, organisation, "?woche=2026-W49&seite=2")
    assert "Earlier shifts" in second
    assert "Shifts 51–100 of 210" in second


@pytest.mark.parametrize("value", ["0", "-1", "abc", "99999999"])
def test_a_bad_page_number_shows_the_first_or_last_page(
    organisation: Any, org_admin: Any, make_shift: MakeShift, value: str
) -> None:
    make_shift(starts_at=berlin(2026, 12, 1, 9), task="Einzige")
    html = _page(org_admin, organisation, f"?woche=2026-W49&seite={value}")
    assert "Einzige" in html


# --- the way in -------------------------------------------------------------------------------


def test_the_organisations_profile_links_its_admins_to_the_shift_plans(
    organisation: Any, org_admin: Any, volunteer: Any
) -> None:
    profile = f"/musterstadt/akteure/{organisation.slug}/"
    link = f'href="/musterstadt/engagement/schichten/organisation/{organisation.slug}/"'
    assert link in client_for(org_admin).get(profile).content.decode()
    assert link not in client_for(volunteer).get(profile).content.decode()


def test_the_week_plan_is_linked_in_the_organisers_navigation(
    organisation: Any, org_admin: Any
) -> None:
    html = _page(org_admin, organisation)
    assert f'href="{week_url(organisation)}" aria-current="page"' in html


def test_a_week_or_day_at_the_end_of_the_calendar_is_refused_not_a_500(
    org_admin: Any, organisation: Any
) -> None:
    client = client_for(org_admin)
    base = f"/musterstadt/engagement/schichten/organisation/{organisation.slug}/wochenplan/"
    for query in ("?woche=0001-W01", "?woche=9999-W52", "?tag=0001-01-01", "?tag=9999-12-31"):
        assert client.get(base + query).status_code == 200


def test_a_shift_past_midnight_shows_the_day_it_ends(
    org_admin: Any, organisation: Any, make_shift: Any
) -> None:
    from gemeinsinn.shifts.tests.conftest import berlin

    night = make_shift(starts_at=berlin(2030, 3, 5, 22), hours=4, task="Nachtcafé")
    html = (
        client_for(org_admin)
        .get(week_url(organisation) + "?tag=2030-03-05", headers=EN)
        .content.decode()
    )
    block = html[html.index("Nachtcafé") - 600 : html.index("Nachtcafé") + 600]
    assert "6.3." in block
    assert night.ends_at.astimezone(berlin(2030, 1, 1).tzinfo).hour == 2
