"""Models of the engagement exchange, one module per area."""

from gemeinsinn.opportunities.models.applications import (
    AdviceConversation,
    Application,
    ApplicationMessage,
    Engagement,
    Referral,
)
from gemeinsinn.opportunities.models.opportunities import (
    ExchangeSettings,
    GermanLevel,
    Kind,
    Offer,
    Opportunity,
    PostcodeLocation,
    Skill,
)
from gemeinsinn.opportunities.models.profiles import AgeBand, SavedSearch, VolunteerProfile
from gemeinsinn.opportunities.models.slots import (
    DAYS,
    PARTS_OF_DAY,
    slot_bit,
    slots_from_keys,
    slots_to_keys,
)

__all__ = [
    "DAYS",
    "PARTS_OF_DAY",
    "AdviceConversation",
    "AgeBand",
    "Application",
    "ApplicationMessage",
    "Engagement",
    "ExchangeSettings",
    "GermanLevel",
    "Kind",
    "Offer",
    "Opportunity",
    "PostcodeLocation",
    "Referral",
    "SavedSearch",
    "Skill",
    "VolunteerProfile",
    "slot_bit",
    "slots_from_keys",
    "slots_to_keys",
]
