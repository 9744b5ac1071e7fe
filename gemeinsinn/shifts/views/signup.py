"""The public side of shifts: the town's plans, a plan's week with the sign-up form, and the
shifts section on an opportunity's page.

Anybody may look; signing up needs a login, and the login comes back to the same week with the
same shifts ticked. A failed sign-up shows the plan again with every choice kept.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect, mreverse
from gemeinsinn.shifts.forms_signup import SignupForm
from gemeinsinn.shifts.models import ShiftPlan, Signup
from gemeinsinn.shifts.selectors import public as selectors
from gemeinsinn.shifts.services import signups as services

PLANS_PAGE_SIZE = 25
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{1,2})$")


def week_parse(value: str) -> date | None:
    """The Monday of an ISO week written as "2026-W49", or None for anything else."""
    found = WEEK_PATTERN.match(value.strip())
    if found is None:
        return None
    year, week = int(found[1]), int(found[2])
    # Years far off are a typo, and would overflow when stepping to the next week.
    if not 2000 <= year <= 2999:
        return None
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:  # week 0, or week 53 of a year with 52
        return None


def week_param(monday: date) -> str:
    """The ISO week of a day as the `woche` parameter: "2026-W49"."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _chosen(values: list[str]) -> set[UUID]:
    chosen: set[UUID] = set()
    for value in values:
        try:
            chosen.add(UUID(value))
        except ValueError:
            continue
    return chosen


def _plan_or_404(request: MunicipalRequest, public_id: UUID | str) -> ShiftPlan:
    plan = selectors.plan_public(municipality=request.municipality, public_id=public_id)
    if plan is None:
        raise Http404
    return plan


def _plan_url(
    request: MunicipalRequest, plan: ShiftPlan, monday: date, page: str = "", chosen: Any = ()
) -> str:
    query = [("woche", week_param(monday))]
    if page:
        query.append(("seite", page))
    query += [("schicht", str(c)) for c in chosen]
    return mreverse("shifts:plan", request.municipality, public_id=plan.public_id) + (
        "?" + urlencode(query)
    )


@require_GET
def index(request: MunicipalRequest) -> HttpResponse:
    """The town's shift plans with upcoming shifts, the soonest first."""
    found = selectors.plans_upcoming(municipality=request.municipality, user=request.user)
    page = Paginator(found, PLANS_PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "shifts/public_index.html",
        {
            "page": page,
            "member_of": selectors.member_organisation_ids(user=request.user),
        },
    )


def _plan_page(
    request: MunicipalRequest,
    plan: ShiftPlan,
    *,
    monday: date,
    form: SignupForm,
    chosen: set[UUID],
    page: str | None,
    week_error: str = "",
    status: int = 200,
) -> HttpResponse:
    week = selectors.plan_week(plan=plan, user=request.user, monday=monday, page=page)
    this_week = selectors.monday_of(timezone.now())
    return render(
        request,
        "shifts/public_plan.html",
        {
            "plan": plan,
            "week": week,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "week_number": monday.isocalendar()[1],
            "week_param": week_param(monday),
            "previous_week": week_param(monday - timedelta(days=7)),
            "next_week": week_param(monday + timedelta(days=7)),
            "this_week": week_param(this_week) if this_week != monday else "",
            "next_week_with_shifts": (
                week_param(week.next_week_with_shifts)
                if week.next_week_with_shifts and week.next_week_with_shifts > monday
                else ""
            ),
            "form": form,
            "chosen": chosen,
            "week_error": week_error,
        },
        status=status,
    )


@require_GET
def plan(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """A plan's shifts of one week, with fill levels and the form to sign up for several."""
    shift_plan = _plan_or_404(request, public_id)
    raw = request.GET.get("woche", "")
    week_error = ""
    if raw:
        parsed = week_parse(raw)
        if parsed is None:
            week_error = _(
                "“%(value)s” is not a week we know. Weeks are written like 2026-W49; "
                "here is the current week."
            ) % {"value": raw[:20]}
        monday = parsed or selectors.monday_of(timezone.now())
    else:
        monday = selectors.plan_first_week(plan=shift_plan, user=request.user)
    form = SignupForm(
        initial={
            "plan": shift_plan.public_id,
            "woche": week_param(monday),
            "companions": 0,
            "waitlist": True,
        }
    )
    return _plan_page(
        request,
        shift_plan,
        monday=monday,
        form=form,
        chosen=_chosen(request.GET.getlist("schicht")),
        page=request.GET.get("seite"),
        week_error=week_error,
    )


def _done_message(made: list[Signup]) -> list[tuple[int, str]]:
    """What the person now holds, one message per outcome."""
    by_status: dict[str, list[str]] = {}
    for signup in made:
        by_status.setdefault(signup.status, []).append(
            _("%(task)s on %(when)s")
            % {"task": signup.shift.task, "when": services.when(signup.shift)}
        )
    texts = {
        Signup.Status.CONFIRMED: (
            messages.SUCCESS,
            _("Your place is confirmed: %(shifts)s. The calendar entry is on its way by e-mail."),
        ),
        Signup.Status.WAITLISTED: (
            messages.INFO,
            _(
                "These shifts are full, so you are on the waitlist: %(shifts)s. We ask you by e-mail when a place frees up."
            ),
        ),
        Signup.Status.REQUESTED: (
            messages.INFO,
            _("These shifts are for members; your request went to the organisation: %(shifts)s."),
        ),
    }
    return [
        (level, text % {"shifts": "; ".join(by_status[status])})
        for status, (level, text) in texts.items()
        if status in by_status
    ]


@require_POST
def signup(request: MunicipalRequest) -> HttpResponse:
    """Sign up for the shifts ticked on a plan's page: all of them or none."""
    try:
        plan_id = UUID(request.POST.get("plan", ""))
    except ValueError:
        raise Http404 from None
    shift_plan = _plan_or_404(request, plan_id)
    monday = week_parse(request.POST.get("woche", "")) or selectors.plan_first_week(
        plan=shift_plan, user=request.user
    )
    chosen = _chosen(request.POST.getlist("shifts"))
    page = request.POST.get("seite", "")[:6]
    if not request.user.is_authenticated:
        return redirect_to_login(
            _plan_url(request, shift_plan, monday, page, sorted(chosen, key=str))
        )
    form = SignupForm(request.POST)
    if form.is_valid():
        wanted = form.cleaned_data["shifts"]
        shifts = selectors.shifts_for_signup(plan=shift_plan, user=request.user, public_ids=wanted)
        if len(shifts) != len(wanted):
            form.add_error(
                "shifts",
                _("Some of the shifts you chose are not offered any more. Please choose again."),
            )
        else:
            try:
                made = services.shifts_sign_up(
                    volunteer=request.user,
                    shifts=shifts,
                    party_size=form.party_size(),
                    message=form.cleaned_data["message"],
                    waitlist=form.cleaned_data["waitlist"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                for level, text in _done_message(made):
                    messages.add_message(request, level, text)
                return mredirect("shifts:mine", request.municipality)
    return _plan_page(
        request, shift_plan, monday=monday, form=form, chosen=chosen, page=page, status=400
    )


def opportunity_panel(request: HttpRequest, opportunity: Any) -> str:
    """The opportunity's shift plans with their next shifts, for its public page ("" if none)."""
    municipality = getattr(request, "municipality", None) or opportunity.municipality
    plans = selectors.opportunity_plans(
        opportunity=opportunity, municipality=municipality, user=request.user
    )
    if not plans:
        return ""
    return render_to_string(
        "shifts/public_opportunity_panel.html",
        {"plans": plans, "opportunity": opportunity},
        request=request,
    )


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("plan/<uuid:public_id>/", plan, name="plan"),
    path("anmelden/", signup, name="signup"),
]
