"""The volunteer's own shifts: the "my shifts" page, cancelling, confirming an offered place,
and the preferences with the private calendar address.

Every page shows only the person's own sign-ups in this town; anything else is a 404.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest, login_redirect
from gemeinsinn.core.routing import mredirect, mreverse
from gemeinsinn.shifts.forms_signup import CancelForm, PreferencesForm
from gemeinsinn.shifts.models import Signup
from gemeinsinn.shifts.selectors import mine as selectors
from gemeinsinn.shifts.services import preferences as preference_services
from gemeinsinn.shifts.services import signups as services

PAST_PAGE_SIZE = 20
Status = Signup.Status


def _signup_or_404(request: MunicipalRequest, public_id: UUID) -> Signup:
    found = selectors.signup_of(
        user=request.user, municipality=request.municipality, public_id=public_id
    )
    if found is None:
        raise Http404
    return found


def _names(signup: Signup) -> dict[str, str]:
    return {"task": signup.shift.task, "when": services.when(signup.shift)}


@require_GET
def mine(request: MunicipalRequest) -> HttpResponse:
    """The person's upcoming shifts (with what to do next) and past shifts."""
    if (login := login_redirect(request)) is not None:
        return login
    upcoming = selectors.signups_upcoming(user=request.user, municipality=request.municipality)
    past = Paginator(
        selectors.signups_past(user=request.user, municipality=request.municipality),
        PAST_PAGE_SIZE,
    ).get_page(request.GET.get("seite"))
    return render(request, "shifts/mine_list.html", {"upcoming": upcoming, "past": past})


@require_http_methods(["GET", "POST"])
def cancel(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Give up a place, leave the waitlist, withdraw a request or decline an offered place;
    after the deadline only with a message to the organisation."""
    if (login := login_redirect(request)) is not None:
        return login
    signup = _signup_or_404(request, public_id)
    if signup.status not in Signup.LIVE:
        messages.info(request, _("This sign-up is not active any more."))
        return mredirect("shifts:mine", request.municipality)
    deadline = services.cancel_deadline(signup.shift)
    late = signup.status in Signup.HOLDING and timezone.now() > deadline
    form = CancelForm(request.POST if request.method == "POST" else None, message_needed=late)
    if request.method == "POST" and form.is_valid():
        status = signup.status
        try:
            services.signup_cancel(
                actor=request.user, signup=signup, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = {
                Status.CONFIRMED: _(
                    "You have cancelled %(task)s on %(when)s. The organisation has been told."
                ),
                Status.OFFERED: _(
                    "You have declined the place for %(task)s on %(when)s. It goes to the next person."
                ),
                Status.WAITLISTED: _("You have left the waitlist of %(task)s on %(when)s."),
                Status.REQUESTED: _("You have withdrawn your request for %(task)s on %(when)s."),
            }[Status(status)]
            messages.success(request, done % _names(signup))
            return mredirect("shifts:mine", request.municipality)
    return render(
        request,
        "shifts/mine_cancel.html",
        {
            "signup": signup,
            "shift": signup.shift,
            "late": late,
            "deadline": deadline,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def offer_confirm(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Take the place offered from the waitlist."""
    if not request.user.is_authenticated:
        # After the login the person lands on their shifts, where the button is.
        return redirect_to_login(mreverse("shifts:mine", request.municipality))
    signup = _signup_or_404(request, public_id)
    try:
        services.signup_offer_confirm(actor=request.user, signup=signup)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Your place for %(task)s on %(when)s is confirmed. The calendar entry is on its way by e-mail."
            )
            % _names(signup),
        )
    return mredirect("shifts:mine", request.municipality)


FEED_ACTIONS = ("renew", "revoke")


@require_http_methods(["GET", "POST"])
def preferences(request: MunicipalRequest) -> HttpResponse:
    """Reminders and the private calendar address (create, renew, switch off)."""
    if (login := login_redirect(request)) is not None:
        return login
    current = selectors.preferences_of(user=request.user)
    form = PreferencesForm(initial={"reminders": current.reminders})
    back = mredirect("shifts:preferences", request.municipality)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "reminders":
            form = PreferencesForm(request.POST)
            if form.is_valid():
                try:
                    preference_services.preferences_update(
                        user=request.user, reminders=form.cleaned_data["reminders"]
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Your reminder choice has been saved."))
                    return back
        elif action in FEED_ACTIONS:
            # Renewing or switching off breaks the calendars that subscribed: ask first.
            if current.feed_token and request.POST.get("confirmed") != "yes":
                return render(request, "shifts/mine_feed_confirm.html", {"action": action})
            try:
                if action == "renew":
                    preference_services.feed_token_renew(
                        user=request.user, municipality=request.municipality
                    )
                    messages.success(
                        request,
                        _("Your new calendar address is ready. The old one no longer works.")
                        if current.feed_token
                        else _("Your private calendar address is ready."),
                    )
                else:
                    preference_services.feed_revoke(
                        user=request.user, municipality=request.municipality
                    )
                    messages.success(request, _("Your private calendar address is switched off."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return back
        else:
            return back
    feed_url = ""
    if current.feed_token:
        feed_url = str(settings.BASE_URL or "").rstrip("/") + mreverse(
            "shifts:user_feed", request.municipality, token=current.feed_token
        )
    return render(
        request,
        "shifts/mine_preferences.html",
        {
            "form": form,
            "preferences": current,
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("meine/", mine, name="mine"),
    path("meine/einstellungen/", preferences, name="preferences"),
    path("meine/<uuid:public_id>/absagen/", cancel, name="cancel"),
    path("meine/<uuid:public_id>/zusagen/", offer_confirm, name="offer_confirm"),
]
