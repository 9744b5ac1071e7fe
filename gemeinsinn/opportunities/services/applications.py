"""Applications: a volunteer's interest, the organisation's answer, and the engagement it becomes.

The state machine is the TRANSITIONS table below; every service checks it, locks the application,
writes exactly one audit row and notifies the other side (through the person's notification
settings). Decisions taken here:

- Contact data (name, e-mail, phone) is copied onto the application only when the volunteer
  agrees at that moment (on submitting, answering or with the "share" button) and is never
  updated behind their back afterwards.
- The organisation may accept without the contact data: the volunteer is then asked to share it,
  and the engagement exists either way (the conversation on the site keeps working).
- Members of the organisation cannot apply to its own opportunities (they would handle their own
  application); they talk to their team directly.
- A second submit while an application is live returns the live one unchanged.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.accounts.models import Notification
from gemeinsinn.accounts.notifications import news_language, notify
from gemeinsinn.actors.models import Membership
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.models import (
    Application,
    ApplicationMessage,
    Engagement,
    ExchangeSettings,
    Opportunity,
    Referral,
)
from gemeinsinn.opportunities.selectors.common import opportunities_live

Status = Application.Status

# state → the states it may move to. Accepted, declined and withdrawn are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset(
        {Status.QUESTION, Status.ON_HOLD, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}
    ),
    Status.QUESTION: frozenset(
        {Status.SUBMITTED, Status.ON_HOLD, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}
    ),
    Status.ON_HOLD: frozenset(
        {Status.QUESTION, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}
    ),
    Status.ACCEPTED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# action → the state it leads to (the volunteer's "answer" brings a question back to "sent").
ACTIONS: dict[str, str] = {
    "ask": Status.QUESTION,
    "answer": Status.SUBMITTED,
    "hold": Status.ON_HOLD,
    "accept": Status.ACCEPTED,
    "decline": Status.DECLINED,
    "withdraw": Status.WITHDRAWN,
}

# Who takes which action.
VOLUNTEER_ACTIONS = frozenset({"answer", "withdraw"})
ORGANISATION_ACTIONS = frozenset({"ask", "hold", "accept", "decline"})

MESSAGE_MAX = 5000
PHONE_MAX = 40


def application_can(*, application: Application, action: str) -> bool:
    """Whether the table allows the action from the application's current state."""
    target = ACTIONS.get(action)
    return target is not None and target in TRANSITIONS.get(application.status, frozenset())


# --- helpers -------------------------------------------------------------------------------


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related(
            "opportunity",
            "opportunity__organisation",
            "municipality",
            "volunteer",
            "referral",
        )
        .get(pk=application.pk)
    )


def _require_volunteer(actor: Any, application: Application) -> None:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or application.volunteer_id is None
        or actor.pk != application.volunteer_id
    ):
        raise PermissionDenied(_("Only the person who applied can do this."))


def _require_handler(actor: Any, application: Application) -> None:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not actor.has_perm("opportunities.handle_applications", application.opportunity)
    ):
        raise PermissionDenied(_("You may not handle the applications of this organisation."))


def _require_transition(application: Application, action: str) -> str:
    if not application_can(application=application, action=action):
        raise ValidationError(
            _(
                "This is not possible any more: the application is now “%(status)s”. "
                "Please reload the page."
            )
            % {"status": application.get_status_display()}
        )
    return ACTIONS[action]


def _clean_text(value: str, *, field: str, required: bool, message: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: message})
    if len(text) > MESSAGE_MAX:
        raise ValidationError(
            {field: _("Please keep it shorter than %(max)d characters.") % {"max": MESSAGE_MAX}}
        )
    return text


def _clean_phone(phone: str) -> str:
    phone = " ".join((phone or "").split())
    if len(phone) > PHONE_MAX:
        raise ValidationError({"phone": _("Please enter a phone number of at most 40 characters.")})
    if phone and not any(char.isdigit() for char in phone):
        raise ValidationError({"phone": _("Please enter a phone number with digits.")})
    return phone


def _copy_contact(application: Application, volunteer: Any, phone: str) -> list[str]:
    """Copy the volunteer's contact data onto the application (their consent at this moment)."""
    name = f"{volunteer.first_name} {volunteer.last_name}".strip()
    application.contact_name = name or volunteer.email
    application.contact_email = volunteer.email
    application.contact_phone = phone
    application.contact_shared_at = timezone.now()
    return ["contact_name", "contact_email", "contact_phone", "contact_shared_at"]


def _audit(actor: Any, action: str, application: Application, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=application,
        municipality=application.municipality,
        data={"status": application.status, **data},
    )


def _application_url(application: Application) -> str:
    return mreverse(
        "opportunities:application", application.municipality, public_id=application.public_id
    )


def organisation_recipients(opportunity: Opportunity) -> list[Any]:
    """Who hears about an opportunity's applications: the organisation's active admins and the
    contact person, if they have an account and belong to the organisation (or to the agency
    that posted the opportunity) — somebody outside could not open the application anyway."""
    organisation_ids = [opportunity.organisation_id]
    if opportunity.posted_by_agency_id:
        organisation_ids.append(opportunity.posted_by_agency_id)
    users = get_user_model()
    admins = users.objects.filter(
        is_active=True,
        memberships__organisation_id=opportunity.organisation_id,
        memberships__role=Membership.Role.ADMIN,
        memberships__status=Membership.Status.ACTIVE,
    )
    found = {user.pk: user for user in admins}
    if opportunity.contact_email:
        contact = users.objects.filter(
            is_active=True,
            email__iexact=opportunity.contact_email,
            memberships__organisation_id__in=organisation_ids,
            memberships__status=Membership.Status.ACTIVE,
        ).first()
        if contact is not None:
            found.setdefault(contact.pk, contact)
    return [found[key] for key in sorted(found)]


def _notify_organisation(
    application: Application, *, topic: str, subject: str, body: str, exclude: Any = None
) -> None:
    for user in organisation_recipients(application.opportunity):
        if exclude is not None and user.pk == exclude.pk:
            continue
        notify(
            user=user,
            municipality=application.municipality,
            topic=topic,
            subject=subject,
            body=body,
            url=_application_url(application),
        )


def _notify_volunteer(application: Application, *, topic: str, subject: str, body: str) -> None:
    if application.volunteer is None:
        return
    notify(
        user=application.volunteer,
        municipality=application.municipality,
        topic=topic,
        subject=subject,
        body=body,
        url=_application_url(application),
    )


def _names(application: Application) -> dict[str, str]:
    return {
        "title": application.opportunity.title,
        "organisation": application.opportunity.organisation.name,
    }


def _volunteer_name(application: Application) -> str:
    if application.contact_shared_at and application.contact_name:
        return application.contact_name
    volunteer = application.volunteer
    if volunteer is None:
        return _("A person")
    # Before consent the organisation sees the first name only.
    return str(volunteer.first_name or _("A person"))


# --- submit --------------------------------------------------------------------------------


def application_submit(
    *,
    opportunity: Opportunity,
    volunteer: Any,
    message: str,
    share_contact: bool,
    referral: Referral | None = None,
    phone: str = "",
) -> Application:
    """Send a volunteer's interest in a live opportunity; a second submit returns the live one."""
    if volunteer is None or not getattr(volunteer, "is_authenticated", False):
        raise PermissionDenied(_("Please log in to apply."))
    if not volunteer.is_active:
        raise PermissionDenied(_("This account is deactivated."))
    text = _clean_text(
        message,
        field="message",
        required=False,
        message="",
    )
    phone = _clean_phone(phone) if share_contact else ""
    with transaction.atomic():
        # The opportunity's row serialises submissions to it: a double click waits for the
        # first and then finds its application.
        locked = (
            Opportunity.objects.select_for_update(of=("self",))
            .select_related("organisation", "municipality")
            .get(pk=opportunity.pk)
        )
        existing = _live_application(locked, volunteer)
        if existing is not None:
            return existing
        if not opportunities_live(municipality=locked.municipality).filter(pk=locked.pk).exists():
            raise ValidationError(
                _("This opportunity is no longer open for applications. Please look for another.")
            )
        if Membership.objects.filter(
            organisation_id=locked.organisation_id,
            user_id=volunteer.pk,
            status=Membership.Status.ACTIVE,
        ).exists():
            raise ValidationError(
                _(
                    "You are a member of %(organisation)s. Please talk to your team directly "
                    "instead of applying."
                )
                % {"organisation": locked.organisation.name}
            )
        if referral is not None and (
            referral.opportunity_id != locked.pk or referral.volunteer_id != volunteer.pk
        ):
            raise ValidationError(_("This referral is for another person or opportunity."))
        if referral is not None and Application.objects.filter(referral=referral).exists():
            referral = None  # an earlier application already carries it
        application = Application(
            municipality=locked.municipality,
            opportunity=locked,
            volunteer=volunteer,
            message=text,
            referral=referral,
        )
        if share_contact:
            _copy_contact(application, volunteer, phone)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            # A parallel submit won (databases without row locks, e.g. SQLite): return its row.
            existing = _live_application(locked, volunteer)
            if existing is None:
                raise
            return existing
        application.opportunity = locked
        _audit(
            volunteer,
            "application.submitted",
            application,
            contact_shared=bool(share_contact),
            referral=referral.pk if referral else None,
        )
        with news_language():
            _notify_organisation(
                application,
                topic="application.submitted",
                subject=_("New application for “%(title)s”") % _names(application),
                body=_(
                    "%(person)s is interested in “%(title)s”. Please answer on the platform: accept, "
                    "ask a question, put on hold or decline."
                )
                % {"person": _volunteer_name(application), **_names(application)},
            )
    return application


def _live_application(opportunity: Opportunity, volunteer: Any) -> Application | None:
    return (
        Application.objects.select_related("opportunity", "opportunity__organisation")
        .filter(
            opportunity=opportunity,
            volunteer_id=volunteer.pk,
            status__in=[*Application.OPEN, Status.ACCEPTED],
        )
        .first()
    )


# --- the organisation's side ---------------------------------------------------------------


def application_ask(*, application: Application, actor: Any, question: str) -> Application:
    """The organisation asks the volunteer a question; the application waits for the answer."""
    text = _clean_text(
        question, field="question", required=True, message=_("Please write your question.")
    )
    with transaction.atomic():
        locked = _lock(application)
        _require_handler(actor, locked)
        locked.status = _require_transition(locked, "ask")
        locked.save(update_fields=["status", "updated_at"])
        ApplicationMessage.objects.create(
            application=locked, author=actor, from_organisation=True, body=text
        )
        _audit(actor, "application.asked", locked)
        with news_language():
            _notify_volunteer(
                locked,
                topic="application.question",
                subject=_("%(organisation)s has a question about “%(title)s”") % _names(locked),
                body=_("Please read the question and answer it on the platform.\n\n%(question)s")
                % {"question": text},
            )
    return locked


def application_hold(*, application: Application, actor: Any) -> Application:
    """The organisation puts the application on hold (for example until a place is free)."""
    with transaction.atomic():
        locked = _lock(application)
        _require_handler(actor, locked)
        locked.status = _require_transition(locked, "hold")
        locked.save(update_fields=["status", "updated_at"])
        _audit(actor, "application.held", locked)
        with news_language():
            _notify_volunteer(
                locked,
                topic="application.on_hold",
                subject=_("Your application for “%(title)s” is on hold") % _names(locked),
                body=_(
                    "%(organisation)s has put your application on hold. You will hear from them "
                    "again; you can withdraw it at any time."
                )
                % _names(locked),
            )
    return locked


def application_accept(
    *, application: Application, actor: Any, starts_on: date | None = None
) -> Engagement:
    """Accept the application; it becomes an engagement starting on the given day (or today)."""
    with transaction.atomic():
        locked = _lock(application)
        _require_handler(actor, locked)
        status = _require_transition(locked, "accept")
        if locked.volunteer is None:
            raise ValidationError(_("This application no longer belongs to a person."))
        today = timezone.localdate()
        start = starts_on or today
        if start < today - timedelta(days=365):
            raise ValidationError(
                {"starts_on": _("Please choose a start date within the last year or later.")}
            )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        opportunity = locked.opportunity
        engagement = Engagement.objects.create(
            municipality=locked.municipality,
            volunteer=locked.volunteer,
            organisation=opportunity.organisation,
            opportunity=opportunity,
            application=locked,
            placed_by=locked.referral.agency if locked.referral else None,
            title=opportunity.title[:200],
            starts_on=start,
        )
        _audit(
            actor,
            "application.accepted",
            locked,
            engagement=engagement.pk,
            starts_on=start.isoformat(),
        )
        if locked.contact_shared_at:
            body = _(
                "%(organisation)s has accepted your application and will get in touch with you "
                "about the start."
            ) % _names(locked)
        else:
            body = _(
                "%(organisation)s has accepted your application. Please share your contact data "
                "with them on the platform so they can reach you about the start."
            ) % _names(locked)
        with news_language():
            _notify_volunteer(
                locked,
                topic="application.accepted",
                subject=_("Welcome: your application for “%(title)s” was accepted")
                % _names(locked),
                body=body,
            )
    return engagement


def application_decline(*, application: Application, actor: Any, reason: str) -> Application:
    """Decline the application with a reason the volunteer reads."""
    text = _clean_text(
        reason,
        field="reason",
        required=True,
        message=_("Please give a short reason; the person will read it."),
    )
    with transaction.atomic():
        locked = _lock(application)
        _require_handler(actor, locked)
        locked.status = _require_transition(locked, "decline")
        locked.decline_reason = text
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "decline_reason", "closed_at", "updated_at"])
        _audit(actor, "application.declined", locked)
        with news_language():
            _notify_volunteer(
                locked,
                topic="application.declined",
                subject=_("Your application for “%(title)s”") % _names(locked),
                body=_(
                    "%(organisation)s cannot take up your offer this time. Their reason:\n\n"
                    "%(reason)s\n\nThank you for your interest; there are many other opportunities "
                    "on the platform."
                )
                % {"reason": text, **_names(locked)},
            )
    return locked


def application_request_contact(*, application: Application, actor: Any) -> Application:
    """The organisation asks the volunteer to share their contact data (no change of state)."""
    with transaction.atomic():
        locked = _lock(application)
        _require_handler(actor, locked)
        if locked.contact_shared_at is not None:
            raise ValidationError(_("The contact data has already been shared with you."))
        if locked.status in Application.CLOSED:
            raise ValidationError(_("This application is closed."))
        _audit(actor, "application.contact_requested", locked)
        with news_language():
            _notify_volunteer(
                locked,
                topic="application.contact_requested",
                subject=_("%(organisation)s would like your contact data") % _names(locked),
                body=_(
                    "%(organisation)s asks you to share your name, e-mail address and phone number "
                    "for “%(title)s”. You decide: open your application to share them."
                )
                % _names(locked),
            )
    return locked


# --- the volunteer's side ------------------------------------------------------------------


def application_answer(
    *,
    application: Application,
    actor: Any,
    answer: str,
    share_contact: bool = False,
    phone: str = "",
) -> Application:
    """The volunteer answers the organisation's question, optionally sharing contact data."""
    text = _clean_text(
        answer, field="answer", required=True, message=_("Please write your answer.")
    )
    phone = _clean_phone(phone) if share_contact else ""
    with transaction.atomic():
        locked = _lock(application)
        _require_volunteer(actor, locked)
        locked.status = _require_transition(locked, "answer")
        fields = ["status", "updated_at"]
        shared_now = share_contact and locked.contact_shared_at is None
        if shared_now:
            fields += _copy_contact(locked, locked.volunteer, phone)
        locked.save(update_fields=fields)
        ApplicationMessage.objects.create(
            application=locked, author=actor, from_organisation=False, body=text
        )
        _audit(actor, "application.answered", locked, contact_shared=shared_now)
        with news_language():
            _notify_organisation(
                locked,
                topic="application.answered",
                subject=_("Answer about “%(title)s”") % _names(locked),
                body=_("%(person)s has answered your question.\n\n%(answer)s")
                % {"person": _volunteer_name(locked), "answer": text},
            )
    return locked


def application_withdraw(*, application: Application, actor: Any) -> Application:
    """The volunteer withdraws their application."""
    with transaction.atomic():
        locked = _lock(application)
        _require_volunteer(actor, locked)
        locked.status = _require_transition(locked, "withdraw")
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        _audit(actor, "application.withdrawn", locked)
        with news_language():
            _notify_organisation(
                locked,
                topic="application.withdrawn",
                subject=_("An application for “%(title)s” was withdrawn") % _names(locked),
                body=_("%(person)s has withdrawn their application for “%(title)s”.")
                % {"person": _volunteer_name(locked), **_names(locked)},
            )
    return locked


def application_share_contact(
    *, application: Application, actor: Any, phone: str = ""
) -> Application:
    """The volunteer shares name, e-mail and phone with the organisation, from now on."""
    phone = _clean_phone(phone)
    with transaction.atomic():
        locked = _lock(application)
        _require_volunteer(actor, locked)
        if locked.status in Application.CLOSED:
            raise ValidationError(_("This application is closed; nothing is shared any more."))
        if locked.contact_shared_at is not None:
            raise ValidationError(_("You have already shared your contact data."))
        fields = _copy_contact(locked, locked.volunteer, phone)
        locked.save(update_fields=[*fields, "updated_at"])
        _audit(actor, "application.contact_shared", locked)
        with news_language():
            _notify_organisation(
                locked,
                topic="application.contact_shared",
                subject=_("Contact data for “%(title)s”") % _names(locked),
                body=_("%(person)s has shared their contact data with you.")
                % {"person": _volunteer_name(locked)},
            )
    return locked


# --- engagements ---------------------------------------------------------------------------


def engagement_end(*, engagement: Engagement, actor: Any, ends_on: date) -> Engagement:
    """End an engagement (by the volunteer or the organisation) on the given day."""
    with transaction.atomic():
        locked = (
            Engagement.objects.select_for_update(of=("self",))
            .select_related("organisation", "opportunity", "volunteer", "municipality")
            .get(pk=engagement.pk)
        )
        is_volunteer = (
            actor is not None
            and getattr(actor, "is_authenticated", False)
            and actor.pk == locked.volunteer_id
        )
        is_organisation = (
            actor is not None
            and getattr(actor, "is_authenticated", False)
            and (
                actor.has_perm("opportunities.view_org_inbox", locked.organisation)
                or (
                    locked.opportunity is not None
                    and actor.has_perm("opportunities.handle_applications", locked.opportunity)
                )
            )
        )
        if not (is_volunteer or is_organisation):
            raise PermissionDenied(_("You may not end this engagement."))
        if locked.status == Engagement.Status.ENDED:
            raise ValidationError(_("This engagement has already ended."))
        if ends_on < locked.starts_on:
            raise ValidationError(
                {
                    "ends_on": _("The end cannot be before the start (%(start)s).")
                    % {"start": locked.starts_on.strftime("%d.%m.%Y")}
                }
            )
        locked.ends_on = ends_on
        locked.status = Engagement.Status.ENDED
        locked.save(update_fields=["ends_on", "status", "updated_at"])
        audit_record(
            actor=actor,
            action="engagement.ended",
            target=locked,
            municipality=locked.municipality,
            data={"ends_on": ends_on.isoformat(), "by_volunteer": is_volunteer},
        )
        with news_language():
            names = {"title": locked.title, "organisation": locked.organisation.name}
            url = mreverse("opportunities:my_engagements", locked.municipality)
            if is_volunteer:
                for user in _engagement_org_recipients(locked):
                    notify(
                        user=user,
                        municipality=locked.municipality,
                        topic="engagement.ended",
                        subject=_("An engagement in “%(title)s” has ended") % names,
                        body=_("A volunteer has ended their engagement in “%(title)s”.") % names,
                        url=mreverse(
                            "opportunities:org_engagements",
                            locked.municipality,
                            org_slug=locked.organisation.slug,
                        ),
                    )
            else:
                notify(
                    user=locked.volunteer,
                    municipality=locked.municipality,
                    topic="engagement.ended",
                    subject=_("Your engagement in “%(title)s” has ended") % names,
                    body=_(
                        "%(organisation)s has recorded the end of your engagement in “%(title)s”. "
                        "Thank you for your time!"
                    )
                    % names,
                    url=url,
                )
    return locked


def _engagement_org_recipients(engagement: Engagement) -> list[Any]:
    if engagement.opportunity is not None:
        return organisation_recipients(engagement.opportunity)
    return list(
        get_user_model().objects.filter(
            is_active=True,
            memberships__organisation_id=engagement.organisation_id,
            memberships__role=Membership.Role.ADMIN,
            memberships__status=Membership.Status.ACTIVE,
        )
    )


# --- retention -----------------------------------------------------------------------------


def application_anonymise(*, application: Application, now: datetime | None = None) -> None:
    """Remove the personal data of one application, keeping the row for statistics."""
    now = now or timezone.now()
    ApplicationMessage.objects.filter(application=application).delete()
    # The news about it (to both sides) quotes names, messages and reasons: it goes too.
    Notification.objects.filter(
        topic__startswith="application.", url__endswith=f"/{application.public_id}/"
    ).delete()
    application.message = ""
    application.decline_reason = ""
    application.contact_name = ""
    application.contact_email = ""
    application.contact_phone = ""
    application.contact_shared_at = None
    application.volunteer = None
    application.anonymised_at = now
    application.save(
        update_fields=[
            "message",
            "decline_reason",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_shared_at",
            "volunteer",
            "anonymised_at",
            "updated_at",
        ]
    )


def _retention_days(municipality_id: int) -> int:
    found = (
        ExchangeSettings.objects.filter(municipality_id=municipality_id)
        .values_list("application_retention_days", flat=True)
        .first()
    )
    if found is None:
        default = ExchangeSettings._meta.get_field("application_retention_days").default
        return int(default)
    return int(found)


def applications_purge(*, now: datetime | None = None) -> int:
    """Delete the personal data of declined and withdrawn applications past the municipality's
    retention period; returns how many were anonymised. Open and accepted ones are untouched."""
    now = now or timezone.now()
    closed = Application.objects.filter(
        status__in=Application.CLOSED, anonymised_at__isnull=True, closed_at__isnull=False
    )
    municipality_ids = sorted(set(closed.values_list("municipality_id", flat=True).distinct()))
    total = 0
    for municipality_id in municipality_ids:
        cutoff = now - timedelta(days=_retention_days(municipality_id))
        with transaction.atomic():
            due = list(
                closed.filter(municipality_id=municipality_id, closed_at__lt=cutoff)
                .select_for_update(of=("self",))
                .order_by("pk")
            )
            if not due:
                continue
            for application in due:
                application_anonymise(application=application, now=now)
            audit_record(
                actor="retention",
                action="application.purged",
                municipality=Municipality.objects.get(pk=municipality_id),
                data={"count": len(due), "before": cutoff.isoformat()},
            )
            total += len(due)
    return total
