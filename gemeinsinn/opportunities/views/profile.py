"""The volunteer profile and its onboarding, recommendations, suggested volunteers for an
organisation, and the office's exchange settings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gemeinsinn.actors.services import taxonomies_ensure
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect
from gemeinsinn.core.views import office_required
from gemeinsinn.opportunities.forms_profile import (
    STEPS,
    ExchangeSettingsForm,
    InviteForm,
    ProfileForm,
    profile_initial,
    slot_grid,
)
from gemeinsinn.opportunities.selectors import recommendations as selectors
from gemeinsinn.opportunities.selectors.common import exchange_settings
from gemeinsinn.opportunities.services import profiles as services
from gemeinsinn.opportunities.services.taxonomy import skills_ensure

OFFICE = "core.manage_municipality"
# The onboarding answers wait here until the last step saves them all at once.
SESSION_KEY = "opportunities.onboarding"


def _vocabularies(request: MunicipalRequest) -> None:
    """A town whose lists are still empty starts with the default fields and skills."""
    taxonomies_ensure(municipality=request.municipality)
    skills_ensure(municipality=request.municipality)


def _located_notice(request: MunicipalRequest, profile: Any) -> None:
    if (profile.postcode or profile.district_id) and profile.latitude is None:
        messages.warning(
            request,
            _(
                "We could not find where %(place)s lies, so distances are not taken into account. "
                "Opportunities nearby are still recommended."
            )
            % {"place": profile.postcode or profile.district},
        )


# --- profile --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def profile(request: MunicipalRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _vocabularies(request)
    saved = selectors.profile_of(user=request.user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        municipality=request.municipality,
        user=request.user,
        initial=profile_initial(saved),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.profile_save(
                user=request.user, municipality=request.municipality, data=form.to_input()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            _located_notice(request, saved)
            return mredirect("opportunities:profile", request.municipality)
    return render(
        request,
        "opportunities/profile.html",
        {
            "form": form,
            "slot_grid": slot_grid(form),
            "saved": saved,
            "elsewhere": saved is not None and saved.municipality_id != request.municipality.pk,
        },
        status=400 if form.is_bound else 200,
    )


# --- onboarding -----------------------------------------------------------------------------------


def _answers(request: MunicipalRequest) -> dict[str, dict[str, list[str]]]:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or state.get("municipality") != request.municipality.pk:
        return {}
    steps = state.get("steps")
    return steps if isinstance(steps, dict) else {}


def _remember(request: MunicipalRequest, step: int, form: ProfileForm) -> None:
    answers = _answers(request)
    raw: Any = form.data  # a QueryDict or MultiValueDict: several values per name
    answers[str(step)] = {name: raw.getlist(name) for name in form.fields}
    request.session[SESSION_KEY] = {"municipality": request.municipality.pk, "steps": answers}


def _step_form(request: MunicipalRequest, step: int, data: Any = None) -> ProfileForm:
    saved = selectors.profile_of(user=request.user)
    stored = _answers(request).get(str(step))
    if data is None and stored is not None:
        # A step answered before shows the answers kept in the session.
        data = MultiValueDict(stored)
    return ProfileForm(
        data,
        municipality=request.municipality,
        user=request.user,
        only=STEPS[step - 1][1],
        initial=profile_initial(saved),
    )


def _step_of(value: Any) -> int:
    try:
        step = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(step, 1), len(STEPS))


def _onboarding_page(request: MunicipalRequest, step: int, form: ProfileForm) -> HttpResponse:
    return render(
        request,
        "opportunities/profile_onboarding.html",
        {
            "form": form,
            "step": step,
            "steps": len(STEPS),
            "step_name": STEPS[step - 1][0],
            "slot_grid": slot_grid(form) if "time_slots" in form.fields else None,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _go(request: MunicipalRequest, step: int) -> HttpResponse:
    query = QueryDict(mutable=True)
    query["schritt"] = str(step)
    response = mredirect("opportunities:onboarding", request.municipality)
    response["Location"] += "?" + query.urlencode()
    return response


def _ask_again(
    request: MunicipalRequest, answers: dict[str, dict[str, list[str]]], fields: set[str]
) -> HttpResponse:
    """A kept answer no longer fits (the office switched a field off meanwhile): ask that
    screen again."""
    step = next((n for n, (_s, names) in enumerate(STEPS, start=1) if set(names) & fields), 1)
    answers.pop(str(step), None)
    request.session[SESSION_KEY] = {"municipality": request.municipality.pk, "steps": answers}
    messages.error(request, _("One of your choices is no longer available. Please choose again."))
    return _go(request, step)


@require_http_methods(["GET", "POST"])
def onboarding(request: MunicipalRequest) -> HttpResponse:
    """Four short questions, one screen each; nothing is saved to the profile before the end."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _vocabularies(request)
    if request.method == "GET":
        step = _step_of(request.GET.get("schritt", 1))
        return _onboarding_page(request, step, _step_form(request, step))

    step = _step_of(request.POST.get("step"))
    form = _step_form(request, step, request.POST)
    if request.POST.get("go") == "back":
        # Going back keeps what is valid on this screen and never stops at an error.
        if form.is_valid():
            _remember(request, step, form)
        return _go(request, max(1, step - 1))
    if not form.is_valid():
        return _onboarding_page(request, step, form)
    _remember(request, step, form)
    if step < len(STEPS):
        return _go(request, step + 1)

    answers = _answers(request)
    missing = [n for n in range(1, len(STEPS) + 1) if str(n) not in answers]
    if missing:
        # The session lost earlier answers (it expired, or the questions were opened in the
        # middle): this screen's answers are kept, the missing screen comes again.
        messages.warning(
            request, _("Some of your answers were not kept. Please answer this question again.")
        )
        return _go(request, missing[0])
    merged: MultiValueDict[str, str] = MultiValueDict()
    for number in range(1, len(STEPS) + 1):
        for name, values in answers[str(number)].items():
            merged.setlist(name, values)
    whole = ProfileForm(merged, municipality=request.municipality, user=request.user)
    if not whole.is_valid():
        return _ask_again(request, answers, set(whole.errors))
    try:
        saved = services.profile_save(
            user=request.user,
            municipality=request.municipality,
            data=whole.to_input(),
            onboarding=True,
        )
    except ValidationError as exc:
        return _ask_again(request, answers, set(getattr(exc, "error_dict", {})))
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("Thank you! These opportunities fit what you told us."))
    _located_notice(request, saved)
    return mredirect("opportunities:recommendations", request.municipality)


# --- recommendations ------------------------------------------------------------------------------


@require_GET
def recommendations(request: MunicipalRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = selectors.recommendations_for(user=request.user, municipality=request.municipality)
    has_profile = bool(found) or selectors.profile_of(user=request.user) is not None
    return render(
        request,
        "opportunities/recommendations.html",
        {"recommendations": found, "has_profile": has_profile},
    )


# --- suggested volunteers -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def suggestions(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    opportunity = selectors.opportunity_of_municipality(
        municipality=request.municipality, public_id=public_id
    )
    # People's names are personal data: whoever may not handle applications sees "not found".
    if opportunity is None or not request.user.has_perm(
        "opportunities.handle_applications", opportunity
    ):
        raise Http404
    if request.method == "POST":
        form = InviteForm(request.POST)
        person = (
            selectors.suggested_volunteer(
                opportunity=opportunity, public_id=form.cleaned_data["volunteer"]
            )
            if form.is_valid()
            else None
        )
        if person is None:
            messages.error(request, _("This person is no longer among the suggestions."))
        else:
            try:
                services.suggestion_invite(
                    actor=request.user,
                    opportunity=opportunity,
                    volunteer_public_id=person.public_id,
                    explanation=person.explanation_for_volunteer,
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(
                    request,
                    " ".join(exc.messages)
                    if isinstance(exc, ValidationError)
                    else _("You may not invite people to this opportunity."),
                )
            else:
                messages.success(
                    request,
                    _("%(name)s has been invited by e-mail.")
                    % {"name": person.first_name or _("The person")},
                )
        return mredirect("opportunities:suggestions", request.municipality, public_id=public_id)
    return render(
        request,
        "opportunities/suggestions.html",
        {
            "opportunity": opportunity,
            "suggestions": selectors.suggested_volunteers(opportunity=opportunity),
            "is_live": selectors.is_live(opportunity=opportunity),
        },
    )


# --- the office's settings ------------------------------------------------------------------------


@office_required(OFFICE)
@require_http_methods(["GET", "POST"])
def office_settings(request: MunicipalRequest) -> HttpResponse:
    current = exchange_settings(municipality=request.municipality)
    form = ExchangeSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.exchange_settings_update(
                actor=request.user,
                municipality=request.municipality,
                values={name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The settings of the engagement exchange have been saved."))
            return mredirect("opportunities:office_settings", request.municipality)
    return render(
        request,
        "opportunities/office_settings.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


urlpatterns: list[URLPattern] = [
    path("profil/", profile, name="profile"),
    path("einstieg/", onboarding, name="onboarding"),
    path("fuer-sie/", recommendations, name="recommendations"),
    path("angebot/<uuid:public_id>/vorschlaege/", suggestions, name="suggestions"),
    path("verwaltung/einstellungen/", office_settings, name="office_settings"),
]
