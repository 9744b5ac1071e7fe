"""Shift templates: a named week of shifts an organisation applies to any date range.

Applying a template twice to the same range creates nothing new: a shift of the plan with the
same task and start already stands for that template shift (even a cancelled one, so applying
again never revives what the organiser called off). Ranges are refused beyond 366 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.audit import audit_record
from gemeinsinn.shifts import recurrence
from gemeinsinn.shifts.models import Shift, ShiftPlan, ShiftTemplate, ShiftTemplateItem
from gemeinsinn.shifts.services.plans import (
    MAX_CAPACITY,
    create_shifts,
    holiday_language,
    require_organiser,
)

MAX_RANGE_DAYS = 366
MAX_ITEMS = 100


@dataclass(frozen=True)
class TemplateItemSpec:
    weekday: int  # 0 = Monday
    start_time: time
    duration_minutes: int
    task: str
    capacity: int
    place: str = ""


@dataclass(frozen=True)
class ApplyOutcome:
    """What applying a template did, for the organiser's message."""

    created: int
    skipped_existing: int
    skipped_past: int
    holidays: tuple[tuple[date, str], ...]


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the template a name, e.g. “Normal week”.")})
    return name


def _clean_items(items: Sequence[TemplateItemSpec]) -> list[TemplateItemSpec]:
    if not items:
        raise ValidationError(_("Add at least one shift to the template."))
    if len(items) > MAX_ITEMS:
        raise ValidationError(_("A template holds at most %(max)d shifts.") % {"max": MAX_ITEMS})
    errors: list[str] = []
    clean: list[TemplateItemSpec] = []
    for number, item in enumerate(items, start=1):
        task = item.task.strip()
        if not 0 <= item.weekday <= 6:
            errors.append(_("Shift %(n)d: choose a weekday.") % {"n": number})
        if not task:
            errors.append(_("Shift %(n)d: say what the helpers do.") % {"n": number})
        if not 1 <= item.capacity <= MAX_CAPACITY:
            errors.append(
                _("Shift %(n)d: between 1 and %(max)d places.") % {"n": number, "max": MAX_CAPACITY}
            )
        if not 0 < item.duration_minutes <= recurrence.MAX_DURATION_MINUTES:
            errors.append(
                _("Shift %(n)d: a shift lasts more than no time and at most 24 hours.")
                % {"n": number}
            )
        clean.append(
            TemplateItemSpec(
                weekday=item.weekday,
                start_time=item.start_time,
                duration_minutes=item.duration_minutes,
                task=task,
                capacity=item.capacity,
                place=item.place.strip(),
            )
        )
    if errors:
        raise ValidationError(errors)
    return clean


def _store_items(template: ShiftTemplate, items: Sequence[TemplateItemSpec]) -> None:
    ShiftTemplateItem.objects.bulk_create(
        [
            ShiftTemplateItem(
                template=template,
                weekday=item.weekday,
                start_time=item.start_time,
                duration_minutes=item.duration_minutes,
                task=item.task,
                capacity=item.capacity,
                place=item.place,
            )
            for item in items
        ]
    )


def template_create(
    *, actor: Any, organisation: Organisation, name: str, items: Sequence[TemplateItemSpec]
) -> ShiftTemplate:
    """Save a week of shift definitions under a name."""
    require_organiser(actor, organisation)
    clean_name = _clean_name(name)
    clean = _clean_items(items)
    with transaction.atomic():
        template = ShiftTemplate.objects.create(organisation=organisation, name=clean_name)
        _store_items(template, clean)
        audit_record(
            actor=actor,
            action="shift_template.created",
            target=template,
            municipality=organisation.municipality,
            data={"items": len(clean)},
        )
    return template


def template_update(
    *, actor: Any, template: ShiftTemplate, name: str, items: Sequence[TemplateItemSpec]
) -> ShiftTemplate:
    """Rename a template and replace its shifts (shifts made from it earlier stay as they are)."""
    with transaction.atomic():
        locked = (
            ShiftTemplate.objects.select_for_update(of=("self",))
            .select_related("organisation", "organisation__municipality")
            .get(pk=template.pk)
        )
        require_organiser(actor, locked.organisation)
        locked.name = _clean_name(name)
        clean = _clean_items(items)
        locked.save(update_fields=["name"])
        locked.items.all().delete()
        _store_items(locked, clean)
        audit_record(
            actor=actor,
            action="shift_template.updated",
            target=locked,
            municipality=locked.organisation.municipality,
            data={"items": len(clean)},
        )
    return locked


def template_apply(
    *,
    actor: Any,
    template: ShiftTemplate,
    plan: ShiftPlan,
    first_day: date,
    last_day: date,
    skip_holidays: bool = True,
    now: datetime | None = None,
) -> ApplyOutcome:
    """Create the template's shifts on every matching day of a range in a plan."""
    moment = now or timezone.now()
    with transaction.atomic():
        # Locking the plan serialises two applications of templates to it: no doubles.
        locked = (
            ShiftPlan.objects.select_for_update(of=("self",))
            .select_related("municipality", "municipality__state", "organisation")
            .get(pk=plan.pk)
        )
        require_organiser(actor, template.organisation)
        require_organiser(actor, locked.organisation)
        if locked.organisation_id != template.organisation_id:
            raise ValidationError({"plan": _("Choose one of the organisation's own plans.")})
        if locked.is_archived:
            raise ValidationError({"plan": _("This plan is archived.")})
        if last_day < first_day:
            raise ValidationError({"last_day": _("The last day lies before the first day.")})
        if (last_day - first_day).days + 1 > MAX_RANGE_DAYS:
            raise ValidationError(
                {
                    "last_day": _(
                        "A template can be applied to at most %(days)d days at once; apply it "
                        "again for the rest."
                    )
                    % {"days": MAX_RANGE_DAYS}
                }
            )
        if first_day < timezone.localdate(moment):
            raise ValidationError({"first_day": _("The first day lies in the past.")})
        items = list(template.items.all())
        if not items:
            raise ValidationError(_("The template has no shifts yet."))
        free: dict[date, str] = {}
        if skip_holidays:
            free = recurrence.public_holidays(
                state_code=locked.municipality.state.code,
                years=range(first_day.year, last_day.year + 1),
                language=holiday_language(),
            )
        existing = set(
            Shift.objects.filter(
                plan=locked,
                starts_at__gte=recurrence.wall_clock(first_day, time(0)) - timedelta(days=1),
                starts_at__lte=recurrence.wall_clock(last_day, time(0)) + timedelta(days=2),
            ).values_list("task", "starts_at")
        )
        new: list[Shift] = []
        skipped = past = 0
        left_out: list[tuple[date, str]] = []
        day = first_day
        while day <= last_day:
            todays = [i for i in items if i.weekday == day.weekday()]
            if todays and day in free:
                left_out.append((day, free[day]))
                todays = []
            for item in todays:
                starts_at, ends_at = recurrence.shift_times(
                    day, item.start_time, item.duration_minutes
                )
                if (item.task, starts_at) in existing:
                    skipped += 1
                    continue
                if starts_at <= moment:
                    past += 1
                    continue
                existing.add((item.task, starts_at))
                new.append(
                    Shift(
                        municipality=locked.municipality,
                        organisation=locked.organisation,
                        plan=locked,
                        task=item.task,
                        place=item.place,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        capacity=item.capacity,
                    )
                )
            day += timedelta(days=1)
        made = create_shifts(new, ())
        audit_record(
            actor=actor,
            action="shift_template.applied",
            target=template,
            municipality=locked.municipality,
            data={
                "plan": str(locked.public_id),
                "first_day": first_day.isoformat(),
                "last_day": last_day.isoformat(),
                "created": len(made),
                "skipped": skipped,
            },
        )
    return ApplyOutcome(
        created=len(made), skipped_existing=skipped, skipped_past=past, holidays=tuple(left_out)
    )
