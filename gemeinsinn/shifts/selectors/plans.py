"""Reads for organising: an organisation's plans, series, shifts, templates and requirements.

Everything is found within the request's municipality and only for people who may organise
(or, for who met a requirement, handle helpers); anything else reads as not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from gemeinsinn.accounts.models import User
from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import Engagement, Opportunity
from gemeinsinn.shifts.models import (
    Requirement,
    RequirementRecord,
    Shift,
    ShiftPlan,
    ShiftSeries,
    ShiftTemplate,
    Signup,
)
from gemeinsinn.shifts.selectors.common import earlier_helpers

NEXT_PER_PLAN = 3
PLAN_PAGE_SHIFTS = 60
_CLOSED = (Organisation.Status.ARCHIVED, Organisation.Status.REJECTED)


def _may(user: Any, perm: str, organisation: Organisation) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(perm, organisation))


def organisation_to_organise(
    *, municipality: Municipality, slug: str, user: Any
) -> Organisation | None:
    """The town's organisation by slug, if the person may organise its shifts."""
    if not getattr(user, "is_authenticated", False):
        return None
    organisation = (
        Organisation.objects.filter(municipality=municipality, slug=slug)
        .exclude(status__in=_CLOSED)
        .select_related("municipality")
        .first()
    )
    if organisation is None or not _may(user, "shifts.organise", organisation):
        return None
    return organisation


@dataclass(frozen=True)
class PlanRow:
    plan: ShiftPlan
    upcoming: int
    next_shifts: list[Shift]


def plans_of_organisation(
    *, organisation: Organisation, now: datetime, archived: bool = False
) -> list[PlanRow]:
    """The organisation's plans with their number of upcoming shifts and the next few, in two
    queries whatever the number of plans."""
    plans = list(
        ShiftPlan.objects.filter(organisation=organisation, is_archived=archived)
        .select_related("opportunity")
        .annotate(
            upcoming=Count(
                "shifts",
                filter=Q(shifts__starts_at__gt=now, shifts__status=Shift.Status.SCHEDULED),
            )
        )
        .order_by("title", "pk")
    )
    nexts: dict[int, list[Shift]] = {p.pk: [] for p in plans}
    if plans and not archived:
        ranked = (
            Shift.objects.filter(
                plan__in=[p.pk for p in plans],
                starts_at__gt=now,
                status=Shift.Status.SCHEDULED,
            )
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=[F("plan_id")], order_by=[F("starts_at"), F("pk")]
                )
            )
            .filter(rank__lte=NEXT_PER_PLAN)
            .order_by("plan_id", "starts_at", "pk")
        )
        for shift in ranked:
            nexts[shift.plan_id].append(shift)
    return [
        PlanRow(plan=p, upcoming=getattr(p, "upcoming", 0), next_shifts=nexts[p.pk]) for p in plans
    ]


def archived_plan_count(*, organisation: Organisation) -> int:
    return ShiftPlan.objects.filter(organisation=organisation, is_archived=True).count()


def plan_to_organise(
    *, municipality: Municipality, public_id: UUID | str, user: Any
) -> ShiftPlan | None:
    """A plan of the town, if the person may organise its organisation's shifts."""
    if not getattr(user, "is_authenticated", False):
        return None
    plan = (
        ShiftPlan.objects.filter(municipality=municipality, public_id=public_id)
        .exclude(organisation__status__in=_CLOSED)
        .select_related("organisation", "organisation__municipality", "opportunity", "municipality")
        .first()
    )
    if plan is None or not _may(user, "shifts.organise", plan.organisation):
        return None
    return plan


@dataclass(frozen=True)
class PlanOverview:
    series: list[ShiftSeries]
    shifts: Sequence[Shift]
    more: bool


def plan_overview(*, plan: ShiftPlan, now: datetime, limit: int = PLAN_PAGE_SHIFTS) -> PlanOverview:
    """A plan's series that have not ended and its next shifts with their fill level, in a
    fixed number of queries."""
    series = list(
        ShiftSeries.objects.filter(plan=plan, until__gte=timezone.localdate(now))
        .prefetch_related("requirements")
        .order_by("starts_on", "start_time", "pk")
    )
    shifts = list(
        Shift.objects.filter(plan=plan, ends_at__gt=now)
        .annotate(
            waiting=Count("signups", filter=Q(signups__status=Signup.Status.WAITLISTED)),
        )
        .order_by("starts_at", "pk")[: limit + 1]
    )
    return PlanOverview(series=series, shifts=shifts[:limit], more=len(shifts) > limit)


def opportunities_for_plans(*, organisation: Organisation) -> QuerySet[Opportunity]:
    """The organisation's opportunities a plan may belong to."""
    return (
        Opportunity.objects.filter(organisation=organisation)
        .exclude(status=Opportunity.Status.ARCHIVED)
        .order_by("title", "pk")
    )


def open_plans(*, organisation: Organisation) -> QuerySet[ShiftPlan]:
    return ShiftPlan.objects.filter(organisation=organisation, is_archived=False).order_by(
        "title", "pk"
    )


def series_to_organise(
    *, municipality: Municipality, public_id: UUID | str, user: Any
) -> ShiftSeries | None:
    if not getattr(user, "is_authenticated", False):
        return None
    series = (
        ShiftSeries.objects.filter(plan__municipality=municipality, public_id=public_id)
        .exclude(plan__organisation__status__in=_CLOSED)
        .select_related("plan", "plan__organisation", "plan__municipality")
        .prefetch_related("requirements")
        .first()
    )
    if series is None or not _may(user, "shifts.organise", series.plan.organisation):
        return None
    return series


def shift_to_organise(
    *, municipality: Municipality, public_id: UUID | str, user: Any
) -> Shift | None:
    if not getattr(user, "is_authenticated", False):
        return None
    shift = (
        Shift.objects.filter(municipality=municipality, public_id=public_id)
        .exclude(organisation__status__in=_CLOSED)
        .select_related("organisation", "plan", "series", "municipality")
        .prefetch_related("requirements")
        .first()
    )
    if shift is None or not _may(user, "shifts.organise", shift.organisation):
        return None
    return shift


def live_people(*, shift: Shift) -> int:
    """How many people hold, wait for or asked for a place on the shift."""
    return Signup.objects.filter(shift=shift, status__in=Signup.LIVE).count()


@dataclass(frozen=True)
class Impact:
    """What removing shifts would touch: how many, how many of them have people, how many."""

    shifts: int
    with_people: int
    people: int


def _impact(shifts: QuerySet[Shift]) -> Impact:
    ids = list(shifts.values_list("pk", flat=True))
    live = Signup.objects.filter(shift_id__in=ids, status__in=Signup.LIVE)
    return Impact(
        shifts=len(ids),
        with_people=live.values("shift_id").distinct().count(),
        people=live.count(),
    )


def series_end_impact(*, series: ShiftSeries, after_date: date, now: datetime) -> Impact:
    """The shifts ending the series after that day would remove, and the people told."""
    return _impact(
        Shift.objects.filter(
            series=series,
            occurrence_date__gt=after_date,
            status=Shift.Status.SCHEDULED,
            starts_at__gt=now,
        )
    )


def plan_archive_impact(*, plan: ShiftPlan, now: datetime) -> Impact:
    """The shifts archiving the plan would cancel, and the people told."""
    return _impact(
        Shift.objects.filter(plan=plan, status=Shift.Status.SCHEDULED, starts_at__gt=now)
    )


def templates_of_organisation(*, organisation: Organisation) -> QuerySet[ShiftTemplate]:
    return (
        ShiftTemplate.objects.filter(organisation=organisation)
        .prefetch_related("items")
        .order_by("name", "pk")
    )


def template_to_organise(*, municipality: Municipality, pk: int, user: Any) -> ShiftTemplate | None:
    if not getattr(user, "is_authenticated", False):
        return None
    template = (
        ShiftTemplate.objects.filter(organisation__municipality=municipality, pk=pk)
        .exclude(organisation__status__in=_CLOSED)
        .select_related("organisation", "organisation__municipality")
        .prefetch_related("items")
        .first()
    )
    if template is None or not _may(user, "shifts.organise", template.organisation):
        return None
    return template


def requirements_of_organisation(*, organisation: Organisation) -> QuerySet[Requirement]:
    return (
        Requirement.objects.filter(organisation=organisation)
        .annotate(met=Count("records"))
        .order_by("name", "pk")
    )


def requirement_to_handle(*, municipality: Municipality, pk: int, user: Any) -> Requirement | None:
    """A requirement, for the organisation's members: who met it is personal data."""
    if not getattr(user, "is_authenticated", False):
        return None
    requirement = (
        Requirement.objects.filter(organisation__municipality=municipality, pk=pk)
        .exclude(organisation__status__in=_CLOSED)
        .select_related("organisation", "organisation__municipality")
        .first()
    )
    if requirement is None or not _may(user, "shifts.handle_helpers", requirement.organisation):
        return None
    return requirement


def requirement_organisation(*, municipality: Municipality, pk: int) -> Organisation | None:
    """The organisation a requirement of the town belongs to (to tell 403 from 404)."""
    found = (
        Requirement.objects.filter(organisation__municipality=municipality, pk=pk)
        .select_related("organisation", "organisation__municipality")
        .first()
    )
    return found.organisation if found is not None else None


def requirement_records(*, requirement: Requirement) -> QuerySet[RequirementRecord]:
    return (
        RequirementRecord.objects.filter(requirement=requirement)
        .select_related("volunteer", "recorded_by")
        .order_by("volunteer__last_name", "volunteer__first_name", "pk")
    )


def known_helpers(*, organisation: Organisation) -> QuerySet[User]:
    """People the organisation may record or assign: members, people engaged with it and
    earlier helpers of its shifts."""
    members = Membership.objects.filter(
        organisation=organisation, status=Membership.Status.ACTIVE
    ).values("user_id")
    engaged = Engagement.objects.filter(
        organisation=organisation, status=Engagement.Status.ACTIVE
    ).values("volunteer_id")
    helped = earlier_helpers(organisation_id=organisation.pk).values("volunteer_id")
    return (
        User.objects.filter(is_active=True, deleted_at__isnull=True)
        .filter(Q(pk__in=members) | Q(pk__in=engaged) | Q(pk__in=helped))
        .order_by("last_name", "first_name", "email")
    )
