"""Sign-up services: places, clashes with grace time, requirements, waitlist and offers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from conftest import make_user
from gemeinsinn.core.models import AuditEvent, OutgoingMail
from gemeinsinn.shifts.models import (
    Requirement,
    RequirementRecord,
    Shift,
    ShiftSettings,
    Signup,
    Visibility,
)
from gemeinsinn.shifts.services import signups as services
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin

Status = Signup.Status


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages below are matched in English (the installation writes German)."""
    with translation.override("en"):
        yield


def _mails_to(user: Any) -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(recipient=user.email).order_by("pk"))


def _taken(shift: Shift) -> int:
    shift.refresh_from_db()
    return shift.taken


def test_signing_up_holds_a_place_and_mails_a_calendar_entry(
    volunteer: Any, shift: Shift, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    assert signup.status == Status.CONFIRMED
    assert _taken(shift) == 1
    assert AuditEvent.objects.filter(action="signup.confirmed").count() == 1
    [message] = [m for m in mail.outbox if m.to == [volunteer.email]]
    assert "Ausgabe" in message.subject
    [(filename, content, mimetype)] = message.attachments
    assert filename == "schicht.ics"
    assert "BEGIN:VEVENT" in content
    assert mimetype.startswith("text/calendar")


def test_several_shifts_are_taken_in_one_step(volunteer: Any, make_shift: MakeShift) -> None:
    first = make_shift(starts_at=berlin(2030, 3, 4, 9))
    second = make_shift(starts_at=berlin(2030, 3, 5, 9))
    made = services.shifts_sign_up(volunteer=volunteer, shifts=[second, first])
    assert [s.shift_id for s in made] == [first.pk, second.pk]
    assert all(s.status == Status.CONFIRMED for s in made)


def test_one_bad_shift_stops_the_whole_step(volunteer: Any, make_shift: MakeShift) -> None:
    good = make_shift(starts_at=berlin(2030, 3, 4, 9))
    cancelled = make_shift(starts_at=berlin(2030, 3, 5, 9))
    Shift.objects.filter(pk=cancelled.pk).update(status=Shift.Status.CANCELLED)
    with pytest.raises(ValidationError, match="was cancelled"):
        services.shifts_sign_up(volunteer=volunteer, shifts=[good, cancelled])
    assert not Signup.objects.exists()
    assert _taken(good) == 0


def test_companions_take_places_and_a_too_big_party_is_refused(
    volunteer: Any, shift: Shift
) -> None:
    services.shifts_sign_up(volunteer=volunteer, shifts=[shift], party_size=3)
    assert _taken(shift) == 3
    with pytest.raises(ValidationError, match="companions"):
        services.shifts_sign_up(volunteer=volunteer, shifts=[shift], party_size=11)


def test_signing_up_twice_is_refused(volunteer: Any, shift: Shift) -> None:
    services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    with pytest.raises(ValidationError, match="already signed up"):
        services.shifts_sign_up(volunteer=volunteer, shifts=[shift])


def test_a_shift_that_has_begun_cannot_be_taken(volunteer: Any, make_shift: MakeShift) -> None:
    shift = make_shift(starts_at=berlin(2030, 3, 4, 9))
    with (
        time_machine.travel(berlin(2030, 3, 4, 9, 30), tick=False),
        pytest.raises(ValidationError, match="already begun"),
    ):
        services.shifts_sign_up(volunteer=volunteer, shifts=[shift])


# --- clashes and grace time -----------------------------------------------------------------


def test_an_overlap_within_the_grace_time_is_no_clash(
    volunteer: Any, make_shift: MakeShift
) -> None:
    morning = make_shift(starts_at=berlin(2030, 3, 4, 9), hours=3)  # 09:00–12:00
    handover = make_shift(starts_at=berlin(2030, 3, 4, 11, 45), hours=2)  # 15 min overlap
    services.shifts_sign_up(volunteer=volunteer, shifts=[morning])
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[handover])
    assert signup.status == Status.CONFIRMED


def test_an_overlap_beyond_the_grace_time_is_a_clash(
    volunteer: Any, municipality: Any, make_shift: MakeShift
) -> None:
    morning = make_shift(starts_at=berlin(2030, 3, 4, 9), hours=3)
    overlapping = make_shift(starts_at=berlin(2030, 3, 4, 11, 44), hours=2)  # 16 min overlap
    services.shifts_sign_up(volunteer=volunteer, shifts=[morning])
    with pytest.raises(ValidationError, match="clashes"):
        services.shifts_sign_up(volunteer=volunteer, shifts=[overlapping])
    # With a longer tolerated overlap the same pair is fine.
    ShiftSettings.objects.create(municipality=municipality, conflict_grace_minutes=30)
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[overlapping])
    assert signup.status == Status.CONFIRMED


def test_shifts_chosen_together_are_checked_against_each_other(
    volunteer: Any, make_shift: MakeShift
) -> None:
    one = make_shift(starts_at=berlin(2030, 3, 4, 9), hours=3)
    two = make_shift(starts_at=berlin(2030, 3, 4, 10), hours=3, task="Sortieren")
    with pytest.raises(ValidationError, match="clashes"):
        services.shifts_sign_up(volunteer=volunteer, shifts=[one, two])
    assert not Signup.objects.exists()


def test_a_waitlist_place_is_no_clash_but_a_cancelled_shift_neither(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    full = make_shift(starts_at=berlin(2030, 3, 4, 9), capacity=1)
    services.shifts_sign_up(volunteer=second_volunteer, shifts=[full])
    services.shifts_sign_up(volunteer=volunteer, shifts=[full])  # waitlisted
    same_time = make_shift(starts_at=berlin(2030, 3, 4, 9), task="Küche")
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[same_time])
    assert signup.status == Status.CONFIRMED


# --- requirements and members-only shifts ---------------------------------------------------


def test_a_missing_requirement_is_named_with_how_to_meet_it(
    volunteer: Any, organisation: Any, shift: Shift
) -> None:
    briefing = Requirement.objects.create(
        organisation=organisation, name="Hygieneschulung", description="jeden ersten Montag"
    )
    shift.requirements.add(briefing)
    with pytest.raises(ValidationError, match=r"Hygieneschulung.*jeden ersten Montag"):
        services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    RequirementRecord.objects.create(
        requirement=briefing, volunteer=volunteer, recorded_on=berlin(2030, 1, 1).date()
    )
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    assert signup.status == Status.CONFIRMED


def test_a_members_only_shift_turns_a_sign_up_into_a_request(
    volunteer: Any, org_admin: Any, org_member: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(visibility=Visibility.MEMBERS)
    [request] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    assert request.status == Status.REQUESTED
    assert _taken(shift) == 0
    assert org_admin.notifications.filter(topic="shifts_requested").exists()
    [member_signup] = services.shifts_sign_up(volunteer=org_member, shifts=[shift])
    assert member_signup.status == Status.CONFIRMED
    approved = services.signup_decide(actor=org_admin, signup=request, approve=True)
    assert approved.status == Status.CONFIRMED
    assert _taken(shift) == 2


def test_only_the_organisation_decides_requests(
    volunteer: Any, second_volunteer: Any, coordinator: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(visibility=Visibility.MEMBERS)
    [request] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    for outsider in (second_volunteer, coordinator):
        with pytest.raises(PermissionDenied):
            services.signup_decide(actor=outsider, signup=request, approve=True)


def test_a_declined_request_says_why(volunteer: Any, org_admin: Any, make_shift: MakeShift) -> None:
    shift = make_shift(visibility=Visibility.MEMBERS)
    [request] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.signup_decide(
        actor=org_admin, signup=request, approve=False, reason="Nur für Vereinsmitglieder."
    )
    request.refresh_from_db()
    assert request.status == Status.DECLINED
    notice = volunteer.notifications.get(topic="shifts_request_decided")
    assert "Nur für Vereinsmitglieder." in notice.body


# --- waitlist -------------------------------------------------------------------------------


def test_a_full_shift_puts_people_on_the_waitlist_or_refuses_without_it(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(capacity=1)
    services.shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
    with pytest.raises(ValidationError, match="is full"):
        services.shifts_sign_up(volunteer=volunteer, shifts=[shift], waitlist=False)
    [waiting] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    assert waiting.status == Status.WAITLISTED
    assert _taken(shift) == 1


def test_a_freed_place_is_offered_to_the_first_on_the_waitlist_until_a_deadline(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    third = make_user("tina.third@example.org", first_name="Tina")
    with time_machine.travel(berlin(2030, 3, 1, 10), tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 10, 9), capacity=1)
        [holder] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
        [first] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    with time_machine.travel(berlin(2030, 3, 1, 11), tick=False):
        [later] = services.shifts_sign_up(volunteer=third, shifts=[shift])
        services.signup_cancel(actor=second_volunteer, signup=holder)
    first.refresh_from_db()
    later.refresh_from_db()
    assert first.status == Status.OFFERED
    assert first.offer_expires_at == berlin(2030, 3, 1, 23)  # 12 hours to confirm
    assert later.status == Status.WAITLISTED
    assert _taken(shift) == 1  # the offered place is held
    offer_mail = _mails_to(volunteer)[-1]  # urgent: mailed at once, not in the digest
    assert "kept for you until" in offer_mail.body_text or "bis" in offer_mail.body_text


def test_an_offer_not_confirmed_in_time_goes_to_the_next_person(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    third = make_user("tina.third@example.org", first_name="Tina")
    with time_machine.travel(berlin(2030, 3, 1, 10), tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 10, 9), capacity=1)
        [holder] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
        [first] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
        [second] = services.shifts_sign_up(volunteer=third, shifts=[shift])
        services.signup_cancel(actor=second_volunteer, signup=holder)
    with time_machine.travel(berlin(2030, 3, 1, 21, 59), tick=False):
        assert services.offers_expire() == 0
    with time_machine.travel(berlin(2030, 3, 1, 22, 1), tick=False):
        assert services.offers_expire() == 1
        assert services.offers_expire() == 0  # a second run changes nothing
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.EXPIRED
    assert second.status == Status.OFFERED
    assert _taken(shift) == 1
    with (
        time_machine.travel(berlin(2030, 3, 1, 22, 5), tick=False),
        pytest.raises(ValidationError, match="not offered"),
    ):
        services.signup_offer_confirm(actor=volunteer, signup=first)


def test_confirming_an_offer_in_time_makes_the_place_yours(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(berlin(2030, 3, 1, 10), tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 10, 9), capacity=1)
        [holder] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
        [waiting] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
        services.signup_cancel(actor=second_volunteer, signup=holder)
    with time_machine.travel(berlin(2030, 3, 1, 12), tick=False):
        with pytest.raises(PermissionDenied):
            services.signup_offer_confirm(actor=second_volunteer, signup=waiting)
        confirmed = services.signup_offer_confirm(actor=volunteer, signup=waiting)
    assert confirmed.status == Status.CONFIRMED
    assert confirmed.offer_expires_at is None
    assert _taken(shift) == 1


def test_confirming_after_the_deadline_before_the_job_ran_passes_the_place_on(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    third = make_user("tina.third@example.org", first_name="Tina")
    with time_machine.travel(berlin(2030, 3, 1, 10), tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 10, 9), capacity=1)
        [holder] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
        [waiting] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
        [next_one] = services.shifts_sign_up(volunteer=third, shifts=[shift])
        services.signup_cancel(actor=second_volunteer, signup=holder)
    with (
        time_machine.travel(berlin(2030, 3, 2, 10), tick=False),
        pytest.raises(ValidationError, match="time to confirm"),
    ):
        services.signup_offer_confirm(actor=volunteer, signup=waiting)
    waiting.refresh_from_db()
    next_one.refresh_from_db()
    assert waiting.status == Status.EXPIRED
    assert next_one.status == Status.OFFERED


def test_a_bigger_party_keeps_its_place_in_the_queue_while_a_smaller_one_fits(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    third = make_user("tina.third@example.org", first_name="Tina")
    shift = make_shift(capacity=2)
    [holder] = services.shifts_sign_up(volunteer=third, shifts=[shift])
    services.shifts_sign_up(volunteer=make_user("x@example.org"), shifts=[shift])
    [big] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift], party_size=2)
    [small] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
    services.signup_cancel(actor=third, signup=holder)
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.status == Status.WAITLISTED
    assert small.status == Status.OFFERED


def test_an_offer_never_outlasts_the_start_of_the_shift(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(berlin(2030, 3, 10, 1), tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 10, 9), capacity=1)
        [holder] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
        [waiting] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
        services.signup_cancel(actor=second_volunteer, signup=holder, message="Krank.")
    waiting.refresh_from_db()
    assert waiting.offer_expires_at == berlin(2030, 3, 10, 9)


# --- cancelling -----------------------------------------------------------------------------


def test_cancelling_before_the_deadline_needs_no_message(
    volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(berlin(2030, 3, 1, 10), tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 10, 9))
        [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    with time_machine.travel(berlin(2030, 3, 9, 8, 59), tick=False):
        cancelled = services.signup_cancel(actor=volunteer, signup=signup)
    assert cancelled.status == Status.CANCELLED
    assert _taken(shift) == 0
    assert AuditEvent.objects.filter(action="signup.cancelled").exists()


def test_cancelling_after_the_deadline_needs_a_message_for_the_organisation(
    volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(berlin(2030, 3, 1, 10), tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 10, 9))
        [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    with time_machine.travel(berlin(2030, 3, 9, 9, 1), tick=False):
        with pytest.raises(ValidationError, match="short message"):
            services.signup_cancel(actor=volunteer, signup=signup)
        signup.refresh_from_db()
        assert signup.status == Status.CONFIRMED
        services.signup_cancel(actor=volunteer, signup=signup, message="Mein Kind ist krank.")
    assert AuditEvent.objects.filter(action="signup.cancelled_late").exists()
    # The organisers hear at once (urgent), with the message.
    [notice] = _mails_to(org_admin)
    assert "Mein Kind ist krank." in notice.body_text


def test_nobody_cancels_somebody_elses_place_or_a_shift_that_has_begun(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(berlin(2030, 3, 1, 10), tick=False):
        shift = make_shift(starts_at=berlin(2030, 3, 10, 9))
        [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
        with pytest.raises(PermissionDenied):
            services.signup_cancel(actor=second_volunteer, signup=signup)
    with (
        time_machine.travel(berlin(2030, 3, 10, 9, 30), tick=False),
        pytest.raises(ValidationError, match="already begun"),
    ):
        services.signup_cancel(actor=volunteer, signup=signup, message="zu spät")


# --- the organisation: assign, move, swap ---------------------------------------------------


def test_the_organisation_assigns_people_it_knows_only(
    volunteer: Any, org_admin: Any, org_member: Any, shift: Shift
) -> None:
    with pytest.raises(ValidationError, match="Only members"):
        services.signup_assign(actor=org_admin, shift=shift, volunteer=volunteer)
    signup = services.signup_assign(actor=org_admin, shift=shift, volunteer=org_member)
    assert signup.status == Status.CONFIRMED
    assert signup.assigned_by == org_admin
    assert _taken(shift) == 1
    with pytest.raises(PermissionDenied):
        services.signup_assign(actor=volunteer, shift=shift, volunteer=org_member)


def test_assigning_to_a_full_shift_is_refused(
    org_admin: Any, org_member: Any, volunteer: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(capacity=1)
    services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    with pytest.raises(ValidationError, match="no free place"):
        services.signup_assign(actor=org_admin, shift=shift, volunteer=org_member)
    assert _taken(shift) == 1


def test_moving_a_helper_frees_the_old_place_for_the_waitlist(
    volunteer: Any, second_volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    monday = make_shift(starts_at=berlin(2030, 3, 4, 9), capacity=1)
    tuesday = make_shift(starts_at=berlin(2030, 3, 5, 9), capacity=1)
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[monday])
    [waiting] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[monday])
    moved = services.signup_move(actor=org_admin, signup=signup, to_shift=tuesday)
    assert moved.shift == tuesday
    assert moved.status == Status.CONFIRMED
    signup.refresh_from_db()
    waiting.refresh_from_db()
    assert signup.status == Status.CANCELLED
    assert waiting.status == Status.OFFERED
    assert (_taken(monday), _taken(tuesday)) == (1, 1)
    assert AuditEvent.objects.filter(action="signup.moved").exists()


def test_swapping_two_helpers_keeps_both_shifts_filled(
    volunteer: Any, second_volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    monday = make_shift(starts_at=berlin(2030, 3, 4, 9), capacity=1)
    tuesday = make_shift(starts_at=berlin(2030, 3, 5, 9), capacity=1)
    [a] = services.shifts_sign_up(volunteer=volunteer, shifts=[monday])
    [b] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[tuesday])
    a_new, b_new = services.signups_swap(actor=org_admin, first=a, second=b)
    assert (a_new.shift, a_new.volunteer) == (tuesday, volunteer)
    assert (b_new.shift, b_new.volunteer) == (monday, second_volunteer)
    assert (_taken(monday), _taken(tuesday)) == (1, 1)


def test_a_swap_that_would_overbook_is_refused_and_changes_nothing(
    volunteer: Any, second_volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    monday = make_shift(starts_at=berlin(2030, 3, 4, 9), capacity=1)
    tuesday = make_shift(starts_at=berlin(2030, 3, 5, 9), capacity=3)
    [a] = services.shifts_sign_up(volunteer=volunteer, shifts=[monday])
    [b] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[tuesday], party_size=2)
    with pytest.raises(ValidationError, match="no free place"):
        services.signups_swap(actor=org_admin, first=a, second=b)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.CONFIRMED, Status.CONFIRMED)
    assert (_taken(monday), _taken(tuesday)) == (1, 2)


def test_the_database_refuses_an_overbooked_shift(shift: Shift) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.filter(pk=shift.pk).update(taken=shift.capacity + 1)


def test_the_database_refuses_a_second_live_sign_up_of_the_same_person(
    volunteer: Any, shift: Shift
) -> None:
    services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    with pytest.raises(IntegrityError), transaction.atomic():
        Signup.objects.create(shift=shift, volunteer=volunteer, status=Status.WAITLISTED)


def test_the_shift_moment_is_written_in_berlin_time(make_shift: MakeShift) -> None:
    winter = make_shift(starts_at=berlin(2030, 1, 8, 9), hours=3)
    summer = make_shift(starts_at=berlin(2030, 7, 9, 9), hours=3)
    assert services.when(winter).endswith("09:00–12:00")
    assert services.when(summer).endswith("09:00–12:00")
    overnight = make_shift(starts_at=berlin(2030, 7, 9, 22), hours=4)
    assert "22:00" in services.when(overnight)
    assert "02:00" in services.when(overnight)
    assert winter.starts_at + timedelta(hours=3) == winter.ends_at


# --- found in review ------------------------------------------------------------------------


def test_two_shifts_at_the_same_time_chosen_together_clash(
    volunteer: Any, make_shift: MakeShift
) -> None:
    counter = make_shift(starts_at=berlin(2030, 3, 4, 9), task="Theke")
    kitchen = make_shift(starts_at=berlin(2030, 3, 4, 9), task="Küche")
    with pytest.raises(ValidationError, match="clashes"):
        services.shifts_sign_up(volunteer=volunteer, shifts=[counter, kitchen])


def test_more_than_fifty_shifts_in_one_step_are_refused(volunteer: Any, shift: Shift) -> None:
    with pytest.raises(ValidationError, match="at most 50"):
        services.shifts_sign_up(volunteer=volunteer, shifts=[shift] * 51)


def test_a_reason_with_a_percent_sign_is_passed_on_as_written(
    volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(visibility=Visibility.MEMBERS)
    [request] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.signup_decide(
        actor=org_admin, signup=request, approve=False, reason="Zu 100% belegt %(task)s"
    )
    notice = volunteer.notifications.get(topic="shifts_request_decided")
    assert notice.body.endswith("Zu 100% belegt %(task)s")


def test_a_request_for_a_shift_that_has_begun_cannot_be_approved(
    volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(starts_at=berlin(2030, 3, 4, 9), visibility=Visibility.MEMBERS)
    with time_machine.travel(berlin(2030, 3, 1, 9), tick=False):
        [request] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    with (
        time_machine.travel(berlin(2030, 3, 4, 10), tick=False),
        pytest.raises(ValidationError, match="already begun"),
    ):
        services.signup_decide(actor=org_admin, signup=request, approve=True)
    assert _taken(shift) == 0


def test_an_approved_request_queues_behind_people_already_waiting(
    volunteer: Any, second_volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(capacity=1, visibility=Visibility.MEMBERS)
    member = make_user("m2@example.org", first_name="Mo")
    from gemeinsinn.actors import services as actor_services

    actor_services.membership_add(
        actor=None, organisation=shift.organisation, user=member, role="member"
    )
    [_holder] = services.shifts_sign_up(volunteer=member, shifts=[shift])
    [request] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.signup_decide(actor=org_admin, signup=request, approve=True)
    request.refresh_from_db()
    assert request.status == Status.WAITLISTED


def test_a_helper_cannot_be_moved_off_a_shift_that_has_begun(
    volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    running = make_shift(starts_at=berlin(2030, 3, 4, 9))
    later = make_shift(starts_at=berlin(2030, 3, 11, 9))
    with time_machine.travel(berlin(2030, 3, 1, 9), tick=False):
        [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[running])
    with (
        time_machine.travel(berlin(2030, 3, 4, 10), tick=False),
        pytest.raises(ValidationError, match="has begun"),
    ):
        services.signup_move(actor=org_admin, signup=signup, to_shift=later)
    signup.refresh_from_db()
    assert signup.status == Status.CONFIRMED


def test_a_swap_of_parties_of_different_sizes_offers_the_freed_place(
    volunteer: Any, second_volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    monday = make_shift(starts_at=berlin(2030, 3, 4, 9), capacity=3)
    tuesday = make_shift(starts_at=berlin(2030, 3, 5, 9), capacity=3)
    [big] = services.shifts_sign_up(volunteer=volunteer, shifts=[monday], party_size=3)
    [small] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[tuesday])
    waiting_person = make_user("w@example.org", first_name="Wanda")
    [waiting] = services.shifts_sign_up(volunteer=waiting_person, shifts=[monday])
    services.signups_swap(actor=org_admin, first=big, second=small)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert (_taken(monday), _taken(tuesday)) == (2, 3)


def test_cancelling_mails_a_calendar_entry_that_removes_the_shift(
    volunteer: Any, shift: Shift
) -> None:
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.signup_cancel(actor=volunteer, signup=signup)
    [confirmation] = [
        m
        for m in _mails_to(volunteer)
        if m.attachments and "STATUS:CANCELLED" in m.attachments[0]["content"]
    ]
    assert shift.task in confirmation.subject


def test_one_broken_offer_does_not_keep_the_others_places_held(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift, monkeypatch: Any
) -> None:
    offered = []
    with time_machine.travel(berlin(2030, 3, 1, 10), tick=False):
        for day in (10, 11):
            shift = make_shift(starts_at=berlin(2030, 3, day, 9), capacity=1)
            [holder] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
            [waiting] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
            services.signup_cancel(actor=second_volunteer, signup=holder)
            offered.append(waiting)
    real = services._expire_one
    calls = {"n": 0}

    def flaky(signup: Signup, shift: Shift, moment: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("disk full")
        real(signup, shift, moment)

    monkeypatch.setattr(services, "_expire_one", flaky)
    with time_machine.travel(berlin(2030, 3, 2, 10), tick=False):
        assert services.offers_expire() == 1
    statuses = sorted(Signup.objects.get(pk=s.pk).status for s in offered)
    assert statuses == [Status.EXPIRED, Status.OFFERED]


def test_a_declined_request_does_not_make_somebody_a_known_helper(
    volunteer: Any, org_admin: Any, make_shift: MakeShift
) -> None:
    members_only = make_shift(visibility=Visibility.MEMBERS)
    open_shift = make_shift(starts_at=berlin(2030, 3, 4, 9))
    [request] = services.shifts_sign_up(volunteer=volunteer, shifts=[members_only])
    services.signup_decide(actor=org_admin, signup=request, approve=False)
    with pytest.raises(ValidationError, match="Only members"):
        services.signup_assign(actor=org_admin, shift=open_shift, volunteer=volunteer)


def test_mailed_calendar_entries_count_changes_as_the_private_feed_does(
    volunteer: Any, shift: Shift
) -> None:
    import icalendar

    from gemeinsinn.shifts.selectors.feeds import person_feed_items

    def mailed_sequence() -> int:
        mail = [m for m in _mails_to(volunteer) if m.attachments][-1]
        calendar = icalendar.Calendar.from_ical(mail.attachments[-1]["content"])
        [event] = calendar.walk("VEVENT")
        return int(str(event["SEQUENCE"]))

    def feed_revision() -> int:
        [item] = person_feed_items(user=volunteer)
        return shift.sequence + item.revision

    [first] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    assert mailed_sequence() == feed_revision() == 0
    services.signup_cancel(actor=volunteer, signup=first)
    assert mailed_sequence() == feed_revision() == 1
    services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    assert mailed_sequence() == feed_revision() == 2
