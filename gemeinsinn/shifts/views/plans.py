"""Organising shifts: an organisation's plans, recurring series, single shifts, templates and
requirements.

Who may not organise the organisation's shifts gets the same 404 as for something that does not
exist. Who met a requirement is personal data: the coordination office, which organises, gets 403
there (as on the helpers' pages).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest, login_redirect
from gemeinsinn.core.routing import mredirect
from gemeinsinn.shifts.forms_plans import (
    WEEKDAY_CHOICES,
    PlanArchiveForm,
    PlanForm,
    RequirementForm,
    RequirementRecordForm,
    SeriesEditForm,
    SeriesEndForm,
    SeriesForm,
    ShiftCancelForm,
    ShiftForm,
    TemplateApplyForm,
    TemplateForm,
    end_after,
    parse_day,
    rows_typed,
    template_item_formset,
)
from gemeinsinn.shifts.models import Shift, ShiftPlan, ShiftSeries, ShiftTemplate
from gemeinsinn.shifts.selectors import plans as selectors
from gemeinsinn.shifts.services import plans as services
from gemeinsinn.shifts.services import requirements as requirement_services
from gemeinsinn.shifts.services import templates as template_services
from gemeinsinn.shifts.services.plans import SeriesOutcome

ORGANISE = "shifts.organise"
HANDLE = "shifts.handle_helpers"

T = TypeVar("T")


def _or_404(found: T | None) -> T:
    """What the organiser may organise, or the same 404 as for what does not exist."""
    if found is None:
        raise Http404
    return found


def _organisation(request: MunicipalRequest, org_slug: str) -> Organisation:
    return _or_404(
        selectors.organisation_to_organise(
            municipality=request.municipality, slug=org_slug, user=request.user
        )
    )


def _plan(request: MunicipalRequest, public_id: UUID) -> ShiftPlan:
    return _or_404(
        selectors.plan_to_organise(
            municipality=request.municipality, public_id=public_id, user=request.user
        )
    )


def _series(request: MunicipalRequest, public_id: UUID) -> ShiftSeries:
    return _or_404(
        selectors.series_to_organise(
            municipality=request.municipality, public_id=public_id, user=request.user
        )
    )


def _shift(request: MunicipalRequest, public_id: UUID) -> Shift:
    return _or_404(
        selectors.shift_to_organise(
            municipality=request.municipality, public_id=public_id, user=request.user
        )
    )


def _template(request: MunicipalRequest, pk: int) -> ShiftTemplate:
    return _or_404(
        selectors.template_to_organise(municipality=request.municipality, pk=pk, user=request.user)
    )


def _to_plan(request: MunicipalRequest, plan: ShiftPlan) -> HttpResponse:
    return mredirect("shifts:plan_manage", request.municipality, public_id=plan.public_id)


def _post(request: MunicipalRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _status(request: MunicipalRequest, *forms: BaseForm | Any) -> int:
    """400 for a POST that is shown again with errors, else 200."""
    if request.method == "POST" and any(f is not None and f.errors for f in forms):
        return 400
    return 200


def _day(value: date) -> str:
    return date_format(value, "d.m.Y")


def _series_message(outcome: SeriesOutcome) -> str:
    parts: list[str] = []
    if outcome.created:
        parts.append(
            ngettext("%(n)d shift created.", "%(n)d shifts created.", outcome.created)
            % {"n": outcome.created}
        )
    if outcome.changed:
        parts.append(
            ngettext("%(n)d shift changed.", "%(n)d shifts changed.", outcome.changed)
            % {"n": outcome.changed}
        )
    if outcome.deleted:
        parts.append(
            ngettext("%(n)d empty shift deleted.", "%(n)d empty shifts deleted.", outcome.deleted)
            % {"n": outcome.deleted}
        )
    if outcome.cancelled:
        parts.append(
            ngettext(
                "%(n)d shift with helpers cancelled.",
                "%(n)d shifts with helpers cancelled.",
                outcome.cancelled,
            )
            % {"n": outcome.cancelled}
        )
    if outcome.told:
        parts.append(
            ngettext("%(n)d person was told.", "%(n)d people were told.", outcome.told)
            % {"n": outcome.told}
        )
    if outcome.holidays:
        parts.append(
            _("Left out as public holidays: %(days)s.")
            % {"days": ", ".join(f"{_day(d)} ({name})" for d, name in outcome.holidays)}
        )
    return " ".join(parts) or _("Nothing needed to change.")


# --- plans ----------------------------------------------------------------------------------


@require_GET
def org_plans(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    """The organiser's home: the organisation's plans with their next shifts."""
    if (login := login_redirect(request)) is not None:
        return login
    organisation = _organisation(request, org_slug)
    now = timezone.now()
    return render(
        request,
        "shifts/plan_list.html",
        {
            "organisation": organisation,
            "rows": selectors.plans_of_organisation(organisation=organisation, now=now),
            "archived": selectors.plans_of_organisation(
                organisation=organisation, now=now, archived=True
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_create(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if (login := login_redirect(request)) is not None:
        return login
    organisation = _organisation(request, org_slug)
    form = PlanForm(
        _post(request), opportunities=selectors.opportunities_for_plans(organisation=organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user,
                organisation=organisation,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                place=form.cleaned_data["place"],
                opportunity=form.cleaned_data["opportunity"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The plan “%(title)s” is ready. Now add recurring or single shifts.")
                % {"title": plan.title},
            )
            return _to_plan(request, plan)
    return render(
        request,
        "shifts/plan_form.html",
        {"organisation": organisation, "form": form},
        status=_status(request, form),
    )


@require_http_methods(["GET", "POST"])
def plan_manage(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """A plan with its series and next shifts (fill level, edit, cancel); POST changes the plan."""
    if (login := login_redirect(request)) is not None:
        return login
    plan = _plan(request, public_id)
    organisation = plan.organisation
    form = PlanForm(
        _post(request),
        initial=PlanForm.initial_for(plan),
        opportunities=selectors.opportunities_for_plans(organisation=organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                actor=request.user,
                plan=plan,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                place=form.cleaned_data["place"],
                opportunity=form.cleaned_data["opportunity"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan has been saved."))
            return _to_plan(request, plan)
    overview = selectors.plan_overview(plan=plan, now=timezone.now())
    return render(
        request,
        "shifts/plan_manage.html",
        {
            "organisation": organisation,
            "plan": plan,
            "overview": overview,
            # Who signed up is not the office's business: it organises without the helpers page.
            "can_handle": request.user.has_perm(HANDLE, organisation),
            "series_rows": [
                {
                    "series": series,
                    "days": ", ".join(
                        str(label) for day, label in WEEKDAY_CHOICES if series.weekdays & (1 << day)
                    ),
                    "end_time": end_after(series.start_time, series.duration_minutes),
                }
                for series in overview.series
            ],
            "form": form,
        },
        status=_status(request, form),
    )


@require_http_methods(["GET", "POST"])
def plan_archive(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if (login := login_redirect(request)) is not None:
        return login
    plan = _plan(request, public_id)
    if plan.is_archived:
        messages.info(request, _("This plan is already archived."))
        return mredirect("shifts:org_plans", request.municipality, org_slug=plan.organisation.slug)
    form = PlanArchiveForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            told = services.plan_archive(
                actor=request.user, plan=plan, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "“%(title)s” is archived; %(n)d person was told.",
                    "“%(title)s” is archived; %(n)d people were told.",
                    told,
                )
                % {"title": plan.title, "n": told},
            )
            return mredirect(
                "shifts:org_plans", request.municipality, org_slug=plan.organisation.slug
            )
    return render(
        request,
        "shifts/plan_archive.html",
        {
            "organisation": plan.organisation,
            "plan": plan,
            "form": form,
            "impact": selectors.plan_archive_impact(plan=plan, now=timezone.now()),
        },
        status=_status(request, form),
    )


# --- series ---------------------------------------------------------------------------------


def _requirements(organisation: Organisation) -> Any:
    return selectors.requirements_of_organisation(organisation=organisation)


@require_http_methods(["GET", "POST"])
def series_create(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if (login := login_redirect(request)) is not None:
        return login
    plan = _plan(request, public_id)
    today = timezone.localdate()
    form = SeriesForm(
        _post(request),
        requirements=_requirements(plan.organisation),
        initial={
            "starts_on": today + timedelta(days=1),
            "until": today + timedelta(days=91),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.series_create(
                actor=request.user,
                plan=plan,
                starts_on=form.cleaned_data["starts_on"],
                spec=form.spec(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _series_message(outcome))
            return _to_plan(request, plan)
    return render(
        request,
        "shifts/series_form.html",
        {"organisation": plan.organisation, "plan": plan, "form": form, "series": None},
        status=_status(request, form),
    )


@require_http_methods(["GET", "POST"])
def series_edit(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Change a series from a date on ("this and all following")."""
    if (login := login_redirect(request)) is not None:
        return login
    series = _series(request, public_id)
    plan = series.plan
    today = timezone.localdate()
    from_date = parse_day(request.GET.get("ab", "")) or max(today, series.starts_on)
    form = SeriesEditForm(
        _post(request),
        requirements=_requirements(plan.organisation),
        initial=SeriesEditForm.initial_for(series, max(from_date, today)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.series_update_following(
                actor=request.user,
                series=series,
                from_date=form.cleaned_data["from_date"],
                changes=form.spec(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _series_message(outcome))
            return _to_plan(request, plan)
    return render(
        request,
        "shifts/series_form.html",
        {"organisation": plan.organisation, "plan": plan, "form": form, "series": series},
        status=_status(request, form),
    )


@require_http_methods(["GET", "POST"])
def series_end(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """End a series after a day: the form, the confirmation with its impact, the change."""
    if (login := login_redirect(request)) is not None:
        return login
    series = _series(request, public_id)
    plan = series.plan
    today = timezone.localdate()
    form = SeriesEndForm(_post(request), initial={"after_date": max(today, series.starts_on)})
    impact = None
    after_date: date | None = None
    if request.method == "POST" and form.is_valid():
        after_date = form.cleaned_data["after_date"]
        if form.cleaned_data["confirmed"]:
            try:
                outcome = services.series_end(
                    actor=request.user, series=series, after_date=after_date
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The recurring shifts end on %(day)s.") % {"day": _day(after_date)}
                    + " "
                    + _series_message(outcome),
                )
                return _to_plan(request, plan)
        else:
            impact = selectors.series_end_impact(
                series=series, after_date=after_date, now=timezone.now()
            )
    return render(
        request,
        "shifts/series_end.html",
        {
            "organisation": plan.organisation,
            "plan": plan,
            "series": series,
            "form": form,
            "impact": impact,
            "after_date": after_date,
        },
        status=_status(request, form),
    )


# --- single shifts --------------------------------------------------------------------------


def _shift_initial(shift: Shift) -> dict[str, Any]:
    start = timezone.localtime(shift.starts_at)
    return {
        "day": start.date(),
        "task": shift.task,
        "description": shift.description,
        "place": shift.place,
        "capacity": shift.capacity,
        "visibility": shift.visibility,
        "requirements": list(shift.requirements.all()),
        "start_time": start.time(),
        "end_time": timezone.localtime(shift.ends_at).time(),
    }


@require_http_methods(["GET", "POST"])
def shift_create(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if (login := login_redirect(request)) is not None:
        return login
    plan = _plan(request, public_id)
    form = ShiftForm(
        _post(request),
        requirements=_requirements(plan.organisation),
        initial={
            "day": parse_day(request.GET.get("tag", "")) or timezone.localdate() + timedelta(days=1)
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.shift_create(
                actor=request.user,
                plan=plan,
                day=form.cleaned_data["day"],
                start_time=form.cleaned_data["start_time"],
                duration_minutes=form.duration_minutes(),
                fields=form.shift_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The shift %(task)s has been added.") % {"task": shift.task}
            )
            return _to_plan(request, plan)
    return render(
        request,
        "shifts/shift_form.html",
        {"organisation": plan.organisation, "plan": plan, "form": form, "shift": None},
        status=_status(request, form),
    )


@require_http_methods(["GET", "POST"])
def shift_edit(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Change one shift; for a shift of a series, first ask: only this one or all following?"""
    if (login := login_redirect(request)) is not None:
        return login
    shift = _shift(request, public_id)
    plan = shift.plan
    context: dict[str, Any] = {"organisation": shift.organisation, "plan": plan, "shift": shift}
    if shift.status == Shift.Status.CANCELLED:
        messages.error(request, _("This shift was cancelled and can no longer be changed."))
        return _to_plan(request, plan)
    asks = shift.series_id is not None and not shift.detached and "nur" not in request.GET
    if request.method == "GET" and asks:
        return render(request, "shifts/shift_form_choice.html", context)
    form = ShiftForm(
        _post(request),
        requirements=_requirements(shift.organisation),
        initial=_shift_initial(shift),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.shift_update(
                actor=request.user,
                shift=shift,
                day=form.cleaned_data["day"],
                start_time=form.cleaned_data["start_time"],
                duration_minutes=form.duration_minutes(),
                fields=form.shift_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The shift has been saved; its helpers have been told of changes to time, place or task."
                ),
            )
            return _to_plan(request, plan)
    return render(
        request, "shifts/shift_form.html", {**context, "form": form}, status=_status(request, form)
    )


@require_http_methods(["GET", "POST"])
def shift_cancel(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Cancel a shift after confirming; people signed up need a reason and are told."""
    if (login := login_redirect(request)) is not None:
        return login
    shift = _shift(request, public_id)
    plan = shift.plan
    if shift.status == Shift.Status.CANCELLED:
        messages.info(request, _("This shift is already cancelled."))
        return _to_plan(request, plan)
    form = ShiftCancelForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            told = services.shift_cancel(
                actor=request.user, shift=shift, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "The shift is cancelled; %(n)d person was told.",
                    "The shift is cancelled; %(n)d people were told.",
                    told,
                )
                % {"n": told},
            )
            return _to_plan(request, plan)
    return render(
        request,
        "shifts/shift_cancel.html",
        {
            "organisation": shift.organisation,
            "plan": plan,
            "shift": shift,
            "form": form,
            "people": selectors.live_people(shift=shift),
        },
        status=_status(request, form),
    )


# --- templates ------------------------------------------------------------------------------


@require_GET
def templates(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if (login := login_redirect(request)) is not None:
        return login
    organisation = _organisation(request, org_slug)
    return render(
        request,
        "shifts/template_list.html",
        {
            "organisation": organisation,
            "templates": selectors.templates_of_organisation(organisation=organisation),
            "weekday_choices": WEEKDAY_CHOICES,
        },
    )


def _template_page(
    request: MunicipalRequest,
    organisation: Organisation,
    template: ShiftTemplate | None,
) -> HttpResponse:
    initial_items: list[dict[str, Any]] = []
    if template is not None:
        initial_items = [
            {
                "weekday": item.weekday,
                "task": item.task,
                "capacity": item.capacity,
                "place": item.place,
                **SeriesForm.initial_times(item.start_time, item.duration_minutes),
            }
            for item in template.items.all()
        ]
    form = TemplateForm(_post(request), initial={"name": template.name} if template else None)
    items = template_item_formset(
        initial_items if request.method == "GET" else None, _post(request)
    )
    if request.method == "POST" and "more" in request.POST:
        # Three more empty rows, nothing saved: what was typed comes back as it was.
        form = TemplateForm(initial={"name": request.POST.get("name", "")})
        items = template_item_formset(rows_typed(request.POST), None, extra=5)
        return render(
            request,
            "shifts/template_form.html",
            {"organisation": organisation, "template": template, "form": form, "items": items},
        )
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            if template is None:
                template = template_services.template_create(
                    actor=request.user,
                    organisation=organisation,
                    name=form.cleaned_data["name"],
                    items=items.items(),
                )
            else:
                template = template_services.template_update(
                    actor=request.user,
                    template=template,
                    name=form.cleaned_data["name"],
                    items=items.items(),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The template “%(name)s” has been saved. Apply it to a period to create its shifts."
                )
                % {"name": template.name},
            )
            return mredirect("shifts:templates", request.municipality, org_slug=organisation.slug)
    failed = request.method == "POST" and (form.errors or items.total_error_count())
    return render(
        request,
        "shifts/template_form.html",
        {"organisation": organisation, "template": template, "form": form, "items": items},
        status=400 if failed else 200,
    )


@require_http_methods(["GET", "POST"])
def template_create(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if (login := login_redirect(request)) is not None:
        return login
    return _template_page(request, _organisation(request, org_slug), None)


@require_http_methods(["GET", "POST"])
def template_edit(request: MunicipalRequest, pk: int) -> HttpResponse:
    if (login := login_redirect(request)) is not None:
        return login
    template = _template(request, pk)
    return _template_page(request, template.organisation, template)


@require_http_methods(["GET", "POST"])
def template_apply(request: MunicipalRequest, pk: int) -> HttpResponse:
    """Create a template's shifts in a plan for a period; doubles are skipped and counted."""
    if (login := login_redirect(request)) is not None:
        return login
    template = _template(request, pk)
    organisation = template.organisation
    plans = selectors.open_plans(organisation=organisation)
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "first_day": today + timedelta(days=1),
        "last_day": today + timedelta(days=28),
    }
    chosen = request.GET.get("plan", "")
    if chosen:
        initial["plan"] = chosen
    form = TemplateApplyForm(_post(request), plans=plans, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["plan"]
        try:
            outcome = template_services.template_apply(
                actor=request.user,
                template=template,
                plan=plan,
                first_day=form.cleaned_data["first_day"],
                last_day=form.cleaned_data["last_day"],
                skip_holidays=form.cleaned_data["skip_holidays"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            parts = [
                ngettext("%(n)d shift created.", "%(n)d shifts created.", outcome.created)
                % {"n": outcome.created}
            ]
            if outcome.skipped_existing:
                parts.append(
                    ngettext(
                        "%(n)d already existed and was skipped.",
                        "%(n)d already existed and were skipped.",
                        outcome.skipped_existing,
                    )
                    % {"n": outcome.skipped_existing}
                )
            if outcome.skipped_past:
                parts.append(
                    ngettext(
                        "%(n)d would have begun in the past.",
                        "%(n)d would have begun in the past.",
                        outcome.skipped_past,
                    )
                    % {"n": outcome.skipped_past}
                )
            if outcome.holidays:
                parts.append(
                    _("Left out as public holidays: %(days)s.")
                    % {"days": ", ".join(f"{_day(d)} ({n})" for d, n in outcome.holidays)}
                )
            messages.success(request, " ".join(parts))
            return _to_plan(request, plan)
    return render(
        request,
        "shifts/template_apply.html",
        {
            "organisation": organisation,
            "template": template,
            "form": form,
            "has_plans": plans.exists(),
        },
        status=_status(request, form),
    )


# --- requirements ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def requirements(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    """The organisation's requirements, with a form for a new one."""
    if (login := login_redirect(request)) is not None:
        return login
    organisation = _organisation(request, org_slug)
    form = RequirementForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            requirement = requirement_services.requirement_create(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": requirement.name})
            return mredirect(
                "shifts:requirements", request.municipality, org_slug=organisation.slug
            )
    return render(
        request,
        "shifts/requirement_list.html",
        {
            "organisation": organisation,
            "requirements": selectors.requirements_of_organisation(organisation=organisation),
            "form": form,
            "can_record": request.user.has_perm(HANDLE, organisation),
        },
        status=_status(request, form),
    )


@require_http_methods(["GET", "POST"])
def requirement_records(request: MunicipalRequest, pk: int) -> HttpResponse:
    """Who meets a requirement: record, take back (after confirming), rename the requirement."""
    if (login := login_redirect(request)) is not None:
        return login
    requirement = selectors.requirement_to_handle(
        municipality=request.municipality, pk=pk, user=request.user
    )
    if requirement is None:
        organisation = selectors.requirement_organisation(municipality=request.municipality, pk=pk)
        if organisation is not None and request.user.has_perm(ORGANISE, organisation):
            raise PermissionDenied
        raise Http404
    organisation = requirement.organisation
    here = ("shifts:requirement_records", request.municipality)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    edit_form = RequirementForm(
        request.POST if action == "update" else None,
        initial={"name": requirement.name, "description": requirement.description},
        prefix="edit",
    )
    people = selectors.known_helpers(organisation=organisation)
    record_form = RequirementRecordForm(
        request.POST if action == "record" else None,
        people=people,
        initial={"recorded_on": timezone.localdate()},
        prefix="record",
    )
    if action == "update" and edit_form.is_valid():
        try:
            requirement_services.requirement_update(
                actor=request.user,
                requirement=requirement,
                name=edit_form.cleaned_data["name"],
                description=edit_form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_errors(edit_form, exc)
        else:
            messages.success(request, _("The requirement has been saved."))
            return mredirect(*here, pk=pk)
    elif action == "record" and record_form.is_valid():
        try:
            requirement_services.requirement_record(
                actor=request.user,
                requirement=requirement,
                volunteer=record_form.cleaned_data["volunteer"],
                recorded_on=record_form.cleaned_data["recorded_on"],
            )
        except ValidationError as exc:
            add_service_errors(record_form, exc)
        else:
            messages.success(request, _("Recorded."))
            return mredirect(*here, pk=pk)
    elif action == "remove":
        record = (
            selectors.requirement_records(requirement=requirement)
            .filter(pk=int(raw) if (raw := request.POST.get("record", "")).isdigit() else 0)
            .first()
        )
        if record is None:
            messages.error(request, _("This record does not exist (any more)."))
            return mredirect(*here, pk=pk)
        if request.POST.get("confirmed") != "1":
            return render(
                request,
                "shifts/requirement_remove.html",
                {"organisation": organisation, "requirement": requirement, "record": record},
            )
        requirement_services.requirement_record_remove(actor=request.user, record=record)
        messages.success(request, _("The record has been taken back."))
        return mredirect(*here, pk=pk)
    return render(
        request,
        "shifts/requirement_records.html",
        {
            "organisation": organisation,
            "requirement": requirement,
            "records": selectors.requirement_records(requirement=requirement),
            "edit_form": edit_form,
            "record_form": record_form,
        },
        status=_status(request, edit_form, record_form),
    )


urlpatterns: list[URLPattern] = [
    path("organisation/<slug:org_slug>/", org_plans, name="org_plans"),
    path("organisation/<slug:org_slug>/neu/", plan_create, name="plan_create"),
    path("organisieren/plan/<uuid:public_id>/", plan_manage, name="plan_manage"),
    path("organisieren/plan/<uuid:public_id>/archivieren/", plan_archive, name="plan_archive"),
    path("organisieren/plan/<uuid:public_id>/serie/neu/", series_create, name="series_create"),
    path("organisieren/serie/<uuid:public_id>/", series_edit, name="series_edit"),
    path("organisieren/serie/<uuid:public_id>/beenden/", series_end, name="series_end"),
    path("organisieren/plan/<uuid:public_id>/schicht/neu/", shift_create, name="shift_create"),
    path("organisieren/schicht/<uuid:public_id>/bearbeiten/", shift_edit, name="shift_edit"),
    path("organisieren/schicht/<uuid:public_id>/absagen/", shift_cancel, name="shift_cancel"),
    path("organisation/<slug:org_slug>/vorlagen/", templates, name="templates"),
    path("organisation/<slug:org_slug>/vorlagen/neu/", template_create, name="template_create"),
    path("organisieren/vorlage/<int:pk>/", template_edit, name="template_edit"),
    path("organisieren/vorlage/<int:pk>/anwenden/", template_apply, name="template_apply"),
    path("organisation/<slug:org_slug>/voraussetzungen/", requirements, name="requirements"),
    path("organisieren/voraussetzung/<int:pk>/", requirement_records, name="requirement_records"),
]
