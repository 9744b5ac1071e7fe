"""Names of the audit actions of profiles, suggestions and the exchange settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.audit import register_action_labels

LABELS = {
    "volunteer_profile.created": _("Volunteer profile created"),
    "volunteer_profile.updated": _("Volunteer profile changed"),
    "opportunity.volunteer_invited": _("Suggested volunteer invited to apply"),
    "exchange_settings.updated": _("Settings of the engagement exchange changed"),
}


def register() -> None:
    register_action_labels(LABELS)
