"""Names of the posting area's audit actions (opportunities and offers), for the office's log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.audit import register_action_labels

LABELS = {
    "opportunity.created": _("Opportunity created"),
    "opportunity.updated": _("Opportunity changed"),
    "opportunity.submitted": _("Opportunity sent to the coordination office for review"),
    "opportunity.resubmitted": _("Opportunity changed and sent back to review"),
    "opportunity.published": _("Opportunity published"),
    "opportunity.approved": _("Opportunity published by the coordination office"),
    "opportunity.returned": _("Opportunity returned by the coordination office"),
    "opportunity.paused": _("Opportunity paused"),
    "opportunity.resumed": _("Opportunity listed again"),
    "opportunity.filled": _("Opportunity marked as filled"),
    "opportunity.extended": _("Listing of the opportunity extended"),
    "opportunity.expired": _("Listing of the opportunity expired"),
    "opportunity.archived": _("Opportunity archived"),
    "opportunity.expiry_reminded": _("Reminder before the listing ends sent"),
    "offer.created": _("Offer of help posted"),
    "offer.updated": _("Offer of help changed"),
    "offer.paused": _("Offer of help paused"),
    "offer.resumed": _("Offer of help shown again"),
    "offer.withdrawn": _("Offer of help withdrawn"),
    "offer.contacted": _("Organisation wrote to the person offering help"),
}


def register() -> None:
    register_action_labels(LABELS)
