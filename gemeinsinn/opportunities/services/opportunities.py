"""Posting opportunities and their life: draft, review, published, paused, filled, expired, archived.

Every status change goes through one table (TRANSITIONS); a step it does not list for the
current status is refused, so no view or job can move an opportunity where it must not go.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import FieldOfEngagement, Organisation, TargetGroup
from gemeinsinn.actors.services.organisations import admin_emails
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.outbox import mail_queue
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.models import ExchangeSettings, Opportunity, Skill
from gemeinsinn.opportunities.models.slots import DAYS, PARTS_OF_DAY, slot_bit
from gemeinsinn.opportunities.rules import AGENCY_TYPES
from gemeinsinn.opportunities.selectors.common import exchange_settings

logger = logging.getLogger(__name__)

S = Opportunity.Status

# The columns a poster fills in; status, dates of the life cycle and authorship are not among them.
OPPORTUNITY_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "easy_language",
    "kind",
    "minimum_age",
    "german_level",
    "for_young_people",
    "for_seniors",
    "for_families",
    "place_accessibility",
    "task_accessibility",
    "insured_by_organisation",
    "insured_by_land",
    "insured_statutory",
    "needs_conduct_certificate",
    "hours_per_week",
    "hours_total",
    "time_slots",
    "times_note",
    "is_remote",
    "street",
    "postcode",
    "city",
    "district",
    "latitude",
    "longitude",
    "contact_name",
    "contact_email",
    "contact_phone",
    "people_wanted",
    "starts_on",
    "ends_on",
    "expires_on",
)
# Many-to-many choices from the municipality's taxonomies.
OPPORTUNITY_RELATIONS: dict[str, type[models.Model]] = {
    "engagement_fields": FieldOfEngagement,
    "skills": Skill,
    "target_groups": TargetGroup,
}

# Every step, and for each status it may start from, the status it leads to. Nothing else moves.
TRANSITIONS: dict[str, dict[str, str]] = {
    "submit_for_review": {S.DRAFT: S.REVIEW},
    # Where the office reviews, a live listing whose text changes goes back to the review.
    "resubmit": {S.PUBLISHED: S.REVIEW, S.PAUSED: S.REVIEW},
    "publish": {S.DRAFT: S.PUBLISHED},
    "approve": {S.REVIEW: S.PUBLISHED},
    "return": {S.REVIEW: S.DRAFT},
    "pause": {S.PUBLISHED: S.PAUSED},
    "resume": {S.PAUSED: S.PUBLISHED},
    "mark_filled": {S.PUBLISHED: S.FILLED, S.PAUSED: S.FILLED},
    # A new date keeps a listing as it is; an expired one is listed again.
    "extend": {S.PUBLISHED: S.PUBLISHED, S.PAUSED: S.PAUSED, S.EXPIRED: S.PUBLISHED},
    "expire": {S.PUBLISHED: S.EXPIRED},
    "archive": dict.fromkeys(
        (S.DRAFT, S.REVIEW, S.PUBLISHED, S.PAUSED, S.FILLED, S.EXPIRED), S.ARCHIVED
    ),
}
AUDIT_ACTIONS: dict[str, str] = {
    "submit_for_review": "opportunity.submitted",
    "resubmit": "opportunity.resubmitted",
    "publish": "opportunity.published",
    "approve": "opportunity.approved",
    "return": "opportunity.returned",
    "pause": "opportunity.paused",
    "resume": "opportunity.resumed",
    "mark_filled": "opportunity.filled",
    "extend": "opportunity.extended",
    "expire": "opportunity.expired",
    "archive": "opportunity.archived",
}
# The steps a person starts from the management pages (submit stands for review or publish).
# The texts the office reviews before they are published (where it reviews).
REVIEWED_TEXT = frozenset({"title", "description", "easy_language", "task_accessibility"})
PERSON_STEPS: tuple[str, ...] = ("submit", "pause", "resume", "mark_filled", "extend", "archive")

# Germany's bounding box with a small margin; coordinates outside are a typo (often swapped).
GERMANY_LATITUDE = (47.2, 55.1)
GERMANY_LONGITUDE = (5.8, 15.1)
VALID_SLOTS = sum(slot_bit(day, part) for day, _d in DAYS for part, _p in PARTS_OF_DAY)
MAX_LISTING_YEARS = 2
# The longest reminder period the office can set (ExchangeSettings.expiry_reminder_days).
_MAX_REMINDER_DAYS = 60
_AUDIT_TEXT_LIMIT = 1000


# --- helpers ------------------------------------------------------------------------------------


def latest_expiry(today: date) -> date:
    """The last day an opportunity may be listed until: two years ahead."""
    try:
        return today.replace(year=today.year + MAX_LISTING_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_LISTING_YEARS, day=28)


def absolute_url(name: str, municipality: Municipality, **kwargs: Any) -> str:
    """A full link for an e-mail or an export: the installation's base URL and a page."""
    return str(settings.BASE_URL or "").rstrip("/") + mreverse(name, municipality, **kwargs)


def _require_login(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please log in first."))


def _require(actor: Any, perm: str, obj: Any, message: str) -> None:
    _require_login(actor)
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _audit_value(value: Any) -> Any:
    """A JSON-friendly picture of a value for the change history."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
    text = str(value)
    return text[:_AUDIT_TEXT_LIMIT] + "…" if len(text) > _AUDIT_TEXT_LIMIT else text


def _locked(opportunity: Opportunity) -> Opportunity:
    return (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("municipality", "organisation", "created_by")
        .get(pk=opportunity.pk)
    )


def _move(locked: Opportunity, step: str) -> tuple[str, str]:
    """Apply one step of TRANSITIONS to a locked row; a step the table lacks is refused."""
    before = locked.status
    after = TRANSITIONS[step].get(before)
    if after is None:
        raise ValidationError(
            _(
                "This is not possible while the opportunity is “%(status)s”. Reload the page to see its current state."
            )
            % {"status": locked.get_status_display()},
            code="transition",
        )
    locked.status = after
    return before, after


def _audit_step(
    *, actor: Any, locked: Opportunity, step: str, before: str, extra: dict[str, Any] | None = None
) -> None:
    audit_record(
        actor=actor,
        action=AUDIT_ACTIONS[step],
        target=locked,
        municipality=locked.municipality,
        data={"status": {"before": before, "after": locked.status}, **(extra or {})},
    )


def steps_available(opportunity: Opportunity, *, can_moderate: bool = False) -> list[str]:
    """The steps the management pages offer for an opportunity in its current status."""
    status = opportunity.status
    steps = [
        step
        for step in PERSON_STEPS
        if (step == "submit" and status == S.DRAFT) or status in TRANSITIONS.get(step, {})
    ]
    if can_moderate and status == S.REVIEW:
        steps = ["approve", "return", *steps]
    return steps


def _recipients(locked: Opportunity) -> list[str]:
    """The organisation's admins and the person who posted the opportunity."""
    emails = set(admin_emails(locked.organisation))
    poster = locked.created_by
    if poster is not None and poster.is_active and poster.email:
        emails.add(poster.email)
    return sorted(emails)


def _mail_organisation(*, locked: Opportunity, subject: str, body: str, purpose: str) -> int:
    recipients = _recipients(locked)
    for recipient in recipients:
        mail_queue(
            recipient=recipient,
            subject=subject,
            body_text=body,
            municipality=locked.municipality,
            purpose=purpose,
        )
    return len(recipients)


# --- validation ---------------------------------------------------------------------------------


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check(
    opportunity: Opportunity,
    relations: dict[str, list[Any]],
    *,
    today: date,
    check_expiry: bool,
) -> None:
    """Check what the model cannot: dates, place, coordinates, the municipality's vocabularies.

    All problems are reported at once, each on its field, so a form shows them beside the input.
    """
    errors: dict[str, list[str]] = {}
    municipality_id = opportunity.municipality_id
    for name in ("title", "description"):
        if not str(getattr(opportunity, name) or "").strip():
            _add(errors, name, _("Please fill in this field."))
    expires_on = opportunity.expires_on
    if check_expiry and isinstance(expires_on, date):
        if expires_on < today:
            _add(
                errors,
                "expires_on",
                _("The listing cannot end in the past. Please choose today or a later date."),
            )
        elif expires_on > latest_expiry(today):
            _add(
                errors,
                "expires_on",
                _(
                    "An opportunity can be listed for at most two years. Please choose an earlier date."
                ),
            )
    starts_on, ends_on = opportunity.starts_on, opportunity.ends_on
    if isinstance(starts_on, date) and isinstance(ends_on, date) and ends_on < starts_on:
        _add(errors, "ends_on", _("The end cannot be before the start."))
    latitude, longitude = opportunity.latitude, opportunity.longitude
    if (latitude is None) != (longitude is None):
        field = "longitude" if longitude is None else "latitude"
        _add(errors, field, _("Please enter both latitude and longitude, or neither."))
    elif not (
        latitude is None
        or longitude is None
        or (
            GERMANY_LATITUDE[0] <= float(latitude) <= GERMANY_LATITUDE[1]
            and GERMANY_LONGITUDE[0] <= float(longitude) <= GERMANY_LONGITUDE[1]
        )
    ):
        _add(
            errors,
            "latitude",
            _(
                "These coordinates are not in Germany. Please check them: latitude first (for example 48.14), then longitude (for example 11.58)."
            ),
        )
    postcode = opportunity.postcode or ""
    if postcode and not (len(postcode) == 5 and postcode.isdigit()):
        _add(errors, "postcode", _("A postcode has five digits."))
    has_place = bool(postcode or opportunity.district_id or latitude is not None)
    if not opportunity.is_remote and not has_place:
        _add(
            errors,
            "postcode",
            _(
                "Please say where the engagement takes place (postcode, Stadtteil or coordinates), or tick that it can be done remotely."
            ),
        )
    age = opportunity.minimum_age
    if age is not None and not (0 <= age <= 99):
        _add(errors, "minimum_age", _("Please enter an age between 0 and 99, or leave it empty."))
    slots = opportunity.time_slots or 0
    if slots < 0 or slots & ~VALID_SLOTS:
        _add(errors, "time_slots", _("Please choose days and times from the grid."))
    district = opportunity.district
    if district is not None and district.municipality_id != municipality_id:
        _add(errors, "district", _("Please choose a Stadtteil of this municipality."))
    for field, objects in relations.items():
        model = OPPORTUNITY_RELATIONS[field]
        if any(
            not isinstance(obj, model) or getattr(obj, "municipality_id", None) != municipality_id
            for obj in objects
        ):
            _add(errors, field, _("Please choose only entries of this municipality."))
    try:
        opportunity.full_clean(
            exclude=["municipality", "organisation", "posted_by_agency", "created_by"],
            validate_constraints=False,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                if message not in errors.get(field, []):
                    _add(errors, field, message)
    if errors:
        raise ValidationError(errors)


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    unknown = set(data) - {*OPPORTUNITY_FIELDS, *OPPORTUNITY_RELATIONS}
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    columns = {}
    for field, value in data.items():
        if field in OPPORTUNITY_FIELDS:
            columns[field] = value.strip() if isinstance(value, str) else value
    relations = {f: list(data[f] or []) for f in OPPORTUNITY_RELATIONS if f in data}
    return columns, relations


def _organisation_point(organisation: Organisation, postcode: str) -> tuple[float, float] | None:
    """The organisation's coordinates for a place with its postcode, if its location is public."""
    if (
        postcode
        and organisation.postcode == postcode
        and organisation.location_is_public()
        and organisation.latitude is not None
        and organisation.longitude is not None
    ):
        return float(organisation.latitude), float(organisation.longitude)
    return None


def _fill_coordinates(opportunity: Opportunity, organisation: Organisation) -> None:
    """A place in the organisation's postcode without coordinates gets the organisation's.

    Only where the organisation shows its address anyway: the coordinates give it away.
    """
    if opportunity.latitude is None and opportunity.longitude is None:
        point = _organisation_point(organisation, opportunity.postcode)
        if point is not None:
            opportunity.latitude, opportunity.longitude = point


def _set_relations(
    locked: Opportunity, relations: dict[str, list[Any]], changes: dict[str, Any]
) -> None:
    for field, wanted in relations.items():
        manager = getattr(locked, field)
        current = list(manager.all())
        if {obj.pk for obj in current} == {obj.pk for obj in wanted}:
            continue
        manager.set(wanted)
        changes[field] = {"before": _audit_value(current), "after": _audit_value(wanted)}


# --- posting ------------------------------------------------------------------------------------


def opportunity_create(
    *,
    organisation: Organisation,
    actor: Any,
    data: dict[str, Any],
    agency: Organisation | None = None,
    submit: bool = False,
) -> Opportunity:
    """Save a new opportunity of an organisation as a draft; with `submit`, submit it at once.

    Its members and the coordination office post for it; with `agency`, a member of a
    volunteer agency of the same municipality posts on its behalf.
    """
    _require_login(actor)
    if agency is not None and agency.pk == organisation.pk:
        agency = None  # an agency posting its own opportunity is an ordinary poster
    if agency is not None:
        if (
            agency.municipality_id != organisation.municipality_id
            or agency.type not in AGENCY_TYPES
            or not actor.has_perm("opportunities.broker", agency)
        ):
            raise PermissionDenied(
                _(
                    "Only members of a volunteer agency of this municipality may post on an organisation's behalf."
                )
            )
    elif not actor.has_perm("opportunities.post_for_organisation", organisation):
        raise PermissionDenied(_("You may not post opportunities for this organisation."))
    if organisation.status in (Organisation.Status.ARCHIVED, Organisation.Status.REJECTED):
        raise ValidationError(
            _("This organisation is no longer listed, so it cannot post opportunities.")
        )
    columns, relations = _split(data)
    today = timezone.localdate()
    municipality = organisation.municipality
    if columns.get("expires_on") is None:
        days = exchange_settings(municipality=municipality).default_listing_days
        columns["expires_on"] = today + timedelta(days=days)
    opportunity = Opportunity(
        municipality=municipality,
        organisation=organisation,
        posted_by_agency=agency,
        created_by=actor,
        **columns,
    )
    _check(opportunity, relations, today=today, check_expiry=True)
    _fill_coordinates(opportunity, organisation)
    with transaction.atomic():
        opportunity.save()
        for field, objects in relations.items():
            getattr(opportunity, field).set(objects)
        on_behalf = "agency" if agency is not None else ""
        if not on_behalf and not actor.has_perm("opportunities.handle_applications", opportunity):
            on_behalf = "office"
        audit_record(
            actor=actor,
            action="opportunity.created",
            target=opportunity,
            municipality=municipality,
            data={
                "organisation": organisation.pk,
                "agency": agency.pk if agency is not None else None,
                "on_behalf": on_behalf,
            },
        )
        if submit:
            locked = _locked(opportunity)
            _submit_locked(actor=actor, locked=locked, today=today)
            return locked
    return opportunity


def opportunity_update(
    *, opportunity: Opportunity, actor: Any, data: dict[str, Any], submit: bool = False
) -> Opportunity:
    """Change an opportunity's text and facts; with `submit`, submit a draft afterwards.

    The audit row keeps each changed field's value before and after. A new listing date
    allows a new expiry reminder; a date set in the future lists an expired one again.
    """
    _require(
        actor,
        "opportunities.change_opportunity",
        opportunity,
        _("You may not change this opportunity."),
    )
    columns, relations = _split(data)
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(opportunity)
        if locked.status == S.ARCHIVED:
            raise ValidationError(_("An archived opportunity can no longer be changed."))
        before = {field: getattr(locked, field) for field in OPPORTUNITY_FIELDS}
        derived = _organisation_point(locked.organisation, locked.postcode)
        for field, value in columns.items():
            setattr(locked, field, value)
        if locked.expires_on is None:
            locked.expires_on = before["expires_on"]
        # Coordinates taken from the organisation follow a changed postcode (or are dropped).
        if (
            derived is not None
            and locked.postcode != before["postcode"]
            and (locked.latitude, locked.longitude) == derived
        ):
            locked.latitude = locked.longitude = None
        _fill_coordinates(locked, locked.organisation)
        changed = [f for f in OPPORTUNITY_FIELDS if before[f] != getattr(locked, f)]
        _check(locked, relations, today=today, check_expiry="expires_on" in changed)
        changes: dict[str, Any] = {
            field: {
                "before": _audit_value(before.get(field)),
                "after": _audit_value(getattr(locked, field)),
            }
            for field in changed
        }
        if "expires_on" in changed:
            locked.expiry_reminded_at = None
            changed.append("expiry_reminded_at")
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        _set_relations(locked, relations, changes)
        if changes:
            audit_record(
                actor=actor,
                action="opportunity.updated",
                target=locked,
                municipality=locked.municipality,
                data={"fields": sorted(changes), "changes": changes},
            )
        if locked.status == S.EXPIRED and locked.expires_on >= today and "expires_on" in changes:
            status_before, _after = _move(locked, "extend")
            locked.save(update_fields=["status", "updated_at"])
            _audit_step(
                actor=actor,
                locked=locked,
                step="extend",
                before=status_before,
                extra={"expires_on": locked.expires_on.isoformat()},
            )
        if (
            locked.status in (S.PUBLISHED, S.PAUSED)
            and REVIEWED_TEXT.intersection(changes)
            and exchange_settings(municipality=locked.municipality).moderate_opportunities
            and not actor.has_perm("opportunities.moderate_opportunity", locked)
        ):
            status_before, _after = _move(locked, "resubmit")
            locked.save(update_fields=["status", "updated_at"])
            _audit_step(actor=actor, locked=locked, step="resubmit", before=status_before)
        if submit:
            _submit_locked(actor=actor, locked=locked, today=today)
    return locked


# --- the life cycle -----------------------------------------------------------------------------


def _submit_locked(*, actor: Any, locked: Opportunity, today: date) -> None:
    """Send a draft to the office's review, or publish it where the office does not review.

    The office's own postings need no review by itself.
    """
    if locked.status != S.DRAFT:
        _move(locked, "publish")  # raises: only drafts are submitted
    if locked.organisation.status != Organisation.Status.PUBLISHED:
        raise ValidationError(
            _(
                "The organisation's entry is not published yet. Its opportunities can be published once the coordination office has published the entry."
            )
        )
    if locked.expires_on < today:
        raise ValidationError(
            {
                "expires_on": _(
                    "The listing date has passed. Please choose a new date before publishing."
                )
            }
        )
    municipality = locked.municipality
    moderated = exchange_settings(municipality=municipality).moderate_opportunities
    step = (
        "submit_for_review"
        if moderated and not actor.has_perm("opportunities.moderate_opportunity", locked)
        else "publish"
    )
    before, _after = _move(locked, step)
    fields = ["status", "updated_at"]
    if step == "publish" and locked.published_at is None:
        locked.published_at = timezone.now()
        fields.append("published_at")
    locked.save(update_fields=fields)
    _audit_step(actor=actor, locked=locked, step=step, before=before)
    if step == "submit_for_review" and municipality.contact_email:
        mail_queue(
            recipient=municipality.contact_email,
            subject=_("New opportunity waiting for review: %(title)s") % {"title": locked.title},
            body_text=_(
                "%(organisation)s has sent the opportunity “%(title)s” for review.\n\n"
                "Please publish it or return it with a note:\n%(url)s"
            )
            % {
                "organisation": locked.organisation.name,
                "title": locked.title,
                "url": absolute_url("opportunities:review_queue", municipality),
            },
            municipality=municipality,
            purpose="opportunities_review",
        )


def opportunity_submit(*, opportunity: Opportunity, actor: Any) -> Opportunity:
    """Submit a draft: to the office's review if the municipality moderates, else publish it."""
    _require(
        actor,
        "opportunities.change_opportunity",
        opportunity,
        _("You may not change this opportunity."),
    )
    with transaction.atomic():
        locked = _locked(opportunity)
        _submit_locked(actor=actor, locked=locked, today=timezone.localdate())
    return locked


def opportunity_approve(*, opportunity: Opportunity, actor: Any) -> Opportunity:
    """The office publishes an opportunity waiting for review; the organisation is told."""
    _require(
        actor,
        "opportunities.moderate_opportunity",
        opportunity,
        _("Only the coordination office may review opportunities."),
    )
    with transaction.atomic():
        locked = _locked(opportunity)
        before, _after = _move(locked, "approve")
        if locked.expires_on < timezone.localdate():
            raise ValidationError(
                _("The listing date has passed. Please return it so the organisation can set one.")
            )
        locked.moderation_note = ""
        fields = ["status", "moderation_note", "updated_at"]
        if locked.published_at is None:
            locked.published_at = timezone.now()
            fields.append("published_at")
        locked.save(update_fields=fields)
        _audit_step(actor=actor, locked=locked, step="approve", before=before)
        _mail_organisation(
            locked=locked,
            subject=_("Your opportunity is published: %(title)s") % {"title": locked.title},
            body=_(
                "The coordination office has published “%(title)s” of %(organisation)s.\n\n%(url)s"
            )
            % {
                "title": locked.title,
                "organisation": locked.organisation.name,
                "url": absolute_url(
                    "opportunities:detail", locked.municipality, public_id=locked.public_id
                ),
            },
            purpose="opportunities_review",
        )
    return locked


def opportunity_return(*, opportunity: Opportunity, actor: Any, note: str) -> Opportunity:
    """The office sends an opportunity back to draft with a note; the organisation is told."""
    _require(
        actor,
        "opportunities.moderate_opportunity",
        opportunity,
        _("Only the coordination office may review opportunities."),
    )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Please say what should be changed.")})
    with transaction.atomic():
        locked = _locked(opportunity)
        before, _after = _move(locked, "return")
        locked.moderation_note = note
        locked.save(update_fields=["status", "moderation_note", "updated_at"])
        _audit_step(actor=actor, locked=locked, step="return", before=before, extra={"note": note})
        _mail_organisation(
            locked=locked,
            subject=_("Please revise your opportunity: %(title)s") % {"title": locked.title},
            body=_(
                "The coordination office asks for changes before it publishes “%(title)s”:\n\n"
                "%(note)s\n\nPlease revise the opportunity and submit it again:\n%(url)s"
            )
            % {
                "title": locked.title,
                "note": note,
                "url": absolute_url(
                    "opportunities:edit", locked.municipality, public_id=locked.public_id
                ),
            },
            purpose="opportunities_review",
        )
    return locked


def _person_step(*, opportunity: Opportunity, actor: Any, step: str) -> Opportunity:
    _require(
        actor,
        "opportunities.change_opportunity",
        opportunity,
        _("You may not change this opportunity."),
    )
    with transaction.atomic():
        locked = _locked(opportunity)
        before, after = _move(locked, step)
        if after == S.PUBLISHED and locked.expires_on < timezone.localdate():
            raise ValidationError(
                _("The listing date has passed. Please extend the listing first.")
            )
        locked.save(update_fields=["status", "updated_at"])
        _audit_step(actor=actor, locked=locked, step=step, before=before)
    return locked


def opportunity_pause(*, opportunity: Opportunity, actor: Any) -> Opportunity:
    """Take a published opportunity out of the search for a while."""
    return _person_step(opportunity=opportunity, actor=actor, step="pause")


def opportunity_resume(*, opportunity: Opportunity, actor: Any) -> Opportunity:
    """List a paused opportunity again."""
    return _person_step(opportunity=opportunity, actor=actor, step="resume")


def opportunity_mark_filled(*, opportunity: Opportunity, actor: Any) -> Opportunity:
    """Mark an opportunity as filled: it leaves the search, applications stay readable."""
    return _person_step(opportunity=opportunity, actor=actor, step="mark_filled")


def opportunity_archive(*, opportunity: Opportunity, actor: Any) -> Opportunity:
    """Archive an opportunity for good; it stays in the records but is no longer listed."""
    return _person_step(opportunity=opportunity, actor=actor, step="archive")


def opportunity_extend(*, opportunity: Opportunity, actor: Any, expires_on: date) -> Opportunity:
    """List an opportunity until a new date; an expired one is listed again."""
    _require(
        actor,
        "opportunities.change_opportunity",
        opportunity,
        _("You may not change this opportunity."),
    )
    today = timezone.localdate()
    if not isinstance(expires_on, date):
        raise ValidationError({"expires_on": _("Please enter a date.")})
    if expires_on < today:
        raise ValidationError(
            {
                "expires_on": _(
                    "The listing cannot end in the past. Please choose today or a later date."
                )
            }
        )
    if expires_on > latest_expiry(today):
        raise ValidationError(
            {
                "expires_on": _(
                    "An opportunity can be listed for at most two years. Please choose an earlier date."
                )
            }
        )
    with transaction.atomic():
        locked = _locked(opportunity)
        previous = locked.expires_on
        before, _after = _move(locked, "extend")
        locked.expires_on = expires_on
        locked.expiry_reminded_at = None
        locked.save(update_fields=["status", "expires_on", "expiry_reminded_at", "updated_at"])
        _audit_step(
            actor=actor,
            locked=locked,
            step="extend",
            before=before,
            extra={"expires_on": {"before": previous.isoformat(), "after": expires_on.isoformat()}},
        )
    return locked


# --- periodic jobs ------------------------------------------------------------------------------


def opportunities_expire(*, today: date) -> int:
    """Set published opportunities whose listing date has passed to expired; returns how many.

    The search leaves them out from the day after their date anyway (opportunities_live);
    this makes the status say so.
    """
    with transaction.atomic():
        due = list(
            Opportunity.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .filter(status=S.PUBLISHED, expires_on__lt=today)
            .order_by("pk")
        )
        for locked in due:
            before, _after = _move(locked, "expire")
            locked.save(update_fields=["status", "updated_at"])
            _audit_step(
                actor="system",
                locked=locked,
                step="expire",
                before=before,
                extra={"expires_on": locked.expires_on.isoformat()},
            )
    return len(due)


def opportunities_remind_expiry(*, today: date) -> int:
    """Remind the organisation once before a listing ends; returns how many were reminded.

    Each municipality's office sets how many days before; `expiry_reminded_at` makes sure an
    opportunity is reminded once per listing date (a new date allows a new reminder).
    """
    candidates = list(
        Opportunity.objects.filter(
            status=S.PUBLISHED,
            expiry_reminded_at__isnull=True,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=_MAX_REMINDER_DAYS),
        )
        .order_by("expires_on", "pk")
        .values_list("pk", "municipality_id", "expires_on")
    )
    if not candidates:
        return 0
    municipality_ids = {m for _pk, m, _d in candidates}
    open_towns = {
        m.pk
        for m in Municipality.objects.filter(pk__in=municipality_ids, is_active=True)
        if m.has_module("opportunities")
    }
    default_days = ExchangeSettings._meta.get_field("expiry_reminder_days").get_default()
    days_of = dict(
        ExchangeSettings.objects.filter(municipality_id__in=municipality_ids).values_list(
            "municipality_id", "expiry_reminder_days"
        )
    )
    reminded = 0
    for pk, municipality_id, expires_on in candidates:
        if municipality_id not in open_towns:
            continue
        if expires_on > today + timedelta(days=days_of.get(municipality_id, default_days)):
            continue
        # One transaction each: a broken row must not hold back everybody else's reminder.
        try:
            reminded += _remind_one(pk=pk, today=today)
        except Exception:
            logger.exception("expiry reminder failed", extra={"opportunity": pk})
    return reminded


def _remind_one(*, pk: int, today: date) -> int:
    with transaction.atomic():
        locked = (
            Opportunity.objects.select_for_update(of=("self",))
            .select_related("municipality", "organisation")
            .filter(pk=pk, status=S.PUBLISHED, expiry_reminded_at__isnull=True)
            .first()
        )
        if locked is None:
            return 0
        recipients = (
            [locked.contact_email] if locked.contact_email else admin_emails(locked.organisation)
        )
        if not recipients:
            return 0
        subject = _("Your opportunity “%(title)s” is listed until %(date)s") % {
            "title": locked.title,
            "date": formats.date_format(locked.expires_on, "DATE_FORMAT"),
        }
        body = _(
            "The opportunity “%(title)s” of %(organisation)s is listed until %(date)s. After "
            "that day it no longer appears in the search.\n\n"
            "If you are still looking for people, extend the listing here:\n%(extend)s\n\n"
            "If you have found enough people, you can mark it as filled:\n%(manage)s"
        ) % {
            "title": locked.title,
            "organisation": locked.organisation.name,
            "date": formats.date_format(locked.expires_on, "DATE_FORMAT"),
            "extend": absolute_url(
                "opportunities:extend", locked.municipality, public_id=locked.public_id
            ),
            "manage": absolute_url(
                "opportunities:manage_list",
                locked.municipality,
                org_slug=locked.organisation.slug,
            ),
        }
        for recipient in recipients:
            mail_queue(
                recipient=recipient,
                subject=subject,
                body_text=body,
                municipality=locked.municipality,
                purpose="opportunities_expiry_reminder",
            )
        locked.expiry_reminded_at = timezone.now()
        locked.save(update_fields=["expiry_reminded_at"])
        audit_record(
            actor="system",
            action="opportunity.expiry_reminded",
            target=locked,
            municipality=locked.municipality,
            data={"expires_on": locked.expires_on.isoformat(), "recipients": len(recipients)},
        )
    return 1
