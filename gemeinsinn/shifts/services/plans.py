"""Shift plans, recurring series and single shifts: create, change, end, cancel.

Decisions taken here:

- "This and all following" changes every shift of a series from a date on that has not begun,
  is not cancelled and was not edited on its own (`detached`); earlier shifts stay as they were.
- Changing when a series recurs (weekdays, interval, last day, holidays, left-out dates) from a
  date on ends the series the day before and continues with a new series from that date (a
  series that has not begun yet is changed in place). Shifts on days both rules share move to
  the new series with their helpers; a shift on a day the new rule drops is deleted when nobody
  holds or waits for a place, and cancelled otherwise, so the people are told.
- Ending a series removes its later shifts the same way, those edited on their own included:
  the confirmation page says how many shifts and people that touches.
- Archiving a plan cancels its shifts that have not begun, telling their helpers.
- Fewer places than people already hold are refused, on one shift and on a series alike (all
  or nothing); more places go to the waitlist at once.
- Every change a calendar must pick up raises the shift's SEQUENCE. The helpers hear about
  changes of time, place, task or description, with the new calendar entry where a place is
  theirs; a new time or place is urgent news.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gemeinsinn.accounts.notifications import news_language
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.audit import audit_record
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.shifts import recurrence
from gemeinsinn.shifts.models import (
    Reminder,
    Requirement,
    Shift,
    ShiftPlan,
    ShiftSeries,
    Signup,
    Visibility,
)
from gemeinsinn.shifts.services.signups import (
    notify_volunteer,
    signups_release_for_cancelled_shift,
    waitlist_promote,
    when,
)

MAX_CAPACITY = 1000
# Fields of a shift that a calendar entry shows: a change raises SEQUENCE and tells helpers.
EVENT_FIELDS = ("task", "description", "place", "starts_at", "ends_at")
URGENT_FIELDS = ("place", "starts_at", "ends_at")
SHIFT_FIELDS = (
    "task",
    "description",
    "place",
    "capacity",
    "visibility",
    "starts_at",
    "ends_at",
    "detached",
    "series",
)


@dataclass(frozen=True)
class ShiftFields:
    """What a shift is about, shared by single shifts, series and templates."""

    task: str
    capacity: int
    description: str = ""
    place: str = ""
    visibility: str = Visibility.PUBLIC
    requirements: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class SeriesSpec:
    """A series as the organiser describes it: the shifts, their time and the weekly rule."""

    shift: ShiftFields
    start_time: time
    duration_minutes: int
    weekdays: int
    until: date
    interval_weeks: int = 1
    skip_holidays: bool = True
    exceptions: frozenset[date] = field(default_factory=frozenset)

    def rule(self, starts_on: date, anchor: date | None = None) -> recurrence.Weekly:
        return recurrence.Weekly(
            anchor=anchor,
            weekdays=self.weekdays,
            interval_weeks=self.interval_weeks,
            starts_on=starts_on,
            until=self.until,
            start_time=self.start_time,
            duration_minutes=self.duration_minutes,
            skip_holidays=self.skip_holidays,
            exceptions=self.exceptions,
        )


@dataclass
class SeriesOutcome:
    """What a series service did, for the organiser's message."""

    series: ShiftSeries | None
    created: int = 0
    changed: int = 0
    deleted: int = 0
    cancelled: int = 0
    told: int = 0
    holidays: tuple[tuple[date, str], ...] = ()
    exceptions: tuple[date, ...] = ()


# --- helpers --------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _today(moment: datetime) -> date:
    return timezone.localdate(moment)


def holiday_language() -> str:
    """Holiday names in the reader's language where the `holidays` package has it."""
    return "de" if (translation.get_language() or "de").startswith("de") else "en_US"


def require_organiser(actor: Any, organisation: Organisation) -> None:
    """Refuse anybody who may not organise the organisation's shifts."""
    if actor is None or not actor.has_perm("shifts.organise", organisation):
        raise PermissionDenied(
            _("Only the organisation's members and the coordination office organise its shifts.")
        )


def _day(value: date) -> str:
    return date_format(value, "d.m.Y")


def clean_shift_fields(*, organisation: Organisation, fields: ShiftFields) -> ShiftFields:
    """The fields trimmed, or a ValidationError naming what to change."""
    errors: dict[str, str] = {}
    task = fields.task.strip()
    if not task:
        errors["task"] = _("Say what the helpers do, e.g. “counter” or “set-up”.")
    if not 1 <= fields.capacity <= MAX_CAPACITY:
        errors["capacity"] = _("A shift has between 1 and %(max)d places.") % {"max": MAX_CAPACITY}
    if fields.visibility not in Visibility.values:
        errors["visibility"] = _("Choose who may see the shift.")
    if any(r.organisation_id != organisation.pk for r in fields.requirements):
        errors["requirements"] = _("Choose only requirements of this organisation.")
    if errors:
        raise ValidationError(errors)
    return replace(
        fields, task=task, description=fields.description.strip(), place=fields.place.strip()
    )


def _plan_open(plan: ShiftPlan) -> None:
    if plan.is_archived:
        raise ValidationError(
            _("The plan “%(title)s” is archived: its shifts cannot be changed.")
            % {"title": plan.title}
        )


def _lock_plan(plan: ShiftPlan) -> ShiftPlan:
    return (
        ShiftPlan.objects.select_for_update(of=("self",))
        .select_related("municipality", "municipality__state", "organisation")
        .get(pk=plan.pk)
    )


def _lock_plan_row(plan_id: int) -> None:
    """Lock the plan first: series and shift edits then never race an archive of the plan
    (always plan, then series, then shifts)."""
    list(ShiftPlan.objects.select_for_update().filter(pk=plan_id).values_list("pk", flat=True))


def _lock_series(series: ShiftSeries) -> ShiftSeries:
    _lock_plan_row(series.plan_id)
    return (
        ShiftSeries.objects.select_for_update(of=("self",))
        .select_related(
            "plan", "plan__municipality", "plan__municipality__state", "plan__organisation"
        )
        .get(pk=series.pk)
    )


def _lock_shift(shift: Shift) -> Shift:
    _lock_plan_row(shift.plan_id)
    return (
        Shift.objects.select_for_update(of=("self",))
        .select_related("organisation", "municipality", "plan")
        .get(pk=shift.pk)
    )


def _set_requirements(shift_ids: Sequence[int], requirements: Iterable[Requirement]) -> None:
    """Give these shifts exactly these requirements, in two queries whatever their number."""
    through = Shift.requirements.through
    through.objects.filter(shift_id__in=list(shift_ids)).delete()
    through.objects.bulk_create(
        [through(shift_id=s, requirement_id=r.pk) for s in shift_ids for r in requirements]
    )


def _new_shift(
    plan: ShiftPlan,
    fields: ShiftFields,
    starts_at: datetime,
    ends_at: datetime,
    *,
    series: ShiftSeries | None = None,
    occurrence_date: date | None = None,
) -> Shift:
    return Shift(
        municipality=plan.municipality,
        organisation=plan.organisation,
        plan=plan,
        series=series,
        occurrence_date=occurrence_date,
        task=fields.task,
        description=fields.description,
        place=fields.place,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=fields.capacity,
        visibility=fields.visibility,
    )


def create_shifts(shifts: list[Shift], requirements: Iterable[Requirement]) -> list[Shift]:
    """Save new shifts with their requirements in a fixed number of queries."""
    if not shifts:
        return []
    made = Shift.objects.bulk_create(shifts, batch_size=250)
    _set_requirements([s.pk for s in made], list(requirements))
    return made


def _apply(shift: Shift, fields: ShiftFields, starts_at: datetime, ends_at: datetime) -> set[str]:
    """Set the fields on the shift; returns the names of those that changed."""
    new = {
        "task": fields.task,
        "description": fields.description,
        "place": fields.place,
        "capacity": fields.capacity,
        "visibility": fields.visibility,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    changed = {name for name, value in new.items() if getattr(shift, name) != value}
    for name in changed:
        setattr(shift, name, new[name])
    return changed


def _capacity_problem(shift: Shift, capacity: int) -> str | None:
    if capacity >= shift.taken:
        return None
    return _("%(day)s: %(places)d places held") % {
        "day": _day(timezone.localtime(shift.starts_at).date()),
        "places": shift.taken,
    }


def _tell_about_changes(
    changes: dict[int, tuple[Shift, set[str], str]], *, organisation: Organisation
) -> int:
    """Tell the live helpers of changed shifts what changed; returns how many were told.

    `changes` maps a shift id to the changed shift, its changed field names and its former
    "when" text.
    """
    relevant = {pk: c for pk, c in changes.items() if c[1] & set(EVENT_FIELDS)}
    if not relevant:
        return 0
    # A new start time gets its reminders again: the ones sent were about the old time.
    moved = [pk for pk, c in relevant.items() if "starts_at" in c[1]]
    if moved:
        Reminder.objects.filter(signup__shift_id__in=moved).delete()
        # A place offered from the waitlist is never held past the (new) start.
        for pk in moved:
            Signup.objects.filter(
                shift_id=pk,
                status=Signup.Status.OFFERED,
                offer_expires_at__gt=relevant[pk][0].starts_at,
            ).update(offer_expires_at=relevant[pk][0].starts_at)
    live = Signup.objects.filter(
        shift_id__in=list(relevant), status__in=Signup.LIVE
    ).select_related("volunteer")
    told = 0
    for signup in live:
        shift, changed, old_when = relevant[signup.shift_id]
        signup.shift = shift
        holds = signup.status in Signup.HOLDING
        # News is written in the installation's language: the recipient's is not known.
        with news_language():
            lines = [
                _("%(organisation)s changed the shift %(task)s.")
                % {"organisation": organisation.name, "task": shift.task}
            ]
            if changed & {"starts_at", "ends_at"}:
                lines.append(
                    _("New time: %(when)s (before: %(old)s).")
                    % {"when": when(shift), "old": old_when}
                )
            else:
                lines.append(_("When: %(when)s.") % {"when": when(shift)})
            if "place" in changed:
                lines.append(
                    _("New place: %(place)s.") % {"place": shift.place or shift.plan.place or "–"}
                )
            if "description" in changed and shift.description:
                lines.append(shift.description)
            if holds:
                lines.append(_("The updated calendar entry is attached."))
            notify_volunteer(
                signup,
                topic="shifts_changed",
                subject=_("Shift changed: %(task)s") % {"task": shift.task},
                body=" ".join(lines),
                urgent=bool(changed & set(URGENT_FIELDS)),
                with_calendar=holds,
            )
        told += 1
    return told


def _cancel_locked(actor: Any, shift: Shift, reason: str) -> int:
    """Cancel a locked shift and release its sign-ups; returns how many people were told."""
    shift.status = Shift.Status.CANCELLED
    shift.sequence += 1
    shift.save(update_fields=["status", "sequence", "updated_at"])
    return signups_release_for_cancelled_shift(actor=actor, shift=shift, reason=reason)


def _remove_or_cancel(actor: Any, shifts: Sequence[Shift], reason: str) -> tuple[int, int, int]:
    """Take shifts out of the plan: cancel those with people (telling them); those nobody
    holds or waits for leave their series and are marked cancelled without news, so
    subscribed calendars drop them (ADR 0017) instead of keeping a ghost entry.

    Returns (removed quietly, cancelled with people, told).
    """
    if not shifts:
        return 0, 0, 0
    with_people = set(
        Signup.objects.filter(
            shift_id__in=[s.pk for s in shifts], status__in=Signup.LIVE
        ).values_list("shift_id", flat=True)
    )
    empty = [s.pk for s in shifts if s.pk not in with_people]
    told = 0
    for shift in shifts:
        if shift.pk in with_people:
            told += _cancel_locked(actor, shift, reason)
    if empty:
        Shift.objects.filter(pk__in=empty).update(
            status=Shift.Status.CANCELLED,
            series=None,
            occurrence_date=None,
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
    return len(empty), len(with_people), told


# --- plans ----------------------------------------------------------------------------------


def _check_opportunity(organisation: Organisation, opportunity: Opportunity | None) -> None:
    if opportunity is not None and opportunity.organisation_id != organisation.pk:
        raise ValidationError(
            {"opportunity": _("Choose one of the organisation's own opportunities.")}
        )


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the plan a title, e.g. “Food bank counter”.")})
    return title


def plan_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    description: str = "",
    place: str = "",
    opportunity: Opportunity | None = None,
) -> ShiftPlan:
    """Start a plan of shifts for an organisation (an event, or an opportunity's service)."""
    require_organiser(actor, organisation)
    _check_opportunity(organisation, opportunity)
    with transaction.atomic():
        plan = ShiftPlan.objects.create(
            municipality=organisation.municipality,
            organisation=organisation,
            opportunity=opportunity,
            title=_clean_title(title),
            description=description.strip(),
            place=place.strip(),
        )
        audit_record(
            actor=actor,
            action="shift_plan.created",
            target=plan,
            municipality=plan.municipality,
        )
    return plan


def plan_update(
    *,
    actor: Any,
    plan: ShiftPlan,
    title: str,
    description: str = "",
    place: str = "",
    opportunity: Opportunity | None = None,
    now: datetime | None = None,
) -> ShiftPlan:
    """Change a plan's title, description, place or opportunity.

    Shifts without a place of their own take the plan's: when it changes, their helpers hear.
    """
    moment = _now(now)
    with transaction.atomic():
        locked = _lock_plan(plan)
        require_organiser(actor, locked.organisation)
        _plan_open(locked)
        _check_opportunity(locked.organisation, opportunity)
        new_place = place.strip()
        place_changed = new_place != locked.place
        locked.title = _clean_title(title)
        locked.description = description.strip()
        locked.place = new_place
        locked.opportunity = opportunity
        locked.save(update_fields=["title", "description", "place", "opportunity", "updated_at"])
        told = 0
        if place_changed:
            affected = list(
                Shift.objects.select_for_update(of=("self",))
                .filter(plan=locked, place="", status=Shift.Status.SCHEDULED, starts_at__gt=moment)
                .select_related("organisation", "municipality")
                .order_by("pk")
            )
            for shift in affected:
                shift.plan = locked
                shift.sequence += 1
                shift.updated_at = moment
            Shift.objects.bulk_update(affected, ["sequence", "updated_at"], batch_size=250)
            told = _tell_about_changes(
                {s.pk: (s, {"place"}, when(s)) for s in affected},
                organisation=locked.organisation,
            )
        audit_record(
            actor=actor,
            action="shift_plan.updated",
            target=locked,
            municipality=locked.municipality,
            data={"told": told} if told else None,
        )
    return locked


def plan_archive(
    *, actor: Any, plan: ShiftPlan, reason: str = "", now: datetime | None = None
) -> int:
    """Archive a plan, cancelling its shifts that have not begun; returns how many were told."""
    moment = _now(now)
    with transaction.atomic():
        locked = _lock_plan(plan)
        require_organiser(actor, locked.organisation)
        if locked.is_archived:
            raise ValidationError(_("This plan is already archived."))
        upcoming = list(
            Shift.objects.select_for_update(of=("self",))
            .filter(plan=locked, status=Shift.Status.SCHEDULED, starts_at__gt=moment)
            .select_related("organisation", "municipality")
            .order_by("pk")
        )
        reason = reason.strip() or _("The plan “%(title)s” has ended.") % {"title": locked.title}
        told = 0
        for shift in upcoming:
            shift.plan = locked
            told += _cancel_locked(actor, shift, reason)
        locked.is_archived = True
        locked.save(update_fields=["is_archived", "updated_at"])
        audit_record(
            actor=actor,
            action="shift_plan.archived",
            target=locked,
            municipality=locked.municipality,
            data={"cancelled": len(upcoming), "told": told},
        )
    return told


# --- series ---------------------------------------------------------------------------------


def _expand(series_plan: ShiftPlan, rule: recurrence.Weekly) -> recurrence.Expansion:
    return recurrence.expand_weekly(
        rule, state_code=series_plan.municipality.state.code, language=holiday_language()
    )


def _store_exceptions(exceptions: Iterable[date]) -> list[str]:
    return [d.isoformat() for d in sorted(set(exceptions))]


def _no_shifts(expansion: recurrence.Expansion) -> ValidationError:
    return ValidationError(
        {
            "weekdays": _(
                "These days give no shift: none of the chosen weekdays falls between the first "
                "and the last day (holidays and left-out dates taken away)."
            )
        }
    )


def series_create(
    *,
    actor: Any,
    plan: ShiftPlan,
    starts_on: date,
    spec: SeriesSpec,
    now: datetime | None = None,
) -> SeriesOutcome:
    """Create recurring shifts: the series and every shift it stands for."""
    moment = _now(now)
    with transaction.atomic():
        locked = _lock_plan(plan)
        require_organiser(actor, locked.organisation)
        _plan_open(locked)
        fields = clean_shift_fields(organisation=locked.organisation, fields=spec.shift)
        if starts_on < _today(moment):
            raise ValidationError({"starts_on": _("The first day lies in the past.")})
        expansion = _expand(locked, spec.rule(starts_on))
        if not expansion.occurrences:
            raise _no_shifts(expansion)
        series = ShiftSeries.objects.create(
            plan=locked,
            task=fields.task,
            description=fields.description,
            place=fields.place,
            capacity=fields.capacity,
            visibility=fields.visibility,
            weekdays=spec.weekdays,
            interval_weeks=spec.interval_weeks,
            starts_on=starts_on,
            until=spec.until,
            start_time=spec.start_time,
            duration_minutes=spec.duration_minutes,
            skip_holidays=spec.skip_holidays,
            exceptions=_store_exceptions(spec.exceptions),
        )
        series.requirements.set(fields.requirements)
        made = create_shifts(
            [
                _new_shift(
                    locked,
                    fields,
                    o.starts_at,
                    o.ends_at,
                    series=series,
                    occurrence_date=o.day,
                )
                for o in expansion.occurrences
            ],
            fields.requirements,
        )
        audit_record(
            actor=actor,
            action="shift_series.created",
            target=series,
            municipality=locked.municipality,
            data={
                "plan": str(locked.public_id),
                "shifts": len(made),
                "holidays_left_out": [d.isoformat() for d, _name in expansion.holidays],
            },
        )
    return SeriesOutcome(
        series=series,
        created=len(made),
        holidays=expansion.holidays,
        exceptions=expansion.exceptions,
    )


def _pattern_of(series: ShiftSeries) -> tuple[Any, ...]:
    return (
        series.weekdays,
        series.interval_weeks,
        series.until,
        series.skip_holidays,
        recurrence.parse_exceptions(series.exceptions),
    )


def _pattern_of_spec(spec: SeriesSpec) -> tuple[Any, ...]:
    return (spec.weekdays, spec.interval_weeks, spec.until, spec.skip_holidays, spec.exceptions)


def _write_series(series: ShiftSeries, fields: ShiftFields, spec: SeriesSpec) -> None:
    series.task = fields.task
    series.description = fields.description
    series.place = fields.place
    series.capacity = fields.capacity
    series.visibility = fields.visibility
    series.start_time = spec.start_time
    series.duration_minutes = spec.duration_minutes
    series.weekdays = spec.weekdays
    series.interval_weeks = spec.interval_weeks
    series.until = spec.until
    series.skip_holidays = spec.skip_holidays
    series.exceptions = _store_exceptions(spec.exceptions)


class _Changes:
    """Collects what an edit does to a series' shifts before anything is written."""

    def __init__(self) -> None:
        self.changed: dict[int, tuple[Shift, set[str], str]] = {}
        self.raised: list[Shift] = []
        self.capacity_problems: list[str] = []
        self.requirements_changed: list[int] = []

    def update(
        self,
        shift: Shift,
        fields: ShiftFields,
        spec: SeriesSpec,
        requirement_ids: set[int],
        *,
        relink: ShiftSeries | None = None,
    ) -> None:
        day = shift.occurrence_date or timezone.localtime(shift.starts_at).date()
        starts_at, ends_at = recurrence.shift_times(day, spec.start_time, spec.duration_minutes)
        if problem := _capacity_problem(shift, fields.capacity):
            self.capacity_problems.append(problem)
        old_when = when(shift)
        old_capacity = shift.capacity
        changed = _apply(shift, fields, starts_at, ends_at)
        if {r.pk for r in shift.requirements.all()} != requirement_ids:
            self.requirements_changed.append(shift.pk)
            changed.add("requirements")
        if relink is not None and shift.series_id != relink.pk:
            shift.series = relink
        if changed:
            shift.sequence += 1
            shift.updated_at = timezone.now()
            self.changed[shift.pk] = (shift, changed, old_when)
        if shift.capacity > old_capacity:
            self.raised.append(shift)

    def check(self) -> None:
        if self.capacity_problems:
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "On %(count)d shift more places are held than the new number of places "
                        "(%(list)s). Lower it after helpers have cancelled or moved, or change "
                        "that shift on its own.",
                        "On %(count)d shifts more places are held than the new number of places "
                        "(%(list)s). Lower it after helpers have cancelled or moved, or change "
                        "those shifts on their own.",
                        len(self.capacity_problems),
                    )
                    % {
                        "count": len(self.capacity_problems),
                        "list": "; ".join(self.capacity_problems[:10]),
                    }
                }
            )

    def write(
        self, shifts: Sequence[Shift], requirements: Sequence[Requirement], moment: datetime
    ) -> None:
        if shifts:
            Shift.objects.bulk_update(
                list(shifts), [*SHIFT_FIELDS, "sequence", "updated_at"], batch_size=250
            )
        if self.requirements_changed:
            _set_requirements(self.requirements_changed, requirements)
        waiting = set(
            Signup.objects.filter(
                shift__in=[s.pk for s in self.raised], status=Signup.Status.WAITLISTED
            ).values_list("shift_id", flat=True)
        )
        for shift in self.raised:
            if shift.pk in waiting:
                waitlist_promote(shift=shift, now=moment)


def _lock_series_shifts(series: ShiftSeries, from_date: date) -> list[Shift]:
    return list(
        Shift.objects.select_for_update(of=("self",))
        .filter(series=series, occurrence_date__gte=from_date)
        .select_related("organisation", "municipality", "plan")
        .prefetch_related("requirements")
        .order_by("pk")
    )


def _editable(shift: Shift, moment: datetime) -> bool:
    return (
        not shift.detached and shift.status == Shift.Status.SCHEDULED and shift.starts_at > moment
    )


def series_update_following(
    *,
    actor: Any,
    series: ShiftSeries,
    from_date: date,
    changes: SeriesSpec,
    now: datetime | None = None,
) -> SeriesOutcome:
    """Change a series from a date on ("this and all following"), see the module's decisions."""
    moment = _now(now)
    with transaction.atomic():
        locked = _lock_series(series)
        plan = locked.plan
        require_organiser(actor, plan.organisation)
        _plan_open(plan)
        fields = clean_shift_fields(organisation=plan.organisation, fields=changes.shift)
        if from_date < _today(moment):
            raise ValidationError(
                {"from_date": _("Changes apply from today on; past shifts stay as they were.")}
            )
        if changes.until < from_date:
            raise ValidationError(
                {"until": _("The last day lies before the day the change applies from.")}
            )
        recurrence.validate_weekly(changes.rule(from_date))
        if _pattern_of(locked) != _pattern_of_spec(changes):
            outcome = _reshape(actor, locked, from_date, fields, changes, moment)
        else:
            outcome = _update_in_place(locked, from_date, fields, changes, moment)
        audit_record(
            actor=actor,
            action="shift_series.updated",
            target=outcome.series or locked,
            municipality=plan.municipality,
            data={
                "from": from_date.isoformat(),
                "series": str(locked.public_id),
                "changed": outcome.changed,
                "created": outcome.created,
                "deleted": outcome.deleted,
                "cancelled": outcome.cancelled,
                "told": outcome.told,
            },
        )
    return outcome


def _update_in_place(
    series: ShiftSeries,
    from_date: date,
    fields: ShiftFields,
    spec: SeriesSpec,
    moment: datetime,
) -> SeriesOutcome:
    shifts = [s for s in _lock_series_shifts(series, from_date) if _editable(s, moment)]
    required = {r.pk for r in fields.requirements}
    work = _Changes()
    for shift in shifts:
        work.update(shift, fields, spec, required)
    work.check()
    _write_series(series, fields, spec)
    series.save()
    series.requirements.set(fields.requirements)
    changed = [c[0] for c in work.changed.values()]
    work.write(changed, fields.requirements, moment)
    told = _tell_about_changes(work.changed, organisation=series.plan.organisation)
    return SeriesOutcome(series=series, changed=len(changed), told=told)


def _reshape(
    actor: Any,
    old: ShiftSeries,
    from_date: date,
    fields: ShiftFields,
    spec: SeriesSpec,
    moment: datetime,
) -> SeriesOutcome:
    """A new rule of days from `from_date` on: split the series (or change it in place when it
    has not begun by then), carry over the shifts on shared days, remove the others."""
    plan = old.plan
    in_place = from_date <= old.starts_on
    # Every n weeks keeps counting the series' own weeks, whatever day the change starts on.
    expansion = _expand(plan, spec.rule(from_date, anchor=None if in_place else old.starts_on))
    if not expansion.occurrences:
        raise _no_shifts(expansion)
    existing = _lock_series_shifts(old, from_date)
    if in_place:
        target = old
        _write_series(target, fields, spec)
        target.starts_on = from_date
        target.save()
    else:
        old.until = min(old.until, from_date - timedelta(days=1))
        old.save(update_fields=["until", "updated_at"])
        # Its first shift's week anchors the count of weeks for later changes.
        target = ShiftSeries(plan=plan, starts_on=expansion.occurrences[0].day)
        _write_series(target, fields, spec)
        target.save()
    target.requirements.set(fields.requirements)
    wanted = {o.day: o for o in expansion.occurrences}
    required = {r.pk for r in fields.requirements}
    work = _Changes()
    carried: list[Shift] = []
    dropped: list[Shift] = []
    for shift in existing:
        day = shift.occurrence_date
        if day in wanted:
            del wanted[day]
            if _editable(shift, moment):
                work.update(shift, fields, spec, required, relink=target)
            else:
                shift.series = target
            carried.append(shift)
        elif _editable(shift, moment):
            dropped.append(shift)
    work.check()
    # Moving the carried shifts first frees their (series, day) pairs on the old series.
    work.write(carried, fields.requirements, moment)
    told = _tell_about_changes(work.changed, organisation=plan.organisation)
    deleted, cancelled, told_cancel = _remove_or_cancel(
        actor,
        dropped,
        _("The recurring shift no longer takes place on this day."),
    )
    made = create_shifts(
        [
            _new_shift(plan, fields, o.starts_at, o.ends_at, series=target, occurrence_date=o.day)
            for o in wanted.values()
        ],
        fields.requirements,
    )
    return SeriesOutcome(
        series=target,
        created=len(made),
        changed=len(work.changed),
        deleted=deleted,
        cancelled=cancelled,
        told=told + told_cancel,
        holidays=expansion.holidays,
        exceptions=expansion.exceptions,
    )


def series_end(
    *, actor: Any, series: ShiftSeries, after_date: date, now: datetime | None = None
) -> SeriesOutcome:
    """End a series after a date; later shifts go (cancelled where people signed up).

    Ending it before its first day removes the series itself.
    """
    moment = _now(now)
    with transaction.atomic():
        locked = _lock_series(series)
        plan = locked.plan
        require_organiser(actor, plan.organisation)
        _plan_open(plan)
        if after_date < _today(moment) - timedelta(days=1):
            raise ValidationError(
                {"after_date": _("Past shifts stay as they were: choose today or a later day.")}
            )
        if after_date >= locked.until:
            raise ValidationError(
                {
                    "after_date": _("These recurring shifts end on %(until)s anyway.")
                    % {"until": _day(locked.until)}
                }
            )
        later = [
            s
            for s in _lock_series_shifts(locked, after_date + timedelta(days=1))
            if s.status == Shift.Status.SCHEDULED and s.starts_at > moment
        ]
        deleted, cancelled, told = _remove_or_cancel(
            actor,
            later,
            _("The recurring shifts end on %(day)s.") % {"day": _day(after_date)},
        )
        audit_record(
            actor=actor,
            action="shift_series.ended",
            target=locked,
            municipality=plan.municipality,
            data={
                "after": after_date.isoformat(),
                "deleted": deleted,
                "cancelled": cancelled,
                "told": told,
            },
        )
        remaining: ShiftSeries | None = locked
        if after_date < locked.starts_on:
            locked.delete()
            remaining = None
        else:
            locked.until = after_date
            locked.save(update_fields=["until", "updated_at"])
    return SeriesOutcome(series=remaining, deleted=deleted, cancelled=cancelled, told=told)


# --- single shifts --------------------------------------------------------------------------


def _times(day: date, start_time: time, duration_minutes: int) -> tuple[datetime, datetime]:
    if not 0 < duration_minutes <= recurrence.MAX_DURATION_MINUTES:
        raise ValidationError(
            {"end_time": _("A shift lasts more than no time and at most 24 hours.")}
        )
    return recurrence.shift_times(day, start_time, duration_minutes)


def shift_create(
    *,
    actor: Any,
    plan: ShiftPlan,
    day: date,
    start_time: time,
    duration_minutes: int,
    fields: ShiftFields,
    now: datetime | None = None,
) -> Shift:
    """Add a single shift to a plan."""
    moment = _now(now)
    with transaction.atomic():
        locked = _lock_plan(plan)
        require_organiser(actor, locked.organisation)
        _plan_open(locked)
        clean = clean_shift_fields(organisation=locked.organisation, fields=fields)
        starts_at, ends_at = _times(day, start_time, duration_minutes)
        if starts_at <= moment:
            raise ValidationError({"day": _("The shift would begin in the past.")})
        (shift,) = create_shifts(
            [_new_shift(locked, clean, starts_at, ends_at)], clean.requirements
        )
        audit_record(
            actor=actor,
            action="shift.created",
            target=shift,
            municipality=locked.municipality,
            data={"plan": str(locked.public_id)},
        )
    return shift


def shift_update(
    *,
    actor: Any,
    shift: Shift,
    day: date,
    start_time: time,
    duration_minutes: int,
    fields: ShiftFields,
    now: datetime | None = None,
) -> Shift:
    """Change one shift on its own; a shift of a series is detached from later series edits."""
    moment = _now(now)
    with transaction.atomic():
        locked = _lock_shift(shift)
        require_organiser(actor, locked.organisation)
        _plan_open(locked.plan)
        if locked.status == Shift.Status.CANCELLED:
            raise ValidationError(_("This shift was cancelled and can no longer be changed."))
        clean = clean_shift_fields(organisation=locked.organisation, fields=fields)
        if clean.capacity < locked.taken:
            people = Signup.objects.filter(shift=locked, status__in=Signup.HOLDING).count()
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "%(people)d person holds %(places)d places on this shift (companions "
                        "included), so it needs at least %(places)d places. Move or ask helpers "
                        "first.",
                        "%(people)d people hold %(places)d places on this shift (companions "
                        "included), so it needs at least %(places)d places. Move or ask helpers "
                        "first.",
                        people,
                    )
                    % {"people": people, "places": locked.taken}
                }
            )
        starts_at, ends_at = _times(day, start_time, duration_minutes)
        if starts_at != locked.starts_at and starts_at <= moment:
            raise ValidationError({"day": _("The shift would begin in the past.")})
        old_when = when(locked)
        old_capacity = locked.capacity
        changed = _apply(locked, clean, starts_at, ends_at)
        required = {r.pk for r in clean.requirements}
        if set(locked.requirements.values_list("pk", flat=True)) != required:
            changed.add("requirements")
            _set_requirements([locked.pk], clean.requirements)
        if not changed:
            return locked
        if locked.series_id is not None:
            locked.detached = True
        locked.sequence += 1
        locked.save(
            update_fields=[
                "task",
                "description",
                "place",
                "capacity",
                "visibility",
                "starts_at",
                "ends_at",
                "detached",
                "sequence",
                "updated_at",
            ]
        )
        if locked.capacity > old_capacity:
            waitlist_promote(shift=locked, now=moment)
        told = 0
        if locked.ends_at > moment:
            told = _tell_about_changes(
                {locked.pk: (locked, changed, old_when)}, organisation=locked.organisation
            )
        audit_record(
            actor=actor,
            action="shift.updated",
            target=locked,
            municipality=locked.municipality,
            data={"changed": sorted(changed), "told": told},
        )
    return locked


def shift_cancel(*, actor: Any, shift: Shift, reason: str = "", now: datetime | None = None) -> int:
    """Cancel a shift; every person signed up or waiting is told. Returns how many."""
    moment = _now(now)
    with transaction.atomic():
        locked = _lock_shift(shift)
        require_organiser(actor, locked.organisation)
        if locked.status == Shift.Status.CANCELLED:
            raise ValidationError(_("This shift is already cancelled."))
        if locked.starts_at <= moment:
            # Who came is recorded by then (and handed to the hours ledger): keep it.
            raise ValidationError(
                _("This shift has begun and can no longer be cancelled. Record who came instead.")
            )
        reason = reason.strip()
        if not reason and Signup.objects.filter(shift=locked, status__in=Signup.LIVE).exists():
            raise ValidationError(
                {"reason": _("People are signed up: tell them in a sentence why it is cancelled.")}
            )
        told = _cancel_locked(actor, locked, reason)
        audit_record(
            actor=actor,
            action="shift.cancelled",
            target=locked,
            municipality=locked.municipality,
            data={"told": told, "reason": reason},
        )
    return told
