"""An entry's life: self-registration, moderation, claims of imported entries, staleness."""

from __future__ import annotations

import difflib
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import Claim, Membership, Organisation
from gemeinsinn.actors.services.organisations import (
    EDITABLE_FIELDS,
    RELATION_FIELDS,
    absolute_url,
    apply_relations,
    clean_visibility,
    mail_admins,
    mail_office,
    unique_slug,
)
from gemeinsinn.actors.staleness import (
    REMIND_EVERY,
    confirm_token_make,
    confirm_token_read,
    stale_before,
)
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import AuditEvent, Municipality
from gemeinsinn.core.outbox import mail_queue
from gemeinsinn.core.text import german_slugify

logger = logging.getLogger(__name__)

# A six-digit code by e-mail: short enough to type, guarded by expiry and a few attempts.
CLAIM_CODE_TTL = timedelta(minutes=30)
CLAIM_MAX_ATTEMPTS = 5
CLAIM_RESEND_AFTER = timedelta(minutes=1)
# Each code allows five guesses; capping the codes per day keeps guessing (and mail to the
# organisation's inbox) from going on without end.
CLAIM_CODES_PER_DAY = 10

# Legal-form words that say nothing about which organisation a name means.
_LEGAL_FORM_WORDS = frozenset(
    {"e", "v", "ev", "ggmbh", "gmbh", "mbh", "ug", "gug", "gbr", "kg", "haftungsbeschraenkt"}
)
_SIMILARITY = 0.88


class DuplicateNameError(ValidationError):
    """A published organisation of the municipality has (nearly) the same name."""

    def __init__(self, organisations: list[Organisation]) -> None:
        super().__init__(
            _(
                "An organisation with a very similar name is already listed. If it is yours, claim it instead of registering it again."
            ),
            code="duplicate",
        )
        self.organisations = organisations


def _name_key(name: str) -> str:
    words = german_slugify(name, max_length=200).split("-")
    return " ".join(w for w in words if w and w not in _LEGAL_FORM_WORDS)


def organisations_similar(*, municipality: Municipality, name: str) -> list[Organisation]:
    """Published organisations of the municipality whose names are (nearly) the same."""
    key = _name_key(name)
    if not key:
        return []
    matches = []
    candidates = Organisation.objects.filter(
        municipality=municipality, status=Organisation.Status.PUBLISHED
    ).only("pk", "name", "slug", "source", "claimed_at", "municipality_id")
    for candidate in candidates:
        other = _name_key(candidate.name)
        if other == key or difflib.SequenceMatcher(None, key, other).ratio() >= _SIMILARITY:
            matches.append(candidate)
    return matches


def _require_user(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))


# --- self-registration ----------------------------------------------------------------------


def organisation_register(
    *,
    actor: Any,
    municipality: Municipality,
    values: dict[str, Any],
    duplicate_confirmed: bool = False,
    as_office: bool = False,
) -> Organisation:
    """A person registers an organisation; it waits for moderation and they become its admin.

    With `as_office`, the coordination office enters it itself: published at once, source
    "office", and nobody becomes admin (the office can invite the organisation's people later).
    """
    _require_user(actor)
    if as_office and not actor.has_perm("core.manage_municipality", municipality):
        raise PermissionDenied(_("Only the coordination office may publish entries directly."))
    allowed = {*EDITABLE_FIELDS, *RELATION_FIELDS, "visibility"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    name = str(values.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Please enter a name.")})
    if not duplicate_confirmed:
        similar = organisations_similar(municipality=municipality, name=name)
        if similar:
            raise DuplicateNameError(similar)
    columns = {f: v for f, v in values.items() if f in EDITABLE_FIELDS and f != "name"}
    if not columns.get("logo"):
        columns.pop("logo", None)
    with transaction.atomic():
        organisation = Organisation(
            municipality=municipality,
            name=name,
            slug=unique_slug(municipality, name),
            status=Organisation.Status.PUBLISHED if as_office else Organisation.Status.PENDING,
            source=Organisation.Source.OFFICE if as_office else Organisation.Source.SELF_REGISTERED,
            confirmed_at=timezone.now() if as_office else None,
            **columns,
        )
        if "visibility" in values:
            organisation.visibility = {
                **organisation.visibility,
                **clean_visibility(values["visibility"]),
            }
        organisation.full_clean()
        organisation.save()
        apply_relations(
            locked=organisation,
            values={f: values[f] for f in RELATION_FIELDS if f in values},
            changes={},
        )
        if as_office:
            audit_record(
                actor=actor,
                action="organisation.entered_by_office",
                target=organisation,
                municipality=municipality,
                data={"duplicate_confirmed": duplicate_confirmed},
            )
            return organisation
        Membership.objects.create(
            organisation=organisation,
            user=actor,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        )
        audit_record(
            actor=actor,
            action="organisation.registered",
            target=organisation,
            municipality=municipality,
            data={"duplicate_confirmed": duplicate_confirmed},
        )
        mail_office(
            municipality=municipality,
            subject=_("New organisation waiting for moderation: %(name)s") % {"name": name},
            body=_(
                "%(person)s has registered %(name)s in the directory.\n\n"
                "Please check the entry and approve it, ask for changes or reject it:\n%(url)s"
            )
            % {
                "person": actor.get_full_name() or actor.email,
                "name": name,
                "url": absolute_url("actors:moderation", municipality),
            },
            purpose="actors_moderation",
        )
    return organisation


# --- moderation by the coordination office -----------------------------------------------------

_AUDIT_ACTION = {
    "approve": "organisation.approved",
    "request_changes": "organisation.changes_requested",
    "reject": "organisation.rejected",
}
_FROM = {
    "approve": (Organisation.Status.PENDING, Organisation.Status.CHANGES_REQUESTED),
    "request_changes": (Organisation.Status.PENDING, Organisation.Status.CHANGES_REQUESTED),
    "reject": (Organisation.Status.PENDING, Organisation.Status.CHANGES_REQUESTED),
}


def _moderate(
    *, actor: Any, organisation: Organisation, step: str, to: str, note: str
) -> Organisation:
    if not actor.has_perm("actors.moderate_organisation", organisation):
        raise PermissionDenied(_("Only the coordination office may moderate entries."))
    with transaction.atomic():
        locked = (
            Organisation.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=organisation.pk)
        )
        if locked.status not in _FROM[step]:
            raise ValidationError(
                _(
                    "This step is not possible: the entry is “%(status)s”. Reload the page to see its current state."
                )
                % {"status": locked.get_status_display()}
            )
        before = locked.status
        locked.status = to
        locked.moderation_note = note
        fields = ["status", "moderation_note", "updated_at"]
        if to == Organisation.Status.PUBLISHED:
            locked.confirmed_at = timezone.now()
            fields.append("confirmed_at")
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=_AUDIT_ACTION[step],
            target=locked,
            municipality=locked.municipality,
            data={"status": {"before": before, "after": to}, "note": note},
        )
    return locked


def organisation_approve(*, actor: Any, organisation: Organisation) -> Organisation:
    """Publish a waiting entry; it counts as confirmed from now on."""
    with transaction.atomic():
        locked = _moderate(
            actor=actor,
            organisation=organisation,
            step="approve",
            to=Organisation.Status.PUBLISHED,
            note="",
        )
        mail_admins(
            organisation=locked,
            subject=_("Your entry is published: %(name)s") % {"name": locked.name},
            body=_("The coordination office has published %(name)s in the directory.\n\n%(url)s")
            % {
                "name": locked.name,
                "url": absolute_url("actors:detail", locked.municipality, slug=locked.slug),
            },
            purpose="actors_moderation",
        )
    return locked


def organisation_request_changes(
    *, actor: Any, organisation: Organisation, note: str
) -> Organisation:
    """Send a waiting entry back to its admins with the office's questions."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Please say what should be changed.")})
    with transaction.atomic():
        locked = _moderate(
            actor=actor,
            organisation=organisation,
            step="request_changes",
            to=Organisation.Status.CHANGES_REQUESTED,
            note=note,
        )
        mail_admins(
            organisation=locked,
            subject=_("Please revise your entry: %(name)s") % {"name": locked.name},
            body=_(
                "The coordination office asks for changes before it publishes %(name)s:\n\n"
                "%(note)s\n\nPlease revise the entry and save it; it then returns to the "
                "office:\n%(url)s"
            )
            % {
                "name": locked.name,
                "note": note,
                "url": absolute_url("actors:edit", locked.municipality, slug=locked.slug),
            },
            purpose="actors_moderation",
        )
    return locked


def organisation_reject(*, actor: Any, organisation: Organisation, reason: str) -> Organisation:
    """Refuse a waiting entry, with a reason its admins are told."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"note": _("Please give a reason for the rejection.")})
    with transaction.atomic():
        locked = _moderate(
            actor=actor,
            organisation=organisation,
            step="reject",
            to=Organisation.Status.REJECTED,
            note=reason,
        )
        mail_admins(
            organisation=locked,
            subject=_("Your entry was not published: %(name)s") % {"name": locked.name},
            body=_(
                "The coordination office has decided not to publish %(name)s.\n\n"
                "Reason: %(reason)s\n\nIf you have questions, please reply to the office: "
                "%(office)s"
            )
            % {
                "name": locked.name,
                "reason": reason,
                "office": locked.municipality.contact_email or "-",
            },
            purpose="actors_moderation",
        )
    return locked


def organisation_archive(*, actor: Any, organisation: Organisation, reason: str) -> Organisation:
    """Take an entry out of the directory (a dissolved club, spam); nothing is deleted."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why the entry is archived.")})
    if not actor.has_perm("actors.moderate_organisation", organisation):
        raise PermissionDenied(_("Only the coordination office may archive entries."))
    with transaction.atomic():
        locked = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
        if locked.status == Organisation.Status.ARCHIVED:
            return locked
        before = locked.status
        locked.status = Organisation.Status.ARCHIVED
        locked.moderation_note = reason
        locked.save(update_fields=["status", "moderation_note", "updated_at"])
        audit_record(
            actor=actor,
            action="organisation.archived",
            target=locked,
            municipality=locked.municipality,
            data={"status": {"before": before, "after": locked.status}, "note": reason},
        )
    return locked


def organisation_restore(*, actor: Any, organisation: Organisation) -> Organisation:
    """Undo an archiving (back to published) or reopen a rejected entry (back to moderation)."""
    if not actor.has_perm("actors.moderate_organisation", organisation):
        raise PermissionDenied(_("Only the coordination office may restore entries."))
    with transaction.atomic():
        locked = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
        targets: dict[str, str] = {
            Organisation.Status.ARCHIVED: Organisation.Status.PUBLISHED,
            Organisation.Status.REJECTED: Organisation.Status.PENDING,
        }
        if locked.status not in targets:
            raise ValidationError(_("Only archived or rejected entries can be restored."))
        before = locked.status
        locked.status = targets[before]
        locked.moderation_note = ""
        locked.save(update_fields=["status", "moderation_note", "updated_at"])
        audit_record(
            actor=actor,
            action="organisation.restored",
            target=locked,
            municipality=locked.municipality,
            data={"status": {"before": before, "after": locked.status}},
        )
    return locked


# --- claims of imported entries ---------------------------------------------------------------


def _claimable(organisation: Organisation) -> None:
    if organisation.source != Organisation.Source.IMPORT or organisation.claimed_at is not None:
        raise ValidationError(_("This entry already has an administrator and cannot be claimed."))
    if organisation.status != Organisation.Status.PUBLISHED:
        raise ValidationError(_("This entry cannot be claimed at the moment."))


def _send_claim_code(*, claim: Claim, organisation: Organisation, actor: Any) -> None:
    sent_today = AuditEvent.objects.filter(
        action__in=["claim.started", "claim.code_resent"],
        target_type="actors.organisation",
        target_id=str(organisation.pk),
        data__claim=claim.pk,
        created_at__gte=timezone.now() - timedelta(days=1),
    ).count()
    if sent_today >= CLAIM_CODES_PER_DAY:
        raise ValidationError(
            _(
                "Too many codes have been sent for this claim today. Please try again tomorrow or ask the coordination office."
            )
        )
    code = f"{secrets.randbelow(10**6):06d}"
    claim.code_hash = make_password(code)
    claim.code_sent_to = organisation.email
    claim.code_expires_at = timezone.now() + CLAIM_CODE_TTL
    claim.attempts = 0
    claim.save(update_fields=["code_hash", "code_sent_to", "code_expires_at", "attempts"])
    mail_queue(
        recipient=organisation.email,
        subject=_("Your code for %(name)s: %(code)s") % {"name": organisation.name, "code": code},
        body_text=_(
            "%(person)s (%(email)s) wants to manage the entry of %(name)s in the directory of "
            "%(town)s.\n\nIf this person belongs to your organisation, give them this code: "
            "%(code)s\nIt is valid for 30 minutes.\n\nIf you do not know this person, ignore "
            "this e-mail; nothing changes without the code."
        )
        % {
            "person": actor.get_full_name() or actor.email,
            "email": actor.email,
            "name": organisation.name,
            "town": organisation.municipality.name,
            "code": code,
        },
        municipality=organisation.municipality,
        purpose="actors_claim_code",
    )


def claim_start(*, actor: Any, organisation: Organisation, message: str = "") -> Claim:
    """Ask to manage an imported entry: a code goes to its e-mail, or the office decides."""
    _require_user(actor)
    with transaction.atomic():
        locked = (
            Organisation.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=organisation.pk)
        )
        _claimable(locked)
        if Membership.objects.filter(
            organisation=locked,
            user=actor,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        ).exists():
            raise ValidationError(_("You already manage this organisation."))
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .filter(organisation=locked, user=actor, status=Claim.Status.PENDING)
            .first()
        )
        now = timezone.now()
        if claim is not None:
            code_usable = (
                claim.code_hash
                and claim.code_expires_at is not None
                and claim.code_expires_at > now
                and claim.attempts < CLAIM_MAX_ATTEMPTS
            )
            if code_usable or not locked.email:
                return claim  # asking twice changes nothing
        else:
            claim = Claim.objects.create(organisation=locked, user=actor, message=message.strip())
        if locked.email:
            _send_claim_code(claim=claim, organisation=locked, actor=actor)
        else:
            mail_office(
                municipality=locked.municipality,
                subject=_("Claim waiting for your decision: %(name)s") % {"name": locked.name},
                body=_(
                    "%(person)s (%(email)s) says they represent %(name)s and wants to manage "
                    "its entry. The entry has no e-mail address, so please check and decide:\n"
                    "%(url)s\n\nTheir message: %(message)s"
                )
                % {
                    "person": actor.get_full_name() or actor.email,
                    "email": actor.email,
                    "name": locked.name,
                    "url": absolute_url("actors:claims", locked.municipality),
                    "message": claim.message or "-",
                },
                purpose="actors_claim",
            )
        audit_record(
            actor=actor,
            action="claim.started",
            target=locked,
            municipality=locked.municipality,
            data={"claim": claim.pk, "method": "code" if locked.email else "office"},
        )
    return claim


def claim_code_resend(*, actor: Any, claim: Claim) -> Claim:
    """Send a fresh code for one's own pending claim, at most once a minute."""
    if claim.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is not your claim."))
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("organisation__municipality")
            .get(pk=claim.pk)
        )
        if locked.status != Claim.Status.PENDING:
            raise ValidationError(_("This claim has already been decided."))
        organisation = locked.organisation
        _claimable(organisation)
        if not organisation.email:
            raise ValidationError(_("The coordination office decides this claim."))
        sent_at = (
            locked.code_expires_at - CLAIM_CODE_TTL if locked.code_expires_at is not None else None
        )
        if sent_at is not None and timezone.now() - sent_at < CLAIM_RESEND_AFTER:
            raise ValidationError(
                _("A code was sent a moment ago. Please check the inbox or wait a minute.")
            )
        _send_claim_code(claim=locked, organisation=organisation, actor=actor)
        audit_record(
            actor=actor,
            action="claim.code_resent",
            target=organisation,
            municipality=organisation.municipality,
            data={"claim": locked.pk},
        )
    return locked


def _claim_grant(*, claim: Claim, decided_by: Any, note: str = "") -> None:
    """Make the claimant admin and close the other open claims of the entry."""
    organisation = Organisation.objects.select_for_update(of=("self",)).get(
        pk=claim.organisation_id
    )
    _claimable(organisation)
    now = timezone.now()
    Membership.objects.update_or_create(
        organisation=organisation,
        user=claim.user,
        defaults={
            "role": Membership.Role.ADMIN,
            "status": Membership.Status.ACTIVE,
            "invitation_token": None,
        },
    )
    organisation.claimed_at = now
    organisation.save(update_fields=["claimed_at", "updated_at"])
    claim.status = Claim.Status.APPROVED
    claim.decided_at = now
    claim.decided_by = decided_by
    claim.decision_note = note
    claim.code_hash = ""
    claim.save(update_fields=["status", "decided_at", "decided_by", "decision_note", "code_hash"])
    Claim.objects.filter(organisation=organisation, status=Claim.Status.PENDING).exclude(
        pk=claim.pk
    ).update(
        status=Claim.Status.REJECTED,
        decided_at=now,
        code_hash="",
        decision_note=_("Somebody else has taken over the entry."),
    )


def claim_verify(*, actor: Any, claim: Claim, code: str) -> Claim:
    """Check the code of one's own claim; the right one makes the person the entry's admin."""
    if claim.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is not your claim."))
    code = "".join(ch for ch in code if ch.isdigit())
    error = ""
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("organisation__municipality", "user")
            .get(pk=claim.pk)
        )
        if locked.status != Claim.Status.PENDING:
            raise ValidationError(_("This claim has already been decided."))
        if not locked.code_hash:
            raise ValidationError(_("The coordination office decides this claim."))
        if locked.code_expires_at is None or locked.code_expires_at <= timezone.now():
            error = _("The code has expired. Please ask for a new one.")
        elif locked.attempts >= CLAIM_MAX_ATTEMPTS:
            error = _("The code was entered wrongly too often. Please ask for a new one.")
        elif not check_password(code, locked.code_hash):
            # The failed attempt must be counted even though the caller sees an error, so it
            # is saved here and the error raised after the transaction has committed.
            locked.attempts += 1
            locked.save(update_fields=["attempts"])
            left = CLAIM_MAX_ATTEMPTS - locked.attempts
            error = (
                _("The code is not right. %(left)d attempts left.") % {"left": left}
                if left
                else _("The code was entered wrongly too often. Please ask for a new one.")
            )
            audit_record(
                actor=actor,
                action="claim.code_wrong",
                target=locked.organisation,
                municipality=locked.organisation.municipality,
                data={"claim": locked.pk, "attempts": locked.attempts},
            )
        else:
            _claim_grant(claim=locked, decided_by=None)
            audit_record(
                actor=actor,
                action="claim.verified",
                target=locked.organisation,
                municipality=locked.organisation.municipality,
                data={"claim": locked.pk, "user": actor.pk},
            )
    if error:
        raise ValidationError({"code": error})
    return locked


def claim_decide(*, actor: Any, claim: Claim, approve: bool, note: str = "") -> Claim:
    """The office approves or rejects a claim it has checked itself (reason required to reject)."""
    if not actor.has_perm("actors.moderate_organisation", claim.organisation):
        raise PermissionDenied(_("Only the coordination office may decide claims."))
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": _("Please give a reason for the rejection.")})
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("organisation__municipality", "user")
            .get(pk=claim.pk)
        )
        if locked.status != Claim.Status.PENDING:
            raise ValidationError(_("This claim has already been decided."))
        organisation = locked.organisation
        if approve:
            _claim_grant(claim=locked, decided_by=actor, note=note)
        else:
            locked.status = Claim.Status.REJECTED
            locked.decided_at = timezone.now()
            locked.decided_by = actor
            locked.decision_note = note
            locked.code_hash = ""
            locked.save(
                update_fields=["status", "decided_at", "decided_by", "decision_note", "code_hash"]
            )
        audit_record(
            actor=actor,
            action="claim.approved" if approve else "claim.rejected",
            target=organisation,
            municipality=organisation.municipality,
            data={"claim": locked.pk, "user": locked.user_id, "note": note},
        )
        if approve:
            subject = _("You now manage %(name)s") % {"name": organisation.name}
            body = _(
                "The coordination office has confirmed that you represent %(name)s. You can now "
                "keep its entry up to date:\n%(url)s"
            ) % {
                "name": organisation.name,
                "url": absolute_url(
                    "actors:edit", organisation.municipality, slug=organisation.slug
                ),
            }
        else:
            subject = _("Your claim of %(name)s was not confirmed") % {"name": organisation.name}
            body = _(
                "The coordination office could not confirm that you represent %(name)s.\n\n"
                "Reason: %(reason)s"
            ) % {"name": organisation.name, "reason": note}
        mail_queue(
            recipient=locked.user.email,
            subject=subject,
            body_text=body,
            municipality=organisation.municipality,
            purpose="actors_claim",
        )
    return locked


# --- staleness and confirmation -------------------------------------------------------------


def _stale_filter(now: datetime) -> Q:
    return Q(status=Organisation.Status.PUBLISHED) & Q(last_confirmed__lt=stale_before(now))


def _confirm(*, actor: Any, organisation: Organisation, via: str) -> Organisation:
    with transaction.atomic():
        locked = (
            Organisation.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=organisation.pk)
        )
        if locked.status != Organisation.Status.PUBLISHED:
            raise ValidationError(_("Only published entries are confirmed as current."))
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="organisation.confirmed",
            target=locked,
            municipality=locked.municipality,
            data={"via": via},
        )
    return locked


def organisation_confirm_current(*, actor: Any, organisation: Organisation) -> Organisation:
    """An admin or the office confirms that the entry is still current."""
    if not actor.has_perm("actors.change_organisation", organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    return _confirm(actor=actor, organisation=organisation, via="page")


def organisation_confirm_by_token(*, municipality: Municipality, token: str) -> Organisation:
    """Confirm an entry as current through the link of the reminder e-mail."""
    public_id = confirm_token_read(token)
    organisation = (
        Organisation.objects.filter(municipality=municipality, public_id=public_id).first()
        if public_id
        else None
    )
    if organisation is None:
        raise ValidationError(
            _(
                "This link is not valid any more. Please log in and confirm the entry on its edit page."
            )
        )
    return _confirm(actor="e-mail link", organisation=organisation, via="e-mail link")


def stale_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the admins of every stale published entry, at most once in 30 days; returns how many."""
    now = now or timezone.now()
    municipalities = [
        m for m in Municipality.objects.filter(is_active=True) if m.has_module("actors")
    ]
    due = (
        Organisation.objects.filter(municipality__in=municipalities)
        .annotate(last_confirmed=Coalesce("confirmed_at", "created_at"))
        .filter(_stale_filter(now))
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
        .filter(memberships__role=Membership.Role.ADMIN, memberships__status="active")
        .distinct()
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        # One transaction per entry: a broken entry must not hold back everybody else's reminder.
        try:
            sent += _remind_one(pk=pk, now=now)
        except Exception:
            logger.exception("stale reminder failed", extra={"organisation": pk})
    return sent


def _remind_one(*, pk: int, now: datetime) -> int:
    with transaction.atomic():
        locked = (
            Organisation.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .annotate(last_confirmed=Coalesce("confirmed_at", "created_at"))
            .filter(pk=pk)
            .filter(_stale_filter(now))
            .first()
        )
        if locked is None or (
            locked.reminded_at is not None and locked.reminded_at >= now - REMIND_EVERY
        ):
            return 0
        count = mail_admins(
            organisation=locked,
            subject=_("Is the entry of %(name)s still current?") % {"name": locked.name},
            body=_(
                "The entry of %(name)s in the directory of %(town)s has not been confirmed for "
                "a year.\n\nIf everything is still right, one click confirms it:\n%(confirm)s\n\n"
                "If something has changed, please update the entry:\n%(edit)s"
            )
            % {
                "name": locked.name,
                "town": locked.municipality.name,
                "confirm": absolute_url(
                    "actors:confirm_token",
                    locked.municipality,
                    token=confirm_token_make(locked.public_id),
                ),
                "edit": absolute_url("actors:edit", locked.municipality, slug=locked.slug),
            },
            purpose="actors_stale_reminder",
        )
        if not count:
            return 0
        locked.reminded_at = now
        locked.save(update_fields=["reminded_at"])
        audit_record(
            actor="system",
            action="organisation.reminded",
            target=locked,
            municipality=locked.municipality,
            data={"recipients": count},
        )
    return 1
