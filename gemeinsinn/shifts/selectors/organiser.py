"""Reads for the organiser's pages: an organisation's week of shifts and one shift's helpers.

Every read here costs a fixed number of queries whatever the size of the week or the shift: the
places held come from `Shift.taken`, the waitlist and requests from one aggregated query, and a
shift's sign-ups with their reminders from two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import ngettext

from gemeinsinn.accounts.models import User
from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import Engagement
from gemeinsinn.shifts.models import Reminder, Shift, ShiftMessage, Signup
from gemeinsinn.shifts.selectors.common import PICKER_LIMIT, earlier_helpers

Status = Signup.Status

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Organisations the office archived or rejected have no organiser pages (as for opportunities).
_CLOSED = (Organisation.Status.ARCHIVED, Organisation.Status.REJECTED)
# The choice of shifts to move a helper to: the next ones, enough for a few busy weeks.
MOVE_TARGETS_LIMIT = 300


# --- weeks and days -------------------------------------------------------------------------


def week_parse(value: str) -> date | None:
    """The Monday of an ISO week written as "2026-W49", or None if it is no such week."""
    found = _ISO_WEEK.match(value.strip())
    if found is None:
        return None
    try:
        monday = date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except (ValueError, OverflowError):
        return None
    # The page links the weeks around it: keep far away from the calendar's ends.
    return monday if 2000 <= monday.year <= 2999 else None


def day_parse(value: str) -> date | None:
    """A day written as "2026-12-01", or None."""
    if not _ISO_DAY.match(value.strip()):
        return None
    try:
        day = date.fromisoformat(value.strip())
    except (ValueError, OverflowError):
        return None
    return day if 2000 <= day.year <= 2999 else None


def week_label(day: date) -> str:
    """The ISO week of a day as the address writes it: "2026-W49"."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def today() -> date:
    """Today on the wall clock of the installation (Europe/Berlin)."""
    return timezone.localdate()


def _local_midnight(day: date) -> datetime:
    # Midnight of that day in Europe/Berlin: a week across a clock change is 167 or 169 hours.
    return datetime.combine(day, time(0), tzinfo=timezone.get_default_timezone())


# --- access ---------------------------------------------------------------------------------


def organisation_for_organiser(*, municipality: Municipality, slug: str) -> Organisation | None:
    """An organisation of the town that may have organiser pages (not archived or rejected)."""
    return (
        Organisation.objects.filter(municipality=municipality, slug=slug)
        .exclude(status__in=_CLOSED)
        .select_related("municipality")
        .first()
    )


def shift_for_organiser(*, municipality: Municipality, public_id: UUID | str) -> Shift | None:
    """A shift of the town with its plan and organisation; permission is the caller's check."""
    return (
        Shift.objects.filter(municipality=municipality, public_id=public_id)
        .exclude(organisation__status__in=_CLOSED)
        .select_related("plan", "organisation", "municipality")
        .first()
    )


def signup_for_organiser(*, municipality: Municipality, public_id: UUID | str) -> Signup | None:
    """A sign-up for a shift of the town, with its shift and person."""
    return (
        Signup.objects.filter(shift__municipality=municipality, public_id=public_id)
        .exclude(shift__organisation__status__in=_CLOSED)
        .select_related("volunteer", "shift__plan", "shift__organisation", "shift__municipality")
        .first()
    )


# --- the week plan --------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftFill:
    """A shift with how full it is (places held come from `taken`), its waitlist and requests,
    and its times on the wall clock, formatted once here rather than by template filters."""

    shift: Shift
    waitlisted: int = 0
    requested: int = 0
    starts: datetime | None = None
    ends: datetime | None = None

    @property
    def is_full(self) -> bool:
        return self.shift.taken >= self.shift.capacity

    @property
    def is_cancelled(self) -> bool:
        return self.shift.status == Shift.Status.CANCELLED

    @property
    def fill_label(self) -> str:
        return ngettext(
            "%(taken)d of %(capacity)d place taken",
            "%(taken)d of %(capacity)d places taken",
            self.shift.capacity,
        ) % {"taken": self.shift.taken, "capacity": self.shift.capacity}

    @property
    def waitlist_label(self) -> str:
        return ngettext(
            "%(count)d on the waitlist", "%(count)d on the waitlist", self.waitlisted
        ) % {"count": self.waitlisted}

    @property
    def requests_label(self) -> str:
        return ngettext(
            "%(count)d request to decide", "%(count)d requests to decide", self.requested
        ) % {"count": self.requested}


@dataclass(frozen=True)
class PlanDay:
    """One day of the plan: totals of all its shifts, and the shifts of the page shown."""

    day: date
    total: int = 0
    taken: int = 0
    capacity: int = 0
    shifts: list[ShiftFill] = field(default_factory=list)


@dataclass(frozen=True)
class PlanPage:
    days: list[PlanDay]
    total: int
    page: int
    pages: int


# A busy event has thousands of shifts in a week: the page shows this many at a time, so
# rendering stays fast whatever the size; the day totals above them cover the whole week.
PLAN_PAGE_SIZE = 50


def organiser_days(
    *,
    organisation: Organisation,
    first_day: date,
    days: int,
    page: int = 1,
    page_size: int = PLAN_PAGE_SIZE,
) -> PlanPage:
    """The organisation's shifts of all its current plans from `first_day` on, by local day.

    Three queries whatever the size: totals per day, one page of shifts (with their plan), and
    one aggregate of the page's waitlist and requests.
    """
    berlin = timezone.get_default_timezone()
    start, end = _local_midnight(first_day), _local_midnight(first_day + timedelta(days=days))
    in_range = Shift.objects.filter(
        organisation=organisation,
        plan__is_archived=False,
        starts_at__gte=start,
        starts_at__lt=end,
    )
    totals: dict[date, dict[str, Any]] = {
        row["day"]: dict(row)
        for row in in_range.annotate(day=TruncDate("starts_at", tzinfo=berlin))
        .values("day")
        .annotate(n=Count("pk"), taken=Sum("taken"), capacity=Sum("capacity"))
        .order_by()
    }
    total = sum(row["n"] for row in totals.values())
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    shifts = list(
        in_range.select_related("plan")
        .defer("description", "plan__description")
        .order_by("starts_at", "pk")[(page - 1) * page_size : page * page_size]
    )
    counts: dict[tuple[int, str], int] = {
        (row["shift_id"], row["status"]): row["n"]
        for row in Signup.objects.filter(
            shift_id__in=[s.pk for s in shifts],
            status__in=[Status.WAITLISTED, Status.REQUESTED],
        )
        .values("shift_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    by_day: dict[date, PlanDay] = {}
    for n in range(days):
        day = first_day + timedelta(days=n)
        row: dict[str, Any] = totals.get(day, {})
        by_day[day] = PlanDay(
            day=day,
            total=row.get("n", 0),
            taken=row.get("taken") or 0,
            capacity=row.get("capacity") or 0,
        )
    for shift in shifts:
        starts = timezone.localtime(shift.starts_at, berlin)
        if starts.date() in by_day:
            by_day[starts.date()].shifts.append(
                ShiftFill(
                    shift=shift,
                    waitlisted=counts.get((shift.pk, Status.WAITLISTED), 0),
                    requested=counts.get((shift.pk, Status.REQUESTED), 0),
                    starts=starts,
                    ends=timezone.localtime(shift.ends_at, berlin),
                )
            )
    return PlanPage(days=list(by_day.values()), total=total, page=page, pages=pages)


# --- one shift's helpers --------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftHelpers:
    """Who is on a shift, by status, in the order the organiser works through them."""

    shift: Shift
    confirmed: list[Signup]
    offered: list[Signup]
    waitlisted: list[Signup]
    requested: list[Signup]
    # Cancelled, declined and expired sign-ups: who dropped out, with their message.
    closed: list[Signup]
    messages: list[ShiftMessage]

    @property
    def people(self) -> int:
        """People coming (confirmed helpers with their companions)."""
        return sum(s.party_size for s in self.confirmed)


def shift_helpers(*, shift: Shift, message_limit: int = 10) -> ShiftHelpers:
    """A shift's sign-ups with their people, reminders and mails; and its latest messages.

    Three queries: sign-ups with people, their reminders with the mails, the messages.
    """
    reminders = Reminder.objects.select_related("mail").order_by("-hours_before", "pk")
    signups = list(
        Signup.objects.filter(shift=shift)
        .select_related("volunteer")
        .prefetch_related(Prefetch("reminders", queryset=reminders))
        .order_by("created_at", "pk")
    )
    for signup in signups:
        signup.shift = shift
    by_status: dict[str, list[Signup]] = {}
    for signup in signups:
        by_status.setdefault(signup.status, []).append(signup)
    waitlisted = sorted(
        by_status.get(Status.WAITLISTED, []),
        key=lambda s: (s.waitlisted_at or s.created_at, s.pk),
    )
    closed = sorted(
        [s for s in signups if s.status not in Signup.LIVE],
        key=lambda s: (s.updated_at, s.pk),
        reverse=True,
    )
    messages = shift_messages(shift=shift, limit=message_limit)
    return ShiftHelpers(
        shift=shift,
        confirmed=by_status.get(Status.CONFIRMED, []),
        offered=by_status.get(Status.OFFERED, []),
        waitlisted=waitlisted,
        requested=by_status.get(Status.REQUESTED, []),
        closed=closed,
        messages=messages,
    )


def shift_messages(*, shift: Shift, limit: int = 10) -> list[ShiftMessage]:
    """The shift's latest messages to its helpers, newest first."""
    return list(ShiftMessage.objects.filter(shift=shift).select_related("author")[:limit])


def person_for_assign(*, user_id: int) -> Any:
    """The active person an organiser picked from the candidates (the service checks them)."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def shift_print_list(*, shift: Shift) -> list[Signup]:
    """The people holding a place on the shift (confirmed first, then offered), by name."""
    found = list(
        Signup.objects.filter(shift=shift, status__in=Signup.HOLDING)
        .select_related("volunteer")
        .only(
            "pk",
            "party_size",
            "status",
            "shift_id",
            "volunteer__first_name",
            "volunteer__last_name",
        )
    )
    return sorted(
        found,
        key=lambda s: (
            s.status != Status.CONFIRMED,
            s.volunteer.last_name.casefold(),
            s.volunteer.first_name.casefold(),
            s.pk,
        ),
    )


def person_name(user: Any) -> str:
    """The name a person gave, never their e-mail address (names only on organiser pages)."""
    return f"{user.first_name} {user.last_name}".strip()


def assign_candidates(*, shift: Shift) -> list[tuple[int, str]]:
    """People the organisation may put on the shift, as (id, name), by name; one query.

    Members, people with an active engagement, and earlier helpers of the organisation, without
    those already on this shift and without people who gave no name (they cannot be told apart).
    """
    organisation_id = shift.organisation_id
    members = Membership.objects.filter(
        organisation_id=organisation_id, status=Membership.Status.ACTIVE, user__isnull=False
    ).values("user_id")
    engaged = Engagement.objects.filter(
        organisation_id=organisation_id, status=Engagement.Status.ACTIVE
    ).values("volunteer_id")
    helpers = earlier_helpers(organisation_id=organisation_id).values("volunteer_id")
    on_shift = Signup.objects.filter(shift=shift, status__in=Signup.LIVE).values("volunteer_id")
    rows = (
        User.objects.filter(Q(pk__in=members) | Q(pk__in=engaged) | Q(pk__in=helpers))
        .filter(is_active=True)
        .exclude(pk__in=on_shift)
        .exclude(first_name="", last_name="")
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name")[:PICKER_LIMIT]
    )
    return [(pk, f"{first} {last}".strip()) for pk, first, last in rows]


def move_targets(*, shift: Shift, now: datetime | None = None) -> list[Shift]:
    """The organisation's next scheduled shifts a helper could be moved to (not this one)."""
    return list(
        Shift.objects.filter(
            organisation_id=shift.organisation_id,
            status=Shift.Status.SCHEDULED,
            plan__is_archived=False,
            starts_at__gt=now or timezone.now(),
        )
        .exclude(pk=shift.pk)
        .select_related("plan")
        .defer("description", "plan__description")
        .order_by("starts_at", "pk")[:MOVE_TARGETS_LIMIT]
    )


def swap_partners(*, shift: Shift) -> list[Signup]:
    """The confirmed helpers of a shift, by name: whom a helper could be swapped with."""
    found = list(
        Signup.objects.filter(shift=shift, status=Status.CONFIRMED).select_related("volunteer")
    )
    return sorted(
        found,
        key=lambda s: (s.volunteer.last_name.casefold(), s.volunteer.first_name.casefold(), s.pk),
    )
