"""Volunteer profiles, inviting suggested volunteers, and the office's exchange settings."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.outbox import mail_queue
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.geo import Point
from gemeinsinn.opportunities.geo_lookup import locate
from gemeinsinn.opportunities.models import (
    AgeBand,
    Application,
    ExchangeSettings,
    GermanLevel,
    Opportunity,
    VolunteerProfile,
)
from gemeinsinn.opportunities.models.slots import ALL_SLOTS
from gemeinsinn.opportunities.selectors import recommendations as selectors
from gemeinsinn.opportunities.selectors.common import opportunities_live

_POSTCODE = re.compile(r"^\d{5}$")
RADIUS_MIN_KM = 1
RADIUS_MAX_KM = 200


@dataclass(frozen=True)
class ProfileInput:
    """Everything a person states in their volunteer profile (ids of this municipality)."""

    interest_ids: frozenset[int] = frozenset()
    skill_ids: frozenset[int] = frozenset()
    time_slots: int = 0
    district_id: int | None = None
    postcode: str = ""
    radius_km: int = 10
    remote_ok: bool = True
    languages: str = ""
    german_level: int = GermanLevel.FLUENT
    age_band: str = ""
    accepts_conduct_certificate: bool = False
    suggest_to_organisations: bool = False


_PLAIN_FIELDS = (
    "time_slots",
    "district_id",
    "postcode",
    "radius_km",
    "remote_ok",
    "languages",
    "german_level",
    "age_band",
    "accepts_conduct_certificate",
    "suggest_to_organisations",
)


def _clean(*, municipality: Municipality, data: ProfileInput, user: Any) -> ProfileInput:
    """The input checked against the municipality's lists; ValidationError names each field."""
    errors: dict[str, str] = {}
    fields, skills, districts = selectors.profile_choices(municipality=municipality)
    if set(data.interest_ids) - set(
        fields.filter(pk__in=data.interest_ids).values_list("pk", flat=True)
    ):
        errors["interests"] = _("Please choose interests from the list.")
    if set(data.skill_ids) - set(skills.filter(pk__in=data.skill_ids).values_list("pk", flat=True)):
        errors["skills"] = _("Please choose skills from the list.")
    if data.district_id is not None and not districts.filter(pk=data.district_id).exists():
        errors["district"] = _("Please choose a Stadtteil from the list.")
    if not 0 <= data.time_slots <= ALL_SLOTS:
        errors["time_slots"] = _("Please choose times from the table.")
    postcode = data.postcode.strip()
    if postcode and not _POSTCODE.match(postcode):
        errors["postcode"] = _("A postcode has five digits, for example 83022.")
    if not RADIUS_MIN_KM <= data.radius_km <= RADIUS_MAX_KM:
        errors["radius_km"] = _("Please enter a distance between %(min)d and %(max)d km.") % {
            "min": RADIUS_MIN_KM,
            "max": RADIUS_MAX_KM,
        }
    if data.german_level not in GermanLevel.values:
        errors["german_level"] = _("Please choose how well you speak German.")
    if data.age_band and data.age_band not in AgeBand.values:
        errors["age_band"] = _("Please choose an age from the list.")
    if errors:
        raise ValidationError(errors)
    return replace(
        data,
        postcode=postcode,
        languages=data.languages.strip()[:200],
        # With a date of birth the exact age counts; a band would only be stale data.
        age_band="" if user.date_of_birth else data.age_band,
    )


def _locate(*, municipality: Municipality, postcode: str, district: Any) -> Point | None:
    """Where the person is: the postcode's centre, else the Stadtteil's; None when unknown."""
    if postcode:
        return locate(municipality=municipality, text=postcode)
    if district is not None:
        return locate(municipality=municipality, text=district.name)
    return None


def profile_save(
    *,
    user: Any,
    municipality: Municipality,
    data: ProfileInput,
    onboarding: bool = False,
) -> VolunteerProfile:
    """Create or replace the person's volunteer profile, now kept in this municipality."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    data = _clean(municipality=municipality, data=data, user=user)
    with transaction.atomic():
        profile, created = VolunteerProfile.objects.select_for_update().get_or_create(
            user=user, defaults={"municipality": municipality}
        )
        before = {name: getattr(profile, name) for name in _PLAIN_FIELDS}
        old_interests = set(profile.interests.values_list("pk", flat=True))
        old_skills = set(profile.skills.values_list("pk", flat=True))
        moved = profile.municipality_id != municipality.pk
        for name in _PLAIN_FIELDS:
            setattr(profile, name, getattr(data, name))
        profile.municipality = municipality
        place_changed = (data.postcode, data.district_id) != (
            before["postcode"],
            before["district_id"],
        )
        if place_changed or moved or profile.latitude is None:
            point = _locate(
                municipality=municipality, postcode=data.postcode, district=profile.district
            )
            profile.latitude = point.latitude if point else None
            profile.longitude = point.longitude if point else None
        if onboarding:
            profile.onboarded_at = timezone.now()
        profile.save()
        profile.interests.set(data.interest_ids)
        profile.skills.set(data.skill_ids)
        # Field names only: the values are the person's own and stay out of the log.
        changed = [name for name in _PLAIN_FIELDS if before[name] != getattr(profile, name)]
        if old_interests != set(data.interest_ids):
            changed.append("interests")
        if old_skills != set(data.skill_ids):
            changed.append("skills")
        if moved:
            changed.append("municipality")
        if created or changed or onboarding:
            audit_record(
                actor=user,
                action="volunteer_profile.created" if created else "volunteer_profile.updated",
                target=profile,
                municipality=municipality,
                data={"changed": sorted(changed), "onboarding": onboarding},
            )
    return profile


# --- inviting a suggested volunteer ---------------------------------------------------------------


def _absolute(name: str, municipality: Municipality, **kwargs: Any) -> str:
    return str(settings.BASE_URL or "").rstrip("/") + mreverse(name, municipality, **kwargs)


def suggestion_invite(
    *,
    actor: Any,
    opportunity: Opportunity,
    volunteer_public_id: UUID,
    explanation: str = "",
    today: date | None = None,
) -> None:
    """Invite an opted-in person to apply, by e-mail through the outbox; the organisation never
    learns their address. Each person is invited to an opportunity once."""
    if not actor.has_perm("opportunities.handle_applications", opportunity):
        raise PermissionDenied
    with transaction.atomic():
        # Locking the profile serialises two clicks on the same person (double submit).
        profile = (
            VolunteerProfile.objects.select_for_update()
            .select_related("user")
            .filter(
                user__public_id=volunteer_public_id,
                municipality=opportunity.municipality,
                suggest_to_organisations=True,
                user__is_active=True,
            )
            .first()
        )
        if profile is None:
            raise ValidationError(_("This person no longer wishes to be suggested."))
        volunteer = profile.user
        if not opportunities_live(today=today).filter(pk=opportunity.pk).exists():
            raise ValidationError(_("Only a published opportunity can be suggested to people."))
        key = str(volunteer.public_id)
        if key in selectors.invited_volunteers(opportunity=opportunity):
            raise ValidationError(_("You have already invited this person."))
        if Application.objects.filter(
            opportunity=opportunity,
            volunteer=volunteer,
            status__in=selectors.LIVE_APPLICATION_STATUSES,
        ).exists():
            raise ValidationError(_("This person has already expressed interest."))
        municipality = opportunity.municipality
        greeting = (
            _("Hello %(name)s,") % {"name": volunteer.first_name}
            if volunteer.first_name
            else _("Hello,")
        )
        body = (
            greeting
            + "\n\n"
            + _(
                "%(organisation)s thinks you would be a good fit for “%(title)s” and invites you to "
                "express your interest:\n%(link)s\n"
            )
            % {
                "organisation": opportunity.organisation.name,
                "title": opportunity.title,
                "link": _absolute(
                    "opportunities:detail", municipality, public_id=opportunity.public_id
                ),
            }
        )
        if explanation:
            body += "\n" + _("Why it fits: %(reasons)s") % {"reasons": explanation} + "\n"
        body += "\n" + _(
            "You receive this e-mail because you allowed organisations to suggest opportunities "
            "to you. The organisation does not know your e-mail address. You can switch "
            "suggestions off in your profile:\n%(link)s"
        ) % {"link": _absolute("opportunities:profile", municipality)}
        mail_queue(
            recipient=volunteer.email,
            subject=_("Invitation to get involved: %(title)s") % {"title": opportunity.title},
            body_text=body,
            municipality=municipality,
            purpose="opportunities_suggestion",
        )
        audit_record(
            actor=actor,
            action=selectors.INVITE_ACTION,
            target=opportunity,
            municipality=municipality,
            data={"volunteer": key},
        )


# --- the office's settings ------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "moderate_opportunities",
    "default_listing_days",
    "expiry_reminder_days",
    "application_retention_days",
    "weight_fields",
    "weight_skills",
    "weight_distance",
    "weight_time",
    "weight_freshness",
)


def exchange_settings_update(
    *, actor: Any, municipality: Municipality, values: dict[str, Any]
) -> ExchangeSettings:
    """Change the municipality's exchange settings (office only); records old and new values."""
    if not actor.has_perm("core.manage_municipality", municipality):
        raise PermissionDenied
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        found, _created = ExchangeSettings.objects.select_for_update().get_or_create(
            municipality=municipality
        )
        changes: dict[str, list[Any]] = {}
        for name, value in values.items():
            old = getattr(found, name)
            if old != value:
                changes[name] = [old, value]
                setattr(found, name, value)
        found.full_clean()
        if not changes:
            return found
        if found.expiry_reminder_days >= found.default_listing_days:
            raise ValidationError(
                {
                    "expiry_reminder_days": _(
                        "The reminder must come before the listing ends: choose fewer days "
                        "than an opportunity is listed."
                    )
                }
            )
        found.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            action="exchange_settings.updated",
            target=found,
            municipality=municipality,
            data={"changes": changes},
        )
    return found
