"""Shift reminders: 48 h and 24 h timing, preferences, never twice (even across a crash)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import make_user
from gemeinsinn.accounts.models import MailFrequency, Notification
from gemeinsinn.accounts.notifications import notification_settings_save
from gemeinsinn.core.models import OutgoingMail
from gemeinsinn.shifts.models import (
    Reminder,
    ReminderChoice,
    Shift,
    ShiftPreferences,
    ShiftSettings,
    Signup,
)
from gemeinsinn.shifts.services import reminders
from gemeinsinn.shifts.services import signups as signup_services
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin

START = berlin(2030, 3, 12, 9)  # a Tuesday in winter time: 08:00 UTC
SIGNED_UP = berlin(2030, 3, 1, 12)


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def sign_up(person: Any, shift: Shift, at: datetime = SIGNED_UP) -> Signup:
    with time_machine.travel(at, tick=False):
        [signup] = signup_services.shifts_sign_up(volunteer=person, shifts=[shift])
    return signup


def send_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return reminders.reminders_send()


def reminder_mails(person: Any | None = None) -> list[OutgoingMail]:
    found = OutgoingMail.objects.filter(purpose="notification:shifts_reminder")
    if person is not None:
        found = found.filter(recipient=person.email)
    return list(found.order_by("pk"))


def people(count: int) -> list[Any]:
    return [make_user(f"helper{i}@example.org", first_name=f"Helper{i}") for i in range(count)]


@pytest.fixture
def reminded_shift(make_shift: MakeShift) -> Shift:
    return make_shift(starts_at=START, capacity=8)


# --- timing ---------------------------------------------------------------------------------


def test_nothing_is_sent_before_48_hours(volunteer: Any, reminded_shift: Shift) -> None:
    sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=48, minutes=1)) == 0
    assert not Reminder.objects.exists()


def test_the_first_reminder_goes_out_48_hours_before(volunteer: Any, reminded_shift: Shift) -> None:
    signup = sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=48)) == 1
    [reminder] = Reminder.objects.all()
    assert (reminder.signup, reminder.hours_before) == (signup, 48)
    [mail] = reminder_mails(volunteer)
    assert reminder.mail == mail
    assert mail.subject.startswith("Reminder: Ausgabe")


def test_the_second_reminder_follows_at_24_hours_and_none_is_sent_twice(
    volunteer: Any, reminded_shift: Shift
) -> None:
    sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=47)) == 1
    assert send_at(START - timedelta(hours=46, minutes=50)) == 0
    assert send_at(START - timedelta(hours=25)) == 0
    assert send_at(START - timedelta(hours=23, minutes=55)) == 1
    assert send_at(START - timedelta(hours=1)) == 0
    assert sorted(Reminder.objects.values_list("hours_before", flat=True)) == [24, 48]
    assert len(reminder_mails(volunteer)) == 2


def test_running_twice_at_once_sends_nothing_new(volunteer: Any, reminded_shift: Shift) -> None:
    sign_up(volunteer, reminded_shift)
    moment = START - timedelta(hours=30)
    assert send_at(moment) == 1
    assert send_at(moment) == 0
    assert len(reminder_mails()) == 1


def test_a_late_run_sends_only_the_reminder_due_now(volunteer: Any, reminded_shift: Shift) -> None:
    sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=20)) == 1
    assert list(Reminder.objects.values_list("hours_before", flat=True)) == [24]


def test_no_reminder_once_the_shift_has_begun(volunteer: Any, reminded_shift: Shift) -> None:
    sign_up(volunteer, reminded_shift)
    assert send_at(START) == 0
    assert send_at(START + timedelta(minutes=10)) == 0


def test_a_town_chooses_its_reminder_times_and_zero_switches_one_off(
    volunteer: Any, reminded_shift: Shift, municipality: Any
) -> None:
    ShiftSettings.objects.create(
        municipality=municipality, first_reminder_hours=0, second_reminder_hours=6
    )
    sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=47)) == 0
    assert send_at(START - timedelta(hours=23)) == 0
    assert send_at(START - timedelta(hours=6)) == 1
    assert list(Reminder.objects.values_list("hours_before", flat=True)) == [6]


def test_a_person_who_signed_up_after_the_reminder_time_is_not_reminded_then(
    volunteer: Any, reminded_shift: Shift
) -> None:
    sign_up(volunteer, reminded_shift, at=START - timedelta(hours=30))
    # The 48-hour reminder would repeat the confirmation they just got …
    assert send_at(START - timedelta(hours=29)) == 0
    # … the 24-hour one is still useful.
    assert send_at(START - timedelta(hours=23)) == 1
    assert list(Reminder.objects.values_list("hours_before", flat=True)) == [24]


def test_signing_up_just_before_the_shift_sends_no_reminder(
    volunteer: Any, reminded_shift: Shift
) -> None:
    sign_up(volunteer, reminded_shift, at=START - timedelta(hours=3))
    assert send_at(START - timedelta(hours=2)) == 0


def test_only_confirmed_places_of_scheduled_shifts_are_reminded(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    full = make_shift(starts_at=START, capacity=1)
    sign_up(volunteer, full)
    waiting = sign_up(second_volunteer, full)
    assert waiting.status == Signup.Status.WAITLISTED
    cancelled_shift = make_shift(starts_at=START + timedelta(hours=4))
    sign_up(second_volunteer, cancelled_shift)
    Shift.objects.filter(pk=cancelled_shift.pk).update(status=Shift.Status.CANCELLED)
    assert send_at(START - timedelta(hours=47)) == 1
    assert [m.recipient for m in reminder_mails()] == [volunteer.email]


def test_a_place_given_up_gets_no_further_reminder(volunteer: Any, reminded_shift: Shift) -> None:
    signup = sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=47)) == 1
    with time_machine.travel(START - timedelta(hours=30), tick=False):
        signup_services.signup_cancel(actor=volunteer, signup=signup)
    assert send_at(START - timedelta(hours=23)) == 0


def test_other_towns_keep_their_own_times(
    volunteer: Any, reminded_shift: Shift, other_organisation: Any, other_municipality: Any
) -> None:
    from gemeinsinn.shifts.models import ShiftPlan

    ShiftSettings.objects.create(
        municipality=other_municipality, first_reminder_hours=0, second_reminder_hours=0
    )
    plan = ShiftPlan.objects.create(
        municipality=other_municipality, organisation=other_organisation, title="Kleiderkammer"
    )
    elsewhere = Shift.objects.create(
        municipality=other_municipality,
        organisation=other_organisation,
        plan=plan,
        task="Sortieren",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        capacity=2,
    )
    other_person = make_user("far.away@example.org")
    sign_up(other_person, elsewhere)
    sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=47)) == 1
    assert [m.recipient for m in reminder_mails()] == [volunteer.email]


# --- the person's choices -------------------------------------------------------------------


def test_last_only_skips_the_first_reminder(volunteer: Any, reminded_shift: Shift) -> None:
    ShiftPreferences.objects.create(user=volunteer, reminders=ReminderChoice.LAST)
    sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=47)) == 0
    assert send_at(START - timedelta(hours=23)) == 1
    assert list(Reminder.objects.values_list("hours_before", flat=True)) == [24]


def test_none_sends_no_reminder_at_all(volunteer: Any, reminded_shift: Shift) -> None:
    ShiftPreferences.objects.create(user=volunteer, reminders=ReminderChoice.NONE)
    sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=47)) == 0
    assert send_at(START - timedelta(hours=23)) == 0
    assert not Reminder.objects.exists()
    assert not Notification.objects.filter(topic="shifts_reminder").exists()


def test_mails_turned_off_leave_the_reminder_on_the_site_only(
    volunteer: Any, reminded_shift: Shift
) -> None:
    notification_settings_save(user=volunteer, frequency=MailFrequency.OFF)
    sign_up(volunteer, reminded_shift)
    assert send_at(START - timedelta(hours=47)) == 1
    [reminder] = Reminder.objects.all()
    assert reminder.mail is None
    assert not reminder_mails()
    assert Notification.objects.filter(user=volunteer, topic="shifts_reminder").count() == 1


def test_people_on_the_daily_digest_get_the_reminder_at_once(
    volunteer: Any, reminded_shift: Shift
) -> None:
    notification_settings_save(user=volunteer, frequency=MailFrequency.DAILY)
    sign_up(volunteer, reminded_shift)
    send_at(START - timedelta(hours=47))
    assert len(reminder_mails(volunteer)) == 1


# --- the mail -------------------------------------------------------------------------------


def test_the_mail_names_the_shift_in_berlin_time_with_both_answer_links(
    volunteer: Any, reminded_shift: Shift, client: Any
) -> None:
    signup = sign_up(volunteer, reminded_shift)
    send_at(START - timedelta(hours=47))
    [mail] = reminder_mails(volunteer)
    body = mail.body_text
    assert "Hello Vera," in body
    assert "Ausgabe at Tafel Musterstadt e. V." in body
    assert "09:00–12:00" in body  # 08:00 UTC, shown on the Berlin wall clock
    assert "Place: Theke" in body
    yes = reminders.answer_url(signup=signup, answer="ja")
    no = reminders.answer_url(signup=signup, answer="nein")
    assert f"I'm coming: {yes}" in body
    assert f"I can't come: {no}" in body
    for link in (yes, no):
        path = link.split("://", 1)[1].split("/", 1)[1]
        page = client.get("/" + path)
        assert page.status_code == 200
        assert "Ausgabe" in page.content.decode()


def test_the_mail_mentions_companions(volunteer: Any, reminded_shift: Shift) -> None:
    with time_machine.travel(SIGNED_UP, tick=False):
        signup_services.shifts_sign_up(volunteer=volunteer, shifts=[reminded_shift], party_size=3)
    send_at(START - timedelta(hours=47))
    [mail] = reminder_mails(volunteer)
    assert "You and 2 companions." in mail.body_text


# --- never twice, even when the worker dies -------------------------------------------------


class WorkerKilled(BaseException):
    """Stands for SIGKILL or a crash: nothing in the run can catch it."""


def _notify_failing_on(call: int, error: BaseException) -> Callable[..., Any]:
    real = reminders.notify
    calls = 0

    def notify(**kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == call:
            raise error
        return real(**kwargs)

    return notify


def test_a_worker_dying_midway_leaves_every_reminder_to_be_sent_exactly_once(
    reminded_shift: Shift,
) -> None:
    helpers = people(5)
    for person in helpers:
        sign_up(person, reminded_shift)
    moment = START - timedelta(hours=47)
    with (
        mock.patch.object(reminders, "notify", _notify_failing_on(3, WorkerKilled())),
        pytest.raises(WorkerKilled),
    ):
        send_at(moment)
    # The two before the crash are committed with their mails; the third left nothing behind.
    assert Reminder.objects.count() == 2
    assert len(reminder_mails()) == 2
    # The restarted worker sends the rest, and none of the first two again.
    assert send_at(moment + timedelta(minutes=10)) == 3
    assert send_at(moment + timedelta(minutes=20)) == 0
    for person in helpers:
        assert len(reminder_mails(person)) == 1
        assert Reminder.objects.filter(signup__volunteer=person, hours_before=48).count() == 1
    assert all(r.mail_id is not None for r in Reminder.objects.all())


def test_one_failing_reminder_does_not_hold_back_the_others(reminded_shift: Shift) -> None:
    helpers = people(4)
    for person in helpers:
        sign_up(person, reminded_shift)
    moment = START - timedelta(hours=47)
    with mock.patch.object(reminders, "notify", _notify_failing_on(2, RuntimeError("relay"))):
        assert send_at(moment) == 3
    assert Reminder.objects.count() == 3
    assert send_at(moment + timedelta(minutes=10)) == 1
    for person in helpers:
        assert len(reminder_mails(person)) == 1


def test_a_reminder_row_written_meanwhile_stops_a_second_mail(
    volunteer: Any, reminded_shift: Shift
) -> None:
    """A parallel run that committed between this run's read and its write."""
    signup = sign_up(volunteer, reminded_shift)
    moment = START - timedelta(hours=47)
    real_due = reminders._due_in_batch

    def due_then_parallel_run(*args: Any) -> list[tuple[int, int]]:
        found = real_due(*args)
        Reminder.objects.create(signup=signup, hours_before=48, sent_at=moment)
        return found

    with mock.patch.object(reminders, "_due_in_batch", due_then_parallel_run):
        assert send_at(moment) == 0
    assert not reminder_mails()
    assert Reminder.objects.count() == 1


# --- bounded work ---------------------------------------------------------------------------


def _queries(moment: datetime) -> int:
    with CaptureQueriesContext(connection) as captured:
        send_at(moment)
    return len(captured.captured_queries)


def test_checking_already_reminded_sign_ups_costs_the_same_whatever_their_number(
    make_shift: MakeShift,
) -> None:
    few = make_shift(starts_at=START, capacity=8)
    many = make_shift(starts_at=START + timedelta(days=7), capacity=8)
    helpers = people(6)
    for person in helpers[:2]:
        sign_up(person, few)
    for person in helpers:
        sign_up(person, many)
    send_at(START - timedelta(hours=30))
    send_at(START + timedelta(days=7) - timedelta(hours=30))
    assert _queries(START - timedelta(hours=29)) == _queries(
        START + timedelta(days=7) - timedelta(hours=29)
    )


def test_each_reminder_costs_a_fixed_number_of_queries(
    make_shift: MakeShift, municipality: Any
) -> None:
    ShiftSettings.objects.create(
        municipality=municipality, first_reminder_hours=48, second_reminder_hours=0
    )
    helpers = people(4)
    counts = []
    for index, size in enumerate((1, 2, 4)):
        start = START + timedelta(days=3 * index)
        shift = make_shift(starts_at=start, capacity=8)
        for person in helpers[:size]:
            sign_up(person, shift)
        counts.append(_queries(start - timedelta(hours=47)))
    per_reminder = counts[1] - counts[0]
    assert counts[2] - counts[1] == 2 * per_reminder


def test_sign_ups_are_read_in_batches(
    reminded_shift: Shift, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "BATCH_SIZE", 2)
    for person in people(5):
        sign_up(person, reminded_shift)
    assert send_at(START - timedelta(hours=47)) == 5
    assert len(reminder_mails()) == 5


# --- the periodic job -----------------------------------------------------------------------


def test_the_tick_passes_on_expired_offers_and_sends_reminders(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(starts_at=START, capacity=1)
    first = sign_up(second_volunteer, shift)
    sign_up(volunteer, shift)  # waitlisted
    with time_machine.travel(START - timedelta(hours=60), tick=False):
        signup_services.signup_cancel(actor=second_volunteer, signup=first)
    offered = Signup.objects.get(volunteer=volunteer, shift=shift)
    assert offered.status == Signup.Status.OFFERED
    out = StringIO()
    with time_machine.travel(START - timedelta(hours=47), tick=False):
        call_command("shifts_tick", stdout=out)
    offered.refresh_from_db()
    assert offered.status == Signup.Status.EXPIRED
    assert out.getvalue().strip() == "1 offer(s) expired, 0 reminder(s) sent."


def test_the_tick_reports_the_reminders_it_sent(volunteer: Any, reminded_shift: Shift) -> None:
    sign_up(volunteer, reminded_shift)
    out = StringIO()
    with time_machine.travel(START - timedelta(hours=47), tick=False):
        call_command("shifts_tick", stdout=out)
        call_command("shifts_tick", stdout=out)
    assert out.getvalue().splitlines() == [
        "0 offer(s) expired, 1 reminder(s) sent.",
        "0 offer(s) expired, 0 reminder(s) sent.",
    ]


# --- two workers at once (PostgreSQL) -------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database with concurrent writers"
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(reminded_shift: Shift) -> None:
    helpers = people(8)
    for person in helpers:
        sign_up(person, reminded_shift)
    moment = START - timedelta(hours=47)
    barrier = threading.Barrier(2)
    results: list[int | str] = [0, 0]

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = reminders.reminders_send(now=moment)
        except Exception as exc:  # recorded for the assertion
            results[index] = f"error: {exc}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(r, int) for r in results), results
    assert sum(int(r) for r in results) == 8
    assert Reminder.objects.count() == 8
    for person in helpers:
        assert len(reminder_mails(person)) == 1
