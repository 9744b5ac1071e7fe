"""Every state change of organisations' profiles and the helpers the lifecycle services share."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import (
    VISIBILITY_FIELDS,
    FieldOfEngagement,
    Membership,
    Organisation,
    TargetGroup,
    Visibility,
)
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.core.outbox import mail_queue
from gemeinsinn.core.routing import mreverse
from gemeinsinn.core.text import german_slugify

# The profile's own columns an organisation's admins and the office may change.
EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "type",
    "sector",
    "description",
    "website",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "contact_name",
    "contact_email",
    "contact_phone",
    "opening_hours",
    "premises_accessibility",
    "accessibility_notes",
    "logo",
)
# Many-to-many choices from the home municipality's taxonomies and Stadtteile.
RELATION_FIELDS: tuple[str, ...] = ("engagement_fields", "target_groups", "districts")
# Other municipalities' directories; only the home office (or a platform admin) changes them.
LISTING_FIELD = "listed_in"

# Paths of the actors module that a slug must not take, or the organisation's profile would
# hide behind a fixed page (urls.py lists the fixed paths before the directory's <slug>/).
RESERVED_SLUGS = frozenset(
    {
        "registrieren",
        "verwaltung",
        "einladung",
        "aktuell",
        "karte",
        "netzwerk",
        "buendnisse",
        "import",
        "export",
        "abdeckung",
    }
)
# Audit rows keep long texts readable without storing whole essays twice.
_AUDIT_TEXT_LIMIT = 1000


def unique_slug(municipality: Municipality, name: str) -> str:
    base = german_slugify(name, max_length=100) or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    slug, n = base, 2
    while Organisation.objects.filter(municipality=municipality, slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def absolute_url(name: str, municipality: Municipality, **kwargs: Any) -> str:
    """A full link for an e-mail: the installation's base URL and a municipality page."""
    return str(settings.BASE_URL or "").rstrip("/") + mreverse(name, municipality, **kwargs)


def admin_emails(organisation: Organisation) -> list[str]:
    """The e-mail addresses of an organisation's active admins."""
    return sorted(
        {
            email
            for email in Membership.objects.filter(
                organisation=organisation,
                role=Membership.Role.ADMIN,
                status=Membership.Status.ACTIVE,
                user__is_active=True,
            ).values_list("user__email", flat=True)
            if email
        }
    )


def mail_admins(*, organisation: Organisation, subject: str, body: str, purpose: str) -> int:
    """Queue one e-mail to each active admin of the organisation; returns how many."""
    recipients = admin_emails(organisation)
    for recipient in recipients:
        mail_queue(
            recipient=recipient,
            subject=subject,
            body_text=body,
            municipality=organisation.municipality,
            purpose=purpose,
        )
    return len(recipients)


def mail_office(*, municipality: Municipality, subject: str, body: str, purpose: str) -> None:
    """Queue an e-mail to the coordination office's contact address, if it has one."""
    if municipality.contact_email:
        mail_queue(
            recipient=municipality.contact_email,
            subject=subject,
            body_text=body,
            municipality=municipality,
            purpose=purpose,
        )


def _audit_value(value: Any) -> str | list[str]:
    """A JSON-friendly picture of a field value for the change history."""
    if value is None or value is False:
        return ""
    if isinstance(value, FieldFile):
        return value.name or ""
    if hasattr(value, "name") and hasattr(value, "read"):  # an uploaded file
        return str(value.name)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(str(item) for item in value)
    text = str(value)
    if len(text) > _AUDIT_TEXT_LIMIT:
        text = text[:_AUDIT_TEXT_LIMIT] + "…"
    return text


def _check_relation_scope(
    field: str, objects: Iterable[models.Model], municipality: Municipality
) -> None:
    """Taxonomy terms and Stadtteile must come from the organisation's own municipality."""
    for obj in objects:
        if getattr(obj, "municipality_id", None) != municipality.pk:
            raise ValidationError({field: _("Please choose only entries of this municipality.")})


def _check_listing(objects: Iterable[Municipality], home: Municipality) -> None:
    for other in objects:
        if other.pk == home.pk:
            raise ValidationError(
                {LISTING_FIELD: _("The home municipality lists the organisation anyway.")}
            )
        if other.state_id != home.state_id:
            raise ValidationError(
                {
                    LISTING_FIELD: _(
                        "An organisation can only be listed in municipalities of the same Land."
                    )
                }
            )


def clean_visibility(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValidationError({"visibility": _("Please choose who may see each contact field.")})
    unknown = set(value) - set(VISIBILITY_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    for level in value.values():
        if level not in Visibility.values:
            raise ValidationError(
                {"visibility": _("Please choose who may see each contact field.")}
            )
    return {str(k): str(v) for k, v in value.items()}


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
            slug=unique_slug(municipality, name),
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


def apply_relations(
    *, locked: Organisation, values: dict[str, Any], changes: dict[str, Any]
) -> None:
    """Set the many-to-many fields that differ and note their before/after names."""
    models_of: dict[str, type[models.Model]] = {
        "engagement_fields": FieldOfEngagement,
        "target_groups": TargetGroup,
        "districts": TownDistrict,
        LISTING_FIELD: Municipality,
    }
    for field, model in models_of.items():
        if field not in values:
            continue
        wanted = list(values[field] or [])
        if not all(isinstance(obj, model) for obj in wanted):
            raise ValidationError({field: _("Please choose from the list.")})
        if field == LISTING_FIELD:
            _check_listing(wanted, locked.municipality)
        else:
            _check_relation_scope(field, wanted, locked.municipality)
        manager = getattr(locked, field)
        current = list(manager.all())
        if {obj.pk for obj in current} == {obj.pk for obj in wanted}:
            continue
        manager.set(wanted)
        changes[field] = {"before": _audit_value(current), "after": _audit_value(wanted)}


def organisation_update(
    *, actor: Any, organisation: Organisation, values: dict[str, Any]
) -> Organisation:
    """Change an organisation's profile; only its admins and the coordination office may.

    The audit row keeps each changed field's value before and after, which is the entry's
    change history. An entry the office sent back with questions returns to the moderation
    queue when its admins save it.
    """
    if not actor.has_perm("actors.change_organisation", organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    allowed = {*EDITABLE_FIELDS, *RELATION_FIELDS, LISTING_FIELD, "visibility"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    if LISTING_FIELD in values and not actor.has_perm("actors.change_listing", organisation):
        raise PermissionDenied(
            _(
                "Only the coordination office of the home municipality may change where the organisation is listed."
            )
        )
    is_office = actor.has_perm("actors.moderate_organisation", organisation)
    with transaction.atomic():
        locked = (
            Organisation.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=organisation.pk)
        )
        changes: dict[str, Any] = {}
        changed: list[str] = []
        for field in EDITABLE_FIELDS:
            if field not in values:
                continue
            value = values[field]
            before = getattr(locked, field)
            if field == "logo":
                if value is None or value == before:
                    continue  # no new file and no request to remove the old one
                value = value or ""
            elif before == value:
                continue
            setattr(locked, field, value)
            changed.append(field)
            changes[field] = {"before": _audit_value(before), "after": _audit_value(value)}
        if "visibility" in values:
            wanted = {**(locked.visibility or {}), **clean_visibility(values["visibility"])}
            for field in VISIBILITY_FIELDS:
                before_level, after_level = locked.visibility_of(field), wanted.get(field)
                if after_level is not None and after_level != before_level:
                    changes[f"visibility.{field}"] = {"before": before_level, "after": after_level}
            if any(key.startswith("visibility.") for key in changes):
                locked.visibility = wanted
                changed.append("visibility")
        if changed:
            locked.full_clean()
        apply_relations(locked=locked, values=values, changes=changes)
        resubmitted = locked.status == Organisation.Status.CHANGES_REQUESTED and not is_office
        if resubmitted:
            locked.status = Organisation.Status.PENDING
            changed.append("status")
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        if changes:
            audit_record(
                actor=actor,
                action="organisation.updated",
                target=locked,
                municipality=locked.municipality,
                data={"fields": sorted(changes), "changes": changes},
            )
        if resubmitted:
            audit_record(
                actor=actor,
                action="organisation.resubmitted",
                target=locked,
                municipality=locked.municipality,
                data={"status": {"before": "changes_requested", "after": "pending"}},
            )
            mail_office(
                municipality=locked.municipality,
                subject=_("Revised entry waiting for moderation: %(name)s") % {"name": locked.name},
                body=_(
                    "%(name)s has revised its entry after your questions.\n\n"
                    "Moderation queue: %(url)s"
                )
                % {
                    "name": locked.name,
                    "url": absolute_url("actors:moderation", locked.municipality),
                },
                purpose="actors_moderation",
            )
    return locked


def _active_admin_count(organisation: Organisation) -> int:
    return Membership.objects.filter(
        organisation=organisation, role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
    ).count()


def membership_add(
    *, actor: Any, organisation: Organisation, user: Any, role: str = "member"
) -> Membership:
    """Add a person to an organisation (or change their role); the last admin stays admin."""
    if actor is not None and not actor.has_perm("actors.change_organisation", organisation):
        raise PermissionDenied(_("You may not manage the members of this organisation."))
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Please choose a role from the list.")})
    with transaction.atomic():
        # Locking the organisation serialises every change of its admins.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        existing = (
            Membership.objects.select_for_update()
            .filter(organisation=organisation, user=user)
            .first()
        )
        if (
            existing is not None
            and existing.role == role
            and existing.status == Membership.Status.ACTIVE
        ):
            return existing  # nothing changes, nothing to audit
        if (
            existing is not None
            and existing.role == Membership.Role.ADMIN
            and existing.status == Membership.Status.ACTIVE
            and role != Membership.Role.ADMIN
            and _active_admin_count(organisation) <= 1
        ):
            raise ValidationError(
                _(
                    "The organisation needs at least one administrator. Make somebody else administrator first."
                )
            )
        membership, created = Membership.objects.update_or_create(
            organisation=organisation,
            user=user,
            defaults={"role": role, "status": Membership.Status.ACTIVE, "invitation_token": None},
        )
        audit_record(
            actor=actor or "system",
            action="membership.added" if created else "membership.changed",
            target=organisation,
            municipality=organisation.municipality,
            data={"user": user.pk, "role": role},
        )
    return membership
