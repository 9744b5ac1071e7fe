"""Plan, series and shift services: creating, "this and all following", ending, one shift on
its own, cancelling, and who may do it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from conftest import make_user
from gemeinsinn.accounts.models import Notification
from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.shifts.models import (
    WEEKDAY_BITS,
    Requirement,
    Shift,
    ShiftPlan,
    ShiftSeries,
    Signup,
)
from gemeinsinn.shifts.services import plans as services
from gemeinsinn.shifts.services.plans import SeriesSpec, ShiftFields
from gemeinsinn.shifts.services.signups import shifts_sign_up
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English (the installation writes German)."""
    with translation.override("en"):
        yield


MON, TUE, WED, THU, FRI, SAT, SUN = WEEKDAY_BITS
Status = Signup.Status


@pytest.fixture(autouse=True)
def _new_year_2027() -> Iterator[None]:
    with time_machine.travel(berlin(2027, 1, 1, 10), tick=False):
        yield


def spec(**overrides: Any) -> SeriesSpec:
    shift = overrides.pop("shift", None) or ShiftFields(task="Ausgabe", capacity=3, place="Theke")
    values: dict[str, Any] = {
        "shift": shift,
        "start_time": time(9, 0),
        "duration_minutes": 180,
        "weekdays": MON | WED,
        "until": date(2027, 1, 31),
        "skip_holidays": True,
    }
    values.update(overrides)
    return SeriesSpec(**values)


def make_series(actor: Any, plan: ShiftPlan, **overrides: Any) -> ShiftSeries:
    starts_on = overrides.pop("starts_on", date(2027, 1, 4))
    outcome = services.series_create(
        actor=actor, plan=plan, starts_on=starts_on, spec=spec(**overrides)
    )
    assert outcome.series is not None
    return outcome.series


def shifts_of(series: ShiftSeries) -> list[Shift]:
    return list(Shift.objects.filter(series=series).order_by("occurrence_date"))


def on(series: ShiftSeries, day: date) -> Shift:
    return Shift.objects.get(series=series, occurrence_date=day)


def local_times(shift: Shift) -> tuple[time, time]:
    return (
        timezone.localtime(shift.starts_at).time(),
        timezone.localtime(shift.ends_at).time(),
    )


def news(user: Any, topic: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, topic=topic).order_by("pk"))


# --- creating -------------------------------------------------------------------------------


def test_a_series_makes_a_shift_for_every_day_with_requirements_and_without_holidays(
    org_admin: Any, shift_plan: ShiftPlan, organisation: Any
) -> None:
    briefing = Requirement.objects.create(organisation=organisation, name="Hygiene")
    outcome = services.series_create(
        actor=org_admin,
        plan=shift_plan,
        starts_on=date(2027, 1, 4),
        spec=spec(shift=ShiftFields(task="Ausgabe", capacity=3, requirements=(briefing,))),
    )
    series = outcome.series
    assert series is not None
    made = shifts_of(series)
    # Mondays and Wednesdays of January 2027; 6 January is Epiphany in Bavaria.
    assert [s.occurrence_date for s in made] == [
        date(2027, 1, 4),
        date(2027, 1, 11),
        date(2027, 1, 13),
        date(2027, 1, 18),
        date(2027, 1, 20),
        date(2027, 1, 25),
        date(2027, 1, 27),
    ]
    assert outcome.created == 7
    assert outcome.holidays == (
        (date(2027, 1, 6), "Epiphany"),
    )  # holiday names follow the active language
    assert all(local_times(s) == (time(9), time(12)) for s in made)
    assert all(list(s.requirements.all()) == [briefing] for s in made)
    assert list(series.requirements.all()) == [briefing]
    assert {s.organisation_id for s in made} == {organisation.pk}
    event = AuditEvent.objects.get(action="shift_series.created")
    assert event.data["shifts"] == 7


def test_a_series_across_the_spring_clock_change_keeps_its_wall_clock_time(
    org_admin: Any, shift_plan: ShiftPlan
) -> None:
    series = make_series(
        org_admin,
        shift_plan,
        weekdays=SAT | SUN,
        starts_on=date(2027, 3, 27),
        until=date(2027, 3, 28),
    )
    saturday, sunday = shifts_of(series)
    assert local_times(saturday) == local_times(sunday) == (time(9), time(12))
    assert sunday.starts_at - saturday.starts_at == timedelta(hours=23)


def test_a_series_in_the_past_or_without_any_day_is_refused(
    org_admin: Any, shift_plan: ShiftPlan
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_series(org_admin, shift_plan, starts_on=date(2026, 12, 28))
    assert "starts_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_series(
            org_admin, shift_plan, weekdays=WED, starts_on=date(2027, 1, 6), until=date(2027, 1, 6)
        )
    assert "weekdays" in caught.value.message_dict  # only Epiphany, a holiday
    assert not ShiftSeries.objects.exists()


def test_people_of_another_organisation_or_town_may_not_organise(
    shift_plan: ShiftPlan, other_organisation: Any, other_coordinator: Any, volunteer: Any
) -> None:
    stranger = make_user("fremd@example.org")
    actor_services.membership_add(
        actor=None, organisation=other_organisation, user=stranger, role="admin"
    )
    for person in (stranger, other_coordinator, volunteer):
        with pytest.raises(PermissionDenied):
            make_series(person, shift_plan)
    assert not Shift.objects.exists()


def test_the_towns_coordination_office_may_organise(
    coordinator: Any, shift_plan: ShiftPlan
) -> None:
    assert shifts_of(make_series(coordinator, shift_plan))


def test_a_plans_opportunity_must_be_the_organisations_own(
    org_admin: Any, organisation: Any, other_organisation: Any
) -> None:
    foreign = Opportunity.objects.create(
        municipality=other_organisation.municipality,
        organisation=other_organisation,
        title="Fremd",
        description="x",
        expires_on=date(2027, 6, 1),
    )
    with pytest.raises(ValidationError) as caught:
        services.plan_create(
            actor=org_admin, organisation=organisation, title="Sommerfest", opportunity=foreign
        )
    assert "opportunity" in caught.value.message_dict
    plan = services.plan_create(actor=org_admin, organisation=organisation, title=" Sommerfest ")
    assert plan.title == "Sommerfest"
    assert plan.municipality_id == organisation.municipality_id


# --- this and all following -----------------------------------------------------------------


def test_this_and_following_changes_later_shifts_and_leaves_earlier_and_detached_ones_alone(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any, second_volunteer: Any
) -> None:
    series = make_series(org_admin, shift_plan)
    earlier = on(series, date(2027, 1, 11))
    detached = on(series, date(2027, 1, 20))
    services.shift_update(
        actor=org_admin,
        shift=detached,
        day=date(2027, 1, 20),
        start_time=time(14),
        duration_minutes=60,
        fields=ShiftFields(task="Sonderausgabe", capacity=3),
    )
    later = on(series, date(2027, 1, 18))
    shifts_sign_up(volunteer=volunteer, shifts=[later])
    shifts_sign_up(volunteer=second_volunteer, shifts=[earlier])

    outcome = services.series_update_following(
        actor=org_admin,
        series=series,
        from_date=date(2027, 1, 13),
        changes=spec(
            shift=ShiftFields(task="Ausgabe", capacity=3, place="Hintereingang"),
            start_time=time(10, 30),
            duration_minutes=120,
        ),
    )

    assert outcome.changed == 4  # 13, 18, 25, 27 January; the 20th is detached
    later.refresh_from_db()
    assert local_times(later) == (time(10, 30), time(12, 30))
    assert later.place == "Hintereingang"
    assert later.sequence == 1
    earlier.refresh_from_db()
    assert local_times(earlier) == (time(9), time(12))
    assert earlier.place == "Theke"
    assert earlier.sequence == 0
    detached.refresh_from_db()
    assert detached.task == "Sonderausgabe"
    assert local_times(detached) == (time(14), time(15))
    series.refresh_from_db()
    assert series.start_time == time(10, 30)
    assert series.place == "Hintereingang"
    # The helper of the changed shift hears, at once and with the calendar entry…
    [told] = news(volunteer, "shifts_changed")
    assert "10:30" in told.body
    assert "Hintereingang" in told.body
    # …the helper of the earlier one does not.
    assert news(second_volunteer, "shifts_changed") == []
    assert AuditEvent.objects.filter(action="shift_series.updated").count() == 1


def test_this_and_following_refuses_fewer_places_than_people_hold(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any, second_volunteer: Any
) -> None:
    series = make_series(org_admin, shift_plan)
    busy = on(series, date(2027, 1, 18))
    shifts_sign_up(volunteer=volunteer, shifts=[busy])
    shifts_sign_up(volunteer=second_volunteer, shifts=[busy])
    with pytest.raises(ValidationError) as caught:
        services.series_update_following(
            actor=org_admin,
            series=series,
            from_date=date(2027, 1, 4),
            changes=spec(shift=ShiftFields(task="Ausgabe", capacity=1, place="Theke")),
        )
    assert "18.01.2027" in caught.value.message_dict["capacity"][0]
    assert set(Shift.objects.values_list("capacity", flat=True)) == {3}


def test_this_and_following_with_more_places_offers_them_to_the_waitlist(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any, second_volunteer: Any
) -> None:
    series = make_series(org_admin, shift_plan, shift=ShiftFields(task="Ausgabe", capacity=1))
    full = on(series, date(2027, 1, 18))
    shifts_sign_up(volunteer=volunteer, shifts=[full])
    [waiting] = shifts_sign_up(volunteer=second_volunteer, shifts=[full])
    assert waiting.status == Status.WAITLISTED
    services.series_update_following(
        actor=org_admin,
        series=series,
        from_date=date(2027, 1, 11),
        changes=spec(shift=ShiftFields(task="Ausgabe", capacity=2)),
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    full.refresh_from_db()
    assert (full.capacity, full.taken) == (2, 2)


def test_new_weekdays_split_the_series_keep_shared_days_and_tell_people_on_dropped_ones(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any, second_volunteer: Any
) -> None:
    series = make_series(org_admin, shift_plan)
    kept = on(series, date(2027, 1, 18))  # a Monday: stays
    dropped_busy = on(series, date(2027, 1, 20))  # a Wednesday: goes, somebody signed up
    dropped_empty_pk = on(series, date(2027, 1, 27)).pk
    [kept_signup] = shifts_sign_up(volunteer=volunteer, shifts=[kept])
    [dropped_signup] = shifts_sign_up(volunteer=second_volunteer, shifts=[dropped_busy])

    outcome = services.series_update_following(
        actor=org_admin,
        series=series,
        from_date=date(2027, 1, 14),
        changes=spec(weekdays=MON | FRI),
    )

    new = outcome.series
    assert new is not None
    assert new.pk != series.pk
    series.refresh_from_db()
    assert series.until == date(2027, 1, 13)
    # The new series starts on its first shift, whose week counts its weeks from now on.
    assert new.starts_on == date(2027, 1, 15)
    assert new.weekdays == MON | FRI
    assert [s.occurrence_date for s in shifts_of(new)] == [
        date(2027, 1, 15),
        date(2027, 1, 18),
        date(2027, 1, 22),
        date(2027, 1, 25),
        date(2027, 1, 29),
    ]
    # The Monday keeps its helper, now in the new series; nobody lost a place.
    kept.refresh_from_db()
    assert kept.series_id == new.pk
    kept_signup.refresh_from_db()
    assert kept_signup.status == Status.CONFIRMED
    # The dropped Wednesday with a helper is cancelled and she is told; the empty one leaves the
    # series, cancelled, so calendars that subscribed drop it.
    dropped_busy.refresh_from_db()
    assert dropped_busy.status == Shift.Status.CANCELLED
    dropped_signup.refresh_from_db()
    assert dropped_signup.status == Status.CANCELLED
    assert news(second_volunteer, "shifts_shift_cancelled")
    dropped_empty = Shift.objects.get(pk=dropped_empty_pk)
    assert (dropped_empty.status, dropped_empty.series) == (Shift.Status.CANCELLED, None)
    # Earlier shifts stay with the old series.
    assert [s.occurrence_date for s in shifts_of(series)] == [
        date(2027, 1, 4),
        date(2027, 1, 11),
        date(2027, 1, 13),
        date(2027, 1, 20),  # cancelled, kept for the record
    ]
    assert (outcome.created, outcome.deleted, outcome.cancelled) == (3, 1, 1)


def test_a_new_rule_before_the_series_begins_changes_it_in_place(
    org_admin: Any, shift_plan: ShiftPlan
) -> None:
    series = make_series(org_admin, shift_plan, starts_on=date(2027, 1, 11))
    outcome = services.series_update_following(
        actor=org_admin,
        series=series,
        from_date=date(2027, 1, 11),
        changes=spec(weekdays=TUE, until=date(2027, 1, 19)),
    )
    assert outcome.series is not None
    assert outcome.series.pk == series.pk
    assert [s.occurrence_date for s in shifts_of(series)] == [date(2027, 1, 12), date(2027, 1, 19)]
    assert ShiftSeries.objects.count() == 1


def test_changes_cannot_reach_back_before_today(org_admin: Any, shift_plan: ShiftPlan) -> None:
    series = make_series(org_admin, shift_plan)
    with pytest.raises(ValidationError) as caught:
        services.series_update_following(
            actor=org_admin, series=series, from_date=date(2026, 12, 31), changes=spec()
        )
    assert "from_date" in caught.value.message_dict


# --- ending a series ------------------------------------------------------------------------


def test_ending_a_series_deletes_empty_later_shifts_and_cancels_those_with_people(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any
) -> None:
    series = make_series(org_admin, shift_plan)
    busy = on(series, date(2027, 1, 25))
    shifts_sign_up(volunteer=volunteer, shifts=[busy])
    outcome = services.series_end(actor=org_admin, series=series, after_date=date(2027, 1, 18))
    assert (outcome.deleted, outcome.cancelled, outcome.told) == (2, 1, 1)
    series.refresh_from_db()
    assert series.until == date(2027, 1, 18)
    busy.refresh_from_db()
    assert busy.status == Shift.Status.CANCELLED
    assert [s.occurrence_date for s in shifts_of(series)] == [
        date(2027, 1, 4),
        date(2027, 1, 11),
        date(2027, 1, 13),
        date(2027, 1, 18),
        date(2027, 1, 25),
    ]
    [told] = news(volunteer, "shifts_shift_cancelled")
    assert "18.01.2027" in told.body


def test_ending_a_series_before_it_begins_removes_it(org_admin: Any, shift_plan: ShiftPlan) -> None:
    series = make_series(org_admin, shift_plan, starts_on=date(2027, 1, 11))
    services.series_end(actor=org_admin, series=series, after_date=date(2027, 1, 1))
    assert not ShiftSeries.objects.exists()
    assert not Shift.objects.filter(status=Shift.Status.SCHEDULED).exists()


def test_ending_after_the_last_day_is_refused(org_admin: Any, shift_plan: ShiftPlan) -> None:
    series = make_series(org_admin, shift_plan)
    with pytest.raises(ValidationError) as caught:
        services.series_end(actor=org_admin, series=series, after_date=date(2027, 1, 31))
    assert "after_date" in caught.value.message_dict


# --- one shift ------------------------------------------------------------------------------


def test_changing_one_shift_detaches_it_raises_its_sequence_and_tells_its_helpers(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any
) -> None:
    series = make_series(org_admin, shift_plan)
    shift = on(series, date(2027, 1, 18))
    shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.shift_update(
        actor=org_admin,
        shift=shift,
        day=date(2027, 1, 19),
        start_time=time(8),
        duration_minutes=240,
        fields=ShiftFields(task="Ausgabe", capacity=3, place="Theke"),
    )
    shift.refresh_from_db()
    assert shift.detached
    assert shift.sequence == 1
    assert shift.occurrence_date == date(2027, 1, 18)  # still stands for the series day
    assert timezone.localtime(shift.starts_at) == berlin(2027, 1, 19, 8)
    [told] = news(volunteer, "shifts_changed")
    assert "Ausgabe" in told.subject
    assert "08:00" in told.body
    assert AuditEvent.objects.filter(action="shift.updated").count() == 1


def test_a_new_start_time_gets_its_reminders_again(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any
) -> None:
    from gemeinsinn.shifts.models import Reminder

    series = make_series(org_admin, shift_plan)
    shift = on(series, date(2027, 1, 18))
    [signup] = shifts_sign_up(volunteer=volunteer, shifts=[shift])
    Reminder.objects.create(signup=signup, hours_before=48, sent_at=timezone.now())
    services.shift_update(
        actor=org_admin,
        shift=shift,
        day=date(2027, 1, 18),
        start_time=time(9),
        duration_minutes=180,
        fields=ShiftFields(task="Ausgabe neu", capacity=3, place="Theke"),
    )
    assert Reminder.objects.filter(signup=signup).count() == 1  # the time stayed
    services.shift_update(
        actor=org_admin,
        shift=shift,
        day=date(2027, 1, 25),
        start_time=time(9),
        duration_minutes=180,
        fields=ShiftFields(task="Ausgabe neu", capacity=3, place="Theke"),
    )
    assert not Reminder.objects.filter(signup=signup).exists()


def test_an_unchanged_shift_is_not_detached_nor_announced(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any
) -> None:
    series = make_series(org_admin, shift_plan)
    shift = on(series, date(2027, 1, 18))
    shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.shift_update(
        actor=org_admin,
        shift=shift,
        day=date(2027, 1, 18),
        start_time=time(9),
        duration_minutes=180,
        fields=ShiftFields(task="Ausgabe", capacity=3, place="Theke"),
    )
    shift.refresh_from_db()
    assert (shift.detached, shift.sequence) == (False, 0)
    assert news(volunteer, "shifts_changed") == []


def test_fewer_places_than_people_hold_are_refused_naming_how_many(
    org_admin: Any, shift: Shift, volunteer: Any, second_volunteer: Any
) -> None:
    shifts_sign_up(volunteer=volunteer, shifts=[shift], party_size=2)
    shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
    start = timezone.localtime(shift.starts_at)
    with pytest.raises(ValidationError) as caught:
        services.shift_update(
            actor=org_admin,
            shift=shift,
            day=start.date(),
            start_time=start.time(),
            duration_minutes=180,
            fields=ShiftFields(task="Ausgabe", capacity=2, place="Theke"),
        )
    message = caught.value.message_dict["capacity"][0]
    assert "2 people hold 3 places" in message
    shift.refresh_from_db()
    assert shift.capacity == 3


def test_more_places_on_one_shift_go_to_the_waitlist(
    org_admin: Any, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    shift = make_shift(capacity=1)
    shifts_sign_up(volunteer=volunteer, shifts=[shift])
    [waiting] = shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
    start = timezone.localtime(shift.starts_at)
    services.shift_update(
        actor=org_admin,
        shift=shift,
        day=start.date(),
        start_time=start.time(),
        duration_minutes=180,
        fields=ShiftFields(task="Ausgabe", capacity=2, place="Theke"),
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert news(second_volunteer, "shifts_offered")


def test_a_single_shift_is_created_in_the_plan(org_admin: Any, shift_plan: ShiftPlan) -> None:
    shift = services.shift_create(
        actor=org_admin,
        plan=shift_plan,
        day=date(2027, 2, 1),
        start_time=time(22),
        duration_minutes=8 * 60,
        fields=ShiftFields(task="Nachtwache", capacity=2),
    )
    assert shift.series is None
    assert timezone.localtime(shift.ends_at) == berlin(2027, 2, 2, 6)
    with pytest.raises(ValidationError) as caught:
        services.shift_create(
            actor=org_admin,
            plan=shift_plan,
            day=date(2026, 12, 31),
            start_time=time(9),
            duration_minutes=60,
            fields=ShiftFields(task="Zu spät", capacity=2),
        )
    assert "day" in caught.value.message_dict


def test_a_requirement_of_another_organisation_is_refused(
    org_admin: Any, shift_plan: ShiftPlan, other_organisation: Any
) -> None:
    foreign = Requirement.objects.create(organisation=other_organisation, name="Fremd")
    with pytest.raises(ValidationError) as caught:
        make_series(
            org_admin, shift_plan, shift=ShiftFields(task="A", capacity=1, requirements=(foreign,))
        )
    assert "requirements" in caught.value.message_dict


# --- cancelling -----------------------------------------------------------------------------


def test_cancelling_a_shift_tells_every_helper_and_frees_the_places(
    org_admin: Any, make_shift: MakeShift, volunteer: Any, second_volunteer: Any
) -> None:
    shift = make_shift(capacity=1)
    shifts_sign_up(volunteer=volunteer, shifts=[shift])
    shifts_sign_up(volunteer=second_volunteer, shifts=[shift])  # waitlisted
    with pytest.raises(ValidationError) as caught:
        services.shift_cancel(actor=org_admin, shift=shift, reason=" ")
    assert "reason" in caught.value.message_dict
    told = services.shift_cancel(actor=org_admin, shift=shift, reason="Die Halle ist gesperrt.")
    assert told == 2
    shift.refresh_from_db()
    assert (shift.status, shift.taken, shift.sequence) == (Shift.Status.CANCELLED, 0, 1)
    assert set(Signup.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    for person in (volunteer, second_volunteer):
        [message] = news(person, "shifts_shift_cancelled")
        assert "Die Halle ist gesperrt." in message.body
    with pytest.raises(ValidationError):
        services.shift_cancel(actor=org_admin, shift=shift, reason="again")


def test_a_shift_without_helpers_is_cancelled_without_a_reason(
    org_admin: Any, shift: Shift
) -> None:
    assert services.shift_cancel(actor=org_admin, shift=shift) == 0
    assert AuditEvent.objects.filter(action="shift.cancelled").count() == 1


def test_archiving_a_plan_cancels_its_coming_shifts_and_tells_their_helpers(
    org_admin: Any, shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any
) -> None:
    coming = make_shift()
    shifts_sign_up(volunteer=volunteer, shifts=[coming])
    assert services.plan_archive(actor=org_admin, plan=shift_plan) == 1
    shift_plan.refresh_from_db()
    assert shift_plan.is_archived
    coming.refresh_from_db()
    assert coming.status == Shift.Status.CANCELLED
    with pytest.raises(ValidationError):
        make_series(org_admin, shift_plan)


def test_a_new_plan_place_is_news_for_helpers_of_shifts_without_their_own_place(
    org_admin: Any, shift_plan: ShiftPlan, make_shift: MakeShift, volunteer: Any
) -> None:
    shift = make_shift()
    Shift.objects.filter(pk=shift.pk).update(place="")
    shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.plan_update(
        actor=org_admin, plan=shift_plan, title=shift_plan.title, place="Gemeindehaus"
    )
    [told] = news(volunteer, "shifts_changed")
    assert "Gemeindehaus" in told.body
    shift.refresh_from_db()
    assert shift.sequence == 1


def test_changing_a_fortnightly_series_from_an_off_week_keeps_its_weeks(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any
) -> None:
    series = make_series(
        org_admin, shift_plan, weekdays=MON, interval_weeks=2, until=date(2027, 3, 1)
    )
    assert [s.occurrence_date for s in shifts_of(series)][:3] == [
        date(2027, 1, 4),
        date(2027, 1, 18),
        date(2027, 2, 1),
    ]
    kept = on(series, date(2027, 1, 18))
    shifts_sign_up(volunteer=volunteer, shifts=[kept])
    # On Monday 11 January, an off week, the organiser only moves the last day.
    outcome = services.series_update_following(
        actor=org_admin,
        series=series,
        from_date=date(2027, 1, 11),
        changes=spec(weekdays=MON, interval_weeks=2, until=date(2027, 4, 12)),
    )
    days = {
        day
        for day in Shift.objects.filter(plan=shift_plan, status="scheduled").values_list(
            "occurrence_date", flat=True
        )
        if day is not None
    }
    assert date(2027, 1, 11) not in days
    assert date(2027, 1, 25) not in days
    # 29 March 2027 is Easter Monday: left out; 12 April is the new last day.
    assert {date(2027, 1, 18), date(2027, 2, 1), date(2027, 4, 12)} <= days
    assert outcome.cancelled == 0
    kept.refresh_from_db()
    assert kept.status == "scheduled"
    assert kept.signups.filter(status="confirmed").exists()


def test_moving_a_shift_earlier_never_holds_an_offered_place_past_the_new_start(
    org_admin: Any, shift_plan: ShiftPlan, volunteer: Any, second_volunteer: Any
) -> None:
    from gemeinsinn.shifts.services.signups import signup_cancel

    series = make_series(org_admin, shift_plan)
    shift = on(series, date(2027, 1, 18))
    shift.capacity = 1
    shift.save(update_fields=["capacity"])
    [holder] = shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
    [waiting] = shifts_sign_up(volunteer=volunteer, shifts=[shift])
    with time_machine.travel(berlin(2027, 1, 11, 10), tick=False):
        signup_cancel(actor=second_volunteer, signup=holder)
        waiting.refresh_from_db()
        assert waiting.offer_expires_at == berlin(2027, 1, 11, 22)
        services.shift_update(
            actor=org_admin,
            shift=shift,
            day=date(2027, 1, 11),
            start_time=time(18),
            duration_minutes=120,
            fields=ShiftFields(task="Ausgabe", capacity=1, place="Theke"),
        )
    waiting.refresh_from_db()
    assert waiting.offer_expires_at == berlin(2027, 1, 11, 18)
