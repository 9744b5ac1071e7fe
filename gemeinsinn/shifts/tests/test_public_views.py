"""The public shift pages: the town's plans, a plan's week, signing up, the opportunity panel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from conftest import client_for, make_user
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.tests.test_applications_support import make_opportunity
from gemeinsinn.shifts.models import Shift, ShiftPlan, Signup, Visibility
from gemeinsinn.shifts.services import signups as services
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin
from gemeinsinn.shifts.views.signup import week_param, week_parse

Status = Signup.Status
# 4 March 2030 is a Monday, far from a change of daylight saving time.
WEEK = "2030-W10"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def url(name: str, municipality: Any, **kwargs: Any) -> str:
    return mreverse(f"shifts:{name}", municipality, **kwargs)


def plan_url(plan: ShiftPlan, week: str = WEEK) -> str:
    return url("plan", plan.municipality, public_id=plan.public_id) + f"?woche={week}"


def post_signup(client: Any, plan: ShiftPlan, shifts: list[Shift], **extra: Any) -> Any:
    data: dict[str, Any] = {
        "plan": str(plan.public_id),
        "woche": WEEK,
        "shifts": [str(s.public_id) for s in shifts],
        "companions": "0",
        "message": "",
        "waitlist": "on",
    }
    data.update(extra)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(url("signup", plan.municipality), data)


def checked(body: str, shift: Shift) -> bool:
    """Whether the shift's checkbox is ticked in the page."""
    start = body.index(f'value="{shift.public_id}"')
    return " checked" in body[start : body.index(">", start)]


# --- weeks ----------------------------------------------------------------------------------


def test_a_week_is_read_from_its_iso_name_and_written_back() -> None:
    monday = week_parse("2026-W49")
    assert monday is not None
    assert monday.isoformat() == "2026-11-30"
    assert week_param(monday) == "2026-W49"
    assert week_param(monday + timedelta(days=6)) == "2026-W49"


@pytest.mark.parametrize(
    "value", ["", "2026-W54", "2026-W00", "2026W49", "9999-W52", "x", "2026-W4a"]
)
def test_a_bad_week_is_not_read(value: str) -> None:
    assert week_parse(value) is None


# --- the town's plans -----------------------------------------------------------------------


def test_the_index_lists_plans_with_upcoming_shifts_only(
    municipality: Any, organisation: Any, shift_plan: ShiftPlan, make_shift: MakeShift
) -> None:
    make_shift(starts_at=berlin(2030, 3, 5, 9), capacity=4)
    make_shift(starts_at=berlin(2030, 3, 6, 9), visibility=Visibility.MEMBERS)
    over = ShiftPlan.objects.create(
        municipality=municipality, organisation=organisation, title="Sommerfest 2020"
    )
    make_shift(plan=over, starts_at=timezone.now() - timedelta(days=3))
    archived = ShiftPlan.objects.create(
        municipality=municipality, organisation=organisation, title="Altes Archiv", is_archived=True
    )
    make_shift(plan=archived, starts_at=berlin(2030, 3, 5, 9))
    body = client_for(None).get(url("index", municipality)).content.decode()
    assert "Lebensmittelausgabe" in body
    assert "2 upcoming shifts" in body
    assert "7 places free" in body
    assert "1 shift for members only — your sign-up becomes a request" in body
    assert "Sommerfest 2020" not in body
    assert "Altes Archiv" not in body


def test_the_index_of_another_town_does_not_show_these_plans(
    other_municipality: Any, shift: Shift
) -> None:
    body = client_for(None).get(url("index", other_municipality)).content.decode()
    assert "Lebensmittelausgabe" not in body
    assert "No organisation has planned shifts for the coming days yet." in body


# --- a plan's week --------------------------------------------------------------------------


def test_the_plan_shows_the_week_with_fill_levels(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any
) -> None:
    first = make_shift(starts_at=berlin(2030, 3, 4, 9), capacity=3, task="Theke")
    make_shift(starts_at=berlin(2030, 3, 10, 23, 30), hours=1, capacity=2, task="Nachtwache")
    make_shift(starts_at=berlin(2030, 3, 11, 0, 30), task="Nächste Woche")
    services.shifts_sign_up(volunteer=volunteer, shifts=[first], party_size=2)
    response = client_for(None).get(plan_url(shift_plan))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Week 10: 4 March – 10 March 2030" in body
    assert "Theke" in body
    assert "2 of 3 places taken" in body
    # Sunday 23:30 in Berlin still belongs to the week, Monday 00:30 does not.
    assert "Nachtwache" in body
    assert "23:30 – 11 Mar 00:30" in body
    assert "Nächste Woche" not in body
    assert "?woche=2030-W09" in body
    assert "?woche=2030-W11" in body


def test_without_a_week_the_plan_opens_at_its_next_shift(
    shift_plan: ShiftPlan, make_shift: MakeShift
) -> None:
    make_shift(starts_at=berlin(2030, 3, 6, 9), task="Erste Schicht")
    response = client_for(None).get(
        url("plan", shift_plan.municipality, public_id=shift_plan.public_id)
    )
    body = response.content.decode()
    assert "Week 10: 4 March – 10 March 2030" in body
    assert "Erste Schicht" in body


def test_a_bad_week_shows_a_message_and_the_current_week(shift_plan: ShiftPlan) -> None:
    response = client_for(None).get(plan_url(shift_plan, week="2030-W99"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "is not a week we know" in body
    this_week = week_param(timezone.localdate())
    assert f"Week {int(this_week[-2:])}:" in body


def test_an_empty_week_points_to_the_next_week_with_shifts(
    shift_plan: ShiftPlan, make_shift: MakeShift
) -> None:
    make_shift(starts_at=berlin(2030, 4, 3, 9))
    body = client_for(None).get(plan_url(shift_plan)).content.decode()
    assert "There are no shifts in this week." in body
    assert "?woche=2030-W14" in body


def test_a_plan_of_another_town_or_an_archived_plan_answers_404(
    municipality: Any, other_municipality: Any, other_organisation: Any, shift_plan: ShiftPlan
) -> None:
    foreign = ShiftPlan.objects.create(
        municipality=other_municipality, organisation=other_organisation, title="Kleider"
    )
    client = client_for(None)
    assert client.get(url("plan", municipality, public_id=foreign.public_id)).status_code == 404
    assert (
        client.get(url("plan", other_municipality, public_id=shift_plan.public_id)).status_code
        == 404
    )
    ShiftPlan.objects.filter(pk=shift_plan.pk).update(is_archived=True)
    assert client.get(url("plan", municipality, public_id=shift_plan.public_id)).status_code == 404


def test_the_plan_marks_the_shifts_the_person_holds_or_waits_for(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    mine = make_shift(starts_at=berlin(2030, 3, 4, 9), task="Meine")
    full = make_shift(starts_at=berlin(2030, 3, 5, 9), capacity=1, task="Volle")
    services.shifts_sign_up(volunteer=second_volunteer, shifts=[full])
    services.shifts_sign_up(volunteer=volunteer, shifts=[mine, full])
    body = client_for(volunteer).get(plan_url(shift_plan)).content.decode()
    assert "you are signed up" in body
    assert "you are on the waitlist" in body
    # Shifts the person already has cannot be ticked again.
    assert f'value="{mine.public_id}"' not in body
    assert f'value="{full.public_id}"' not in body


def test_members_only_shifts_say_a_sign_up_becomes_a_request(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any, org_member: Any
) -> None:
    make_shift(starts_at=berlin(2030, 3, 4, 9), visibility=Visibility.MEMBERS)
    marker = "members only — your sign-up becomes a request"
    assert marker in client_for(volunteer).get(plan_url(shift_plan)).content.decode()
    assert marker in client_for(None).get(plan_url(shift_plan)).content.decode()
    as_member = client_for(org_member).get(plan_url(shift_plan)).content.decode()
    assert marker not in as_member
    assert "members only" in as_member


def _big_week(shift_plan: ShiftPlan, viewer: Any, shifts: int, per_shift: int) -> None:
    """`shifts` shifts in week 10 of 2030 with `per_shift` confirmed sign-ups each."""
    start = berlin(2030, 3, 4, 0)
    made = Shift.objects.bulk_create(
        Shift(
            municipality=shift_plan.municipality,
            organisation=shift_plan.organisation,
            plan=shift_plan,
            task=f"Schicht {i}",
            starts_at=start + timedelta(minutes=50 * i),
            ends_at=start + timedelta(minutes=50 * i + 45),
            capacity=per_shift + 1,
            taken=per_shift,
            visibility=Visibility.MEMBERS if i % 5 == 0 else Visibility.PUBLIC,
        )
        for i in range(shifts)
    )
    helpers = [make_user(f"helfer{n}.{shift_plan.pk}@example.org") for n in range(per_shift)]
    Signup.objects.bulk_create(
        Signup(shift=shift, volunteer=helper, status=Status.CONFIRMED)
        for shift in made
        for helper in helpers
    )
    # The viewer waits for two of them: their marks cost no query per shift.
    Signup.objects.bulk_create(
        Signup(shift=shift, volunteer=viewer, status=Status.WAITLISTED, waitlisted_at=start)
        for shift in made[:2]
    )


def _queries_for(client: Any, target: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "volunteer"])
def test_the_plan_week_costs_the_same_queries_for_2_or_200_shifts(
    who: str,
    request: pytest.FixtureRequest,
    organisation: Any,
    shift_plan: ShiftPlan,
    volunteer: Any,
    django_assert_num_queries: Any,
) -> None:
    small = ShiftPlan.objects.create(
        municipality=shift_plan.municipality, organisation=organisation, title="Klein"
    )
    _big_week(small, volunteer, shifts=2, per_shift=4)
    _big_week(shift_plan, volunteer, shifts=200, per_shift=4)
    assert Signup.objects.filter(shift__plan=shift_plan).count() == 802
    client = client_for(volunteer if who == "volunteer" else None)
    few = _queries_for(client, plan_url(small))
    # Pinned: the town, the plan, the week's count, a page of shifts, their requirements, the
    # next week with shifts; logged in also the session, the person, their roles and
    # organisations (navigation), their sign-ups on the page and their membership.
    expected = 12 if who == "volunteer" else 6
    with django_assert_num_queries(expected):
        response = client.get(plan_url(shift_plan))
    assert few == expected
    body = response.content.decode()
    # A page of 100; the two the person waits for cannot be ticked again.
    assert body.count('name="shifts"') == (98 if who == "volunteer" else 100)
    assert "Shifts 1–100 of 200 this week" in body
    assert "Schicht 99<" in body
    assert "Schicht 100<" not in body
    with django_assert_num_queries(expected):
        later = client.get(plan_url(shift_plan) + "&seite=2").content.decode()
    assert "Schicht 199<" in later
    assert "Schicht 99<" not in later


def test_the_index_costs_the_same_queries_for_1_or_30_plans(
    municipality: Any, organisation: Any, volunteer: Any
) -> None:
    def plans(n: int) -> None:
        for i in range(n):
            plan = ShiftPlan.objects.create(
                municipality=municipality, organisation=organisation, title=f"Plan {i}"
            )
            Shift.objects.create(
                municipality=municipality,
                organisation=organisation,
                plan=plan,
                task="Aufbau",
                starts_at=berlin(2030, 3, 4, 9),
                ends_at=berlin(2030, 3, 4, 12),
                capacity=2,
            )

    client = client_for(volunteer)
    plans(1)
    one = _queries_for(client, url("index", municipality))
    plans(29)
    assert _queries_for(client, url("index", municipality)) == one


# --- signing up -----------------------------------------------------------------------------


def test_several_shifts_are_signed_up_for_in_one_step(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any, municipality: Any
) -> None:
    first = make_shift(starts_at=berlin(2030, 3, 4, 9), task="Aufbau")
    second = make_shift(starts_at=berlin(2030, 3, 6, 9), task="Abbau")
    client = client_for(volunteer)
    response = post_signup(
        client, shift_plan, [first, second], companions="1", message="Mit meiner Tochter."
    )
    assert response.status_code == 302
    assert response["Location"] == url("mine", municipality)
    made = list(Signup.objects.filter(volunteer=volunteer).order_by("shift__starts_at"))
    assert [s.shift_id for s in made] == [first.pk, second.pk]
    assert {s.status for s in made} == {Status.CONFIRMED}
    assert {s.party_size for s in made} == {2}
    assert made[0].message == "Mit meiner Tochter."
    body = client.get(response["Location"]).content.decode()
    assert "Your place is confirmed: Aufbau on" in body
    assert "Abbau on" in body


def test_errors_are_shown_on_the_plan_with_every_choice_kept(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any
) -> None:
    first = make_shift(starts_at=berlin(2030, 3, 4, 9), task="Theke")
    clash = make_shift(starts_at=berlin(2030, 3, 4, 10), task="Kasse")
    untouched = make_shift(starts_at=berlin(2030, 3, 7, 9), task="Lager")
    response = post_signup(
        client_for(volunteer),
        shift_plan,
        [first, clash],
        companions="2",
        message="Wir kommen zu dritt.",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "clashes with your shift" in body
    assert "Your choices are kept below." in body
    assert checked(body, first)
    assert checked(body, clash)
    assert not checked(body, untouched)
    assert 'value="2"' in body
    assert "Wir kommen zu dritt." in body
    assert "Week 10: 4 March – 10 March 2030" in body
    assert not Signup.objects.exists()


def test_choosing_no_shift_says_so(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any
) -> None:
    make_shift(starts_at=berlin(2030, 3, 4, 9))
    response = post_signup(client_for(volunteer), shift_plan, [])
    assert response.status_code == 400
    assert "Choose at least one shift." in response.content.decode()


def test_too_many_companions_are_refused_with_the_choice_kept(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any
) -> None:
    first = make_shift(starts_at=berlin(2030, 3, 4, 9))
    response = post_signup(client_for(volunteer), shift_plan, [first], companions="12")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Companions who come with you" in body
    assert checked(body, first)
    assert not Signup.objects.exists()


def test_a_full_shift_puts_the_person_on_the_waitlist_when_chosen(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    full = make_shift(starts_at=berlin(2030, 3, 4, 9), capacity=1, task="Volle Theke")
    services.shifts_sign_up(volunteer=second_volunteer, shifts=[full])
    client = client_for(volunteer)
    response = post_signup(client, shift_plan, [full])
    assert response.status_code == 302
    assert Signup.objects.get(volunteer=volunteer).status == Status.WAITLISTED
    body = client.get(response["Location"]).content.decode()
    assert "you are on the waitlist: Volle Theke on" in body


def test_without_the_waitlist_a_full_shift_stops_the_sign_up(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    full = make_shift(starts_at=berlin(2030, 3, 4, 9), capacity=1)
    free = make_shift(starts_at=berlin(2030, 3, 5, 9))
    services.shifts_sign_up(volunteer=second_volunteer, shifts=[full])
    response = post_signup(client_for(volunteer), shift_plan, [full, free], waitlist=None)
    body = response.content.decode()
    assert response.status_code == 400
    assert "is full. Join the waitlist" in body
    assert checked(body, full)
    assert checked(body, free)
    # The box stays as the person left it: off.
    box = body.index('name="waitlist"')
    assert "checked" not in body[box - 80 : body.index(">", box)]
    assert not Signup.objects.filter(volunteer=volunteer).exists()


def test_a_members_only_shift_becomes_a_request(
    shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any, org_admin: Any
) -> None:
    members = make_shift(starts_at=berlin(2030, 3, 4, 9), visibility=Visibility.MEMBERS)
    client = client_for(volunteer)
    response = post_signup(client, shift_plan, [members])
    signup = Signup.objects.get(volunteer=volunteer)
    assert signup.status == Status.REQUESTED
    members.refresh_from_db()
    assert members.taken == 0
    body = client.get(response["Location"]).content.decode()
    assert "your request went to the organisation" in body


def test_signing_up_needs_a_login_that_comes_back_with_the_choices(
    shift_plan: ShiftPlan, make_shift: MakeShift
) -> None:
    chosen = make_shift(starts_at=berlin(2030, 3, 4, 9))
    other = make_shift(starts_at=berlin(2030, 3, 5, 9))
    response = post_signup(client_for(None), shift_plan, [chosen])
    assert response.status_code == 302
    assert not Signup.objects.exists()
    back = unquote(parse_qs(urlparse(response["Location"]).query)["next"][0])
    assert back.startswith(url("plan", shift_plan.municipality, public_id=shift_plan.public_id))
    assert f"woche={WEEK}" in back
    body = client_for(None).get(back).content.decode()
    assert checked(body, chosen)
    assert not checked(body, other)
    assert "Log in and sign up" in body


def test_shifts_of_another_plan_or_town_cannot_be_slipped_in(
    shift_plan: ShiftPlan,
    make_shift: MakeShift,
    volunteer: Any,
    other_municipality: Any,
    other_organisation: Any,
) -> None:
    mine = make_shift(starts_at=berlin(2030, 3, 4, 9))
    foreign_plan = ShiftPlan.objects.create(
        municipality=other_municipality, organisation=other_organisation, title="Kleider"
    )
    foreign = make_shift(plan=foreign_plan, starts_at=berlin(2030, 3, 5, 9))
    response = post_signup(client_for(volunteer), shift_plan, [mine, foreign])
    assert response.status_code == 400
    assert "not offered any more" in response.content.decode()
    assert not Signup.objects.exists()
    # A plan of another town is not found at all.
    response = client_for(volunteer).post(
        url("signup", shift_plan.municipality),
        {
            "plan": str(foreign_plan.public_id),
            "shifts": [str(foreign.public_id)],
            "companions": "0",
        },
    )
    assert response.status_code == 404


def test_a_bad_plan_value_answers_404(municipality: Any, volunteer: Any) -> None:
    response = client_for(volunteer).post(url("signup", municipality), {"plan": "nope"})
    assert response.status_code == 404


# --- the opportunity's page -----------------------------------------------------------------


def test_the_opportunity_page_lists_its_plans_with_the_next_shifts(
    shift_plan: ShiftPlan, make_shift: MakeShift, organisation: Any, municipality: Any
) -> None:
    opportunity = make_opportunity(organisation)
    ShiftPlan.objects.filter(pk=shift_plan.pk).update(opportunity=opportunity)
    for day in range(4, 9):
        make_shift(starts_at=berlin(2030, 3, day, 9), task=f"Dienst am {day}.")
    detail = mreverse("opportunities:detail", municipality, public_id=opportunity.public_id)
    body = client_for(None).get(detail).content.decode()
    assert "Shifts to sign up for" in body
    assert url("plan", municipality, public_id=shift_plan.public_id) in body
    assert "Dienst am 4." in body
    assert "Dienst am 6." in body
    # Only the next few.
    assert "Dienst am 7." not in body


def test_an_opportunity_without_shifts_shows_no_shift_section(
    organisation: Any, municipality: Any
) -> None:
    opportunity = make_opportunity(organisation)
    detail = mreverse("opportunities:detail", municipality, public_id=opportunity.public_id)
    body = client_for(None).get(detail).content.decode()
    assert "Shifts to sign up for" not in body
