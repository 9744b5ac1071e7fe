"""Messages to all helpers of a shift: who hears them, how they are mailed, the limits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import client_for
from gemeinsinn.accounts.models import MailFrequency, Notification, NotificationSettings
from gemeinsinn.core.models import AuditEvent, OutgoingMail
from gemeinsinn.shifts.models import Shift, ShiftMessage, Signup
from gemeinsinn.shifts.services.messages import (
    MAX_MESSAGE_CHARS,
    MESSAGES_PER_DAY,
    shift_message_send,
)
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin
from gemeinsinn.shifts.tests.test_organiser_support import (  # noqa: F401 - fixture
    BASE,
    EN,
    NOW,
    frozen_fixture,
    helpers_url,
    people,
    put,
)

pytestmark = pytest.mark.usefixtures("frozen")
S = Signup.Status


def _url(shift: Shift) -> str:
    return f"{BASE}/organisieren/schicht/{shift.public_id}/nachricht/"


@pytest.fixture
def crew(make_shift: MakeShift) -> tuple[Shift, dict[str, Any]]:
    """A shift with one person in every status."""
    shift = make_shift(starts_at=berlin(2026, 12, 1, 9), capacity=3)
    names = ["confirmed", "offered", "waitlisted", "requested", "cancelled"]
    persons = dict(zip(names, people(len(names)), strict=True))
    for status, person in persons.items():
        put(shift, person, status)
    return shift, persons


def test_only_people_holding_a_place_hear_the_message(
    crew: tuple[Shift, dict[str, Any]], org_admin: Any
) -> None:
    shift, persons = crew
    message = shift_message_send(actor=org_admin, shift=shift, body="  Eingang hinten!  ")
    assert message.body == "Eingang hinten!"
    assert message.recipients == 2
    told = set(
        Notification.objects.filter(topic="shifts_message").values_list("user_id", flat=True)
    )
    assert told == {persons["confirmed"].pk, persons["offered"].pk}


def test_the_message_is_mailed_at_once_as_a_personal_message(
    crew: tuple[Shift, dict[str, Any]], org_admin: Any
) -> None:
    shift, persons = crew
    shift_message_send(actor=org_admin, shift=shift, body="Eingang hinten!")
    mails = OutgoingMail.objects.filter(purpose="notification:shifts_message")
    assert set(mails.values_list("recipient", flat=True)) == {
        persons["confirmed"].email,
        persons["offered"].email,
    }
    mail = mails.first()
    assert mail is not None
    assert "Eingang hinten!" in mail.body_text
    assert "Tafel Musterstadt e. V." in mail.body_text


def test_a_person_who_turned_mails_off_finds_it_on_the_site_only(
    crew: tuple[Shift, dict[str, Any]], org_admin: Any
) -> None:
    shift, persons = crew
    NotificationSettings.objects.create(user=persons["offered"], frequency=MailFrequency.OFF)
    shift_message_send(actor=org_admin, shift=shift, body="Eingang hinten!")
    assert Notification.objects.filter(user=persons["offered"], topic="shifts_message").exists()
    assert not OutgoingMail.objects.filter(recipient=persons["offered"].email).exists()


def test_sending_is_audited_without_the_text(
    crew: tuple[Shift, dict[str, Any]], org_admin: Any
) -> None:
    shift, _persons = crew
    message = shift_message_send(actor=org_admin, shift=shift, body="Geheimer Text")
    event = AuditEvent.objects.get(action="shift.message_sent")
    assert event.actor == org_admin
    assert event.target_id == str(shift.pk)
    assert event.data == {"message": message.pk, "recipients": 2}
    assert "Geheimer" not in str(event.data)


@pytest.mark.parametrize("body", ["", "   \n "])
def test_an_empty_message_is_refused(
    crew: tuple[Shift, dict[str, Any]], org_admin: Any, body: str
) -> None:
    with pytest.raises(ValidationError, match="Please write the message"):
        shift_message_send(actor=org_admin, shift=crew[0], body=body)
    assert not ShiftMessage.objects.exists()


def test_a_message_of_five_thousand_characters_goes_one_more_does_not(
    crew: tuple[Shift, dict[str, Any]], org_admin: Any
) -> None:
    shift_message_send(actor=org_admin, shift=crew[0], body="x" * MAX_MESSAGE_CHARS)
    with pytest.raises(ValidationError, match="at most 5000 characters"):
        shift_message_send(actor=org_admin, shift=crew[0], body="x" * (MAX_MESSAGE_CHARS + 1))
    assert ShiftMessage.objects.count() == 1


def test_ten_messages_a_day_then_the_next_one_waits(
    crew: tuple[Shift, dict[str, Any]], org_admin: Any
) -> None:
    shift = crew[0]
    for n in range(MESSAGES_PER_DAY):
        shift_message_send(actor=org_admin, shift=shift, body=f"Nachricht {n}")
    with pytest.raises(ValidationError, match="already got 10 messages in the last 24 hours"):
        shift_message_send(actor=org_admin, shift=shift, body="Noch eine")
    with time_machine.travel(NOW + timedelta(hours=24, minutes=1), tick=False):
        shift_message_send(actor=org_admin, shift=shift, body="Am naechsten Tag")
    assert ShiftMessage.objects.filter(shift=shift).count() == MESSAGES_PER_DAY + 1


def test_the_limit_counts_per_shift(
    crew: tuple[Shift, dict[str, Any]], make_shift: MakeShift, org_admin: Any
) -> None:
    for n in range(MESSAGES_PER_DAY):
        shift_message_send(actor=org_admin, shift=crew[0], body=f"Nachricht {n}")
    other = make_shift(starts_at=berlin(2026, 12, 2, 9))
    put(other, people(1, "other")[0])
    shift_message_send(actor=org_admin, shift=other, body="Andere Schicht")


def test_a_shift_without_helpers_has_nobody_to_write_to(
    make_shift: MakeShift, org_admin: Any
) -> None:
    shift = make_shift(starts_at=berlin(2026, 12, 1, 9))
    put(shift, people(1)[0], S.WAITLISTED)
    with pytest.raises(ValidationError, match="nobody to write to"):
        shift_message_send(actor=org_admin, shift=shift, body="Hallo")


def test_the_office_may_not_write_to_helpers(
    crew: tuple[Shift, dict[str, Any]], coordinator: Any
) -> None:
    with pytest.raises(PermissionDenied):
        shift_message_send(actor=coordinator, shift=crew[0], body="Hallo")
    assert not ShiftMessage.objects.exists()


# --- the page ---------------------------------------------------------------------------------


def test_sending_from_the_page_goes_back_to_the_helpers_with_a_count(
    crew: tuple[Shift, dict[str, Any]], org_member: Any
) -> None:
    shift = crew[0]
    response = client_for(org_member).post(_url(shift), {"body": "Bitte Handschuhe"}, headers=EN)
    assert response.status_code == 302
    assert response["Location"] == helpers_url(shift)
    follow = client_for(org_member).get(helpers_url(shift), headers=EN).content.decode()
    assert "Bitte Handschuhe" in follow
    sent = [str(m) for m in get_messages(response.wsgi_request)]
    assert sent == ["Your message has been sent to 2 people."]


def test_the_page_explains_a_refusal_and_keeps_the_text(
    crew: tuple[Shift, dict[str, Any]], org_admin: Any
) -> None:
    too_long = "Lang." * 1001
    response = client_for(org_admin).post(_url(crew[0]), {"body": too_long}, headers=EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 5000 characters long; it has 5005" in html
    assert too_long in html
    empty = client_for(org_admin).post(_url(crew[0]), {"body": ""}, headers=EN)
    assert empty.status_code == 400
    assert "Please write the message to the helpers." in empty.content.decode()


def test_the_page_shows_what_was_sent_before(
    crew: tuple[Shift, dict[str, Any]], org_admin: Any
) -> None:
    shift_message_send(actor=org_admin, shift=crew[0], body="Erste Nachricht")
    html = client_for(org_admin).get(_url(crew[0]), headers=EN).content.decode()
    assert "Sent before" in html
    assert "Erste Nachricht" in html
    assert 'maxlength="5000"' in html
    assert '<label for="id_body">Message to all helpers</label>' in html
