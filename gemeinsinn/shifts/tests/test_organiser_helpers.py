"""One shift's helpers for its organisers: statuses, answers to reminders, the reminders' mail
status, attendance, names only, and a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from conftest import client_for
from gemeinsinn.core.models import OutgoingMail
from gemeinsinn.shifts.models import Reminder, Shift, ShiftMessage, Signup
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin
from gemeinsinn.shifts.tests.test_organiser_support import (  # noqa: F401 - fixture
    EN,
    NOW,
    frozen_fixture,
    helpers_url,
    people,
    put,
    signup_url,
)

pytestmark = pytest.mark.usefixtures("frozen")
S = Signup.Status


def _page(user: Any, shift: Shift) -> str:
    response = client_for(user).get(helpers_url(shift), headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def _remind(signup: Signup, hours: int, mail_status: str | None) -> Reminder:
    mail = None
    if mail_status is not None:
        mail = OutgoingMail.objects.create(
            recipient=signup.volunteer.email,
            subject="Erinnerung",
            body_text="…",
            status=mail_status,
            purpose="notification:shifts_reminder",
        )
    return Reminder.objects.create(
        signup=signup, hours_before=hours, sent_at=NOW - timedelta(hours=hours), mail=mail
    )


@pytest.fixture
def busy(make_shift: MakeShift) -> Shift:
    return make_shift(starts_at=berlin(2026, 12, 1, 9), capacity=4, task="Theke")


def test_confirmed_helpers_show_party_message_answer_reminders_and_attendance(
    busy: Shift, org_admin: Any
) -> None:
    anna, ben = people(2)
    first = put(
        busy,
        anna,
        party_size=2,
        message="Ich bringe meine Schwester mit.",
        response=Signup.Response.NOT_COMING,
        responded_at=NOW - timedelta(hours=2),
        attendance=Signup.Attendance.ATTENDED,
    )
    put(busy, ben, response=Signup.Response.COMING)
    _remind(first, 48, OutgoingMail.Status.SENT)
    _remind(first, 24, OutgoingMail.Status.FAILED)
    html = _page(org_admin, busy)
    assert "Confirmed: 2 helpers (3 people)" in html
    assert "Hanna0 Hilfe0" in html
    assert "Hanna1 Hilfe1" in html
    assert "2: the person and 1 companion" in html
    assert "Ich bringe meine Schwester mit." in html
    assert "can&#x27;t come" in html or "can't come" in html
    assert ">coming<" in html
    assert "48 h before" in html
    assert "e-mail sent" in html
    assert "24 h before" in html
    assert "e-mail failed" in html
    assert "none sent yet" in html  # Ben's reminders
    assert ">attended<" in html
    assert "3 of 4 places taken" in html


def test_a_reminder_without_a_mail_says_it_was_not_mailed(busy: Shift, org_admin: Any) -> None:
    signup = put(busy, people(1)[0])
    _remind(signup, 24, None)
    assert "not mailed" in _page(org_admin, busy)


def test_offers_show_their_deadline_and_the_waitlist_its_order(busy: Shift, org_admin: Any) -> None:
    offered, late, early = people(3)
    put(busy, offered, S.OFFERED, offer_expires_at=berlin(2026, 11, 25, 22))
    put(busy, late, S.WAITLISTED, minutes_ago=5)
    put(busy, early, S.WAITLISTED, minutes_ago=50)
    html = _page(org_admin, busy)
    assert "Place offered, waiting for an answer: 1" in html
    assert "Wednesday, 25 November 2026, 22:00" in html
    assert "Waitlist: 2 people" in html
    waitlist = html[html.index("Waitlist: 2 people") :]
    assert waitlist.index("Hanna2 Hilfe2") < waitlist.index("Hanna1 Hilfe1")


def test_requests_can_be_approved_or_declined_from_the_page(busy: Shift, org_admin: Any) -> None:
    request = put(busy, people(1)[0], S.REQUESTED, message="Darf ich helfen?")
    html = _page(org_admin, busy)
    assert "Request to decide: 1" in html
    assert "Darf ich helfen?" in html
    assert f'action="{signup_url(request, "entscheiden")}"' in html
    assert 'name="decision" value="approve"' in html
    assert f"{signup_url(request, 'entscheiden')}?entscheidung=decline" in html


def test_people_who_dropped_out_are_listed_with_their_reason(busy: Shift, org_admin: Any) -> None:
    put(busy, people(1)[0], S.CANCELLED, cancel_reason="Ich bin krank.")
    html = _page(org_admin, busy)
    assert "No longer on the shift" in html
    assert "Ich bin krank." in html


def test_the_page_shows_names_only_never_e_mail_addresses(busy: Shift, org_admin: Any) -> None:
    named, nameless = people(2)
    nameless.first_name = nameless.last_name = ""
    nameless.save()
    put(busy, named)
    put(busy, nameless)
    html = _page(org_admin, busy)
    assert named.email not in html
    assert nameless.email not in html
    assert "no name given" in html


def test_the_messages_sent_to_the_helpers_are_listed(busy: Shift, org_admin: Any) -> None:
    ShiftMessage.objects.create(shift=busy, author=org_admin, body="Eingang hinten!", recipients=3)
    html = _page(org_admin, busy)
    assert "Eingang hinten!" in html
    assert "to 3 people" in html


def test_an_empty_shift_says_what_to_do(busy: Shift, org_admin: Any) -> None:
    html = _page(org_admin, busy)
    assert "Nobody has a confirmed place yet." in html
    assert "Message to all helpers" not in html


def test_a_shift_that_is_over_offers_no_changes(make_shift: MakeShift, org_admin: Any) -> None:
    past = make_shift(starts_at=berlin(2026, 11, 20, 9))
    put(past, people(1)[0])
    html = _page(org_admin, past)
    assert "The shift is over" in html
    assert "Put a person on the shift" not in html
    assert "Move to another shift" not in html


def test_the_page_costs_the_same_queries_for_two_or_forty_helpers(
    make_shift: MakeShift, org_admin: Any, django_assert_num_queries: Any
) -> None:
    shift = make_shift(starts_at=berlin(2026, 12, 1, 9), capacity=40)
    crowd = people(42)
    for person in crowd[:2]:
        _remind(put(shift, person), 24, OutgoingMail.Status.SENT)
    ShiftMessage.objects.create(shift=shift, author=org_admin, body="Hallo", recipients=2)
    client = client_for(org_admin)
    client.get(helpers_url(shift))  # warm the session
    with django_assert_num_queries(10) as few:
        client.get(helpers_url(shift))
    statuses = [S.CONFIRMED, S.WAITLISTED, S.REQUESTED, S.CANCELLED]
    for n, person in enumerate(crowd[2:]):
        signup = put(shift, person, statuses[n % 4])
        _remind(signup, 48, OutgoingMail.Status.QUEUED)
        _remind(signup, 24, OutgoingMail.Status.SENT)
        ShiftMessage.objects.create(shift=shift, author=org_admin, body=f"Nr. {n}", recipients=2)
    with django_assert_num_queries(len(few)):
        html = client.get(helpers_url(shift), headers=EN).content.decode()
    assert "Confirmed: 12 helpers" in html
