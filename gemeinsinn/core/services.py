"""State changes of the shared kernel: municipality settings and accessibility feedback."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import AccessibilityFeedback, Municipality, TownDistrict
from gemeinsinn.core.modules import MODULE_KEYS, MODULES
from gemeinsinn.core.outbox import mail_queue
from gemeinsinn.core.text import german_slugify

BRANDING_FIELDS = (
    "display_name",
    "primary_colour",
    "accent_colour",
    "welcome_text",
    "contact_email",
    "contact_phone",
    "imprint",
    "privacy_notice",
    "accessibility_statement",
    "terms",
    "easy_language",
)


def _require_office(actor: Any, municipality: Municipality) -> None:
    if not actor.has_perm("core.manage_municipality", municipality):
        raise PermissionDenied(_("Only the coordination office may change these settings."))


def municipality_modules_set(
    *, actor: Any, municipality: Municipality, enabled: list[str]
) -> Municipality:
    """Switch modules on and off; unknown module keys are refused."""
    _require_office(actor, municipality)
    unknown = set(enabled) - MODULE_KEYS
    if unknown:
        raise ValidationError(_("Unknown modules: %s") % ", ".join(sorted(unknown)))
    ordered = [m.key for m in MODULES if m.key in set(enabled)]
    with transaction.atomic():
        locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
        before = set(locked.enabled_modules or [])
        locked.enabled_modules = ordered
        locked.save(update_fields=["enabled_modules", "updated_at"])
        audit_record(
            actor=actor,
            action="municipality.modules_changed",
            target=locked,
            municipality=locked,
            data={"on": sorted(set(ordered) - before), "off": sorted(before - set(ordered))},
        )
    municipality.enabled_modules = ordered
    return locked


def municipality_branding_update(
    *, actor: Any, municipality: Municipality, values: dict[str, Any]
) -> Municipality:
    """Change the municipality's name on the site, colours, contact data and legal texts."""
    _require_office(actor, municipality)
    unknown = set(values) - set(BRANDING_FIELDS) - {"logo"}
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
        changed = []
        for field, value in values.items():
            if field == "logo" and value is None:
                continue
            if getattr(locked, field) != value:
                setattr(locked, field, value)
                changed.append(field)
        if not changed:
            return locked
        locked.full_clean()
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="municipality.settings_changed",
            target=locked,
            municipality=locked,
            data={"fields": changed},
        )
    return locked


def feedback_submit(
    *,
    municipality: Municipality | None,
    message: str,
    page_url: str,
    name: str,
    email: str,
    actor: Any = None,
) -> AccessibilityFeedback:
    """Store a reported barrier and tell the coordination office by e-mail."""
    if not message.strip():
        raise ValidationError(_("Please describe the barrier."))
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            municipality=municipality,
            message=message.strip(),
            page_url=page_url[:500],
            name=name,
            email=email,
        )
        audit_record(
            actor=actor if actor is not None and actor.is_authenticated else "anonymous",
            action="accessibility.feedback_received",
            target=feedback,
            municipality=municipality,
        )
        if municipality is not None and municipality.contact_email:
            mail_queue(
                recipient=municipality.contact_email,
                subject=_("Accessibility feedback: a barrier was reported"),
                body_text=_("Page: %(page)s\n\n%(message)s\n\nReply to: %(email)s")
                % {"page": page_url or "-", "message": message.strip(), "email": email or "-"},
                municipality=municipality,
                purpose="accessibility_feedback",
                reply_to=email,
            )
    return feedback


def district_create(*, actor: Any, municipality: Municipality, name: str) -> TownDistrict:
    """Add a Stadtteil; names are unique within the municipality."""
    _require_office(actor, municipality)
    name = name.strip()
    if not name:
        raise ValidationError(_("Please enter a name."))
    slug = german_slugify(name, max_length=80) or "stadtteil"
    with transaction.atomic():
        if TownDistrict.objects.filter(municipality=municipality, slug=slug).exists():
            raise ValidationError(_("A Stadtteil with this name exists already."))
        district = TownDistrict.objects.create(municipality=municipality, name=name, slug=slug)
        audit_record(
            actor=actor, action="district.created", target=district, municipality=municipality
        )
    return district


def district_rename(*, actor: Any, district: TownDistrict, name: str) -> TownDistrict:
    """Rename a Stadtteil; its address in URLs stays, so links keep working."""
    _require_office(actor, district.municipality)
    name = name.strip()
    if not name:
        raise ValidationError(_("Please enter a name."))
    with transaction.atomic():
        old = district.name
        district.name = name
        district.save(update_fields=["name"])
        audit_record(
            actor=actor,
            action="district.renamed",
            target=district,
            municipality=district.municipality,
            data={"from": old, "to": name},
        )
    return district


def district_delete(*, actor: Any, district: TownDistrict) -> None:
    """Remove a Stadtteil that nothing refers to any more."""
    _require_office(actor, district.municipality)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="district.deleted",
            target=district,
            municipality=district.municipality,
            data={"name": district.name},
        )
        try:
            district.delete()
        except models.ProtectedError:
            raise ValidationError(
                _("This Stadtteil is still in use and cannot be removed.")
            ) from None
