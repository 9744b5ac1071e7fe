"""Planner statistics: SQLite gets them after migrate, from the demo and from db_analyze."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from gemeinsinn.core.search import database_analyze


def _has_statistics() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db
def test_db_analyze_writes_sqlite_statistics_and_says_so() -> None:
    out = StringIO()
    call_command("db_analyze", stdout=out)
    if connection.vendor == "sqlite":
        assert _has_statistics()
        assert "Statistics refreshed." in out.getvalue()
    else:
        assert "Nothing to do" in out.getvalue()


@pytest.mark.django_db
def test_database_analyze_runs_only_on_sqlite() -> None:
    assert database_analyze(connection) is (connection.vendor == "sqlite")
