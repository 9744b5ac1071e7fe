"""Names of the shifts' audit actions, for the office's log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.audit import register_action_labels

LABELS = {
    "shift_plan.created": _("Shift plan created"),
    "shift_plan.updated": _("Shift plan changed"),
    "shift_plan.archived": _("Shift plan archived"),
    "shift_series.created": _("Recurring shifts created"),
    "shift_series.updated": _("Recurring shifts changed from a date on"),
    "shift_series.ended": _("Recurring shifts ended early"),
    "shift.created": _("Shift created"),
    "shift.updated": _("Shift changed"),
    "shift.cancelled": _("Shift cancelled"),
    "shift.message_sent": _("Message sent to the helpers of a shift"),
    "shift_template.created": _("Shift template created"),
    "shift_template.updated": _("Shift template changed"),
    "shift_template.applied": _("Shift template applied to a period"),
    "shift_requirement.created": _("Shift requirement created"),
    "shift_requirement.updated": _("Shift requirement changed"),
    "shift_requirement.recorded": _("Requirement recorded as met"),
    "shift_requirement.removed": _("Requirement no longer recorded as met"),
    "signup.confirmed": _("Signed up for a shift"),
    "signup.waitlisted": _("Put on the waitlist of a shift"),
    "signup.requested": _("Asked to join a members-only shift"),
    "signup.approved": _("Request for a members-only shift approved"),
    "signup.declined": _("Request for a members-only shift declined"),
    "signup.offered": _("Place from the waitlist offered"),
    "signup.offer_confirmed": _("Offered place confirmed"),
    "signup.offer_expired": _("Offered place not confirmed in time"),
    "signup.cancelled": _("Shift sign-up cancelled"),
    "signup.cancelled_late": _("Shift sign-up cancelled after the deadline, with a message"),
    "signup.assigned": _("Helper assigned to a shift"),
    "signup.moved": _("Helper moved to another shift"),
    "signup.swapped": _("Helpers of two shifts swapped"),
    "signup.responded": _("Answer to a shift reminder"),
    "signup.checked_in": _("Checked in to a shift"),
    "signup.attendance_set": _("Attendance recorded"),
    "shift_settings.updated": _("Shift settings changed"),
    "shift_feed.renewed": _("Private calendar address renewed"),
    "shift_feed.revoked": _("Private calendar address switched off"),
}


def register() -> None:
    register_action_labels(LABELS)
