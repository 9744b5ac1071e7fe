from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShiftsConfig(AppConfig):
    name = "gemeinsinn.shifts"
    label = "shifts"
    verbose_name = _("Shifts")

    def ready(self) -> None:
        from gemeinsinn.shifts import audit_labels, panels, privacy, rules  # noqa: F401

        audit_labels.register()
        panels.register()
        privacy.register()
        from gemeinsinn.core.outbox import register_personal_purposes

        # Messages from organisers to the helpers of a shift.
        register_personal_purposes("shifts_message")
