"""Memberships: invitations by e-mail, requests to join, roles, leaving and removal."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.actors.services.organisations import absolute_url, mail_admins
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.outbox import mail_queue


def _require_manager(actor: Any, organisation: Organisation) -> None:
    if not actor.has_perm("actors.manage_members", organisation):
        raise PermissionDenied(_("You may not manage the members of this organisation."))


def _lock(organisation: Organisation) -> Organisation:
    """Lock the organisation row: every change of its members is serialised through it."""
    return (
        Organisation.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=organisation.pk)
    )


def _is_last_admin(membership: Membership) -> bool:
    if membership.role != Membership.Role.ADMIN or membership.status != Membership.Status.ACTIVE:
        return False
    others = (
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        )
        .exclude(pk=membership.pk)
        .exists()
    )
    return not others


def _person(membership: Membership) -> str:
    if membership.user is not None:
        return str(membership.user.get_full_name() or membership.user.email)
    return membership.invited_email


def _audit(
    actor: Any, action: str, organisation: Organisation, membership: Membership, **data: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=organisation,
        municipality=organisation.municipality,
        data={
            "membership": membership.pk,
            "user": membership.user_id,
            "email": membership.invited_email,
            "role": membership.role,
            **data,
        },
    )


def membership_invite(
    *, actor: Any, organisation: Organisation, email: str, role: str = "member", message: str = ""
) -> Membership:
    """Invite a person by e-mail; somebody without an account gets a link for after sign-up."""
    _require_manager(actor, organisation)
    email = email.strip().lower()
    if not email:
        raise ValidationError({"email": _("Please enter an e-mail address.")})
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Please choose a role from the list.")})
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    with transaction.atomic():
        locked = _lock(organisation)
        if user is not None:
            existing = (
                Membership.objects.select_for_update(of=("self",))
                .filter(organisation=locked, user=user)
                .first()
            )
        else:
            existing = (
                Membership.objects.select_for_update(of=("self",))
                .filter(organisation=locked, user__isnull=True, invited_email__iexact=email)
                .first()
            )
        if existing is not None and existing.status == Membership.Status.ACTIVE:
            raise ValidationError({"email": _("This person is already a member.")})
        invited_by_address = (
            Membership.objects.filter(
                organisation=locked,
                user__isnull=True,
                invited_email__iexact=email,
                status=Membership.Status.INVITED,
            ).exists()
            if user is not None
            else False
        )
        if invited_by_address or (
            existing is not None and existing.status == Membership.Status.INVITED
        ):
            raise ValidationError({"email": _("This person has already been invited.")})
        if existing is not None:
            # They asked to join and are now invited: that is a yes to their request.
            existing.status = Membership.Status.ACTIVE
            existing.role = role
            existing.save(update_fields=["status", "role"])
            _audit(actor, "membership.request_accepted", locked, existing)
            return existing
        membership = Membership.objects.create(
            organisation=locked,
            user=user,
            invited_email="" if user is not None else email,
            invitation_token=uuid.uuid4(),
            role=role,
            status=Membership.Status.INVITED,
            message=message.strip(),
        )
        link = absolute_url(
            "actors:invitation", locked.municipality, token=membership.invitation_token
        )
        inviter = actor.get_full_name() or actor.email
        if user is not None:
            body = _(
                "%(inviter)s invites you to join %(name)s on the engagement platform of "
                "%(town)s.\n\nAccept or decline here:\n%(link)s"
            )
        else:
            body = _(
                "%(inviter)s invites you to join %(name)s on the engagement platform of "
                "%(town)s.\n\nOpen this link, sign up (or log in) and accept the invitation:\n"
                "%(link)s"
            )
        body = body % {
            "inviter": inviter,
            "name": locked.name,
            "town": locked.municipality.name,
            "link": link,
        }
        if membership.message:
            body += "\n\n" + _("Message: %(message)s") % {"message": membership.message}
        mail_queue(
            recipient=user.email if user is not None else email,
            subject=_("Invitation to %(name)s") % {"name": locked.name},
            body_text=body,
            municipality=locked.municipality,
            purpose="actors_invitation",
        )
        _audit(actor, "membership.invited", locked, membership)
    return membership


def _invitation(actor: Any, token: Any) -> Membership:
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation__municipality", "user")
        .filter(invitation_token=token, status=Membership.Status.INVITED)
        .first()
    )
    # Somebody else's invitation looks exactly like a missing one.
    if membership is None or (membership.user is not None and membership.user_id != actor.pk):
        raise ValidationError(_("This invitation is not valid any more."))
    return membership


def invitation_accept(*, actor: Any, token: Any) -> Membership:
    """Accept an invitation; one sent to an address without an account attaches to the actor."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))
    with transaction.atomic():
        membership = _invitation(actor, token)
        organisation = _lock(membership.organisation)
        if membership.user is None:
            existing = Membership.objects.filter(organisation=organisation, user=actor).first()
            if existing is not None and existing.status == Membership.Status.ACTIVE:
                raise ValidationError(_("You are already a member of this organisation."))
            if existing is not None:
                existing.delete()  # a request or older invitation is superseded
            membership.user = actor
        invited_email = membership.invited_email
        membership.status = Membership.Status.ACTIVE
        membership.invitation_token = None
        membership.save(update_fields=["user", "status", "invitation_token"])
        _audit(actor, "membership.invitation_accepted", organisation, membership)
        if invited_email:
            # Kept in the audit row: which address the invitation went to, and who took it up.
            audit_record(
                actor=actor,
                action="membership.invitation_attached",
                target=organisation,
                municipality=organisation.municipality,
                data={"membership": membership.pk, "email": invited_email, "user": actor.pk},
            )
    return membership


def invitation_decline(*, actor: Any, token: Any) -> None:
    """Decline an invitation; it is deleted."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))
    with transaction.atomic():
        membership = _invitation(actor, token)
        organisation = _lock(membership.organisation)
        _audit(actor, "membership.invitation_declined", organisation, membership)
        membership.delete()


def membership_request(*, actor: Any, organisation: Organisation, message: str = "") -> Membership:
    """Ask to join a published organisation; its admins accept or decline."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))
    with transaction.atomic():
        locked = _lock(organisation)
        if locked.status != Organisation.Status.PUBLISHED:
            raise ValidationError(_("This organisation does not take requests at the moment."))
        existing = Membership.objects.filter(organisation=locked, user=actor).first()
        if existing is not None:
            if existing.status == Membership.Status.INVITED:
                raise ValidationError(
                    _("You have already been invited. Please accept the invitation.")
                )
            if existing.status == Membership.Status.REQUESTED:
                raise ValidationError(
                    _("You have already asked to join. The administrators will answer soon.")
                )
            raise ValidationError(_("You are already a member of this organisation."))
        membership = Membership.objects.create(
            organisation=locked,
            user=actor,
            role=Membership.Role.MEMBER,
            status=Membership.Status.REQUESTED,
            message=message.strip(),
        )
        mail_admins(
            organisation=locked,
            subject=_("%(person)s would like to join %(name)s")
            % {"person": actor.get_full_name() or actor.email, "name": locked.name},
            body=_(
                "%(person)s would like to join %(name)s.\n\nMessage: %(message)s\n\n"
                "Accept or decline the request here:\n%(link)s"
            )
            % {
                "person": actor.get_full_name() or actor.email,
                "name": locked.name,
                "message": membership.message or "-",
                "link": absolute_url("actors:members", locked.municipality, slug=locked.slug),
            },
            purpose="actors_membership_request",
        )
        _audit(actor, "membership.requested", locked, membership)
    return membership


def membership_request_decide(*, actor: Any, membership: Membership, accept: bool) -> None:
    """An admin accepts or declines a request to join; the person is told by e-mail."""
    _require_manager(actor, membership.organisation)
    with transaction.atomic():
        organisation = _lock(membership.organisation)
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=membership.pk, organisation=organisation)
            .first()
        )
        if locked is None or locked.status != Membership.Status.REQUESTED:
            raise ValidationError(_("This request has already been answered."))
        assert locked.user is not None  # requests always come from an account
        if accept:
            locked.status = Membership.Status.ACTIVE
            locked.save(update_fields=["status"])
            _audit(actor, "membership.request_accepted", organisation, locked)
            subject = _("Welcome to %(name)s") % {"name": organisation.name}
            body = _("%(name)s has accepted your request to join.") % {"name": organisation.name}
        else:
            _audit(actor, "membership.request_declined", organisation, locked)
            locked.delete()
            subject = _("Your request to join %(name)s") % {"name": organisation.name}
            body = _("%(name)s has declined your request to join.") % {"name": organisation.name}
        mail_queue(
            recipient=locked.user.email,
            subject=subject,
            body_text=body,
            municipality=organisation.municipality,
            purpose="actors_membership_request",
        )


def membership_role_set(*, actor: Any, membership: Membership, role: str) -> Membership:
    """Change an active member's role; the last admin cannot be demoted."""
    _require_manager(actor, membership.organisation)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Please choose a role from the list.")})
    with transaction.atomic():
        organisation = _lock(membership.organisation)
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .filter(pk=membership.pk, organisation=organisation)
            .first()
        )
        if locked is None:
            raise ValidationError(_("This membership does not exist any more."))
        if locked.role == role:
            return locked
        if role != Membership.Role.ADMIN and _is_last_admin(locked):
            raise ValidationError(
                _(
                    "The organisation needs at least one administrator. Make somebody else administrator first."
                )
            )
        before = locked.role
        locked.role = role
        locked.save(update_fields=["role"])
        _audit(actor, "membership.role_changed", organisation, locked, before=before)
    return locked


def membership_remove(*, actor: Any, membership: Membership) -> None:
    """Remove a member (admins, the office) or leave (the member); the last admin stays."""
    leaving = membership.user_id is not None and membership.user_id == getattr(actor, "pk", None)
    if not leaving:
        _require_manager(actor, membership.organisation)
    with transaction.atomic():
        organisation = _lock(membership.organisation)
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .filter(pk=membership.pk, organisation=organisation)
            .first()
        )
        if locked is None:
            return  # already gone: removing twice is not an error
        if _is_last_admin(locked):
            raise ValidationError(
                _(
                    "The last administrator cannot be removed. Make somebody else administrator first."
                )
            )
        if locked.status == Membership.Status.INVITED:
            action = "membership.invitation_withdrawn"
        elif locked.status == Membership.Status.REQUESTED:
            action = "membership.request_declined"
        else:
            action = "membership.left" if leaving else "membership.removed"
        _audit(actor, action, organisation, locked)
        locked.delete()
