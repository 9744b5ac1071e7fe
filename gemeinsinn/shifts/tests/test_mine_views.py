"""My shifts: upcoming and past shifts, cancelling before and after the deadline, offers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from conftest import client_for
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.models import Shift, ShiftPlan, Signup, Visibility
from gemeinsinn.shifts.services import signups as services
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin

Status = Signup.Status


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def url(name: str, municipality: Any, **kwargs: Any) -> str:
    return mreverse(f"shifts:{name}", municipality, **kwargs)


def offered_to(volunteer: Any, other: Any, make_shift: MakeShift) -> Signup:
    """A place freed up on a full shift and is offered to `volunteer` from the waitlist."""
    shift = make_shift(capacity=1, task="Kasse")
    [holder] = services.shifts_sign_up(volunteer=other, shifts=[shift])
    [waiting] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.signup_cancel(actor=other, signup=holder)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    return waiting


def past_signup(make_shift: MakeShift, volunteer: Any, task: str, attendance: str) -> Signup:
    shift = make_shift(starts_at=timezone.now() - timedelta(days=5), task=task)
    return Signup.objects.create(
        shift=shift, volunteer=volunteer, status=Status.CONFIRMED, attendance=attendance
    )


# --- my shifts ------------------------------------------------------------------------------


def test_my_shifts_needs_a_login(municipality: Any) -> None:
    response = client_for(None).get(url("mine", municipality))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_my_shifts_without_any_say_how_to_find_shifts(municipality: Any, volunteer: Any) -> None:
    body = client_for(volunteer).get(url("mine", municipality)).content.decode()
    assert "You have no upcoming shifts." in body
    assert url("index", municipality) in body
    assert url("preferences", municipality) in body


def test_my_shifts_show_each_kind_of_upcoming_shift_with_what_to_do(
    municipality: Any,
    make_shift: MakeShift,
    volunteer: Any,
    second_volunteer: Any,
    org_admin: Any,
) -> None:
    confirmed = make_shift(starts_at=berlin(2030, 3, 4, 9), task="Theke")
    services.shifts_sign_up(volunteer=volunteer, shifts=[confirmed], party_size=2)
    full = make_shift(starts_at=berlin(2030, 3, 5, 9), capacity=1, task="Lager")
    services.shifts_sign_up(volunteer=second_volunteer, shifts=[full])
    services.shifts_sign_up(volunteer=org_admin, shifts=[full])
    [waiting] = services.shifts_sign_up(volunteer=volunteer, shifts=[full])
    members = make_shift(
        starts_at=berlin(2030, 3, 6, 9), task="Vorstand", visibility=Visibility.MEMBERS
    )
    services.shifts_sign_up(volunteer=volunteer, shifts=[members])
    offer = offered_to(volunteer, second_volunteer, make_shift)
    body = client_for(volunteer).get(url("mine", municipality)).content.decode()
    assert "Your place is confirmed." in body
    assert "With 1 companion." in body
    assert "On the waitlist, position 2." in body
    assert "Requested: the shift is for members" in body
    deadline = timezone.localtime(offer.offer_expires_at)
    assert f"Please confirm it by {deadline:%A}, {deadline.day} {deadline:%B, %H:%M}" in body
    assert url("offer_confirm", municipality, public_id=offer.public_id) in body
    assert url("cancel", municipality, public_id=waiting.public_id) in body
    assert "Leave the waitlist" in body
    assert "Withdraw the request" in body
    assert "Decline the place" in body
    assert url("shift_ics", municipality, public_id=confirmed.public_id) in body
    assert body.count("Add to calendar") == 4


def test_my_shifts_show_past_shifts_with_their_attendance(
    municipality: Any, make_shift: MakeShift, volunteer: Any
) -> None:
    past_signup(make_shift, volunteer, "Gekommen", Signup.Attendance.ATTENDED)
    past_signup(make_shift, volunteer, "Gefehlt", Signup.Attendance.NO_SHOW)
    past_signup(make_shift, volunteer, "Offen", Signup.Attendance.UNKNOWN)
    body = client_for(volunteer).get(url("mine", municipality)).content.decode()
    past = body[body.index("Past shifts") :]
    assert "Attended" in past
    assert "Did not come" in past
    assert "Attendance not recorded" in past
    assert "You have no upcoming shifts." in body


def test_a_shift_the_organisation_called_off_stays_visible_as_cancelled(
    municipality: Any, shift: Shift, volunteer: Any
) -> None:
    services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    Shift.objects.filter(pk=shift.pk).update(status=Shift.Status.CANCELLED)
    services.signups_release_for_cancelled_shift(actor=None, shift=shift, reason="Wasserschaden.")
    body = client_for(volunteer).get(url("mine", municipality)).content.decode()
    assert "Cancelled by the organisation. Wasserschaden." in body
    assert url("cancel", municipality, public_id=Signup.objects.get().public_id) not in body


def test_my_shifts_are_mine_and_of_this_town_only(
    municipality: Any,
    other_municipality: Any,
    shift: Shift,
    volunteer: Any,
    second_volunteer: Any,
) -> None:
    services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    other = client_for(second_volunteer).get(url("mine", municipality)).content.decode()
    assert "You have no upcoming shifts." in other
    elsewhere = client_for(volunteer).get(url("mine", other_municipality)).content.decode()
    assert "You have no upcoming shifts." in elsewhere


def test_my_shifts_cost_the_same_queries_for_2_or_20_shifts(
    municipality: Any, shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any
) -> None:
    def sign_up(days: range) -> None:
        for day in days:
            services.shifts_sign_up(
                volunteer=volunteer, shifts=[make_shift(starts_at=berlin(2030, 4, day, 9))]
            )
            past_signup(make_shift, volunteer, f"Alt {day}", "")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("mine", municipality))
        assert response.status_code == 200
        return len(captured.captured_queries)

    client = client_for(volunteer)
    sign_up(range(1, 3))
    few = queries()
    sign_up(range(3, 21))
    assert queries() == few


# --- cancelling -----------------------------------------------------------------------------


def test_cancelling_before_the_deadline_needs_no_message(
    municipality: Any, shift: Shift, volunteer: Any
) -> None:
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    client = client_for(volunteer)
    target = url("cancel", municipality, public_id=signup.public_id)
    page = client.get(target).content.decode()
    assert "Cancel your shift?" in page
    assert "You can cancel without a message until" in page
    response = client.post(target, {"message": ""})
    assert response.status_code == 302
    assert response["Location"] == url("mine", municipality)
    signup.refresh_from_db()
    shift.refresh_from_db()
    assert signup.status == Status.CANCELLED
    assert shift.taken == 0
    assert "You have cancelled Ausgabe on" in client.get(url("mine", municipality)).content.decode()


def test_after_the_deadline_cancelling_needs_a_message(
    municipality: Any, shift: Shift, volunteer: Any
) -> None:
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    target = url("cancel", municipality, public_id=signup.public_id)
    with time_machine.travel(shift.starts_at - timedelta(hours=3), tick=False):
        client = client_for(volunteer)
        page = client.get(target).content.decode()
        assert "The shift begins soon" in page
        refused = client.post(target, {"message": "  "})
        assert refused.status_code == 400
        assert "please write a short message" in refused.content.decode()
        signup.refresh_from_db()
        assert signup.status == Status.CONFIRMED
        done = client.post(target, {"message": "Ich bin krank."})
    assert done.status_code == 302
    signup.refresh_from_db()
    assert signup.status == Status.CANCELLED
    assert signup.cancel_reason == "Ich bin krank."


def test_a_refused_cancellation_keeps_the_typed_message(
    municipality: Any, shift: Shift, volunteer: Any
) -> None:
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    with time_machine.travel(shift.starts_at + timedelta(minutes=10), tick=False):
        response = client_for(volunteer).post(
            url("cancel", municipality, public_id=signup.public_id),
            {"message": "Der Bus kam nicht."},
        )
    body = response.content.decode()
    assert response.status_code == 400
    assert "has already begun" in body
    assert "Der Bus kam nicht." in body
    signup.refresh_from_db()
    assert signup.status == Status.CONFIRMED


def test_leaving_the_waitlist_uses_the_same_page(
    municipality: Any, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    full = make_shift(capacity=1)
    services.shifts_sign_up(volunteer=second_volunteer, shifts=[full])
    [waiting] = services.shifts_sign_up(volunteer=volunteer, shifts=[full])
    target = url("cancel", municipality, public_id=waiting.public_id)
    client = client_for(volunteer)
    assert "Leave the waitlist?" in client.get(target).content.decode()
    assert client.post(target, {}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CANCELLED


def test_a_closed_sign_up_is_not_cancelled_again(
    municipality: Any, shift: Shift, volunteer: Any
) -> None:
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.signup_cancel(actor=volunteer, signup=signup)
    response = client_for(volunteer).get(url("cancel", municipality, public_id=signup.public_id))
    assert response.status_code == 302
    assert response["Location"] == url("mine", municipality)


# --- offers ---------------------------------------------------------------------------------


def test_an_offered_place_is_confirmed_from_my_shifts(
    municipality: Any, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    offer = offered_to(volunteer, second_volunteer, make_shift)
    client = client_for(volunteer)
    target = url("offer_confirm", municipality, public_id=offer.public_id)
    assert client.get(target).status_code == 405
    response = client.post(target)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Status.CONFIRMED
    assert "Your place for Kasse on" in client.get(url("mine", municipality)).content.decode()


def test_an_offer_confirmed_too_late_says_so(
    municipality: Any, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    offer = offered_to(volunteer, second_volunteer, make_shift)
    assert offer.offer_expires_at is not None
    with time_machine.travel(offer.offer_expires_at + timedelta(minutes=1), tick=False):
        client = client_for(volunteer)
        client.post(url("offer_confirm", municipality, public_id=offer.public_id))
        body = client.get(url("mine", municipality)).content.decode()
    assert "the time to confirm this place has passed" in body
    offer.refresh_from_db()
    assert offer.status == Status.EXPIRED


def test_declining_an_offer_gives_the_place_back(
    municipality: Any, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    offer = offered_to(volunteer, second_volunteer, make_shift)
    target = url("cancel", municipality, public_id=offer.public_id)
    client = client_for(volunteer)
    assert "Decline the place?" in client.get(target).content.decode()
    client.post(target, {})
    offer.refresh_from_db()
    assert offer.status == Status.CANCELLED
    assert Shift.objects.get(pk=offer.shift_id).taken == 0


# --- isolation ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cancel", "offer_confirm"])
def test_another_persons_sign_up_answers_404(
    name: str, municipality: Any, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    offer = offered_to(volunteer, second_volunteer, make_shift)
    target = url(name, municipality, public_id=offer.public_id)
    client = client_for(second_volunteer)
    assert client.post(target, {"message": "x"}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == Status.OFFERED


@pytest.mark.parametrize("name", ["cancel", "offer_confirm"])
def test_a_sign_up_seen_through_another_town_answers_404(
    name: str,
    other_municipality: Any,
    make_shift: MakeShift,
    volunteer: Any,
    second_volunteer: Any,
) -> None:
    offer = offered_to(volunteer, second_volunteer, make_shift)
    target = url(name, other_municipality, public_id=offer.public_id)
    assert client_for(volunteer).post(target, {}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == Status.OFFERED


def test_the_exchange_navigation_links_to_my_shifts(municipality: Any, volunteer: Any) -> None:
    body = client_for(volunteer).get(url("mine", municipality)).content.decode()
    assert f'href="{url("mine", municipality)}" aria-current="page"' in body
    anonymous = client_for(None).get(url("index", municipality)).content.decode()
    assert url("mine", municipality) not in anonymous
