"""Reads for an entry's life: moderation queue, claims, stale entries, history, members, taxonomies."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import (
    Claim,
    FieldOfEngagement,
    Membership,
    Organisation,
    TargetGroup,
    Visibility,
)
from gemeinsinn.actors.staleness import confirm_token_read, stale_before
from gemeinsinn.core.models import AuditEvent, Municipality

_ADMINS = Prefetch(
    "memberships",
    queryset=Membership.objects.filter(
        role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
    ).select_related("user"),
    to_attr="active_admins",
)


def organisation_of_municipality(*, municipality: Municipality, slug: str) -> Organisation | None:
    """Any organisation of the municipality by slug, whatever its status (for the office)."""
    return (
        Organisation.objects.filter(municipality=municipality, slug=slug)
        .select_related("municipality")
        .first()
    )


def moderation_queue(*, municipality: Municipality) -> QuerySet[Organisation]:
    """Entries waiting for the office: new or revised ones first come first."""
    return (
        Organisation.objects.filter(
            municipality=municipality,
            status__in=[Organisation.Status.PENDING, Organisation.Status.CHANGES_REQUESTED],
        )
        .prefetch_related(_ADMINS)
        .order_by("status", "updated_at", "pk")
    )


def claims_open(*, municipality: Municipality) -> QuerySet[Claim]:
    """Pending claims of the municipality's entries, the ones the office must decide first."""
    return (
        Claim.objects.filter(organisation__municipality=municipality, status=Claim.Status.PENDING)
        .select_related("organisation", "user")
        .order_by("-code_sent_to", "created_at")
    )


def claim_of_municipality(*, municipality: Municipality, claim_id: int) -> Claim | None:
    """One pending claim of the municipality's entries, or None."""
    return (
        Claim.objects.filter(
            pk=claim_id, organisation__municipality=municipality, status=Claim.Status.PENDING
        )
        .select_related("organisation__municipality", "user")
        .first()
    )


def claim_pending_of(*, organisation: Organisation, user: Any) -> Claim | None:
    """The person's own open claim of the entry, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Claim.objects.filter(
        organisation=organisation, user=user, status=Claim.Status.PENDING
    ).first()


def organisations_stale(
    *, municipality: Municipality, now: datetime | None = None
) -> QuerySet[Organisation]:
    """Published entries not confirmed (or, never confirmed, created) for more than a year."""
    return (
        Organisation.objects.filter(municipality=municipality, status=Organisation.Status.PUBLISHED)
        .annotate(
            last_confirmed=Coalesce("confirmed_at", "created_at"),
            admin_count=Count(
                "memberships",
                filter=Q(
                    memberships__role=Membership.Role.ADMIN,
                    memberships__status=Membership.Status.ACTIVE,
                ),
            ),
        )
        .filter(last_confirmed__lt=stale_before(now))
        .order_by("last_confirmed", "name")
    )


def organisation_is_stale(*, organisation: Organisation, now: datetime | None = None) -> bool:
    """Whether a published entry has gone unconfirmed for more than a year."""
    if organisation.status != Organisation.Status.PUBLISHED:
        return False
    last = organisation.confirmed_at or organisation.created_at
    return last is not None and last < stale_before(now)


def organisation_by_confirm_token(*, municipality: Municipality, token: str) -> Organisation | None:
    """The entry a reminder's "still current" link points to, if the link is valid."""
    public_id = confirm_token_read(token)
    if public_id is None:
        return None
    return Organisation.objects.filter(municipality=municipality, public_id=public_id).first()


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    """Everybody linked to an organisation: members, open invitations and requests."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("status", "role", "user__last_name", "user__email", "invited_email")
    )


def membership_of(*, organisation: Organisation, membership_id: int) -> Membership | None:
    """One membership of this organisation (never of another), or None."""
    return (
        Membership.objects.filter(pk=membership_id, organisation=organisation)
        .select_related("user", "organisation__municipality")
        .first()
    )


def membership_of_user(*, organisation: Organisation, user: Any) -> Membership | None:
    """The person's own membership, invitation or request, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(organisation=organisation, user=user).first()


def invitation_for(*, municipality: Municipality, token: uuid.UUID, user: Any) -> Membership | None:
    """An open invitation of the municipality's organisations that this person may answer."""
    membership = (
        Membership.objects.filter(
            invitation_token=token,
            status=Membership.Status.INVITED,
            organisation__municipality=municipality,
        )
        .select_related("organisation", "user")
        .first()
    )
    if membership is None or (membership.user_id is not None and membership.user_id != user.pk):
        return None
    return membership


def taxonomy_terms(
    *, municipality: Municipality, kind: str
) -> QuerySet[FieldOfEngagement] | QuerySet[TargetGroup]:
    """A municipality's fields of engagement or target groups, with how many organisations use each."""
    model = FieldOfEngagement if kind == "field" else TargetGroup
    return (
        model.objects.filter(municipality=municipality)
        .annotate(organisation_count=Count("organisations"))
        .order_by("position", "name", "pk")
    )


def taxonomy_term(
    *, municipality: Municipality, kind: str, term_id: int
) -> FieldOfEngagement | TargetGroup | None:
    """One term of the municipality's list, or None."""
    if kind == "field":
        return (
            FieldOfEngagement.objects.filter(municipality=municipality, pk=term_id)
            .select_related("municipality")
            .first()
        )
    if kind == "target_group":
        return (
            TargetGroup.objects.filter(municipality=municipality, pk=term_id)
            .select_related("municipality")
            .first()
        )
    return None


def listing_choices(*, municipality: Municipality) -> QuerySet[Municipality]:
    """Where else an organisation of this municipality may be listed: the Land's other towns."""
    return (
        Municipality.objects.filter(state_id=municipality.state_id, is_active=True)
        .exclude(pk=municipality.pk)
        .select_related("county")
        .order_by("county__name", "name")
    )


# --- change history ---------------------------------------------------------------------------


def organisation_history(*, organisation: Organisation) -> QuerySet[AuditEvent]:
    """The audit rows about one organisation, newest first."""
    return AuditEvent.objects.filter(
        municipality_id=organisation.municipality_id,
        target_type="actors.organisation",
        target_id=str(organisation.pk),
    ).order_by("-created_at", "-id")


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _display(field: str, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value or "")
    if field.startswith("visibility.") or field == "visibility":
        return str(dict(Visibility.choices).get(text, text))
    if field == "status":
        return str(dict(Organisation.Status.choices).get(text, text))
    try:
        model_field = Organisation._meta.get_field(field)
    except FieldDoesNotExist:
        return text
    choices = getattr(model_field, "choices", None)
    if choices:
        return str(dict(choices).get(text, text))
    return text


def _label(field: str) -> str:
    if field.startswith("visibility."):
        return _("Who sees: %(field)s") % {"field": _label(field.split(".", 1)[1])}
    try:
        model_field = Organisation._meta.get_field(field)
    except FieldDoesNotExist:
        return field
    return str(getattr(model_field, "verbose_name", field))


def describe_changes(event: AuditEvent) -> list[Change]:
    """The before/after rows of one audit event, with labels and choice names for people."""
    changes = (event.data or {}).get("changes")
    if not isinstance(changes, dict):
        changes = {}
        status = (event.data or {}).get("status")
        if isinstance(status, dict):
            changes = {"status": status}
    return [
        Change(
            label=_label(field),
            before=_display(field, values.get("before")),
            after=_display(field, values.get("after")),
        )
        for field, values in sorted(changes.items())
        if isinstance(values, dict)
    ]


def organisations_retired(*, municipality: Municipality) -> QuerySet[Organisation]:
    """Archived and rejected entries of a municipality, most recently changed first."""
    return Organisation.objects.filter(
        municipality=municipality,
        status__in=[Organisation.Status.ARCHIVED, Organisation.Status.REJECTED],
    ).order_by("-updated_at", "name")
