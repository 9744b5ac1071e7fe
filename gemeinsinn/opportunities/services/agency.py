"""Agency mode: a volunteer agency's advice conversations and its referrals to opportunities.

Decisions taken here:

- Only organisations of an agency type (AGENCY_TYPES in rules.py) broker, and only their active
  members (or a platform admin) act for them: permission `opportunities.broker`.
- A referral goes to a live opportunity of *another* organisation in the agency's municipality:
  an agency that wants people for its own opportunities takes their applications directly.
- The person's consent is required and recorded with its moment; the referral then becomes an
  ordinary application (contact data shared, because the person agreed to exactly that in the
  talk) through applications.application_submit, which notifies the organisation. The person
  is notified too, so they learn where their interest went and can withdraw it.
- Notes of a conversation are the agency's working notes; the audit row names the conversation
  but copies none of its text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.accounts.notifications import notify
from gemeinsinn.actors.models import FieldOfEngagement, Organisation
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.models import AdviceConversation, Opportunity, Referral
from gemeinsinn.opportunities.rules import AGENCY_TYPES
from gemeinsinn.opportunities.selectors.common import opportunities_live
from gemeinsinn.opportunities.services.applications import application_submit

NOTES_MAX = 5000
NOTE_MAX = 2000
REFERENCE_MAX = 100


def _require_broker(actor: Any, agency: Organisation) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))
    if agency.type not in AGENCY_TYPES:
        raise PermissionDenied(_("Only volunteer agencies can record advice and refer people."))
    if not actor.has_perm("opportunities.broker", agency):
        raise PermissionDenied(_("You do not work for this volunteer agency."))


def _text(value: str, *, field: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(
            {field: _("Please shorten this to %(limit)s characters.") % {"limit": limit}}
        )
    return text


def advice_record(
    *,
    agency: Organisation,
    actor: Any,
    held_on: date,
    volunteer: Any = None,
    person_reference: str = "",
    interests: Iterable[FieldOfEngagement] = (),
    notes: str = "",
) -> AdviceConversation:
    """Record an advice conversation the agency held with a person looking for an engagement."""
    _require_broker(actor, agency)
    reference = _text(person_reference, field="person_reference", limit=REFERENCE_MAX)
    text = _text(notes, field="notes", limit=NOTES_MAX)
    if volunteer is None and not reference:
        raise ValidationError(
            {
                "person_reference": _(
                    "Please name the person: give the e-mail address of their account, or "
                    "initials or a reference of your own."
                )
            }
        )
    if volunteer is not None and not volunteer.is_active:
        raise ValidationError(_("This account is deactivated; note initials instead."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The conversation cannot lie in the future.")})
    fields = list(interests)
    if any(f.municipality_id != agency.municipality_id for f in fields):
        raise ValidationError({"interests": _("Please choose fields of this municipality.")})
    with transaction.atomic():
        # The agency's row orders the conversations of its advisors.
        Organisation.objects.select_for_update().filter(pk=agency.pk).first()
        conversation = AdviceConversation.objects.create(
            municipality_id=agency.municipality_id,
            agency=agency,
            advisor=actor,
            volunteer=volunteer,
            person_reference=reference,
            held_on=held_on,
            notes=text,
        )
        conversation.interests.set(fields)
        audit_record(
            actor=actor,
            action="agency.advice_recorded",
            target=conversation,
            municipality=agency.municipality,
            data={
                "agency": agency.pk,
                "with_account": volunteer is not None,
                "interests": sorted(f.slug for f in fields),
            },
        )
    return conversation


def referral_create(
    *,
    agency: Organisation,
    actor: Any,
    opportunity: Opportunity,
    volunteer: Any,
    consent: bool,
    conversation: AdviceConversation | None = None,
    note: str = "",
) -> Referral:
    """Refer a person, with their consent, to another organisation's live opportunity."""
    _require_broker(actor, agency)
    if not consent:
        raise ValidationError(
            {
                "consent": _(
                    "Please confirm that the person agreed to have their interest and contact "
                    "data passed on. Without their consent nobody can be referred."
                )
            }
        )
    if volunteer is None or not getattr(volunteer, "is_active", False):
        raise ValidationError(
            {"email": _("The person needs an active account on the platform to be referred.")}
        )
    text = _text(note, field="note", limit=NOTE_MAX)
    if conversation is not None and (
        conversation.agency_id != agency.pk
        or (conversation.volunteer_id is not None and conversation.volunteer_id != volunteer.pk)
    ):
        raise ValidationError(_("This conversation belongs to another person or agency."))
    with transaction.atomic():
        locked = (
            Opportunity.objects.select_for_update(of=("self",))
            .select_related("organisation", "municipality")
            .get(pk=opportunity.pk)
        )
        if locked.municipality_id != agency.municipality_id or not (
            opportunities_live(municipality=locked.municipality).filter(pk=locked.pk).exists()
        ):
            raise ValidationError(
                {
                    "opportunity": _(
                        "This opportunity is not open for referrals. Please choose another."
                    )
                }
            )
        if locked.organisation_id == agency.pk:
            raise ValidationError(
                {
                    "opportunity": _(
                        "This is your agency's own opportunity. Referrals go to other "
                        "organisations; the person can apply here directly."
                    )
                }
            )
        referral = Referral.objects.create(
            municipality_id=agency.municipality_id,
            agency=agency,
            conversation=conversation,
            opportunity=locked,
            volunteer=volunteer,
            created_by=actor,
            consent_recorded_at=timezone.now(),
            note=text,
        )
        audit_record(
            actor=actor,
            action="agency.referred",
            target=referral,
            municipality=agency.municipality,
            data={
                "agency": agency.pk,
                "opportunity": locked.pk,
                "conversation": conversation.pk if conversation else None,
                "consent": True,
            },
        )
        application = application_submit(
            opportunity=locked,
            volunteer=volunteer,
            message=text,
            # The agency records that the person agreed to be referred; their name, e-mail and
            # phone reach the organisation only when they share them themselves (the
            # notification below asks them to), as with any application.
            share_contact=False,
            referral=referral,
        )
        if application.referral_id != referral.pk:
            # A live application of the person existed: the transaction (and referral) is undone.
            raise ValidationError(
                _(
                    "This person has already applied for this opportunity. The organisation "
                    "has their application; nothing was passed on again."
                )
            )
        names = {
            "agency": agency.name,
            "title": locked.title,
            "organisation": locked.organisation.name,
        }
        notify(
            user=volunteer,
            municipality=locked.municipality,
            topic="referral.created",
            subject=_("%(agency)s has passed on your interest in “%(title)s”") % names,
            body=_(
                "As agreed with you, %(agency)s has passed on your interest in “%(title)s” to "
                "%(organisation)s. Your name, e-mail address and phone number stay with you "
                "until you share them: open the application on the platform to share them, to "
                "follow it or to withdraw it."
            )
            % names,
            url=mreverse(
                "opportunities:application", locked.municipality, public_id=application.public_id
            ),
        )
    return referral
