"""/api/v1 endpoints for applications and engagements, for volunteers and organisations.

They call the same services and selectors as the HTML pages. Authentication is the browser
session (django-ninja's `django_auth`, which also checks the CSRF token on writes); without a
session the answer is 401. Applications are personal data: an application somebody may not see
answers 404, exactly like one that does not exist; a bad value or a step the state machine does
not allow answers 400 with the reason; an action of the wrong side answers 403.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from gemeinsinn.core.models import Municipality
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.api import router
from gemeinsinn.opportunities.models import Application, Engagement
from gemeinsinn.opportunities.selectors import applications as selectors
from gemeinsinn.opportunities.selectors.common import municipality_with_exchange, opportunities_live
from gemeinsinn.opportunities.services import applications as services

TAGS = ["applications"]


class MessageOut(Schema):
    from_organisation: bool
    body: str
    created_at: datetime


class ContactOut(Schema):
    """The volunteer's contact data, present only once they have shared it."""

    name: str
    email: str
    phone: str
    shared_at: datetime


class ApplicationOut(Schema):
    public_id: UUID
    municipality: str = Field(description="Slug of the municipality.")
    opportunity: UUID = Field(description="public_id of the opportunity.")
    opportunity_title: str
    organisation: str = Field(description="Name of the organisation.")
    organisation_slug: str
    status: str = Field(description="submitted, question, on_hold, accepted, declined, withdrawn")
    status_label: str
    message: str
    first_name: str = Field(description="The volunteer's first name (shown without consent).")
    contact: ContactOut | None = Field(description="Null until the volunteer shares it.")
    decline_reason: str
    created_at: datetime
    closed_at: datetime | None
    messages: list[MessageOut]
    engagement: UUID | None
    url: str = Field(description="The application's page.")


class ApplicationIn(Schema):
    message: str = ""
    share_contact: bool = Field(
        False, description="Share name, e-mail and phone with the organisation now (consent)."
    )
    phone: str = ""


class AskIn(Schema):
    question: str


class AnswerIn(Schema):
    answer: str
    share_contact: bool = Field(
        False, description="Also share name, e-mail and phone with the organisation (consent)."
    )
    phone: str = ""


class ShareIn(Schema):
    phone: str = ""


class AcceptIn(Schema):
    starts_on: date | None = None


class DeclineIn(Schema):
    reason: str


class EngagementOut(Schema):
    public_id: UUID
    municipality: str
    organisation: str
    organisation_slug: str
    opportunity: UUID | None
    title: str
    starts_on: date
    ends_on: date | None
    status: str
    placed_by: str | None = Field(description="The volunteer agency that arranged it, if any.")


class MunicipalityQuery(Schema):
    municipality: str = Field("", description="Slug of a municipality; all when left out.")


class OrganisationInboxQuery(Schema):
    municipality: str = Field(description="Slug of the municipality.")
    opportunity: UUID | None = Field(None, description="Only this opportunity's applications.")
    status: str = Field("", description="Only applications in this status.")


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


def _out(request: HttpRequest, view: selectors.ApplicationView) -> ApplicationOut:
    application = view.application
    shared = application.contact_shared_at is not None
    engagement = getattr(application, "engagement", None)
    return ApplicationOut(
        public_id=application.public_id,
        municipality=application.municipality.slug,
        opportunity=application.opportunity.public_id,
        opportunity_title=application.opportunity.title,
        organisation=application.opportunity.organisation.name,
        organisation_slug=application.opportunity.organisation.slug,
        status=application.status,
        status_label=str(application.get_status_display()),
        message=application.message,
        first_name=application.volunteer.first_name if application.volunteer else "",
        contact=ContactOut(
            name=application.contact_name,
            email=application.contact_email,
            phone=application.contact_phone,
            shared_at=application.contact_shared_at,
        )
        if shared and application.contact_shared_at is not None
        else None,
        decline_reason=application.decline_reason,
        created_at=application.created_at,
        closed_at=application.closed_at,
        messages=[
            MessageOut(from_organisation=m.from_organisation, body=m.body, created_at=m.created_at)
            for m in application.messages.all()
        ],
        engagement=engagement.public_id if engagement is not None else None,
        url=request.build_absolute_uri(
            mreverse(
                "opportunities:application",
                application.municipality,
                public_id=application.public_id,
            )
        ),
    )


def _view(request: HttpRequest, public_id: UUID) -> selectors.ApplicationView:
    application = (
        Application.objects.filter(public_id=public_id)
        .select_related("municipality")
        .only("pk", "municipality")
        .first()
    )
    if application is None:
        raise Http404
    view = selectors.application_for(
        user=request.user, municipality=application.municipality, public_id=public_id
    )
    if view is None:
        raise Http404
    return view


def _fresh(request: HttpRequest, public_id: UUID) -> ApplicationOut:
    return _out(request, _view(request, public_id))


def _engagement_out(engagement: Engagement) -> EngagementOut:
    return EngagementOut(
        public_id=engagement.public_id,
        municipality=engagement.municipality.slug,
        organisation=engagement.organisation.name,
        organisation_slug=engagement.organisation.slug,
        opportunity=engagement.opportunity.public_id if engagement.opportunity else None,
        title=engagement.title,
        starts_on=engagement.starts_on,
        ends_on=engagement.ends_on,
        status=engagement.status,
        placed_by=engagement.placed_by.name if engagement.placed_by else None,
    )


@router.post(
    "/opportunities/{public_id}/applications",
    response={201: ApplicationOut},
    auth=django_auth,
    tags=TAGS,
)
def application_create(
    request: HttpRequest, public_id: UUID, data: ApplicationIn
) -> Status[ApplicationOut]:
    """Apply for a live opportunity. Applying again while an application is live returns it."""
    opportunity = (
        opportunities_live()
        .filter(public_id=public_id, municipality__is_active=True)
        .select_related("municipality", "organisation")
        .first()
    )
    if opportunity is None or not opportunity.municipality.has_module("opportunities"):
        raise Http404
    application = _service(
        services.application_submit,
        opportunity=opportunity,
        volunteer=request.user,
        message=data.message,
        share_contact=data.share_contact,
        phone=data.phone,
    )
    return Status(201, _fresh(request, application.public_id))


@router.get("/me/applications", response=list[ApplicationOut], auth=django_auth, tags=TAGS)
def my_applications(request: HttpRequest, query: Query[MunicipalityQuery]) -> list[ApplicationOut]:
    """The signed-in person's applications (in one municipality, if given), newest first."""
    town = _municipality(query.municipality) if query.municipality else None
    return [
        _out(request, selectors.ApplicationView(a, as_volunteer=True, as_organisation=False))
        for a in selectors.applications_of_volunteer(user=request.user, municipality=town)
        .select_related("municipality")
        .prefetch_related("messages")
    ]


@router.post(
    "/me/applications/{public_id}/withdraw",
    response=ApplicationOut,
    auth=django_auth,
    tags=TAGS,
)
def my_application_withdraw(request: HttpRequest, public_id: UUID) -> ApplicationOut:
    """Withdraw one's own application."""
    view = _view(request, public_id)
    _service(services.application_withdraw, application=view.application, actor=request.user)
    return _fresh(request, public_id)


@router.get("/applications/{public_id}", response=ApplicationOut, auth=django_auth, tags=TAGS)
def application_detail(request: HttpRequest, public_id: UUID) -> ApplicationOut:
    """One application with its conversation, for its volunteer or its organisation."""
    return _fresh(request, public_id)


@router.post(
    "/me/applications/{public_id}/answer",
    response=ApplicationOut,
    auth=django_auth,
    tags=TAGS,
)
def my_application_answer(request: HttpRequest, public_id: UUID, data: AnswerIn) -> ApplicationOut:
    """Answer the organisation's question (volunteer); optionally share contact data."""
    view = _view(request, public_id)
    _service(
        services.application_answer,
        application=view.application,
        actor=request.user,
        answer=data.answer,
        share_contact=data.share_contact,
        phone=data.phone,
    )
    return _fresh(request, public_id)


@router.post(
    "/me/applications/{public_id}/share-contact",
    response=ApplicationOut,
    auth=django_auth,
    tags=TAGS,
)
def my_application_share(request: HttpRequest, public_id: UUID, data: ShareIn) -> ApplicationOut:
    """Share name, e-mail and phone with the organisation now (volunteer's consent)."""
    view = _view(request, public_id)
    _service(
        services.application_share_contact,
        application=view.application,
        actor=request.user,
        phone=data.phone,
    )
    return _fresh(request, public_id)


@router.get(
    "/organisations/{slug}/applications",
    response=list[ApplicationOut],
    auth=django_auth,
    tags=TAGS,
)
def organisation_applications(
    request: HttpRequest, slug: str, query: Query[OrganisationInboxQuery]
) -> list[ApplicationOut]:
    """The organisation's inbox for its members, newest first (at most 200)."""
    town = _municipality(query.municipality)
    organisation = selectors.organisation_for_inbox(user=request.user, municipality=town, slug=slug)
    if organisation is None:
        raise Http404
    if query.status and query.status not in Application.Status.values:
        raise HttpError(400, f"status: one of {', '.join(Application.Status.values)}")
    opportunity_id = None
    if query.opportunity is not None:
        found = selectors.inbox_opportunities(organisation=organisation).filter(
            public_id=query.opportunity
        )
        opportunity = found.first()
        if opportunity is None:
            raise HttpError(400, "opportunity: not one of this organisation's opportunities")
        opportunity_id = opportunity.pk
    found_applications = (
        selectors.inbox_applications(
            organisation=organisation, opportunity_id=opportunity_id, status=query.status
        )
        .select_related("municipality", "opportunity__organisation", "engagement")
        .prefetch_related("messages")[:200]
    )
    return [
        _out(request, selectors.ApplicationView(a, as_volunteer=False, as_organisation=True))
        for a in found_applications
    ]


@router.post("/applications/{public_id}/ask", response=ApplicationOut, auth=django_auth, tags=TAGS)
def application_ask(request: HttpRequest, public_id: UUID, data: AskIn) -> ApplicationOut:
    """Ask the volunteer a question (organisation)."""
    view = _view(request, public_id)
    _service(
        services.application_ask,
        application=view.application,
        actor=request.user,
        question=data.question,
    )
    return _fresh(request, public_id)


@router.post("/applications/{public_id}/hold", response=ApplicationOut, auth=django_auth, tags=TAGS)
def application_hold(request: HttpRequest, public_id: UUID) -> ApplicationOut:
    """Put the application on hold (organisation)."""
    view = _view(request, public_id)
    _service(services.application_hold, application=view.application, actor=request.user)
    return _fresh(request, public_id)


@router.post(
    "/applications/{public_id}/accept", response=ApplicationOut, auth=django_auth, tags=TAGS
)
def application_accept(request: HttpRequest, public_id: UUID, data: AcceptIn) -> ApplicationOut:
    """Accept the application (organisation); the engagement starts on `starts_on` or today."""
    view = _view(request, public_id)
    _service(
        services.application_accept,
        application=view.application,
        actor=request.user,
        starts_on=data.starts_on,
    )
    return _fresh(request, public_id)


@router.post(
    "/applications/{public_id}/decline", response=ApplicationOut, auth=django_auth, tags=TAGS
)
def application_decline(request: HttpRequest, public_id: UUID, data: DeclineIn) -> ApplicationOut:
    """Decline the application with a reason the volunteer reads (organisation)."""
    view = _view(request, public_id)
    _service(
        services.application_decline,
        application=view.application,
        actor=request.user,
        reason=data.reason,
    )
    return _fresh(request, public_id)


@router.get("/me/engagements", response=list[EngagementOut], auth=django_auth, tags=TAGS)
def my_engagements(request: HttpRequest, query: Query[MunicipalityQuery]) -> list[EngagementOut]:
    """The signed-in person's engagements (in one municipality, if given)."""
    town = _municipality(query.municipality) if query.municipality else None
    return [
        _engagement_out(e)
        for e in selectors.engagements_of_volunteer(
            user=request.user, municipality=town
        ).select_related("municipality")
    ]
