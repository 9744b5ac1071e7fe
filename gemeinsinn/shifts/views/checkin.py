"""Check-in: the QR code organisers print, the page it opens, and the organiser's tick list.

Helpers scan the shift's code on arrival and check in with one tap (a GET never checks in: a
code may be scanned by anybody's phone). Organisers tick who came on their phone instead.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gemeinsinn.core.http import MunicipalRequest, login_redirect
from gemeinsinn.core.routing import mredirect, mreverse
from gemeinsinn.shifts.models import Shift, Signup
from gemeinsinn.shifts.selectors import attendance as selectors
from gemeinsinn.shifts.selectors import organiser as organiser_selectors
from gemeinsinn.shifts.services import attendance as services


def checkin_url(shift: Shift) -> str:
    """The absolute address the shift's QR code stands for."""
    path_ = mreverse("shifts:checkin", shift.municipality, token=shift.checkin_token)
    return str(settings.BASE_URL or "").rstrip("/") + path_


# --- the helper's side ----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def checkin(request: MunicipalRequest, token: str) -> HttpResponse:
    """The page behind a shift's QR code: check in, or sign up on the spot and check in."""
    shift = selectors.shift_by_checkin_token(municipality=request.municipality, token=token)
    if shift is None:
        raise Http404
    if (login := login_redirect(request)) is not None:
        return login
    if request.method == "POST":
        try:
            if request.POST.get("action") == "walk_in":
                services.shift_walk_in(actor=request.user, shift=shift)
                messages.success(request, _("You are signed up and checked in. Welcome!"))
            else:
                services.signup_check_in(actor=request.user, shift=shift)
                messages.success(request, _("You are checked in. Welcome!"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return mredirect("shifts:checkin", request.municipality, token=token)
    now = timezone.now()
    signup = selectors.signup_of(shift=shift, user=request.user)
    window = selectors.checkin_window(shift=shift)
    return render(
        request,
        "shifts/checkin_page.html",
        {
            "shift": shift,
            "signup": signup,
            "window": window,
            "open": window.holds(now),
            "not_yet": now < window.opens,
            "over": now >= window.closes,
            "walk_in": signup is None and services.walk_in_possible(shift=shift),
            "Status": Signup.Status,
            "Attendance": Signup.Attendance,
        },
    )


# --- the organiser's side -------------------------------------------------------------------


def _handled_shift(request: MunicipalRequest, public_id: UUID) -> Shift:
    shift = selectors.shift_for_helpers(
        municipality=request.municipality, user=request.user, public_id=public_id
    )
    if shift is None:
        # The office organises shifts but does not see who helps: it is told so (403);
        # everybody else cannot tell the shift from one that does not exist.
        found = organiser_selectors.shift_for_organiser(
            municipality=request.municipality, public_id=public_id
        )
        if found is not None and request.user.has_perm("shifts.organise", found.organisation):
            raise PermissionDenied
        raise Http404
    return shift


@never_cache
@require_http_methods(["GET", "POST"])
def attendance(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """The tick list on the organiser's phone: who came, who did not."""
    if (login := login_redirect(request)) is not None:
        return login
    shift = _handled_shift(request, public_id)
    if request.method == "POST":
        if (page := _attendance_post(request, shift)) is not None:
            return page
        return mredirect("shifts:attendance", request.municipality, public_id=public_id)
    now = timezone.now()
    window = selectors.attendance_window(shift=shift)
    helpers = selectors.attendance_list(shift=shift)
    context: dict[str, Any] = {
        "shift": shift,
        "organisation": shift.organisation,
        "helpers": helpers,
        "window": window,
        "open": shift.status == Shift.Status.SCHEDULED and window.holds(now),
        "not_yet": now < window.opens,
        "unticked": sum(1 for s in helpers if not s.attendance),
        "Attendance": Signup.Attendance,
    }
    return render(request, "shifts/attendance_list.html", context)


def _attendance_post(request: MunicipalRequest, shift: Shift) -> HttpResponse | None:
    """Carry out one tick (or "all the rest did not come", after a confirmation page)."""
    action = request.POST.get("action", "")
    try:
        if action == "rest":
            if request.POST.get("confirm") != "yes":
                helpers = selectors.attendance_list(shift=shift)
                rest = [s for s in helpers if not s.attendance]
                return render(
                    request,
                    "shifts/attendance_confirm.html",
                    {"shift": shift, "organisation": shift.organisation, "rest": rest},
                )
            count = services.attendance_rest_no_show(actor=request.user, shift=shift)
            messages.success(
                request,
                ngettext(
                    "%(count)d helper recorded as did not come.",
                    "%(count)d helpers recorded as did not come.",
                    count,
                )
                % {"count": count},
            )
            return None
        if action not in ("attended", "no_show"):
            messages.error(request, _("Please choose attended or did not come."))
            return None
        signup = selectors.helper_of_shift(
            shift=shift, public_id=_uuid(request.POST.get("signup", ""))
        )
        if signup is None:
            messages.error(request, _("This helper is not on the shift (any more)."))
            return None
        done = services.attendance_set(
            actor=request.user, signup=signup, attended=action == "attended"
        )
        name = done.volunteer.get_full_name() or _("no name given")
        messages.success(
            request,
            _("%(name)s: attended.") % {"name": name}
            if action == "attended"
            else _("%(name)s: did not come.") % {"name": name},
        )
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    return None


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


@require_GET
def shift_qr(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """A printable page with the shift's check-in QR code (inline SVG, nothing fetched)."""
    if (login := login_redirect(request)) is not None:
        return login
    shift = _handled_shift(request, public_id)
    url = checkin_url(shift)
    code = segno.make(url, error="m")
    title = _("Check-in code for %(task)s") % {"task": shift.task}
    # segno escapes the title itself; the SVG is ours, not user input.
    svg = code.svg_inline(
        scale=8,
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,
        title=title,
        svgclass="qr-code",
    )
    return render(
        request,
        "shifts/checkin_qr.html",
        {
            "shift": shift,
            "organisation": shift.organisation,
            "url": url,
            "svg": mark_safe(svg),
        },
    )


urlpatterns: list[URLPattern] = [
    path("einchecken/<str:token>/", checkin, name="checkin"),
    path("organisieren/schicht/<uuid:public_id>/anwesenheit/", attendance, name="attendance"),
    path("organisieren/schicht/<uuid:public_id>/qr/", shift_qr, name="shift_qr"),
]
