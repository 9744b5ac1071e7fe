"""What volunteers see of a town's shifts: plans with upcoming shifts, a plan's week, and the
shifts on an opportunity's page.

Every read here costs a fixed number of queries, whatever the number of shifts and sign-ups:
fill levels come from `Shift.taken`, requirements and the person's own sign-ups are one query
each for the whole week (an event may have 5,000 shifts and 20,000 sign-ups).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import date_format

from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.shifts.models import Shift, ShiftPlan, Signup, Visibility
from gemeinsinn.shifts.selectors.common import is_member, shifts_visible


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 on the town's wall clock (Europe/Berlin), aware.

    Built from the dates, not by adding seven days of hours, so a week with a change to or from
    daylight saving time still ends at midnight.
    """
    zone = timezone.get_default_timezone()
    start = datetime.combine(monday, time(0), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
    return start, end


def monday_of(moment: datetime) -> date:
    """The Monday of the ISO week the moment falls in, on the town's wall clock."""
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


# --- the town's plans -----------------------------------------------------------------------


def plans_upcoming(
    *, municipality: Municipality, user: Any, now: datetime | None = None
) -> QuerySet[ShiftPlan]:
    """The town's shift plans with at least one upcoming scheduled shift, the soonest first.

    Each plan carries `upcoming_count`, `next_starts_at`, `free_places` and
    `members_only_count` (its upcoming shifts open to members only).
    """
    moment = _now(now)
    upcoming = shifts_visible(municipality=municipality, user=user).filter(
        status=Shift.Status.SCHEDULED, starts_at__gt=moment
    )
    ahead = Q(shifts__status=Shift.Status.SCHEDULED, shifts__starts_at__gt=moment)
    return (
        ShiftPlan.objects.filter(pk__in=upcoming.values("plan_id"))
        .select_related("organisation", "opportunity")
        .annotate(
            upcoming_count=Count("shifts", filter=ahead),
            next_starts_at=Min("shifts__starts_at", filter=ahead),
            free_places=Sum(F("shifts__capacity") - F("shifts__taken"), filter=ahead),
            members_only_count=Count(
                "shifts", filter=ahead & Q(shifts__visibility=Visibility.MEMBERS)
            ),
        )
        .order_by("next_starts_at", "pk")
    )


def member_organisation_ids(*, user: Any) -> set[int]:
    """The organisations the person is an active member of (one query, none when logged out)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )


# --- one plan -------------------------------------------------------------------------------


def plan_public(*, municipality: Municipality, public_id: UUID | str) -> ShiftPlan | None:
    """A plan of the town as volunteers may see it (the rule of `shifts_visible`), or None."""
    return (
        ShiftPlan.objects.filter(
            municipality=municipality,
            public_id=public_id,
            is_archived=False,
            organisation__status=Organisation.Status.PUBLISHED,
        )
        .select_related("organisation", "opportunity", "municipality")
        .first()
    )


def plan_first_week(*, plan: ShiftPlan, user: Any, now: datetime | None = None) -> date:
    """The Monday of the week with the plan's next scheduled shift, or of this week."""
    moment = _now(now)
    first = (
        shifts_visible(municipality=plan.municipality, user=user)
        .filter(plan=plan, status=Shift.Status.SCHEDULED, ends_at__gt=moment)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return monday_of(first or moment)


@dataclass
class ShiftRow:
    """One shift of the week as a volunteer sees it."""

    shift: Shift
    requirements: list[str] = field(default_factory=list)
    # The person's live sign-up status for this shift, "" when they have none.
    mine: str = ""
    members_only: bool = False
    # Members-only and the person is not a member: their sign-up becomes a request.
    needs_request: bool = False
    begun: bool = False

    @property
    def cancelled(self) -> bool:
        return self.shift.status == Shift.Status.CANCELLED

    @property
    def full(self) -> bool:
        return self.shift.free <= 0

    @property
    def can_choose(self) -> bool:
        return not (self.cancelled or self.begun or self.mine)

    @property
    def times(self) -> str:
        """ "09:00–12:00" on the town's wall clock; the end's day too when it is another one."""
        start = timezone.localtime(self.shift.starts_at)
        end = timezone.localtime(self.shift.ends_at)
        if start.date() == end.date():
            return f"{start:%H:%M}–{end:%H:%M}"
        return f"{start:%H:%M} – {date_format(end, 'j M')} {end:%H:%M}"


@dataclass
class PlanDay:
    day: date
    rows: list[ShiftRow]


@dataclass
class PlanWeek:
    plan: ShiftPlan
    monday: date
    days: list[PlanDay]
    # A big event's week comes in pages: nobody ticks through thousands of rows at once.
    page: Page[Shift]
    # The Monday of the next week that has scheduled shifts after this one, if any.
    next_week_with_shifts: date | None

    @property
    def choosable(self) -> int:
        return sum(1 for day in self.days for row in day.rows if row.can_choose)


WEEK_PAGE_SIZE = 100


def plan_week(
    *,
    plan: ShiftPlan,
    user: Any,
    monday: date,
    page: int | str | None = None,
    page_size: int = WEEK_PAGE_SIZE,
    now: datetime | None = None,
) -> PlanWeek:
    """One page of the plan's shifts of an ISO week, grouped by day, with fill levels,
    requirements and the person's own sign-ups: a fixed number of queries (count, shifts,
    requirements, own sign-ups, membership, next week), whatever the size of the event."""
    moment = _now(now)
    start, end = week_bounds(monday)
    in_week = (
        shifts_visible(municipality=plan.municipality, user=user)
        .filter(plan=plan, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "task", "pk")
    )
    found = Paginator(in_week, page_size).get_page(page)
    shifts = list(found.object_list)
    ids = [shift.pk for shift in shifts]

    requirements: dict[int, list[str]] = defaultdict(list)
    mine: dict[int, str] = {}
    member = False
    if ids:
        through = Shift.requirements.through.objects.filter(shift_id__in=ids).order_by(
            "requirement__name"
        )
        for shift_id, name in through.values_list("shift_id", "requirement__name"):
            requirements[shift_id].append(name)
    if user is not None and user.is_authenticated:
        if ids:
            mine = dict(
                Signup.objects.filter(
                    volunteer=user, status__in=Signup.LIVE, shift_id__in=ids
                ).values_list("shift_id", "status")
            )
        member = is_member(user=user, organisation=plan.organisation)

    days: dict[date, list[ShiftRow]] = {}
    for shift in shifts:
        members_only = shift.visibility == Visibility.MEMBERS
        row = ShiftRow(
            shift=shift,
            requirements=requirements.get(shift.pk, []),
            mine=mine.get(shift.pk, ""),
            members_only=members_only,
            needs_request=members_only and not member,
            begun=shift.starts_at <= moment,
        )
        days.setdefault(timezone.localtime(shift.starts_at).date(), []).append(row)

    following = (
        shifts_visible(municipality=plan.municipality, user=user)
        .filter(plan=plan, status=Shift.Status.SCHEDULED, starts_at__gte=max(end, moment))
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return PlanWeek(
        plan=plan,
        monday=monday,
        days=[PlanDay(day=day, rows=rows) for day, rows in days.items()],
        page=found,
        next_week_with_shifts=monday_of(following) if following else None,
    )


def shifts_for_signup(*, plan: ShiftPlan, user: Any, public_ids: list[UUID]) -> list[Shift]:
    """The chosen shifts of the plan that the person may see (unknown ids are left out)."""
    if not public_ids:
        return []
    return list(
        shifts_visible(municipality=plan.municipality, user=user)
        .filter(plan=plan, public_id__in=public_ids)
        .select_related("organisation", "plan", "municipality")
        .order_by("starts_at", "pk")
    )


# --- an opportunity's page ------------------------------------------------------------------


@dataclass
class OpportunityPlan:
    plan: ShiftPlan
    shifts: list[Shift]


def opportunity_plans(
    *,
    opportunity: Opportunity,
    municipality: Municipality,
    user: Any,
    per_plan: int = 3,
    now: datetime | None = None,
) -> list[OpportunityPlan]:
    """The opportunity's plans with their next few scheduled shifts, in one query."""
    moment = _now(now)
    ranked = (
        shifts_visible(municipality=municipality, user=user)
        .filter(
            plan__opportunity=opportunity,
            status=Shift.Status.SCHEDULED,
            starts_at__gt=moment,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("plan_id")],
                order_by=[F("starts_at").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=per_plan)
        .select_related("plan")
        .order_by("starts_at", "pk")
    )
    plans: dict[int, OpportunityPlan] = {}
    for shift in ranked:
        plans.setdefault(shift.plan_id, OpportunityPlan(plan=shift.plan, shifts=[])).shifts.append(
            shift
        )
    return list(plans.values())
