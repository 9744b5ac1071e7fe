from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "gemeinsinn.opportunities"
    label = "opportunities"
    verbose_name = _("Engagement exchange")

    def ready(self) -> None:
        from gemeinsinn.opportunities import (
            audit_labels_agency,
            audit_labels_applications,
            audit_labels_matching,
            audit_labels_posting,
            audit_labels_search,
            privacy,
            rules,  # noqa: F401 - registers the permissions
        )

        for module in (
            audit_labels_agency,
            audit_labels_applications,
            audit_labels_matching,
            audit_labels_posting,
            audit_labels_search,
        ):
            module.register()
        privacy.register()
        from gemeinsinn.core.outbox import register_personal_purposes

        # Messages from organisations to people who offered help or were suggested.
        register_personal_purposes("opportunities_offer_contact", "opportunities_suggestion")
