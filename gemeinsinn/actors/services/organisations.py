"""Every state change of organisations and memberships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.text import german_slugify

EDITABLE_FIELDS = ("name", "description", "website", "email", "phone", "street", "postcode", "city")


def _unique_slug(municipality: Municipality, name: str) -> str:
    base = german_slugify(name, max_length=100) or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(municipality=municipality, slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def organisation_create(
    *,
    actor: Any,
    municipality: Municipality,
    name: str,
    type: str,
    sector: str,
    published: bool = False,
    admin: Any = None,
    **fields: Any,
) -> Organisation:
    """Register an organisation; its creator (if given) becomes its first admin."""
    if not name.strip():
        raise ValidationError({"name": _("Please enter a name.")})
    with transaction.atomic():
        organisation = Organisation(
            municipality=municipality,
            name=name.strip(),
            slug=_unique_slug(municipality, name),
            type=type,
            sector=sector,
            status=Organisation.Status.PUBLISHED if published else Organisation.Status.PENDING,
            **fields,
        )
        organisation.full_clean()
        organisation.save()
        if admin is not None:
            Membership.objects.create(
                organisation=organisation, user=admin, role=Membership.Role.ADMIN
            )
        audit_record(
            actor=actor,
            action="organisation.created",
            target=organisation,
            municipality=municipality,
        )
    return organisation


def organisation_update(
    *, actor: Any, organisation: Organisation, values: dict[str, Any]
) -> Organisation:
    """Change an organisation's profile; only its admins and the coordination office may."""
    if not actor.has_perm("actors.change_organisation", organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = [f for f, v in values.items() if getattr(locked, f) != v]
        for field in changed:
            setattr(locked, field, values[field])
        if changed:
            locked.full_clean()
            locked.save(update_fields=[*changed, "updated_at"])
            audit_record(
                actor=actor,
                action="organisation.updated",
                target=locked,
                municipality=locked.municipality,
                data={"fields": changed},
            )
    return locked


def membership_add(
    *, actor: Any, organisation: Organisation, user: Any, role: str = "member"
) -> Membership:
    """Add a person to an organisation (or change their role)."""
    if actor is not None and not actor.has_perm("actors.change_organisation", organisation):
        raise PermissionDenied(_("You may not manage the members of this organisation."))
    with transaction.atomic():
        existing = (
            Membership.objects.select_for_update()
            .filter(organisation=organisation, user=user)
            .first()
        )
        if existing is not None and existing.role == role:
            return existing  # nothing changes, nothing to audit
        membership, created = Membership.objects.update_or_create(
            organisation=organisation, user=user, defaults={"role": role}
        )
        audit_record(
            actor=actor or "system",
            action="membership.added" if created else "membership.changed",
            target=organisation,
            municipality=organisation.municipality,
            data={"user": user.pk, "role": role},
        )
    return membership
