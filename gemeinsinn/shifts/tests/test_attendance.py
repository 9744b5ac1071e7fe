"""The organiser's tick list, the hours hand-over events and who may see them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import client_for, make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.models import AttendanceEvent, Shift, Signup
from gemeinsinn.shifts.selectors.attendance import attended_events
from gemeinsinn.shifts.services import attendance as services
from gemeinsinn.shifts.services import signups as signup_services
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin

START = berlin(2030, 3, 12, 9)  # 09:00–12:00; the list opens with check-in at 08:00
DURING = START + timedelta(hours=1)
Attendance = Signup.Attendance


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def tick_shift(make_shift: MakeShift) -> Shift:
    return make_shift(starts_at=START, capacity=8)


def helpers_on(shift: Shift, count: int) -> list[Signup]:
    made = []
    for index in range(count):
        person = make_user(
            f"tick{shift.pk}.{index}@example.org", first_name=f"Name{index}", last_name="Helper"
        )
        with at(berlin(2030, 3, 1)):
            [signup] = signup_services.shifts_sign_up(volunteer=person, shifts=[shift])
        made.append(signup)
    return made


def list_path(shift: Shift, municipality: Any = None) -> str:
    return mreverse(
        "shifts:attendance", municipality or shift.municipality, public_id=shift.public_id
    )


def tick(user: Any, signup: Signup, action: str, moment: datetime = DURING) -> Any:
    with at(moment):
        return client_for(user).post(
            list_path(signup.shift), {"signup": str(signup.public_id), "action": action}
        )


def _fresh(signup: Signup) -> Signup:
    return Signup.objects.get(pk=signup.pk)


# --- ticking --------------------------------------------------------------------------------


def test_the_organiser_ticks_a_helper_as_attended(org_admin: Any, tick_shift: Shift) -> None:
    [signup] = helpers_on(tick_shift, 1)
    response = tick(org_admin, signup, "attended")
    assert response.status_code == 302
    fresh = _fresh(signup)
    assert fresh.attendance == Attendance.ATTENDED
    assert fresh.attendance_by == org_admin
    assert fresh.checked_in_at is None  # the organiser ticked; the helper did not scan
    [event] = AttendanceEvent.objects.all()
    assert (event.signup, event.duration_minutes, event.started_at) == (fresh, 180, START)
    assert event.recorded_at == DURING
    [audit] = AuditEvent.objects.filter(action="signup.attendance_set")
    assert audit.data == {"attendance": "attended"}


def test_ticking_attended_twice_keeps_one_event(org_admin: Any, tick_shift: Shift) -> None:
    [signup] = helpers_on(tick_shift, 1)
    tick(org_admin, signup, "attended")
    tick(org_admin, signup, "attended", DURING + timedelta(minutes=5))
    assert AttendanceEvent.objects.count() == 1
    assert AttendanceEvent.objects.get().recorded_at == DURING
    assert AuditEvent.objects.filter(action="signup.attendance_set").count() == 1


def test_correcting_to_did_not_come_revokes_the_event_and_back_restores_it(
    org_member: Any, tick_shift: Shift
) -> None:
    [signup] = helpers_on(tick_shift, 1)
    tick(org_member, signup, "attended")
    [event] = AttendanceEvent.objects.all()
    later = DURING + timedelta(days=2)
    tick(org_member, signup, "no_show", later)
    event.refresh_from_db()
    assert _fresh(signup).attendance == Attendance.NO_SHOW
    assert event.revoked_at == later
    even_later = later + timedelta(days=1)
    tick(org_member, signup, "attended", even_later)
    assert AttendanceEvent.objects.count() == 1
    event.refresh_from_db()
    assert event.revoked_at is None
    assert event.recorded_at == even_later


def test_a_helper_who_scanned_in_can_be_corrected_by_the_organiser(
    org_admin: Any, volunteer: Any, tick_shift: Shift
) -> None:
    with at(berlin(2030, 3, 1)):
        [signup] = signup_services.shifts_sign_up(volunteer=volunteer, shifts=[tick_shift])
    with at(START):
        services.signup_check_in(actor=volunteer, shift=tick_shift)
    tick(org_admin, signup, "no_show")
    assert AttendanceEvent.objects.get().revoked_at == DURING


def test_did_not_come_without_an_event_creates_none(org_admin: Any, tick_shift: Shift) -> None:
    [signup] = helpers_on(tick_shift, 1)
    tick(org_admin, signup, "no_show")
    assert _fresh(signup).attendance == Attendance.NO_SHOW
    assert not AttendanceEvent.objects.exists()


def test_the_list_opens_with_check_in(org_admin: Any, tick_shift: Shift) -> None:
    [signup] = helpers_on(tick_shift, 1)
    with at(START - timedelta(minutes=61)):
        page = client_for(org_admin).get(list_path(tick_shift)).content.decode()
    response = tick(org_admin, signup, "attended", START - timedelta(minutes=61))
    assert "The list can be ticked from 12 March 2030, 08:00." in page
    assert 'value="attended"' not in page
    assert response.status_code == 302
    assert _fresh(signup).attendance == Attendance.UNKNOWN
    tick(org_admin, signup, "attended", START - timedelta(minutes=60))
    assert _fresh(signup).attendance == Attendance.ATTENDED


def test_the_list_can_be_corrected_for_30_days(org_admin: Any, tick_shift: Shift) -> None:
    first, second = helpers_on(tick_shift, 2)
    end = (START + timedelta(hours=3)).astimezone(UTC)  # 30 × 24 hours, across the clock change
    tick(org_admin, first, "attended", end + timedelta(days=29, hours=23))
    assert _fresh(first).attendance == Attendance.ATTENDED
    tick(org_admin, second, "attended", end + timedelta(days=30))
    assert _fresh(second).attendance == Attendance.UNKNOWN
    with at(end + timedelta(days=30)), pytest.raises(ValidationError, match="30 days"):
        services.attendance_set(actor=org_admin, signup=second, attended=True)


def test_a_cancelled_shift_has_no_tick_list(org_admin: Any, tick_shift: Shift) -> None:
    [signup] = helpers_on(tick_shift, 1)
    Shift.objects.filter(pk=tick_shift.pk).update(status=Shift.Status.CANCELLED)
    with at(DURING), pytest.raises(ValidationError, match="cancelled"):
        services.attendance_set(actor=org_admin, signup=signup, attended=True)


def test_a_sign_up_of_another_shift_cannot_be_ticked_here(
    org_admin: Any, tick_shift: Shift, make_shift: MakeShift
) -> None:
    other_shift = make_shift(starts_at=START + timedelta(days=1))
    [elsewhere] = helpers_on(other_shift, 1)
    with at(DURING):
        response = client_for(org_admin).post(
            list_path(tick_shift),
            {"signup": str(elsewhere.public_id), "action": "attended"},
            follow=True,
        )
    assert "not on the shift" in response.content.decode()
    assert _fresh(elsewhere).attendance == Attendance.UNKNOWN


def test_a_nonsense_tick_changes_nothing(org_admin: Any, tick_shift: Shift) -> None:
    [signup] = helpers_on(tick_shift, 1)
    tick(org_admin, signup, "maybe")
    with at(DURING):
        client_for(org_admin).post(list_path(tick_shift), {"signup": "x", "action": "attended"})
    assert _fresh(signup).attendance == Attendance.UNKNOWN


def test_the_service_refuses_people_outside_the_organisation(
    volunteer: Any, coordinator: Any, tick_shift: Shift
) -> None:
    [signup] = helpers_on(tick_shift, 1)
    for person in (volunteer, coordinator):
        with at(DURING), pytest.raises(PermissionDenied):
            services.attendance_set(actor=person, signup=signup, attended=True)
    assert _fresh(signup).attendance == Attendance.UNKNOWN


# --- all the rest did not come --------------------------------------------------------------


def test_marking_the_rest_asks_first_and_then_marks_only_the_unticked(
    org_admin: Any, tick_shift: Shift
) -> None:
    came, rest_a, rest_b = helpers_on(tick_shift, 3)
    tick(org_admin, came, "attended")
    with at(DURING):
        client = client_for(org_admin)
        question = client.post(list_path(tick_shift), {"action": "rest"})
    body = question.content.decode()
    assert question.status_code == 200
    assert "Mark the rest as did not come?" in body
    assert "Name1 Helper" in body
    assert "Name2 Helper" in body
    assert "Name0 Helper" not in body
    assert _fresh(rest_a).attendance == Attendance.UNKNOWN
    with at(DURING):
        done = client.post(list_path(tick_shift), {"action": "rest", "confirm": "yes"})
    assert done.status_code == 302
    assert _fresh(came).attendance == Attendance.ATTENDED
    assert _fresh(rest_a).attendance == Attendance.NO_SHOW
    assert _fresh(rest_b).attendance == Attendance.NO_SHOW
    assert AttendanceEvent.objects.filter(revoked_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="signup.attendance_set").count() == 2


def test_marking_the_rest_is_also_bound_to_the_window(org_admin: Any, tick_shift: Shift) -> None:
    [signup] = helpers_on(tick_shift, 1)
    with at(START - timedelta(hours=2)), pytest.raises(ValidationError):
        services.attendance_rest_no_show(actor=org_admin, shift=tick_shift)
    assert _fresh(signup).attendance == Attendance.UNKNOWN


# --- the list page --------------------------------------------------------------------------


def test_the_list_shows_each_helper_with_two_big_buttons_and_the_state_in_words(
    org_admin: Any, tick_shift: Shift
) -> None:
    came, missing, _open = helpers_on(tick_shift, 3)
    tick(org_admin, came, "attended")
    tick(org_admin, missing, "no_show")
    with at(DURING):
        page = client_for(org_admin).get(list_path(tick_shift)).content.decode()
    assert page.count('value="attended"') == 3
    assert page.count('value="no_show"') == 3
    assert "did not come" in page
    assert "not recorded" in page
    assert 'aria-pressed="true"' in page
    assert "1 not ticked yet" in page
    assert "tick" + str(tick_shift.pk) not in page  # e-mail addresses only when there is no name


def test_an_empty_list_says_what_to_do(org_admin: Any, tick_shift: Shift) -> None:
    with at(DURING):
        page = client_for(org_admin).get(list_path(tick_shift)).content.decode()
    assert "Nobody has a confirmed place on this shift." in page


def test_the_list_costs_the_same_queries_for_3_or_12_helpers(
    org_admin: Any, make_shift: MakeShift, django_assert_num_queries: Any
) -> None:
    small = make_shift(starts_at=START, capacity=12)
    large = make_shift(starts_at=START + timedelta(hours=4), capacity=12)
    helpers_on(small, 3)
    helpers_on(large, 12)
    with at(DURING):
        client = client_for(org_admin)
        client.get(list_path(small))  # warm the session and the caches
        with CaptureQueriesContext(connection) as captured:
            client.get(list_path(small))
        with django_assert_num_queries(len(captured.captured_queries)):
            client.get(list_path(large))


# --- who may see the list -------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["volunteer", "coordinator", "other_coordinator", "other_org_admin", "helper"]
)
def test_only_the_organisations_members_see_the_list(
    who: str, request: pytest.FixtureRequest, tick_shift: Shift
) -> None:
    [signup] = helpers_on(tick_shift, 1)
    user = signup.volunteer if who == "helper" else _person(request, who)
    # The town's office organises shifts, so it learns it may not see helpers (403).
    expected = 403 if who == "coordinator" else 404
    with at(DURING):
        client = client_for(user)
        assert client.get(list_path(tick_shift)).status_code == expected
        post = client.post(
            list_path(tick_shift), {"signup": str(signup.public_id), "action": "attended"}
        )
    assert post.status_code == expected
    assert _fresh(signup).attendance == Attendance.UNKNOWN


def test_the_list_needs_a_login(tick_shift: Shift) -> None:
    response = client_for(None).get(list_path(tick_shift))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_list_under_another_town_is_not_found(
    org_admin: Any, tick_shift: Shift, other_municipality: Any
) -> None:
    with at(DURING):
        response = client_for(org_admin).get(list_path(tick_shift, other_municipality))
    assert response.status_code == 404


def _person(request: pytest.FixtureRequest, who: str) -> Any:
    if who == "other_org_admin":
        other = request.getfixturevalue("other_organisation")
        user = make_user("olga.other@example.org", first_name="Olga")
        actor_services.membership_add(actor=None, organisation=other, user=user, role="admin")
        return user
    return request.getfixturevalue(who)


# --- the hand-over to the hours ledger ------------------------------------------------------


def test_attended_events_lists_what_was_recorded_or_revoked_since_a_time(
    org_admin: Any, tick_shift: Shift
) -> None:
    old, revoked, fresh_one = helpers_on(tick_shift, 3)
    tick(org_admin, old, "attended", DURING)
    tick(org_admin, revoked, "attended", DURING)
    tick(org_admin, fresh_one, "attended", DURING + timedelta(hours=2))
    tick(org_admin, revoked, "no_show", DURING + timedelta(hours=3))
    since = DURING + timedelta(hours=1)
    found = list(attended_events(since=since))
    assert [e.signup_id for e in found] == [fresh_one.pk, revoked.pk]
    assert found[0].revoked_at is None
    assert found[1].revoked_at == DURING + timedelta(hours=3)
    assert found[1].changed_at == DURING + timedelta(hours=3)  # type: ignore[attr-defined]
    assert [e.signup_id for e in attended_events(since=DURING)] == [
        old.pk,
        fresh_one.pk,
        revoked.pk,
    ]
    assert list(attended_events(since=DURING + timedelta(hours=4))) == []
