"""The organiser's pages: an organisation's week plan, one shift's helpers with the actions on
them (approve, assign, move, swap, message), and the shift's printable list.

Who may not organise the organisation's shifts gets the same 404 as for a shift that does not
exist (as on the exchange's management pages). The coordination office organises shifts but
does not see who signed up: it gets 403 on the helpers' pages.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest, login_redirect
from gemeinsinn.core.routing import mredirect, mreverse
from gemeinsinn.shifts.forms_organiser import (
    AssignForm,
    DecideForm,
    MessageForm,
    MoveForm,
    SwapForm,
    SwapShiftForm,
)
from gemeinsinn.shifts.models import Shift, Signup
from gemeinsinn.shifts.selectors import organiser as selectors
from gemeinsinn.shifts.services import messages as message_services
from gemeinsinn.shifts.services import signups as services

ORGANISE = "shifts.organise"
HANDLE = "shifts.handle_helpers"
# Empty rows on the printed list for people who come without signing up.
PRINT_SPARE_ROWS = 3


def _allow(request: MunicipalRequest, organisation: Organisation, perm: str) -> None:
    """404 for whoever may not organise the organisation's shifts, 403 for the office on the
    helpers' pages (it organises, but who signed up is not its business)."""
    if request.user.has_perm(perm, organisation):
        return
    if perm != ORGANISE and request.user.has_perm(ORGANISE, organisation):
        raise PermissionDenied
    raise Http404


def _shift(request: MunicipalRequest, public_id: UUID) -> Shift:
    shift = selectors.shift_for_organiser(municipality=request.municipality, public_id=public_id)
    if shift is None:
        raise Http404
    _allow(request, shift.organisation, HANDLE)
    return shift


def _signup(request: MunicipalRequest, public_id: UUID) -> Signup:
    signup = selectors.signup_for_organiser(municipality=request.municipality, public_id=public_id)
    if signup is None:
        raise Http404
    _allow(request, signup.shift.organisation, HANDLE)
    return signup


def _back(request: MunicipalRequest, shift: Shift) -> HttpResponse:
    return mredirect("shifts:shift_helpers", request.municipality, public_id=shift.public_id)


# --- the week plan --------------------------------------------------------------------------


@require_GET
def week(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    """The organisation's shifts of a week (or of one day, for phones) with their fill levels."""
    if (login := login_redirect(request)) is not None:
        return login
    organisation = selectors.organisation_for_organiser(
        municipality=request.municipality, slug=org_slug
    )
    if organisation is None:
        raise Http404
    # Who handles helpers also organises: asking that first saves the second membership query.
    can_handle = request.user.has_perm(HANDLE, organisation)
    if not can_handle:
        _allow(request, organisation, ORGANISE)
    today = selectors.today()
    day: date | None = None
    monday: date | None = None
    if "tag" in request.GET:
        day = selectors.day_parse(request.GET["tag"])
        if day is None:
            messages.error(
                request,
                _("“%(value)s” is not a day. Days are written like 2026-12-01; here is this week.")
                % {"value": request.GET["tag"][:40]},
            )
    if day is None and "woche" in request.GET:
        monday = selectors.week_parse(request.GET["woche"])
        if monday is None:
            messages.error(
                request,
                _("“%(value)s” is not a week. Weeks are written like 2026-W49; here is this week.")
                % {"value": request.GET["woche"][:40]},
            )
    if day is not None:
        monday = day - timedelta(days=day.weekday())
    monday = monday or today - timedelta(days=today.weekday())
    plan = selectors.organiser_days(
        organisation=organisation,
        first_day=day or monday,
        days=1 if day is not None else 7,
        page=_page_number(request.GET.get("seite", "")),
    )
    week_dates = [monday + timedelta(days=n) for n in range(7)]
    here = f"tag={day:%Y-%m-%d}" if day is not None else f"woche={selectors.week_label(monday)}"
    first = (plan.page - 1) * selectors.PLAN_PAGE_SIZE
    return render(
        request,
        "shifts/organiser_week.html",
        {
            "organisation": organisation,
            "plan": plan,
            "day": day,
            "monday": monday,
            "sunday": week_dates[-1],
            "week_dates": week_dates,
            "week": selectors.week_label(monday),
            "previous_week": selectors.week_label(monday - timedelta(days=7)),
            "next_week": selectors.week_label(monday + timedelta(days=7)),
            "this_week": selectors.week_label(today),
            "previous_day": day - timedelta(days=1) if day else None,
            "next_day": day + timedelta(days=1) if day else None,
            "today": today,
            "here": here,
            "first_shown": first + 1,
            "last_shown": min(first + selectors.PLAN_PAGE_SIZE, plan.total),
            "helpers_prefix": _helpers_prefix(request) if can_handle else "",
        },
    )


def _page_number(value: str) -> int:
    """The page asked for; anything but a positive number is the first page."""
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


def _helpers_prefix(request: MunicipalRequest) -> str:
    """The helpers' page address without the shift's id: reversing once instead of for each of
    thousands of shifts keeps a big week fast."""
    placeholder = UUID(int=0)
    url = mreverse("shifts:shift_helpers", request.municipality, public_id=placeholder)
    return url[: url.index(str(placeholder))]


# --- one shift's helpers --------------------------------------------------------------------


def _helpers_page(
    request: MunicipalRequest,
    shift: Shift,
    *,
    assign_form: AssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    helpers = selectors.shift_helpers(shift=shift)
    open_for_changes = shift.status == Shift.Status.SCHEDULED and shift.ends_at > timezone.now()
    if assign_form is None and open_for_changes:
        assign_form = AssignForm(candidates=selectors.assign_candidates(shift=shift))
    return render(
        request,
        "shifts/organiser_helpers.html",
        {
            "organisation": shift.organisation,
            "shift": shift,
            "helpers": helpers,
            "assign_form": assign_form if open_for_changes else None,
            "open_for_changes": open_for_changes,
            "week": selectors.week_label(timezone.localtime(shift.starts_at).date()),
        },
        status=status,
    )


@require_GET
def shift_helpers(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Who is on a shift: confirmed, offered, waitlist, requests, with answers and reminders."""
    if (login := login_redirect(request)) is not None:
        return login
    return _helpers_page(request, _shift(request, public_id))


@require_http_methods(["GET", "POST"])
def shift_assign(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Put a person the organisation knows on the shift (the form is on the helpers' page)."""
    if (login := login_redirect(request)) is not None:
        return login
    shift = _shift(request, public_id)
    if request.method != "POST":
        return _back(request, shift)
    form = AssignForm(request.POST, candidates=selectors.assign_candidates(shift=shift))
    if form.is_valid():
        volunteer = selectors.person_for_assign(user_id=form.cleaned_data["volunteer"])
        try:
            if volunteer is None:
                raise ValidationError({"volunteer": _("This person cannot be found any more.")})
            services.signup_assign(
                actor=request.user,
                shift=shift,
                volunteer=volunteer,
                party_size=form.cleaned_data["party_size"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is on the shift now and has been told.")
                % {"name": selectors.person_name(volunteer)},
            )
            return _back(request, shift)
    return _helpers_page(request, shift, assign_form=form, status=400)


@require_http_methods(["GET", "POST"])
def signup_decide(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Approve or decline a request for a members-only shift (declining asks first)."""
    if (login := login_redirect(request)) is not None:
        return login
    signup = _signup(request, public_id)
    shift = signup.shift
    if signup.status != Signup.Status.REQUESTED:
        messages.info(request, _("This request was already decided."))
        return _back(request, shift)
    initial = {"decision": request.GET.get("entscheidung", "")}
    form = DecideForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            decided = services.signup_decide(
                actor=request.user,
                signup=signup,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if decided.status == Signup.Status.CONFIRMED:
                done = _("Approved: %(name)s is on the shift and has been told.")
            elif decided.status == Signup.Status.WAITLISTED:
                done = _("Approved, but the shift is full: %(name)s is on the waitlist.")
            else:
                done = _("Declined. %(name)s has been told.")
            messages.success(request, done % {"name": selectors.person_name(signup.volunteer)})
            return _back(request, shift)
    return render(
        request,
        "shifts/organiser_decide.html",
        {"organisation": shift.organisation, "shift": shift, "signup": signup, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def signup_move(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Move a confirmed helper to another of the organisation's upcoming shifts."""
    if (login := login_redirect(request)) is not None:
        return login
    signup = _signup(request, public_id)
    shift = signup.shift
    if signup.status != Signup.Status.CONFIRMED:
        messages.info(request, _("Only confirmed helpers can be moved."))
        return _back(request, shift)
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        targets=selectors.move_targets(shift=shift),
    )
    if request.method == "POST" and form.is_valid():
        target = selectors.shift_for_organiser(
            municipality=request.municipality, public_id=form.cleaned_data["to_shift"]
        )
        try:
            if target is None:
                raise ValidationError({"to_shift": _("This shift does not exist (any more).")})
            moved = services.signup_move(actor=request.user, signup=signup, to_shift=target)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now helps with %(task)s on %(when)s and has been told.")
                % {
                    "name": selectors.person_name(signup.volunteer),
                    "task": moved.shift.task,
                    "when": services.when(moved.shift),
                },
            )
            return _back(request, shift)
    return render(
        request,
        "shifts/organiser_move.html",
        {"organisation": shift.organisation, "shift": shift, "signup": signup, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def signup_swap(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Swap a confirmed helper with one of another shift: first the shift, then the person."""
    if (login := login_redirect(request)) is not None:
        return login
    signup = _signup(request, public_id)
    shift = signup.shift
    if signup.status != Signup.Status.CONFIRMED:
        messages.info(request, _("Only confirmed helpers can be swapped."))
        return _back(request, shift)
    pick = SwapShiftForm(
        request.GET if "schicht" in request.GET else None,
        targets=selectors.move_targets(shift=shift),
    )
    other_shift: Shift | None = None
    if pick.is_bound and pick.is_valid():
        other_shift = selectors.shift_for_organiser(
            municipality=request.municipality, public_id=pick.cleaned_data["schicht"]
        )
        # The other shift's helpers are shown by name: only to those who handle its helpers.
        if other_shift is None or not request.user.has_perm(HANDLE, other_shift.organisation):
            pick.add_error("schicht", _("This shift does not exist (any more)."))
            other_shift = None
    partners = selectors.swap_partners(shift=other_shift) if other_shift is not None else []
    form = SwapForm(request.POST if request.method == "POST" else None, partners=partners)
    if request.method == "POST" and form.is_valid():
        other = selectors.signup_for_organiser(
            municipality=request.municipality, public_id=form.cleaned_data["other"]
        )
        try:
            if other is None or not request.user.has_perm(HANDLE, other.shift.organisation):
                raise ValidationError({"other": _("This helper cannot be found any more.")})
            services.signups_swap(actor=request.user, first=signup, second=other)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(first)s and %(second)s have swapped their shifts and have been told.")
                % {
                    "first": selectors.person_name(signup.volunteer),
                    "second": selectors.person_name(other.volunteer),
                },
            )
            return _back(request, shift)
    return render(
        request,
        "shifts/organiser_swap.html",
        {
            "organisation": shift.organisation,
            "shift": shift,
            "signup": signup,
            "pick": pick,
            "other_shift": other_shift,
            "form": form,
        },
        status=400 if form.is_bound or pick.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def shift_message(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Write to everybody holding a place on the shift."""
    if (login := login_redirect(request)) is not None:
        return login
    shift = _shift(request, public_id)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = message_services.shift_message_send(
                actor=request.user, shift=shift, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Your message has been sent to %(count)d person.",
                    "Your message has been sent to %(count)d people.",
                    sent.recipients,
                )
                % {"count": sent.recipients},
            )
            return _back(request, shift)
    return render(
        request,
        "shifts/organiser_message.html",
        {
            "organisation": shift.organisation,
            "shift": shift,
            "form": form,
            "sent": selectors.shift_messages(shift=shift),
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
def shift_print(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """The shift's helpers as a list to print, with columns to tick and sign; names only."""
    if (login := login_redirect(request)) is not None:
        return login
    shift = _shift(request, public_id)
    return render(
        request,
        "shifts/organiser_print.html",
        {
            "organisation": shift.organisation,
            "shift": shift,
            "rows": selectors.shift_print_list(shift=shift),
            "spare_rows": range(PRINT_SPARE_ROWS),
        },
    )


urlpatterns: list[URLPattern] = [
    path("organisation/<slug:org_slug>/wochenplan/", week, name="week"),
    path("organisieren/schicht/<uuid:public_id>/", shift_helpers, name="shift_helpers"),
    path("organisieren/schicht/<uuid:public_id>/liste/", shift_print, name="shift_print"),
    path("organisieren/schicht/<uuid:public_id>/nachricht/", shift_message, name="shift_message"),
    path("organisieren/schicht/<uuid:public_id>/zuweisen/", shift_assign, name="shift_assign"),
    path(
        "organisieren/anmeldung/<uuid:public_id>/entscheiden/",
        signup_decide,
        name="signup_decide",
    ),
    path(
        "organisieren/anmeldung/<uuid:public_id>/verschieben/",
        signup_move,
        name="signup_move",
    ),
    path("organisieren/anmeldung/<uuid:public_id>/tauschen/", signup_swap, name="signup_swap"),
]
