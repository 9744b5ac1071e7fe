from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "gemeinsinn.opportunities"
    label = "opportunities"
    verbose_name = _("Engagement exchange")

    def ready(self) -> None:
        from gemeinsinn.opportunities import rules  # noqa: F401 - registers the permissions
