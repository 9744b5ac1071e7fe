"""Reads of the actors app, scoped to a municipality and the acting person, split by topic."""

from gemeinsinn.actors.selectors.directory import (
    FilterOptions,
    MapPoint,
    OrganisationProfile,
    Partner,
    contact_visible,
    directory_filter_options,
    organisation_in_directory,
    organisation_profile,
    organisation_visible,
    organisations_of,
    organisations_on_map,
    organisations_public,
    viewer_level,
)

__all__ = [
    "FilterOptions",
    "MapPoint",
    "OrganisationProfile",
    "Partner",
    "contact_visible",
    "directory_filter_options",
    "organisation_in_directory",
    "organisation_profile",
    "organisation_visible",
    "organisations_of",
    "organisations_on_map",
    "organisations_public",
    "viewer_level",
]

# Cooperation links, alliances, target agreement progress and the network graph (network area).
from gemeinsinn.actors.selectors.network import (
    Cooperation,
    NetworkGraph,
    Progress,
    agreement_progress,
    alliance_member_candidates,
    alliance_member_of,
    alliance_member_organisations,
    alliance_project_of,
    alliance_public,
    alliance_visible,
    alliances_public,
    alliances_visible,
    cooperation_link_of,
    cooperation_partners_eligible,
    cooperations_of,
    municipality_with_actors,
    network_fields,
    network_graph,
    organisation_in_scope,
    organisations_in_scope,
    progress_of,
    progress_update_of,
    target_agreement_of,
)

__all__ += [
    "Cooperation",
    "NetworkGraph",
    "Progress",
    "agreement_progress",
    "alliance_member_candidates",
    "alliance_member_of",
    "alliance_member_organisations",
    "alliance_project_of",
    "alliance_public",
    "alliance_visible",
    "alliances_public",
    "alliances_visible",
    "cooperation_link_of",
    "cooperation_partners_eligible",
    "cooperations_of",
    "municipality_with_actors",
    "network_fields",
    "network_graph",
    "organisation_in_scope",
    "organisations_in_scope",
    "progress_of",
    "progress_update_of",
    "target_agreement_of",
]

# Lifecycle: moderation queue, claims, stale entries, history, members, taxonomies (lifecycle area).
from gemeinsinn.actors.selectors.lifecycle import (  # noqa: E402
    Change,
    claim_of_municipality,
    claim_pending_of,
    claims_open,
    describe_changes,
    invitation_for,
    listing_choices,
    members_of,
    membership_of,
    membership_of_user,
    moderation_queue,
    organisation_by_confirm_token,
    organisation_history,
    organisation_is_stale,
    organisation_of_municipality,
    organisations_retired,
    organisations_stale,
    taxonomy_term,
    taxonomy_terms,
)

__all__ += [
    "Change",
    "claim_of_municipality",
    "claim_pending_of",
    "claims_open",
    "describe_changes",
    "invitation_for",
    "listing_choices",
    "members_of",
    "membership_of",
    "membership_of_user",
    "moderation_queue",
    "organisation_by_confirm_token",
    "organisation_history",
    "organisation_is_stale",
    "organisation_of_municipality",
    "organisations_stale",
    "taxonomy_term",
    "taxonomy_terms",
]

# Coverage analysis and the organisation imports of a municipality (import/coverage area).
from gemeinsinn.actors.selectors.coverage import (  # noqa: E402
    MEASURES,
    CoverageMatrix,
    CoverageMeasure,
    CoverageReport,
    coverage_matrix,
    coverage_measure_register,
    coverage_report,
)
from gemeinsinn.actors.selectors.imports import (  # noqa: E402
    import_batch_of,
    import_batches_of,
)

__all__ += [
    "MEASURES",
    "CoverageMatrix",
    "CoverageMeasure",
    "CoverageReport",
    "coverage_matrix",
    "coverage_measure_register",
    "coverage_report",
    "import_batch_of",
    "import_batches_of",
]
__all__ += ["organisations_retired"]
