"""Refresh the database's query-planner statistics (run daily on SQLite installations)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from gemeinsinn.core.search import database_analyze


class Command(BaseCommand):
    help = "Refresh SQLite's query-planner statistics (ANALYZE); PostgreSQL keeps its own."

    def handle(self, *args: Any, **options: Any) -> None:
        if database_analyze(connection):
            self.stdout.write("Statistics refreshed.")
        else:
            self.stdout.write("Nothing to do: this database keeps its own statistics.")
