from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "gemeinsinn.actors"
    label = "actors"
    verbose_name = _("Actors & network")

    def ready(self) -> None:
        from gemeinsinn.actors import privacy

        privacy.register()
        from gemeinsinn.actors.audit_labels import register as register_labels

        register_labels()
