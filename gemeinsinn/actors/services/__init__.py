"""Every state change of the actors app, split by topic. Import the functions from here."""

from gemeinsinn.actors.services.organisations import (
    EDITABLE_FIELDS,
    membership_add,
    organisation_create,
    organisation_update,
)

__all__ = ["EDITABLE_FIELDS", "membership_add", "organisation_create", "organisation_update"]

# Lifecycle (registration, moderation, claims, staleness), memberships, the office's taxonomies.
from gemeinsinn.actors.services.lifecycle import (
    DuplicateNameError,
    claim_code_resend,
    claim_decide,
    claim_start,
    claim_verify,
    organisation_approve,
    organisation_archive,
    organisation_confirm_by_token,
    organisation_confirm_current,
    organisation_register,
    organisation_reject,
    organisation_request_changes,
    organisation_restore,
    organisations_similar,
    stale_reminders_send,
)
from gemeinsinn.actors.services.memberships import (
    invitation_accept,
    invitation_decline,
    membership_invite,
    membership_remove,
    membership_request,
    membership_request_decide,
    membership_role_set,
)
from gemeinsinn.actors.services.organisations import (
    LISTING_FIELD,
    RELATION_FIELDS,
)
from gemeinsinn.actors.services.taxonomy_office import (
    TAXONOMY_KINDS,
    taxonomy_term_add,
    taxonomy_term_delete,
    taxonomy_term_move,
    taxonomy_term_rename,
    taxonomy_term_set_active,
)

__all__ += [
    "LISTING_FIELD",
    "RELATION_FIELDS",
    "TAXONOMY_KINDS",
    "DuplicateNameError",
    "claim_code_resend",
    "claim_decide",
    "claim_start",
    "claim_verify",
    "invitation_accept",
    "invitation_decline",
    "membership_invite",
    "membership_remove",
    "membership_request",
    "membership_request_decide",
    "membership_role_set",
    "organisation_approve",
    "organisation_archive",
    "organisation_confirm_by_token",
    "organisation_confirm_current",
    "organisation_register",
    "organisation_reject",
    "organisation_request_changes",
    "organisation_restore",
    "organisations_similar",
    "stale_reminders_send",
    "taxonomy_term_add",
    "taxonomy_term_delete",
    "taxonomy_term_move",
    "taxonomy_term_rename",
    "taxonomy_term_set_active",
]

# Cooperation links, alliances, their projects and target agreements (network area).
from gemeinsinn.actors.services.network import (  # noqa: E402
    AGREEMENT_EDITABLE_FIELDS,
    ALLIANCE_EDITABLE_FIELDS,
    PROJECT_EDITABLE_FIELDS,
    alliance_create,
    alliance_member_add,
    alliance_member_remove,
    alliance_member_update,
    alliance_project_create,
    alliance_project_delete,
    alliance_project_update,
    alliance_update,
    cooperation_link_create,
    cooperation_link_delete,
    progress_update_add,
    progress_update_delete,
    target_agreement_create,
    target_agreement_delete,
    target_agreement_update,
)

__all__ += [
    "AGREEMENT_EDITABLE_FIELDS",
    "ALLIANCE_EDITABLE_FIELDS",
    "PROJECT_EDITABLE_FIELDS",
    "alliance_create",
    "alliance_member_add",
    "alliance_member_remove",
    "alliance_member_update",
    "alliance_project_create",
    "alliance_project_delete",
    "alliance_project_update",
    "alliance_update",
    "cooperation_link_create",
    "cooperation_link_delete",
    "progress_update_add",
    "progress_update_delete",
    "target_agreement_create",
    "target_agreement_delete",
    "target_agreement_update",
]

# The default taxonomies (directory area); the office's taxonomy editing builds on them.
from gemeinsinn.actors.services.taxonomy import taxonomies_ensure  # noqa: E402

__all__ += ["taxonomies_ensure"]

# CSV import with preview and duplicate merge; CSV and Open Referral HSDS export (import area).
from gemeinsinn.actors.services.exports import (  # noqa: E402
    VARIANTS,
    hsds_organization,
    organisations_csv,
    organisations_hsds,
)
from gemeinsinn.actors.services.imports import (  # noqa: E402
    ACTIONS,
    COLUMNS,
    LIST_SEPARATOR,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    ImportUpload,
    import_apply,
    import_cancel,
    import_preview_create,
)

__all__ += [
    "ACTIONS",
    "COLUMNS",
    "LIST_SEPARATOR",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "VARIANTS",
    "ImportUpload",
    "hsds_organization",
    "import_apply",
    "import_cancel",
    "import_preview_create",
    "organisations_csv",
    "organisations_hsds",
]
