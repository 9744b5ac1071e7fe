from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    from gemeinsinn.core.search import sqlite_register

    sqlite_register(connection)


def _post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from gemeinsinn.core.search import database_analyze, sqlite_fts_repair

    sqlite_fts_repair(connections[using])
    database_analyze(connections[using])


class CoreConfig(AppConfig):
    name = "gemeinsinn.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from django.db import connections

        from gemeinsinn.core.search import sqlite_register

        # The full-text triggers of SQLite call a Python function (core/search.py); every
        # connection needs it, including one opened before this app was ready.
        connection_created.connect(_connection_created, dispatch_uid="gemeinsinn.search")
        for connection in connections.all(initialized_only=True):
            sqlite_register(connection)
        post_migrate.connect(_post_migrate, sender=self, dispatch_uid="gemeinsinn.search.repair")

        from gemeinsinn.core.audit import register_action_labels

        register_action_labels(
            {
                "municipality.modules_changed": _("Modules switched on or off"),
                "municipality.settings_changed": _("Appearance or legal texts changed"),
                "district.created": _("Stadtteil added"),
                "district.renamed": _("Stadtteil renamed"),
                "district.deleted": _("Stadtteil removed"),
                "accessibility.feedback_received": _("Barrier reported"),
            }
        )
