"""Citizens' offers ("I can help with …") and how organisations get in touch about them.

An offer is a person's data: organisations of the municipality see the first name and the
Stadtteil, never the address. They write through the outbox; the person answers if they want.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import FieldOfEngagement, Membership, Organisation
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import AuditEvent, Municipality, OutgoingMail
from gemeinsinn.core.outbox import mail_queue
from gemeinsinn.opportunities.models import Offer, Skill
from gemeinsinn.opportunities.services.opportunities import (
    VALID_SLOTS,
    absolute_url,
    latest_expiry,
)

OFFER_LISTING_DAYS = 180
OFFER_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "district",
    "time_slots",
    "is_remote",
    "expires_on",
)
OFFER_RELATIONS: dict[str, type[models.Model]] = {
    "engagement_fields": FieldOfEngagement,
    "skills": Skill,
}
# Every step and, per status it may start from, where it leads; withdrawn is final.
OFFER_TRANSITIONS: dict[str, dict[str, str]] = {
    "pause": {Offer.Status.PUBLISHED: Offer.Status.PAUSED},
    "resume": {Offer.Status.PAUSED: Offer.Status.PUBLISHED},
    "withdraw": {
        Offer.Status.PUBLISHED: Offer.Status.WITHDRAWN,
        Offer.Status.PAUSED: Offer.Status.WITHDRAWN,
    },
}
# One organisation writes to one person about one offer at most once a week.
CONTACT_AGAIN_AFTER = timedelta(days=7)
MESSAGE_MAX_LENGTH = 2000


def _require_login(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))


def _require_owner(actor: Any, offer: Offer) -> None:
    _require_login(actor)
    if offer.user_id != actor.pk:
        raise PermissionDenied(_("Only the person who posted this offer may change it."))


def _check(
    offer: Offer, relations: dict[str, list[Any]], *, today: date, check_expiry: bool
) -> None:
    errors: dict[str, list[str]] = {}
    if not str(offer.title or "").strip():
        errors.setdefault("title", []).append(_("Please say what you can help with."))
    if check_expiry and isinstance(offer.expires_on, date):
        if offer.expires_on < today:
            errors.setdefault("expires_on", []).append(
                _("The date cannot be in the past. Please choose today or a later date.")
            )
        elif offer.expires_on > latest_expiry(today):
            errors.setdefault("expires_on", []).append(
                _("An offer can be visible for at most two years. Please choose an earlier date.")
            )
    slots = offer.time_slots or 0
    if slots < 0 or slots & ~VALID_SLOTS:
        errors.setdefault("time_slots", []).append(_("Please choose days and times from the grid."))
    district = offer.district
    if district is not None and district.municipality_id != offer.municipality_id:
        errors.setdefault("district", []).append(
            _("Please choose a Stadtteil of this municipality.")
        )
    for field, objects in relations.items():
        model = OFFER_RELATIONS[field]
        if any(
            not isinstance(obj, model) or obj.municipality_id != offer.municipality_id  # type: ignore[attr-defined]
            for obj in objects
        ):
            errors.setdefault(field, []).append(
                _("Please choose only entries of this municipality.")
            )
    try:
        offer.full_clean(exclude=["municipality", "user"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                if message not in errors.get(field, []):
                    errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    unknown = set(data) - {*OFFER_FIELDS, *OFFER_RELATIONS}
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    columns = {
        f: (v.strip() if isinstance(v, str) else v) for f, v in data.items() if f in OFFER_FIELDS
    }
    relations = {f: list(data[f] or []) for f in OFFER_RELATIONS if f in data}
    return columns, relations


def offer_create(*, municipality: Municipality, actor: Any, data: dict[str, Any]) -> Offer:
    """Post a person's offer; organisations of the municipality see it for 180 days by default."""
    _require_login(actor)
    columns, relations = _split(data)
    today = timezone.localdate()
    if columns.get("expires_on") is None:
        columns["expires_on"] = today + timedelta(days=OFFER_LISTING_DAYS)
    offer = Offer(municipality=municipality, user=actor, **columns)
    _check(offer, relations, today=today, check_expiry=True)
    with transaction.atomic():
        offer.save()
        for field, objects in relations.items():
            getattr(offer, field).set(objects)
        audit_record(actor=actor, action="offer.created", target=offer, municipality=municipality)
    return offer


def offer_update(*, offer: Offer, actor: Any, data: dict[str, Any]) -> Offer:
    """Change one's own offer; a withdrawn offer stays withdrawn."""
    _require_owner(actor, offer)
    columns, relations = _split(data)
    today = timezone.localdate()
    with transaction.atomic():
        locked = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=offer.pk)
        )
        if locked.status == Offer.Status.WITHDRAWN:
            raise ValidationError(_("A withdrawn offer can no longer be changed."))
        before = {field: getattr(locked, field) for field in OFFER_FIELDS}
        for field, value in columns.items():
            setattr(locked, field, value)
        if locked.expires_on is None:
            locked.expires_on = before["expires_on"]
        changed = [f for f in OFFER_FIELDS if before[f] != getattr(locked, f)]
        _check(locked, relations, today=today, check_expiry="expires_on" in changed)
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        relation_changes = []
        for field, wanted in relations.items():
            manager = getattr(locked, field)
            if {o.pk for o in manager.all()} != {o.pk for o in wanted}:
                manager.set(wanted)
                relation_changes.append(field)
        if changed or relation_changes:
            audit_record(
                actor=actor,
                action="offer.updated",
                target=locked,
                municipality=locked.municipality,
                data={"fields": sorted([*changed, *relation_changes])},
            )
    return locked


def _offer_step(*, offer: Offer, actor: Any, step: str) -> Offer:
    _require_owner(actor, offer)
    with transaction.atomic():
        locked = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=offer.pk)
        )
        before = locked.status
        after = OFFER_TRANSITIONS[step].get(before)
        if after is None:
            raise ValidationError(
                _(
                    "This is not possible while the offer is “%(status)s”. Reload the page to see its current state."
                )
                % {"status": locked.get_status_display()}
            )
        if after == Offer.Status.PUBLISHED and locked.expires_on < timezone.localdate():
            raise ValidationError(
                _("The offer's date has passed. Please edit it and choose a new date first.")
            )
        locked.status = after
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=f"offer.{'withdrawn' if step == 'withdraw' else step + 'd'}",
            target=locked,
            municipality=locked.municipality,
            data={"status": {"before": before, "after": after}},
        )
    return locked


def offer_pause(*, offer: Offer, actor: Any) -> Offer:
    """Hide one's own offer from organisations for a while."""
    return _offer_step(offer=offer, actor=actor, step="pause")


def offer_resume(*, offer: Offer, actor: Any) -> Offer:
    """Show a paused offer to organisations again."""
    return _offer_step(offer=offer, actor=actor, step="resume")


def offer_withdraw(*, offer: Offer, actor: Any) -> Offer:
    """Withdraw one's own offer for good; organisations no longer see it."""
    return _offer_step(offer=offer, actor=actor, step="withdraw")


def offer_contact(
    *, offer: Offer, actor: Any, organisation: Organisation, message: str
) -> OutgoingMail:
    """An organisation writes to the person behind an offer, without learning their address.

    The e-mail goes out through the outbox with the writer's address to reply to; whether the
    person answers (and so shares their address) is their choice.
    """
    _require_login(actor)
    municipality = offer.municipality
    is_member = Membership.objects.filter(
        organisation=organisation, user=actor, status=Membership.Status.ACTIVE
    ).exists()
    if (
        not is_member
        or organisation.municipality_id != municipality.pk
        or organisation.status != Organisation.Status.PUBLISHED
    ):
        raise PermissionDenied(
            _("Only members of a listed organisation of this municipality may write to people.")
        )
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Please write a message.")})
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"message": _("Please keep the message under 2,000 characters.")})
    today = timezone.localdate()
    with transaction.atomic():
        locked = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("user", "municipality")
            .get(pk=offer.pk)
        )
        if locked.status != Offer.Status.PUBLISHED or locked.expires_on < today:
            raise ValidationError(_("This offer is no longer visible."))
        recently = AuditEvent.objects.filter(
            action="offer.contacted",
            target_type="opportunities.offer",
            target_id=str(locked.pk),
            data__organisation=organisation.pk,
            created_at__gte=timezone.now() - CONTACT_AGAIN_AFTER,
        ).exists()
        if recently:
            raise ValidationError(
                _(
                    "Your organisation has written to this person in the last seven days. Please wait for their answer."
                )
            )
        mail = mail_queue(
            recipient=locked.user.email,
            subject=_("%(organisation)s would like to hear from you about your offer")
            % {"organisation": organisation.name},
            body_text=_(
                "Hello %(name)s,\n\n%(person)s of %(organisation)s has read your offer "
                "“%(title)s” and writes:\n\n%(message)s\n\n"
                "If you want to get in touch, simply reply to this e-mail. The organisation "
                "learns your e-mail address only when you reply.\n\n"
                "You can pause or withdraw your offer here:\n%(url)s"
            )
            % {
                "name": locked.user.get_short_name(),
                "person": actor.get_full_name(),
                "organisation": organisation.name,
                "title": locked.title,
                "message": message,
                "url": absolute_url("opportunities:my_offers", municipality),
            },
            municipality=municipality,
            purpose="opportunities_offer_contact",
            reply_to=actor.email,
        )
        audit_record(
            actor=actor,
            action="offer.contacted",
            target=locked,
            municipality=municipality,
            data={"organisation": organisation.pk},
        )
    return mail


def offers_export(user: Any) -> list[dict[str, Any]]:
    """A person's offers for their data export (for core.privacy.register_exporter)."""
    return [
        {
            "municipality": offer.municipality.name,
            "title": offer.title,
            "description": offer.description,
            "status": offer.status,
            "visible_until": offer.expires_on.isoformat(),
            "created_at": offer.created_at.isoformat(),
        }
        for offer in Offer.objects.filter(user=user).select_related("municipality")
    ]
