"""Every state change of cooperation links, alliances, their projects and target agreements.

People act through these functions with their permissions checked. A system actor (a string
such as "demo", or None) acts without a person's permission check, like the other services.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import (
    Alliance,
    AllianceMember,
    AllianceProject,
    CooperationLink,
    Membership,
    Organisation,
    ProgressUpdate,
    TargetAgreement,
)
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.outbox import mail_queue
from gemeinsinn.core.routing import mreverse
from gemeinsinn.core.text import german_slugify

ALLIANCE_EDITABLE_FIELDS = ("name", "mission", "founded_on", "is_public", "status")
AGREEMENT_EDITABLE_FIELDS = (
    "goal",
    "indicator",
    "unit",
    "baseline",
    "target_value",
    "deadline",
    "responsible",
)
PROJECT_EDITABLE_FIELDS = ("title", "description", "starts_on", "ends_on")
# Path segments under /buendnisse/ that an alliance's slug must not take.
RESERVED_ALLIANCE_SLUGS = frozenset({"neu"})
SYMMETRIC_KINDS = frozenset({CooperationLink.Kind.PARTNERSHIP, CooperationLink.Kind.SHARED_PROJECT})


def _may(actor: Any, perm: str, obj: Any) -> bool:
    if actor is None or isinstance(actor, str):
        return True
    return bool(actor.has_perm(perm, obj))


def _is_system(actor: Any) -> bool:
    return actor is None or isinstance(actor, str)


def _is_active_admin(actor: Any, organisation: Organisation) -> bool:
    if _is_system(actor) or not actor.is_authenticated:
        return False
    return Membership.objects.filter(
        organisation=organisation,
        user=actor,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
    ).exists()


def _absolute(path: str) -> str:
    return str(settings.BASE_URL or "").rstrip("/") + path


def _require_manage(actor: Any, alliance: Alliance) -> None:
    if not _may(actor, "actors.manage_alliance", alliance):
        raise PermissionDenied(
            _("Only the steering group and the coordination office may do this.")
        )


def _in_scope(organisation: Organisation, municipality: Municipality) -> bool:
    return (
        organisation.municipality_id == municipality.pk
        or organisation.listed_in.filter(pk=municipality.pk).exists()
    )


def _number(value: Any, field: str) -> Decimal:
    """A value as a Decimal, or a ValidationError for `field` that says what to type."""
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError({field: _("Please enter a number, for example 120 or 12.5.")})
    return number


# --- Cooperation links ---------------------------------------------------------------------------


def cooperation_link_create(
    *,
    actor: Any,
    municipality: Municipality,
    source: Organisation,
    target: Organisation,
    kind: str,
    description: str = "",
) -> CooperationLink:
    """Record that `source` cooperates with `target`; a proposal until the partner confirms it.

    The office (or a platform admin, or a system actor) and a person who administers both
    organisations record a confirmed link; anybody else proposes it to the target's admins.
    """
    if not (
        _may(actor, "actors.add_cooperation", source)
        or _may(actor, "core.manage_municipality", municipality)
    ):
        raise PermissionDenied(_("You may not record cooperations of this organisation."))
    if kind not in CooperationLink.Kind.values:
        raise ValidationError({"kind": _("Please choose the kind of cooperation.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("An organisation cannot cooperate with itself.")})
    for organisation in (source, target):
        if not _in_scope(organisation, municipality):
            raise ValidationError(
                {
                    "target": _("%(name)s is not listed in this municipality.")
                    % {"name": organisation.name}
                }
            )
    if target.status != Organisation.Status.PUBLISHED:
        raise ValidationError({"target": _("Only published organisations can be linked.")})
    with transaction.atomic():
        # Lock the source so that two people recording the same link do not both pass the check.
        Organisation.objects.select_for_update().filter(pk=source.pk).first()
        same = Q(source=source, target=target, kind=kind)
        if kind in SYMMETRIC_KINDS:
            same |= Q(source=target, target=source, kind=kind)
        if CooperationLink.objects.filter(same).exists():
            raise ValidationError({"target": _("This cooperation is already recorded.")})
        confirmed = _may(actor, "core.manage_municipality", municipality) or (
            _is_active_admin(actor, source) and _is_active_admin(actor, target)
        )
        link = CooperationLink(
            municipality=municipality,
            source=source,
            target=target,
            kind=kind,
            description=description.strip(),
            confirmed_at=timezone.now() if confirmed else None,
        )
        link.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                link.save()
        except IntegrityError as exc:
            raise ValidationError({"target": _("This cooperation is already recorded.")}) from exc
        audit_record(
            actor=actor,
            action="cooperation.created",
            target=link,
            municipality=municipality,
            data={
                "source": source.pk,
                "target": target.pk,
                "kind": kind,
                "confirmed": confirmed,
            },
        )
        if not confirmed:
            _mail_proposal(link)
    return link


def _mail_proposal(link: CooperationLink) -> None:
    """Tell the target's active admins that a cooperation waits for their confirmation."""
    target, municipality = link.target, link.municipality
    home = municipality if target.municipality_id == municipality.pk else target.municipality
    url = _absolute(mreverse("actors:cooperations", home, slug=target.slug))
    admins = (
        Membership.objects.filter(
            organisation=target,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    for membership in admins:
        if membership.user is None:
            continue
        mail_queue(
            recipient=membership.user.email,
            subject=_("%(source)s proposes a cooperation with %(target)s")
            % {"source": link.source.name, "target": target.name},
            body_text=_(
                "Hello,\n\n%(source)s has recorded a cooperation with %(target)s "
                "(%(kind)s) in %(town)s. It appears on the profiles and in the network only "
                "after you confirm it.\n\nPlease confirm or decline it here: %(url)s"
            )
            % {
                "source": link.source.name,
                "target": target.name,
                "kind": str(CooperationLink.Kind(link.kind).label),
                "town": municipality.name,
                "url": url,
            },
            municipality=municipality,
            purpose="cooperation.proposed",
            reply_to=municipality.contact_email,
        )


def cooperation_link_confirm(*, actor: Any, link: CooperationLink) -> CooperationLink:
    """Confirm a proposed cooperation; by an admin of the partner (target) or the office."""
    if not _may(actor, "actors.confirm_cooperation", link):
        raise PermissionDenied(_("Only the partner organisation may confirm this cooperation."))
    with transaction.atomic():
        locked = CooperationLink.objects.select_for_update().filter(pk=link.pk).first()
        if locked is None:
            raise ValidationError(_("This proposal has been withdrawn in the meantime."))
        if locked.confirmed_at is None:
            locked.confirmed_at = timezone.now()
            locked.save(update_fields=["confirmed_at"])
            audit_record(
                actor=actor,
                action="cooperation.confirmed",
                target=locked,
                municipality=link.municipality,
                data={"source": locked.source_id, "target": locked.target_id, "kind": locked.kind},
            )
    return locked


def cooperation_link_decline(*, actor: Any, link: CooperationLink) -> None:
    """Decline a proposed cooperation, which removes it; by the partner's admins or the office."""
    if not _may(actor, "actors.confirm_cooperation", link):
        raise PermissionDenied(_("Only the partner organisation may decline this cooperation."))
    with transaction.atomic():
        locked = CooperationLink.objects.select_for_update().filter(pk=link.pk).first()
        if locked is None:
            return  # withdrawn or declined by somebody else in the meantime
        if locked.confirmed_at is not None:
            raise ValidationError(
                _("This cooperation has already been confirmed; remove it instead.")
            )
        audit_record(
            actor=actor,
            action="cooperation.declined",
            target=locked,
            municipality=link.municipality,
            data={"source": locked.source_id, "target": locked.target_id, "kind": locked.kind},
        )
        locked.delete()


def cooperation_link_delete(*, actor: Any, link: CooperationLink) -> None:
    """Remove a cooperation link; by an admin of either organisation or the office."""
    if not _may(actor, "actors.delete_cooperation", link):
        raise PermissionDenied(_("You may not remove this cooperation."))
    with transaction.atomic():
        locked = CooperationLink.objects.select_for_update().filter(pk=link.pk).first()
        if locked is None:
            return  # removed by somebody else in the meantime
        audit_record(
            actor=actor,
            action="cooperation.deleted",
            target=locked,
            municipality=link.municipality,
            data={"source": locked.source_id, "target": locked.target_id, "kind": locked.kind},
        )
        locked.delete()


# --- Alliances -----------------------------------------------------------------------------------


def _alliance_slug(municipality: Municipality, name: str, exclude: int | None = None) -> str:
    base = german_slugify(name, max_length=100) or "buendnis"
    slug, n = base, 2
    taken = Alliance.objects.filter(municipality=municipality)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    while slug in RESERVED_ALLIANCE_SLUGS or taken.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def alliance_create(
    *,
    actor: Any,
    municipality: Municipality,
    name: str,
    mission: str = "",
    founded_on: date | None = None,
    is_public: bool = True,
) -> Alliance:
    """Found an alliance (Bündnis); only the coordination office may."""
    if not _may(actor, "actors.create_alliance", municipality):
        raise PermissionDenied(_("Only the coordination office may found an alliance."))
    if not name.strip():
        raise ValidationError({"name": _("Please enter a name.")})
    with transaction.atomic():
        # The municipality row serialises slug choice between two simultaneous foundings.
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        alliance = Alliance(
            municipality=municipality,
            name=name.strip(),
            slug=_alliance_slug(municipality, name),
            mission=mission.strip(),
            founded_on=founded_on,
            is_public=is_public,
        )
        alliance.full_clean()
        alliance.save()
        audit_record(
            actor=actor, action="alliance.created", target=alliance, municipality=municipality
        )
    return alliance


def alliance_update(*, actor: Any, alliance: Alliance, values: dict[str, Any]) -> Alliance:
    """Change an alliance's name, mission, founding date, visibility or status."""
    _require_manage(actor, alliance)
    unknown = set(values) - set(ALLIANCE_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    if "name" in values and not str(values["name"]).strip():
        raise ValidationError({"name": _("Please enter a name.")})
    with transaction.atomic():
        locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
        changed = [f for f, v in values.items() if getattr(locked, f) != v]
        for name in changed:
            setattr(locked, name, values[name])
        if changed:
            locked.full_clean()
            locked.save(update_fields=[*changed, "updated_at"])
            audit_record(
                actor=actor,
                action="alliance.updated",
                target=locked,
                municipality=locked.municipality,
                data={"fields": changed},
            )
    return locked


def alliance_member_add(
    *,
    actor: Any,
    alliance: Alliance,
    organisation: Organisation | None = None,
    email: str = "",
    user: Any = None,
    is_steering: bool = False,
    joined_on: date | None = None,
    notify: bool = True,
) -> AllianceMember | None:
    """Add an organisation to an alliance, or invite a citizen (by e-mail address).

    A person joins only by accepting the invitation; a system actor (demo, tests) adds people
    as members at once. When no active account has the address, or the person is already
    in the alliance or invited, nothing happens and None comes back, so that the answer does
    not tell whether an account exists.
    """
    _require_manage(actor, alliance)
    if organisation is None and user is None:
        if not email.strip():
            raise ValidationError(
                _("Please choose an organisation or enter the e-mail address of a person.")
            )
        user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            return None
    if organisation is not None and user is not None:
        raise ValidationError(_("Please add either an organisation or a person, not both."))
    if organisation is not None:
        if not _in_scope(organisation, alliance.municipality):
            raise ValidationError(
                {"organisation": _("This organisation is not listed in this municipality.")}
            )
        if organisation.status != Organisation.Status.PUBLISHED:
            raise ValidationError(
                {"organisation": _("Only published organisations can join an alliance.")}
            )
    invite = user is not None and not _is_system(actor)
    with transaction.atomic():
        Alliance.objects.select_for_update().filter(pk=alliance.pk).first()
        existing = AllianceMember.objects.filter(alliance=alliance)
        if organisation is not None and existing.filter(organisation=organisation).exists():
            raise ValidationError(
                {"organisation": _("This organisation is already a member of the alliance.")}
            )
        if user is not None and existing.filter(user=user).exists():
            if invite:
                return None  # the same neutral answer as for an unknown address
            raise ValidationError({"email": _("This person is already a member of the alliance.")})
        member = AllianceMember.objects.create(
            alliance=alliance,
            organisation=organisation,
            user=user,
            is_steering=is_steering,
            joined_on=None if invite else joined_on or timezone.localdate(),
            status=AllianceMember.Status.INVITED if invite else AllianceMember.Status.ACTIVE,
        )
        audit_record(
            actor=actor,
            action="alliance.member_invited" if invite else "alliance.member_added",
            target=alliance,
            municipality=alliance.municipality,
            data={
                "organisation": organisation.pk if organisation else None,
                "user": user.pk if user is not None else None,
                "steering": is_steering,
            },
        )
        if user is not None and (invite or notify):
            _mail_member(member, invite=invite)
    return member


def _mail_member(member: AllianceMember, *, invite: bool) -> None:
    alliance = member.alliance
    if member.user is None:
        return
    url = _absolute(
        mreverse("actors:alliance_detail", alliance.municipality, alliance=alliance.slug)
    )
    values = {
        "name": alliance.name,
        "town": alliance.municipality.name,
        "steering": _(" as a member of the steering group") if member.is_steering else "",
        "url": url,
    }
    if invite:
        subject = _("You are invited to the alliance “%(name)s”") % values
        body = (
            _(
                "Hello,\n\nyou have been invited to join the alliance “%(name)s” in %(town)s"
                "%(steering)s.\n\nYou become a member only if you accept. Please accept or "
                "decline the invitation on the alliance's page (after logging in): %(url)s\n\n"
                "If you do not know this alliance, you can simply decline."
            )
            % values
        )
    else:
        subject = _("You are now a member of the alliance “%(name)s”") % values
        body = (
            _(
                "Hello,\n\nyou have been added to the alliance “%(name)s” in %(town)s"
                "%(steering)s.\n\nThe alliance's page: %(url)s\n\nIf this is a mistake, "
                "please reply to the coordination office."
            )
            % values
        )
    mail_queue(
        recipient=member.user.email,
        subject=subject,
        body_text=body,
        municipality=alliance.municipality,
        purpose="alliance.member_invited" if invite else "alliance.member_added",
        reply_to=alliance.municipality.contact_email,
    )


def _invitation(actor: Any, member: AllianceMember) -> AllianceMember:
    """The locked invitation row, if it is `actor`'s own open invitation."""
    if _is_system(actor) or not actor.is_authenticated or member.user_id != actor.pk:
        raise PermissionDenied(_("Only the invited person may answer this invitation."))
    locked = (
        AllianceMember.objects.select_for_update()
        .filter(pk=member.pk, user=actor, status=AllianceMember.Status.INVITED)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This invitation is no longer open."))
    return locked


def alliance_invitation_accept(*, actor: Any, member: AllianceMember) -> AllianceMember:
    """Accept an invitation to an alliance: the invited person becomes a member."""
    alliance = member.alliance
    with transaction.atomic():
        locked = _invitation(actor, member)
        locked.status = AllianceMember.Status.ACTIVE
        locked.joined_on = timezone.localdate()
        locked.save(update_fields=["status", "joined_on"])
        audit_record(
            actor=actor,
            action="alliance.invitation_accepted",
            target=alliance,
            municipality=alliance.municipality,
            data={"user": locked.user_id, "steering": locked.is_steering},
        )
    return locked


def alliance_invitation_decline(*, actor: Any, member: AllianceMember) -> None:
    """Decline an invitation to an alliance; the invitation is removed."""
    alliance = member.alliance
    with transaction.atomic():
        locked = _invitation(actor, member)
        audit_record(
            actor=actor,
            action="alliance.invitation_declined",
            target=alliance,
            municipality=alliance.municipality,
            data={"user": locked.user_id},
        )
        locked.delete()


def alliance_member_update(*, actor: Any, member: AllianceMember, is_steering: bool) -> None:
    """Put a member into the steering group or take them out of it."""
    alliance = member.alliance
    _require_manage(actor, alliance)
    with transaction.atomic():
        locked = AllianceMember.objects.select_for_update().filter(pk=member.pk).first()
        if locked is None or locked.is_steering == is_steering:
            return
        locked.is_steering = is_steering
        locked.save(update_fields=["is_steering"])
        audit_record(
            actor=actor,
            action="alliance.member_changed",
            target=alliance,
            municipality=alliance.municipality,
            data={
                "organisation": locked.organisation_id,
                "user": locked.user_id,
                "steering": is_steering,
            },
        )


def alliance_member_remove(*, actor: Any, member: AllianceMember) -> None:
    """Remove a member from an alliance; a responsible organisation stops being responsible."""
    alliance = member.alliance
    _require_manage(actor, alliance)
    with transaction.atomic():
        locked = AllianceMember.objects.select_for_update().filter(pk=member.pk).first()
        if locked is None:
            return
        if locked.organisation_id is not None:
            for agreement in TargetAgreement.objects.filter(alliance=alliance):
                agreement.responsible.remove(locked.organisation_id)
        audit_record(
            actor=actor,
            action="alliance.member_removed",
            target=alliance,
            municipality=alliance.municipality,
            data={"organisation": locked.organisation_id, "user": locked.user_id},
        )
        locked.delete()


# --- Projects ------------------------------------------------------------------------------------


def _check_project(title: str, starts_on: date | None, ends_on: date | None) -> None:
    if not title.strip():
        raise ValidationError({"title": _("Please enter a title.")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot lie before the start.")})


def alliance_project_create(
    *,
    actor: Any,
    alliance: Alliance,
    title: str,
    description: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> AllianceProject:
    """Add a project to an alliance."""
    _require_manage(actor, alliance)
    _check_project(title, starts_on, ends_on)
    with transaction.atomic():
        Alliance.objects.select_for_update().filter(pk=alliance.pk).first()
        project = AllianceProject(
            alliance=alliance,
            title=title.strip(),
            description=description.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        project.full_clean()
        project.save()
        audit_record(
            actor=actor,
            action="alliance.project_created",
            target=project,
            municipality=alliance.municipality,
        )
    return project


def alliance_project_update(
    *, actor: Any, project: AllianceProject, values: dict[str, Any]
) -> AllianceProject:
    """Change a project of an alliance."""
    alliance = project.alliance
    _require_manage(actor, alliance)
    unknown = set(values) - set(PROJECT_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        locked = AllianceProject.objects.select_for_update().get(pk=project.pk)
        changed = [f for f, v in values.items() if getattr(locked, f) != v]
        for name in changed:
            setattr(locked, name, values[name])
        _check_project(locked.title, locked.starts_on, locked.ends_on)
        if changed:
            locked.full_clean()
            locked.save(update_fields=changed)
            audit_record(
                actor=actor,
                action="alliance.project_updated",
                target=locked,
                municipality=alliance.municipality,
                data={"fields": changed},
            )
    return locked


def alliance_project_delete(*, actor: Any, project: AllianceProject) -> None:
    """Remove a project from an alliance."""
    alliance = project.alliance
    _require_manage(actor, alliance)
    with transaction.atomic():
        locked = AllianceProject.objects.select_for_update().filter(pk=project.pk).first()
        if locked is None:
            return
        audit_record(
            actor=actor,
            action="alliance.project_deleted",
            target=locked,
            municipality=alliance.municipality,
        )
        locked.delete()


# --- Target agreements and progress --------------------------------------------------------------


def _responsible(alliance: Alliance, organisations: Iterable[Organisation]) -> list[Organisation]:
    chosen = list(organisations)
    members = set(
        AllianceMember.objects.filter(
            alliance=alliance, organisation__in=[o.pk for o in chosen]
        ).values_list("organisation_id", flat=True)
    )
    strangers = [o.name for o in chosen if o.pk not in members]
    if strangers:
        raise ValidationError(
            {
                "responsible": _("Only member organisations can be responsible: %s")
                % ", ".join(strangers)
            }
        )
    return chosen


def target_agreement_create(
    *,
    actor: Any,
    alliance: Alliance,
    goal: str,
    indicator: str,
    target_value: Any,
    deadline: date,
    baseline: Any = 0,
    unit: str = "",
    responsible: Iterable[Organisation] = (),
) -> TargetAgreement:
    """Agree on a goal with an indicator, a target value and a deadline."""
    _require_manage(actor, alliance)
    errors: dict[str, str] = {}
    if not goal.strip():
        errors["goal"] = _("Please describe the goal.")
    if not indicator.strip():
        errors["indicator"] = _("Please name the indicator that measures the goal.")
    try:
        baseline_number = _number(baseline, "baseline")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        baseline_number = None
    try:
        target_number = _number(target_value, "target_value")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        target_number = None
    if baseline_number is not None and baseline_number == target_number:
        errors["target_value"] = _(
            "The target value must differ from the starting value, otherwise there is no progress to measure."
        )
    if deadline <= timezone.localdate():
        errors["deadline"] = _("The deadline must lie in the future.")
    if errors:
        raise ValidationError(errors)
    assert baseline_number is not None
    assert target_number is not None
    chosen = _responsible(alliance, responsible)
    with transaction.atomic():
        Alliance.objects.select_for_update().filter(pk=alliance.pk).first()
        agreement = TargetAgreement(
            alliance=alliance,
            goal=goal.strip(),
            indicator=indicator.strip(),
            unit=unit.strip(),
            baseline=baseline_number,
            target_value=target_number,
            deadline=deadline,
        )
        agreement.full_clean()
        agreement.save()
        agreement.responsible.set(chosen)
        audit_record(
            actor=actor,
            action="target_agreement.created",
            target=agreement,
            municipality=alliance.municipality,
        )
    return agreement


def target_agreement_update(
    *, actor: Any, agreement: TargetAgreement, values: dict[str, Any]
) -> TargetAgreement:
    """Change a target agreement; a changed deadline must again lie in the future."""
    alliance = agreement.alliance
    _require_manage(actor, alliance)
    unknown = set(values) - set(AGREEMENT_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    values = dict(values)
    for name in ("baseline", "target_value"):
        if name in values:
            values[name] = _number(values[name], name)
    responsible = values.pop("responsible", None)
    with transaction.atomic():
        locked = TargetAgreement.objects.select_for_update().get(pk=agreement.pk)
        changed = [f for f, v in values.items() if getattr(locked, f) != v]
        for name in changed:
            setattr(locked, name, values[name])
        errors: dict[str, str] = {}
        if not locked.goal.strip():
            errors["goal"] = _("Please describe the goal.")
        if not locked.indicator.strip():
            errors["indicator"] = _("Please name the indicator that measures the goal.")
        if locked.baseline == locked.target_value:
            errors["target_value"] = _(
                "The target value must differ from the starting value, otherwise there is no progress to measure."
            )
        if "deadline" in changed and locked.deadline <= timezone.localdate():
            errors["deadline"] = _("The deadline must lie in the future.")
        if errors:
            raise ValidationError(errors)
        if responsible is not None:
            chosen = _responsible(alliance, responsible)
            before = set(locked.responsible.values_list("pk", flat=True))
            if before != {o.pk for o in chosen}:
                locked.responsible.set(chosen)
                changed.append("responsible")
        if changed:
            locked.full_clean()
            locked.save(update_fields=[f for f in changed if f != "responsible"] or None)
            audit_record(
                actor=actor,
                action="target_agreement.updated",
                target=locked,
                municipality=alliance.municipality,
                data={"fields": changed},
            )
    return locked


def target_agreement_delete(*, actor: Any, agreement: TargetAgreement) -> None:
    """Remove a target agreement with all its progress updates."""
    alliance = agreement.alliance
    _require_manage(actor, alliance)
    with transaction.atomic():
        locked = TargetAgreement.objects.select_for_update().filter(pk=agreement.pk).first()
        if locked is None:
            return
        audit_record(
            actor=actor,
            action="target_agreement.deleted",
            target=locked,
            municipality=alliance.municipality,
            data={"updates": locked.updates.count()},
        )
        locked.delete()


def progress_update_add(
    *,
    actor: Any,
    agreement: TargetAgreement,
    value: Any,
    reported_on: date | None = None,
    note: str = "",
) -> ProgressUpdate:
    """Report the indicator's value on a date."""
    alliance = agreement.alliance
    _require_manage(actor, alliance)
    number = _number(value, "value")
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("A progress update cannot lie in the future.")})
    with transaction.atomic():
        TargetAgreement.objects.select_for_update().filter(pk=agreement.pk).first()
        update = ProgressUpdate(
            agreement=agreement,
            reported_on=reported_on,
            value=number,
            note=note.strip(),
            author=actor if getattr(actor, "is_authenticated", False) else None,
        )
        update.full_clean()
        update.save()
        audit_record(
            actor=actor,
            action="progress_update.created",
            target=agreement,
            municipality=alliance.municipality,
            data={"reported_on": reported_on.isoformat(), "value": str(number)},
        )
    return update


def progress_update_delete(*, actor: Any, update: ProgressUpdate) -> None:
    """Remove a progress update that was entered by mistake."""
    agreement = update.agreement
    alliance = agreement.alliance
    _require_manage(actor, alliance)
    with transaction.atomic():
        locked = ProgressUpdate.objects.select_for_update().filter(pk=update.pk).first()
        if locked is None:
            return
        audit_record(
            actor=actor,
            action="progress_update.deleted",
            target=agreement,
            municipality=alliance.municipality,
            data={"reported_on": locked.reported_on.isoformat(), "value": str(locked.value)},
        )
        locked.delete()
