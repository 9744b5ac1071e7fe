"""Names of the audit actions of applications and engagements, for the change history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.audit import register_action_labels

LABELS = {
    "application.submitted": _("Application sent"),
    "application.asked": _("Question to the applicant"),
    "application.answered": _("Question answered by the applicant"),
    "application.held": _("Application put on hold"),
    "application.accepted": _("Application accepted, engagement recorded"),
    "application.declined": _("Application declined"),
    "application.withdrawn": _("Application withdrawn"),
    "application.contact_shared": _("Contact data shared by the applicant"),
    "application.contact_requested": _("Applicant asked to share contact data"),
    "application.purged": _("Personal data of closed applications deleted"),
    "application.erased": _("Application anonymised on the person's request"),
    "engagement.ended": _("Engagement ended"),
}


def register() -> None:
    register_action_labels(LABELS)
