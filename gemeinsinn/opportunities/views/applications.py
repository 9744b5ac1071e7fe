"""Applications and engagements: apply, the volunteer's overview, one application with its
conversation, the organisation's inbox and decisions, and the engagements that follow.

Applications are between a person and an organisation: pages show one only to its volunteer and
to the people who handle the opportunity's applications; everybody else gets the same 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest, login_redirect
from gemeinsinn.core.routing import mredirect
from gemeinsinn.opportunities.forms_applications import (
    AcceptForm,
    AnswerForm,
    ApplyForm,
    AskForm,
    DeclineForm,
    EndEngagementForm,
    InboxFilterForm,
    ShareContactForm,
)
from gemeinsinn.opportunities.models import Application
from gemeinsinn.opportunities.selectors import applications as selectors
from gemeinsinn.opportunities.selectors.common import opportunity_public
from gemeinsinn.opportunities.services import applications as services

INBOX_PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def apply(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Express interest in an opportunity, with an explicit choice about contact data."""
    if (login := login_redirect(request)) is not None:
        return login
    opportunity = opportunity_public(municipality=request.municipality, public_id=str(public_id))
    if opportunity is None:
        raise Http404
    existing = selectors.application_live_of(user=request.user, opportunity=opportunity)
    if existing is not None:
        messages.info(request, _("You have already applied. Here is your application."))
        return mredirect(
            "opportunities:application", request.municipality, public_id=existing.public_id
        )
    form = ApplyForm(
        request.POST if request.method == "POST" else None,
        organisation_name=opportunity.organisation.name,
        agency_name=opportunity.posted_by_agency.name if opportunity.posted_by_agency else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                opportunity=opportunity,
                volunteer=request.user,
                message=form.cleaned_data["message"],
                share_contact=form.cleaned_data["share_contact"],
                phone=form.cleaned_data["phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your application has been sent to %(organisation)s.")
                % {"organisation": opportunity.organisation.name},
            )
            return mredirect(
                "opportunities:application", request.municipality, public_id=application.public_id
            )
    return render(
        request,
        "opportunities/application_apply.html",
        {"opportunity": opportunity, "form": form},
    )


@require_GET
def my_applications(request: MunicipalRequest) -> HttpResponse:
    """The person's applications with their status in words and what they can do next."""
    if (login := login_redirect(request)) is not None:
        return login
    found = selectors.applications_of_volunteer(
        user=request.user, municipality=request.municipality
    )
    return render(request, "opportunities/application_list.html", {"applications": found})


def _inbox_organisation(application: Application, user: Any) -> Organisation | None:
    """The organisation whose inbox the handler came from (the agency's, if it posted)."""
    opportunity = application.opportunity
    if user.has_perm("opportunities.view_org_inbox", opportunity.organisation):
        return opportunity.organisation
    agency = opportunity.posted_by_agency
    if agency is not None and user.has_perm("opportunities.view_org_inbox", agency):
        return agency
    return None


def _application_page(
    request: MunicipalRequest,
    view: selectors.ApplicationView,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    application = view.application
    can = {
        action: services.application_can(application=application, action=action)
        for action in services.ACTIONS
    }
    context: dict[str, Any] = {
        "application": application,
        "opportunity": application.opportunity,
        "organisation": application.opportunity.organisation,
        "as_volunteer": view.as_volunteer,
        "as_organisation": view.as_organisation,
        "can": can,
        "conversation": list(application.messages.all()),
        "inbox_organisation": (
            _inbox_organisation(application, request.user) if view.as_organisation else None
        ),
        "first_name": (application.volunteer.first_name if application.volunteer else ""),
        "ask_form": AskForm(auto_id="ask_%s"),
        "answer_form": AnswerForm(
            auto_id="answer_%s", contact_shared=application.contact_shared_at is not None
        ),
        "accept_form": AcceptForm(auto_id="accept_%s"),
        "share_form": ShareContactForm(auto_id="share_%s"),
        **(forms or {}),
    }
    return render(request, "opportunities/application.html", context, status=status)


def _view_or_404(request: MunicipalRequest, public_id: UUID) -> selectors.ApplicationView:
    view = selectors.application_for(
        user=request.user, municipality=request.municipality, public_id=public_id
    )
    if view is None:
        raise Http404
    return view


@require_GET
def application(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """One application with its conversation, for its volunteer or the organisation."""
    if (login := login_redirect(request)) is not None:
        return login
    return _application_page(request, _view_or_404(request, public_id))


# The actions, each a POST; decline and withdraw first show a confirmation page (GET).
ACTION_NAMES = ("ask", "answer", "hold", "accept", "decline", "withdraw", "share", "request")


@require_http_methods(["GET", "POST"])
def application_action(request: MunicipalRequest, public_id: UUID, action: str) -> HttpResponse:
    """Carry out one action on an application and come back to its page."""
    if (login := login_redirect(request)) is not None:
        return login
    if action not in ACTION_NAMES:
        raise Http404
    view = _view_or_404(request, public_id)
    target = view.application
    user = request.user
    if action in ("decline", "withdraw"):
        return _confirmed_action(request, view, action)
    if request.method != "POST":
        return mredirect("opportunities:application", request.municipality, public_id=public_id)
    form: Any = None
    try:
        if action == "ask":
            form = AskForm(request.POST, auto_id="ask_%s")
            if not form.is_valid():
                return _application_page(request, view, {"ask_form": form}, status=400)
            services.application_ask(
                application=target, actor=user, question=form.cleaned_data["question"]
            )
            done = _("Your question has been sent.")
        elif action == "answer":
            form = AnswerForm(
                request.POST,
                auto_id="answer_%s",
                contact_shared=target.contact_shared_at is not None,
            )
            if not form.is_valid():
                return _application_page(request, view, {"answer_form": form}, status=400)
            services.application_answer(
                application=target,
                actor=user,
                answer=form.cleaned_data["answer"],
                share_contact=form.share(),
                phone=form.cleaned_data.get("phone", ""),
            )
            done = _("Your answer has been sent.")
        elif action == "hold":
            services.application_hold(application=target, actor=user)
            done = _("The application is on hold. The person has been told.")
        elif action == "accept":
            form = AcceptForm(request.POST, auto_id="accept_%s")
            if not form.is_valid():
                return _application_page(request, view, {"accept_form": form}, status=400)
            services.application_accept(
                application=target, actor=user, starts_on=form.cleaned_data["starts_on"]
            )
            done = _("Accepted. The engagement has been recorded and the person has been told.")
        elif action == "share":
            form = ShareContactForm(request.POST, auto_id="share_%s")
            if not form.is_valid():
                return _application_page(request, view, {"share_form": form}, status=400)
            services.application_share_contact(
                application=target, actor=user, phone=form.cleaned_data["phone"]
            )
            done = _("Your contact data has been shared with the organisation.")
        else:
            services.application_request_contact(application=target, actor=user)
            done = _("The person has been asked to share their contact data.")
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            add_service_errors(form, exc)
            return _application_page(request, view, {f"{action}_form": form}, status=400)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return mredirect("opportunities:application", request.municipality, public_id=public_id)


def _confirmed_action(
    request: MunicipalRequest, view: selectors.ApplicationView, action: str
) -> HttpResponse:
    """Decline (with a reason) and withdraw: a confirmation page (GET), then its POST."""
    target = view.application
    allowed = (action == "decline" and view.as_organisation) or (
        action == "withdraw" and view.as_volunteer
    )
    if not allowed:
        raise PermissionDenied
    back = mredirect("opportunities:application", request.municipality, public_id=target.public_id)
    if not services.application_can(application=target, action=action):
        messages.error(request, _("This is not possible any more: the application is closed."))
        return back
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            if action == "withdraw":
                services.application_withdraw(application=target, actor=request.user)
                messages.success(request, _("Your application has been withdrawn."))
                return mredirect("opportunities:my_applications", request.municipality)
            if form.is_valid():
                services.application_decline(
                    application=target, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The application has been declined."))
                return back
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return back
            add_service_errors(form, exc)
    return render(
        request,
        "opportunities/application_confirm.html",
        {
            "application": target,
            "opportunity": target.opportunity,
            "organisation": target.opportunity.organisation,
            "action": action,
            "form": form if action == "decline" else None,
        },
        status=400 if action == "decline" and form.is_bound and form.errors else 200,
    )


@require_GET
def inbox(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    """The organisation's applications: filter by opportunity and status, newest first."""
    if (login := login_redirect(request)) is not None:
        return login
    organisation = selectors.organisation_for_inbox(
        user=request.user, municipality=request.municipality, slug=org_slug
    )
    if organisation is None:
        raise Http404
    opportunities = list(selectors.inbox_opportunities(organisation=organisation))
    form = InboxFilterForm(
        request.GET or None, opportunities=[(o.pk, o.title) for o in opportunities]
    )
    opportunity_id: int | None = None
    status = ""
    if form.is_bound and form.is_valid():
        opportunity_id = form.cleaned_data["opportunity"]
        status = form.cleaned_data["status"]
    counts = selectors.inbox_counts(organisation=organisation, opportunity_id=opportunity_id)
    found = selectors.inbox_applications(
        organisation=organisation, opportunity_id=opportunity_id, status=status
    )
    page = Paginator(found, INBOX_PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "opportunities/inbox.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "counts": [
                (value, label, counts[value]) for value, label in Application.Status.choices
            ],
            "total": sum(counts.values()),
            "filtered": bool(opportunity_id or status),
        },
    )


@require_GET
def my_engagements(request: MunicipalRequest) -> HttpResponse:
    """The person's engagements in the municipality."""
    if (login := login_redirect(request)) is not None:
        return login
    found = selectors.engagements_of_volunteer(user=request.user, municipality=request.municipality)
    return render(request, "opportunities/engagement_list.html", {"engagements": found})


@require_GET
def org_engagements(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    """The organisation's engagements (its volunteers), for its members."""
    if (login := login_redirect(request)) is not None:
        return login
    organisation = selectors.organisation_for_inbox(
        user=request.user, municipality=request.municipality, slug=org_slug
    )
    if organisation is None:
        raise Http404
    found = selectors.engagements_of_organisation(organisation=organisation)
    page = Paginator(found, 50).get_page(request.GET.get("seite"))
    return render(
        request,
        "opportunities/engagement_org_list.html",
        {"organisation": organisation, "page": page},
    )


@require_http_methods(["GET", "POST"])
def engagement_end(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """End an engagement: a form with the last day, which is the confirmation step."""
    if (login := login_redirect(request)) is not None:
        return login
    engagement = selectors.engagement_for(
        user=request.user, municipality=request.municipality, public_id=public_id
    )
    if engagement is None:
        raise Http404
    is_volunteer = engagement.volunteer_id == request.user.pk
    form = EndEngagementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_end(
                engagement=engagement, actor=request.user, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The engagement has been ended."))
            if is_volunteer:
                return mredirect("opportunities:my_engagements", request.municipality)
            return mredirect(
                "opportunities:org_engagements",
                request.municipality,
                org_slug=engagement.organisation.slug,
            )
    return render(
        request,
        "opportunities/engagement_end.html",
        {"engagement": engagement, "form": form, "is_volunteer": is_volunteer},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("angebot/<uuid:public_id>/interesse/", apply, name="apply"),
    path("meine-bewerbungen/", my_applications, name="my_applications"),
    path("organisation/<slug:org_slug>/bewerbungen/", inbox, name="inbox"),
    path("organisation/<slug:org_slug>/engagements/", org_engagements, name="org_engagements"),
    path("meine-engagements/", my_engagements, name="my_engagements"),
    path("engagement/<uuid:public_id>/beenden/", engagement_end, name="engagement_end"),
    path("bewerbung/<uuid:public_id>/", application, name="application"),
    path(
        "bewerbung/<uuid:public_id>/<slug:action>/",
        application_action,
        name="application_action",
    ),
]
