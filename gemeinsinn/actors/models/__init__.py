"""Models of the actors app, split by topic; import them from here."""

from gemeinsinn.actors.models.imports import ImportBatch
from gemeinsinn.actors.models.network import (
    Alliance,
    AllianceMember,
    AllianceProject,
    CooperationLink,
    ProgressUpdate,
    TargetAgreement,
)
from gemeinsinn.actors.models.organisations import (
    DEFAULT_VISIBILITY,
    INFRASTRUCTURE_TYPES,
    VISIBILITY_FIELDS,
    Claim,
    Membership,
    Organisation,
    OrganisationType,
    PremisesAccessibility,
    Sector,
    Visibility,
    location_public_q,
)
from gemeinsinn.actors.models.taxonomy import (
    DEFAULT_TARGET_GROUPS,
    FREIWILLIGENSURVEY_FIELDS,
    FieldOfEngagement,
    TargetGroup,
)

__all__ = [
    "DEFAULT_TARGET_GROUPS",
    "DEFAULT_VISIBILITY",
    "FREIWILLIGENSURVEY_FIELDS",
    "INFRASTRUCTURE_TYPES",
    "VISIBILITY_FIELDS",
    "Alliance",
    "AllianceMember",
    "AllianceProject",
    "Claim",
    "CooperationLink",
    "FieldOfEngagement",
    "ImportBatch",
    "Membership",
    "Organisation",
    "OrganisationType",
    "PremisesAccessibility",
    "ProgressUpdate",
    "Sector",
    "TargetAgreement",
    "TargetGroup",
    "Visibility",
    "location_public_q",
]
