"""iCalendar output of the feeds and of the confirmation mail, parsed back with `icalendar`:
stable UIDs, a rising SEQUENCE, cancellations and the wall clock of Europe/Berlin."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import icalendar
import pytest
import time_machine
from django.core import mail
from django.db.models import F

from gemeinsinn.shifts.ical import event_uid
from gemeinsinn.shifts.models import Shift, ShiftPreferences, Signup, new_token
from gemeinsinn.shifts.services import signups as services
from gemeinsinn.shifts.tests.conftest import BERLIN, MakeShift, berlin

ORG_FEED = "/musterstadt/engagement/schichten/kalender/organisation/{slug}.ics"
USER_FEED = "/musterstadt/engagement/schichten/kalender/{token}.ics"

# The clocks went forward on 31 March 2030 and back on 27 October 2030.
BEFORE_SPRING = berlin(2030, 3, 1, 12)


def _events(content: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _org_feed(client: Any, organisation: Any) -> dict[str, Any]:
    response = client.get(ORG_FEED.format(slug=organisation.slug))
    assert response.status_code == 200
    return _events(response.content)


def _local(event: Any, name: str) -> datetime:
    value = event.decoded(name)
    assert value.tzinfo is not None, "times must be absolute, not floating"
    return value.astimezone(BERLIN)


def test_the_uid_stays_the_same_across_fetches_and_updates_while_the_sequence_rises(
    client: Any, organisation: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(BEFORE_SPRING, tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 12, 9))
        first = _org_feed(client, organisation)
        again = _org_feed(client, organisation)
        uid = event_uid(shift)
        assert list(first) == list(again) == [uid]
        assert first[uid]["SEQUENCE"] == again[uid]["SEQUENCE"] == 0
        # What the shift-editing service does: a new time, a higher sequence.
        Shift.objects.filter(pk=shift.pk).update(
            starts_at=berlin(2030, 3, 12, 10),
            ends_at=berlin(2030, 3, 12, 13),
            sequence=F("sequence") + 1,
        )
        updated = _org_feed(client, organisation)
    assert list(updated) == [uid]
    assert updated[uid]["SEQUENCE"] > first[uid]["SEQUENCE"]
    assert _local(updated[uid], "DTSTART") == berlin(2030, 3, 12, 10)
    assert str(updated[uid]["STATUS"]) == "CONFIRMED"


def test_a_cancelled_shift_stays_in_the_feed_as_cancelled(
    client: Any, organisation: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(BEFORE_SPRING, tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 12, 9))
        Shift.objects.filter(pk=shift.pk).update(
            status=Shift.Status.CANCELLED, sequence=F("sequence") + 1
        )
        events = _org_feed(client, organisation)
    event = events[event_uid(shift)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["TRANSP"]) == "TRANSPARENT"


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (berlin(2030, 3, 30, 9), 8),  # winter time, UTC+1
        (berlin(2030, 3, 31, 9), 7),  # summer time from this Sunday, UTC+2
        (berlin(2030, 10, 26, 9), 7),  # still summer time
        (berlin(2030, 10, 27, 9), 8),  # winter time again
    ],
)
def test_times_are_right_on_the_berlin_wall_clock_across_daylight_saving(
    client: Any, organisation: Any, make_shift: MakeShift, day: datetime, utc_hour: int
) -> None:
    with time_machine.travel(BEFORE_SPRING, tick=False):
        shift = make_shift(starts_at=day, hours=3)
        event = _org_feed(client, organisation)[event_uid(shift)]
    assert _local(event, "DTSTART").replace(tzinfo=None) == day.replace(tzinfo=None)
    assert _local(event, "DTEND").hour == 12
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTSTART").hour == utc_hour


def test_a_night_shift_over_the_spring_change_lasts_its_real_hours(
    client: Any, organisation: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(BEFORE_SPRING, tick=False):
        # 01:00 to 05:00 on the wall clock, but 02:00–03:00 does not exist that night.
        shift = make_shift(starts_at=berlin(2030, 3, 31, 1))
        shift.ends_at = berlin(2030, 3, 31, 5)
        shift.save(update_fields=["ends_at"])
        event = _org_feed(client, organisation)[event_uid(shift)]
    assert _local(event, "DTSTART").hour == 1
    assert _local(event, "DTEND").hour == 5
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=3)


def test_the_confirmation_mail_carries_the_shift_as_an_ics_attachment(
    volunteer: Any, make_shift: MakeShift, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(BEFORE_SPRING, tick=False):
        shift = make_shift(starts_at=berlin(2030, 4, 2, 17, 30), hours=2.5, task="Abendausgabe")
        # The outbox hands the mail to the worker once the sign-up commits.
        with django_capture_on_commit_callbacks(execute=True):
            services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    [message] = [m for m in mail.outbox if m.to == [volunteer.email]]
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(event["UID"]) == event_uid(shift)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Abendausgabe" in str(event["SUMMARY"])
    assert _local(event, "DTSTART") == berlin(2030, 4, 2, 17, 30)
    assert _local(event, "DTEND") == berlin(2030, 4, 2, 20)
    assert "Theke" in str(event["LOCATION"])


def test_a_place_given_up_turns_cancelled_in_the_private_feed_with_a_higher_sequence(
    client: Any, volunteer: Any, make_shift: MakeShift
) -> None:
    token = new_token()
    ShiftPreferences.objects.create(user=volunteer, feed_token=token)
    with time_machine.travel(BEFORE_SPRING, tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 12, 9))
        [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
        before = _events(client.get(USER_FEED.format(token=token)).content)
        services.signup_cancel(actor=volunteer, signup=signup)
        after = _events(client.get(USER_FEED.format(token=token)).content)
        # Signing up again brings the same event back, not a second one.
        services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
        again = _events(client.get(USER_FEED.format(token=token)).content)
    uid = event_uid(shift)
    assert str(before[uid]["STATUS"]) == "CONFIRMED"
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]
    assert list(again) == [uid]
    assert str(again[uid]["STATUS"]) == "CONFIRMED"
    assert Signup.objects.filter(shift=shift, volunteer=volunteer).count() == 2
