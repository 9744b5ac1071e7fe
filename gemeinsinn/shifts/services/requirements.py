"""Requirements of shifts (a briefing, a certificate of conduct seen) and who meets them.

The organisation defines requirements (organisers, the office included) and records who meets
them. Who met what is personal data, so only the organisation's members record it, and only for
people it knows: members, people engaged with it, earlier helpers of its shifts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.audit import audit_record
from gemeinsinn.shifts.models import Requirement, RequirementRecord
from gemeinsinn.shifts.selectors.common import is_known_helper
from gemeinsinn.shifts.services.plans import require_organiser


def _require_handler(actor: Any, organisation: Organisation) -> None:
    if actor is None or not actor.has_perm("shifts.handle_helpers", organisation):
        raise PermissionDenied(_("Only the organisation's members record who meets a requirement."))


def _clean(organisation: Organisation, name: str, description: str, exclude: int | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the requirement, e.g. “Hygiene briefing”.")})
    taken = Requirement.objects.filter(organisation=organisation, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(
            {"name": _("The organisation already has a requirement of this name.")}
        )
    if len(description.strip()) > 300:
        raise ValidationError({"description": _("Please keep it under 300 characters.")})
    return name


def requirement_create(
    *, actor: Any, organisation: Organisation, name: str, description: str = ""
) -> Requirement:
    """Define something people need before they take certain shifts."""
    require_organiser(actor, organisation)
    with transaction.atomic():
        requirement = Requirement.objects.create(
            organisation=organisation,
            name=_clean(organisation, name, description, None),
            description=description.strip(),
        )
        audit_record(
            actor=actor,
            action="shift_requirement.created",
            target=requirement,
            municipality=organisation.municipality,
        )
    return requirement


def requirement_update(
    *, actor: Any, requirement: Requirement, name: str, description: str = ""
) -> Requirement:
    """Rename a requirement or change how to meet it (records stay)."""
    with transaction.atomic():
        locked = (
            Requirement.objects.select_for_update(of=("self",))
            .select_related("organisation", "organisation__municipality")
            .get(pk=requirement.pk)
        )
        require_organiser(actor, locked.organisation)
        locked.name = _clean(locked.organisation, name, description, locked.pk)
        locked.description = description.strip()
        locked.save(update_fields=["name", "description"])
        audit_record(
            actor=actor,
            action="shift_requirement.updated",
            target=locked,
            municipality=locked.organisation.municipality,
        )
    return locked


def requirement_record(
    *,
    actor: Any,
    requirement: Requirement,
    volunteer: Any,
    recorded_on: date | None = None,
    now: datetime | None = None,
) -> RequirementRecord:
    """Note that a person the organisation knows meets a requirement."""
    organisation = requirement.organisation
    _require_handler(actor, organisation)
    today = timezone.localdate(now or timezone.now())
    on = recorded_on or today
    if on > today:
        raise ValidationError({"recorded_on": _("The date lies in the future.")})
    if not is_known_helper(user=volunteer, organisation=organisation):
        raise ValidationError(
            {
                "volunteer": _(
                    "Only members, people engaged with the organisation and earlier helpers can "
                    "be recorded."
                )
            }
        )
    try:
        with transaction.atomic():
            record = RequirementRecord.objects.create(
                requirement=requirement, volunteer=volunteer, recorded_by=actor, recorded_on=on
            )
            audit_record(
                actor=actor,
                action="shift_requirement.recorded",
                target=record,
                municipality=organisation.municipality,
                data={"requirement": requirement.pk, "volunteer": volunteer.pk},
            )
    except IntegrityError:
        raise ValidationError(
            {"volunteer": _("This person is already recorded as meeting the requirement.")}
        ) from None
    return record


def requirement_record_remove(*, actor: Any, record: RequirementRecord) -> None:
    """Take back the note that a person meets a requirement."""
    organisation = record.requirement.organisation
    _require_handler(actor, organisation)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="shift_requirement.removed",
            target=record,
            municipality=organisation.municipality,
            data={"requirement": record.requirement_id, "volunteer": record.volunteer_id},
        )
        RequirementRecord.objects.filter(pk=record.pk).delete()
