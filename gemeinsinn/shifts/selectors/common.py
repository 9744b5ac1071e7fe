"""Reads every part of the shifts app shares."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import Engagement
from gemeinsinn.shifts.models import Shift, ShiftSettings, Signup


def shift_settings(*, municipality: Municipality) -> ShiftSettings:
    """The town's shift settings; the defaults (unsaved) where the office never changed them."""
    found = ShiftSettings.objects.filter(municipality=municipality).first()
    return found or ShiftSettings(municipality=municipality)


def is_member(*, user: Any, organisation: Organisation) -> bool:
    """An active member (or admin) of the organisation."""
    if user is None or not user.is_authenticated:
        return False
    return bool(
        Membership.objects.filter(
            organisation=organisation, user=user, status=Membership.Status.ACTIVE
        ).exists()
    )


# People listed in an organiser's pickers at most (names only; the rest are found by the
# person signing up themselves).
PICKER_LIMIT = 500


def earlier_helpers(*, organisation_id: int) -> QuerySet[Signup]:
    """Sign-ups of people who signed up for the organisation's shifts themselves: a request
    for a members-only shift (open or declined) does not make somebody known."""
    return Signup.objects.filter(shift__organisation_id=organisation_id).exclude(
        status__in=[Signup.Status.REQUESTED, Signup.Status.DECLINED]
    )


def is_known_helper(*, user: Any, organisation: Organisation) -> bool:
    """Somebody the organisation may put on a shift: a member, a person with an active
    engagement there, or somebody who helped on one of its shifts before."""
    return (
        is_member(user=user, organisation=organisation)
        or Engagement.objects.filter(
            organisation=organisation, volunteer=user, status=Engagement.Status.ACTIVE
        ).exists()
        or earlier_helpers(organisation_id=organisation.pk).filter(volunteer=user).exists()
    )


def shifts_visible(*, municipality: Municipality, user: Any) -> QuerySet[Shift]:
    """Scheduled and cancelled shifts of the town that this person may see.

    Members-only shifts are listed to everybody (they can ask to join); what hides a shift is
    an archived plan or an organisation that is not published.
    """
    return Shift.objects.filter(
        municipality=municipality,
        plan__is_archived=False,
        organisation__status="published",
    )
