"""Shift plans of the demo: weekly services of regular opportunities and one town festival,
with sign-ups in every state, answered reminders and recorded attendance.

Shifts are written as rows at every scale: the planning services refuse first days in the past,
and the demo wants weeks of history (attended shifts, no-shows) next to the weeks ahead. The
dates come from the same recurrence expansion the services use (public holidays of the Land
left out), and `Shift.taken` is set from the sign-ups written, so the counter holds exactly as
the services keep it. A town that has shift plans already is left alone, so a second run adds
nothing.

The demo volunteer has upcoming confirmed shifts at the demo Tafel, a place on a waitlist and
attended shifts in the past; the Tafel's plan has a full shift with a waitlist.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gemeinsinn.demo.generate.exchange import demo_organisation, demo_volunteer, draw_public_id
from gemeinsinn.demo.generate.run import DemoRun, batches
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.shifts.models import (
    AttendanceEvent,
    Shift,
    ShiftPlan,
    ShiftSeries,
    Signup,
    Visibility,
    new_token,
)
from gemeinsinn.shifts.recurrence import Weekly, expand_weekly, public_holidays, weekday_bits

# Weeks of history and of plan around the day of the load.
WEEKS_BACK = 6
WEEKS_AHEAD = 10
STARTS = (time(9), time(14), time(17, 30))
FESTIVAL_TASKS = (
    "Aufbau",
    "Getränkestand",
    "Kinderschminken",
    "Info-Stand",
    "Kuchenverkauf",
    "Abbau",
)
ATTENDANCE = (("attended", 85), ("no_show", 10), ("", 5))


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def generate(run: DemoRun) -> None:
    if not run.scale.shifts:
        return
    rng = run.rng("shifts")
    per_town = max(run.scale.shifts // max(len(run.places), 1), 1)
    progress = run.progress("Shifts", len(run.places))
    for info in run.places:
        town = info.municipality
        if not ShiftPlan.objects.filter(municipality=town).exists():
            with transaction.atomic():
                _town(run, rng, town, per_town)
        progress.advance()


def _listings(town: Any, demo_org: int | None) -> list[tuple[int, int, str, str]]:
    """(opportunity, organisation, title, place) of live regular listings, the demo Tafel first."""
    rows = list(
        Opportunity.objects.filter(
            municipality=town,
            status=Opportunity.Status.PUBLISHED,
            kind="regular",
            organisation__status="published",
        )
        .order_by("pk")
        .values_list("pk", "organisation_id", "title", "organisation__street")
    )
    rows.sort(key=lambda r: (r[1] != demo_org, r[0]))
    return rows


def _town(run: DemoRun, rng: random.Random, town: Any, budget: int) -> None:
    demo_org = demo_organisation(run)
    people = run.volunteers.get(town.pk, [])
    if not people:
        return
    today = run.today
    first = today - timedelta(weeks=WEEKS_BACK)
    last = today + timedelta(weeks=WEEKS_AHEAD)
    state = town.state.code if town.state_id else None
    free_days = public_holidays(state_code=state, years=range(first.year, last.year + 1))
    plans: list[ShiftPlan] = []
    series_rows: list[tuple[ShiftSeries, Weekly]] = []
    listings = _listings(town, demo_org)
    if not listings:
        return
    plan_of: dict[int, ShiftPlan] = {}
    made = 0
    # Round after round over the listings (a plan gets a second and third series, e.g. a
    # morning and an evening service) until the town's share of shifts is planned.
    for index in range(10 * len(listings)):
        if made >= budget:
            break
        opportunity, organisation, title, street = listings[index % len(listings)]
        plan = plan_of.get(opportunity)
        if plan is None:
            plan = ShiftPlan(
                public_id=draw_public_id(rng),
                municipality=town,
                organisation_id=organisation,
                opportunity_id=opportunity,
                title=title[:200],
                place=street or "",
            )
            plan_of[opportunity] = plan
            plans.append(plan)
        days = rng.sample(range(6), k=rng.choice((1, 2, 2, 3)))
        start = STARTS[(index // len(listings)) % len(STARTS)]
        minutes = rng.choice((120, 150, 180, 240))
        rule = Weekly(
            weekdays=weekday_bits(days),
            interval_weeks=1,
            starts_on=first,
            until=last,
            start_time=start,
            duration_minutes=minutes,
        )
        series = ShiftSeries(
            public_id=draw_public_id(rng),
            plan=plan,
            task=title[:200],
            place=street or "",
            capacity=rng.choice((2, 3, 4, 4, 6)),
            visibility=Visibility.PUBLIC if rng.random() > 0.1 else Visibility.MEMBERS,
            weekdays=rule.weekdays,
            interval_weeks=1,
            starts_on=first,
            until=last,
            start_time=start,
            duration_minutes=minutes,
        )
        series_rows.append((series, rule))
        made += len(expand_weekly(rule, holiday_dates=free_days).occurrences)
    if not plans:
        return
    festival = _festival_plan(rng, town, plans[0], today)
    ShiftPlan.objects.bulk_create([*plans, festival], batch_size=run.batch_size)
    for series, _rule in series_rows:
        series.plan_id = series.plan.pk
    ShiftSeries.objects.bulk_create([s for s, _ in series_rows], batch_size=run.batch_size)
    shifts: list[Shift] = []
    for series, rule in series_rows:
        for occurrence in expand_weekly(rule, holiday_dates=free_days).occurrences:
            shifts.append(
                Shift(
                    public_id=draw_public_id(rng),
                    municipality=town,
                    organisation_id=series.plan.organisation_id,
                    plan_id=series.plan_id,
                    series_id=series.pk,
                    occurrence_date=occurrence.day,
                    task=series.task,
                    place=series.place,
                    starts_at=occurrence.starts_at,
                    ends_at=occurrence.ends_at,
                    capacity=series.capacity,
                    visibility=series.visibility,
                    checkin_token=new_token(),
                )
            )
    shifts.extend(_festival_shifts(rng, town, festival, today))
    for batch in batches(shifts, run.batch_size):
        Shift.objects.bulk_create(batch)
    run.created["shift plans"] += len(plans) + 1
    run.created["shifts"] += len(shifts)
    _sign_ups(run, rng, shifts, people, demo_org)


def _festival_plan(rng: random.Random, town: Any, first: ShiftPlan, today: date) -> ShiftPlan:
    return ShiftPlan(
        public_id=draw_public_id(rng),
        municipality=town,
        organisation_id=first.organisation_id,
        title=f"Stadtfest {today.year}",
        description="Helferinnen und Helfer für unser Fest auf dem Marktplatz.",
        place="Marktplatz",
    )


def _festival_shifts(rng: random.Random, town: Any, plan: ShiftPlan, today: date) -> list[Shift]:
    from gemeinsinn.shifts.recurrence import shift_times

    day = today + timedelta(days=(5 - today.weekday()) % 7 + 14)  # a Saturday in 2–3 weeks
    made = []
    for index, task in enumerate(FESTIVAL_TASKS):
        starts_at, ends_at = shift_times(day, time(8 + 2 * index), 180)
        made.append(
            Shift(
                public_id=draw_public_id(rng),
                municipality=town,
                organisation_id=plan.organisation_id,
                plan_id=plan.pk,
                task=task,
                place="Marktplatz",
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=rng.choice((2, 4, 6)),
                checkin_token=new_token(),
            )
        )
    return made


def _sign_ups(
    run: DemoRun, rng: random.Random, shifts: list[Shift], people: list[int], demo_org: int | None
) -> None:
    now = timezone.now()
    me = demo_volunteer()
    taken: dict[int, int] = defaultdict(int)
    signups: list[Signup] = []
    mine = {"past": 0, "ahead": 0, "waiting": 0}
    for shift in shifts:
        past = shift.ends_at < now
        # Most shifts are partly filled; some are full with a waitlist.
        wanted = rng.randint(0, shift.capacity + 1)
        helpers = [p for p in rng.sample(people, k=min(wanted, len(people))) if p != me]
        if me is not None and shift.organisation_id == demo_org:
            # The demo volunteer: three attended shifts, three ahead, one on a waitlist.
            if past and mine["past"] < 3 and rng.random() < 0.3:
                helpers.insert(0, me)
                mine["past"] += 1
            elif not past and mine["ahead"] < 3 and shift.starts_at > now + timedelta(days=3):
                helpers.insert(0, me)
                mine["ahead"] += 1
            elif not past and not mine["waiting"] and len(helpers) >= shift.capacity:
                helpers.append(me)
                mine["waiting"] += 1
        for person in helpers:
            signup = Signup(
                public_id=draw_public_id(rng),
                shift_id=shift.pk,
                volunteer_id=person,
                party_size=1,
            )
            if taken[shift.pk] < shift.capacity:
                signup.status = Signup.Status.CONFIRMED
                taken[shift.pk] += 1
                if past:
                    signup.attendance = "attended" if person == me else _weighted(rng, ATTENDANCE)
                    if signup.attendance == "attended":
                        signup.checked_in_at = shift.starts_at
                elif shift.starts_at - now < timedelta(hours=48) and rng.random() < 0.6:
                    signup.response = Signup.Response.COMING
                    signup.responded_at = now
            elif past:
                continue
            else:
                signup.status = Signup.Status.WAITLISTED
                signup.waitlisted_at = now - timedelta(hours=rng.randint(1, 200))
            signups.append(signup)
    for rows in batches(signups, run.batch_size):
        Signup.objects.bulk_create(rows)
    by_taken: dict[int, list[int]] = defaultdict(list)
    for shift_id, count in taken.items():
        by_taken[count].append(shift_id)
    for count, ids in by_taken.items():
        for chunk in batches(ids, run.batch_size):
            Shift.objects.filter(pk__in=chunk).update(taken=count)
    shift_by_pk = {s.pk: s for s in shifts}
    events = [
        AttendanceEvent(
            signup_id=s.pk,
            volunteer_id=s.volunteer_id,
            organisation_id=shift_by_pk[s.shift_id].organisation_id,
            shift_id=s.shift_id,
            started_at=shift_by_pk[s.shift_id].starts_at,
            duration_minutes=shift_by_pk[s.shift_id].duration_minutes,
            recorded_at=shift_by_pk[s.shift_id].ends_at,
        )
        for s in signups
        if s.attendance == "attended"
    ]
    for made in batches(events, run.batch_size):
        AttendanceEvent.objects.bulk_create(made)
    run.created["shift sign-ups"] += len(signups)
    run.created["attended shifts"] += len(events)
