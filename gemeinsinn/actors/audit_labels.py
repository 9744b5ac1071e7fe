"""Names of the actors app's audit actions, for the change history and the office's log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.audit import register_action_labels

LABELS = {
    "organisation.created": _("Entry created"),
    "organisation.registered": _("Registered by the organisation"),
    "organisation.entered_by_office": _("Entered by the coordination office"),
    "organisation.updated": _("Profile changed"),
    "organisation.approved": _("Published by the coordination office"),
    "organisation.changes_requested": _("Changes requested by the coordination office"),
    "organisation.resubmitted": _("Sent to the coordination office again"),
    "organisation.rejected": _("Rejected by the coordination office"),
    "organisation.archived": _("Archived"),
    "organisation.restored": _("Restored"),
    "organisation.confirmed": _("Confirmed as current"),
    "organisation.reminded": _("Reminder to check the entry sent"),
    "organisation.merged_from_import": _("Completed from an import"),
    "organisation.exported": _("Exported"),
    "membership.added": _("Member added"),
    "membership.changed": _("Membership changed"),
    "membership.invitation_attached": _("Invitation accepted"),
    "claim.started": _("Claim started"),
    "claim.code_resent": _("Claim code sent again"),
    "claim.code_wrong": _("Wrong claim code entered"),
    "claim.verified": _("Claim confirmed with the code"),
    "claim.approved": _("Claim approved by the coordination office"),
    "cooperation.created": _("Cooperation recorded"),
    "cooperation.confirmed": _("Cooperation confirmed by the partner"),
    "cooperation.declined": _("Cooperation declined by the partner"),
    "cooperation.deleted": _("Cooperation removed"),
    "organisation_import.uploaded": _("Import file uploaded"),
    "organisation_import.applied": _("Import applied"),
    "organisation_import.cancelled": _("Import cancelled"),
    "taxonomy.seeded": _("Default fields and target groups created"),
    "taxonomy.term_added": _("Term added"),
    "taxonomy.term_renamed": _("Term renamed"),
    "taxonomy.term_deleted": _("Term deleted"),
}


def register() -> None:
    register_action_labels(LABELS)
