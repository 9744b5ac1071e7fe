"""/api/v1 endpoints for shifts: the public list, signing up, and the person's own sign-ups.

They call the same services and selectors as the HTML pages. The list is open to all, like the
public shift plans, and shows public shifts only. Everything about sign-ups needs the browser
session (django-ninja's `django_auth`, which also checks the CSRF token on writes); without a
session the answer is 401. Another person's sign-up answers 404, exactly like one that does not
exist; a bad value or a step the service refuses answers 400 with the reason.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from gemeinsinn.core.models import Municipality
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.selectors.common import municipality_with_exchange
from gemeinsinn.shifts.models import MAX_PARTY_SIZE, Shift, Signup
from gemeinsinn.shifts.selectors import feeds as selectors
from gemeinsinn.shifts.selectors import mine
from gemeinsinn.shifts.services import signups as services

router = Router(tags=["shifts"])

PAGE_SIZE = 50
DEFAULT_DAYS = 28
MAX_DAYS = 92
MAX_SHIFTS_PER_SIGNUP = 50


class OrganisationRef(Schema):
    name: str
    slug: str


class PlanRef(Schema):
    id: UUID = Field(description="public_id of the shift plan.")
    title: str


class ShiftOut(Schema):
    id: UUID = Field(description="public_id of the shift; also the UID of its calendar event.")
    task: str
    plan: PlanRef
    organisation: OrganisationRef
    opportunity: UUID | None = Field(description="public_id of the plan's opportunity, if any.")
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int
    free: int = Field(description="Places still free (companions count as places).")
    visibility: str = Field(description="public or members (members-only: a request to join).")
    status: str = Field(description="scheduled or cancelled")
    requirements: list[str] = Field(description="What the organisation needs first, by name.")
    url: str = Field(description="The page of the shift's plan.")


class ShiftPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[ShiftOut]


class SignupOut(Schema):
    id: UUID = Field(description="public_id of the sign-up.")
    shift: ShiftOut
    status: str = Field(
        description="requested, confirmed, offered, waitlisted, cancelled, declined or expired"
    )
    status_label: str
    party_size: int = Field(description="The person and their companions.")
    message: str
    reason: str = Field(description="The cancellation message or the organisation's reason.")
    offer_expires_at: datetime | None = Field(
        description="Until when an offered place waits for confirmation."
    )
    created_at: datetime


class SignupPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[SignupOut]


class ShiftQuery(Schema):
    municipality: str = Field(description="Slug of the municipality.")
    organisation: str = Field("", description="Slug of an organisation: only its shifts.")
    opportunity: UUID | None = Field(None, description="Only the shifts of this opportunity.")
    plan: UUID | None = Field(None, description="Only the shifts of this shift plan.")
    date_from: date | None = Field(
        None, alias="from", description="First day (default today), Europe/Berlin."
    )
    date_to: date | None = Field(
        None,
        alias="to",
        description=f"Last day (default {DEFAULT_DAYS} days after the first); at most "
        f"{MAX_DAYS} days after the first.",
    )
    page: int = Field(1, ge=1)


class SignupIn(Schema):
    shifts: list[UUID] = Field(description="public_ids of the shifts: all of them or none.")
    party_size: int = Field(1, description=f"You and your companions, 1 to {MAX_PARTY_SIZE}.")
    message: str = Field("", max_length=2000, description="A note to the organisation.")
    waitlist: bool = Field(True, description="Join the waitlist where a shift is full.")


class CancelIn(Schema):
    message: str = Field(
        "",
        max_length=2000,
        description="Why you cannot come; needed after the cancellation deadline.",
    )


class MySignupsQuery(Schema):
    municipality: str = Field(description="Slug of the municipality.")
    past: bool = Field(False, description="Shifts that are over instead of the coming ones.")
    page: int = Field(1, ge=1)


def _municipality(slug: str) -> Municipality:
    town = municipality_with_exchange(slug=slug)
    if town is None:
        raise Http404
    return town


def _service(call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Not allowed.") from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc


def _range(query: ShiftQuery) -> tuple[datetime, datetime]:
    """The start times asked for, as [first day 00:00, day after the last 00:00) in Berlin."""
    first = query.date_from or timezone.localdate()
    last = query.date_to or first + timedelta(days=DEFAULT_DAYS)
    if last < first:
        raise HttpError(400, "to: the last day comes before the first (from).")
    if (last - first).days > MAX_DAYS:
        raise HttpError(400, f"to: at most {MAX_DAYS} days after the first day (from).")
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return start, end


def _shift_out(request: HttpRequest, shift: Shift, links: dict[int, str]) -> ShiftOut:
    plan = shift.plan
    if plan.pk not in links:
        links[plan.pk] = request.build_absolute_uri(
            mreverse("shifts:plan", shift.municipality, public_id=plan.public_id)
        )
    return ShiftOut(
        id=shift.public_id,
        task=shift.task,
        plan=PlanRef(id=plan.public_id, title=plan.title),
        organisation=OrganisationRef(name=shift.organisation.name, slug=shift.organisation.slug),
        opportunity=plan.opportunity.public_id if plan.opportunity else None,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        place=shift.place or plan.place,
        capacity=shift.capacity,
        free=shift.free,
        visibility=shift.visibility,
        status=shift.status,
        requirements=[r.name for r in shift.requirements.all()],
        url=links[plan.pk],
    )


def _signup_out(request: HttpRequest, signup: Signup, links: dict[int, str]) -> SignupOut:
    return SignupOut(
        id=signup.public_id,
        shift=_shift_out(request, signup.shift, links),
        status=signup.status,
        status_label=str(signup.get_status_display()),
        party_size=signup.party_size,
        message=signup.message,
        reason=signup.cancel_reason,
        offer_expires_at=signup.offer_expires_at,
        created_at=signup.created_at,
    )


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def _own(request: HttpRequest, public_id: UUID) -> Signup:
    signup = selectors.signup_of_person(user=request.user, public_id=public_id)
    if signup is None:
        raise Http404
    town = signup.shift.municipality
    if not town.is_active or not town.has_module("opportunities"):
        raise Http404
    return signup


@router.get("/shifts", response=ShiftPage)
def shift_list(request: HttpRequest, query: Query[ShiftQuery]) -> ShiftPage:
    """Public shifts of a municipality starting between two days (default the next four
    weeks), the soonest first; cancelled ones stay listed with status cancelled."""
    town = _municipality(query.municipality)
    start, end = _range(query)
    found = selectors.shifts_public_between(
        municipality=town,
        start=start,
        end=end,
        organisation_slug=query.organisation,
        opportunity=query.opportunity,
        plan=query.plan,
    )
    count = found.count()
    first = (query.page - 1) * PAGE_SIZE
    rows = list(found[first : first + PAGE_SIZE]) if first < count else []
    links: dict[int, str] = {}
    return ShiftPage(
        count=count,
        page=query.page,
        pages=_pages(count),
        page_size=PAGE_SIZE,
        results=[_shift_out(request, shift, links) for shift in rows],
    )


@router.post("/shifts/signups", response={201: list[SignupOut]}, auth=django_auth)
def shift_signups_create(request: HttpRequest, data: SignupIn) -> Status[list[SignupOut]]:
    """Sign up for one or many shifts in one step: all of them or none. A full shift puts the
    person on its waitlist (unless `waitlist` is false); a members-only shift makes a request."""
    wanted = list(dict.fromkeys(data.shifts))
    if not wanted:
        raise HttpError(400, "shifts: choose at least one shift.")
    if len(wanted) > MAX_SHIFTS_PER_SIGNUP:
        raise HttpError(400, f"shifts: at most {MAX_SHIFTS_PER_SIGNUP} shifts in one step.")
    shifts = selectors.shifts_for_signup(public_ids=wanted)
    missing = set(wanted) - {shift.public_id for shift in shifts}
    if missing:
        raise HttpError(400, "shifts: no such shift: " + ", ".join(sorted(map(str, missing))))
    if len({shift.municipality_id for shift in shifts}) > 1:
        raise HttpError(400, "shifts: sign up for the shifts of one municipality at a time.")
    made = _service(
        services.shifts_sign_up,
        volunteer=request.user,
        shifts=shifts,
        party_size=data.party_size,
        message=data.message,
        waitlist=data.waitlist,
    )
    fresh = selectors.signups_by_id(user=request.user, ids=[signup.pk for signup in made])
    links: dict[int, str] = {}
    return Status(201, [_signup_out(request, signup, links) for signup in fresh])


@router.get("/me/shifts", response=SignupPage, auth=django_auth)
def my_shifts(request: HttpRequest, query: Query[MySignupsQuery]) -> SignupPage:
    """The signed-in person's shifts in a municipality, as the "my shifts" page lists them:
    the coming ones (places held or asked for, and shifts the organisation called off), the
    soonest first; with past=true the shifts they held a place for that are over, the latest
    first."""
    town = _municipality(query.municipality)
    first = (query.page - 1) * PAGE_SIZE
    rows: list[Signup]
    if query.past:
        past = mine.signups_past(user=request.user, municipality=town)
        count = past.count()
        rows = list(past[first : first + PAGE_SIZE]) if first < count else []
    else:
        upcoming = mine.signups_upcoming(user=request.user, municipality=town)
        count = len(upcoming)
        rows = upcoming[first : first + PAGE_SIZE]
    selectors.signups_complete(signups=rows)
    links: dict[int, str] = {}
    return SignupPage(
        count=count,
        page=query.page,
        pages=_pages(count),
        page_size=PAGE_SIZE,
        results=[_signup_out(request, signup, links) for signup in rows],
    )


@router.post("/me/shifts/{signup_id}/cancel", response=SignupOut, auth=django_auth)
def my_shift_cancel(request: HttpRequest, signup_id: UUID, data: CancelIn) -> SignupOut:
    """Give up one's place (or wish for one); after the deadline only with a message."""
    signup = _own(request, signup_id)
    _service(services.signup_cancel, actor=request.user, signup=signup, message=data.message)
    return _signup_out(request, _own(request, signup_id), {})


@router.post("/me/shifts/{signup_id}/confirm", response=SignupOut, auth=django_auth)
def my_shift_confirm(request: HttpRequest, signup_id: UUID) -> SignupOut:
    """Take the place offered from the waitlist, before its deadline."""
    signup = _own(request, signup_id)
    _service(services.signup_offer_confirm, actor=request.user, signup=signup)
    return _signup_out(request, _own(request, signup_id), {})
