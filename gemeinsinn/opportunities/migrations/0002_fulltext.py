"""Full-text indexes over the title and description of opportunities and offers.

As in actors 0002: on PostgreSQL a GIN index over exactly the expression
gemeinsinn.core.search builds for fields=("title", "description"); on SQLite an FTS5 table of
German stems per model, kept current by triggers that call gemeinsinn_stem_de(). The SQL is
written out because a migration must not import app code that changes later.
"""

from django.db import migrations

TABLES = ("opportunities_opportunity", "opportunities_offer")


def pg_index(table: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS {table}_fulltext ON {table} USING GIN (("
        "setweight(to_tsvector('german'::regconfig, COALESCE(title, '')), 'A') "
        "|| setweight(to_tsvector('german'::regconfig, COALESCE(description, '')), 'B')))"
    )


def sqlite_create(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        "title, description, tokenize = 'unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} "
        f"BEGIN INSERT INTO {fts}(rowid, title, description) VALUES (new.id, "
        "gemeinsinn_stem_de(new.title), gemeinsinn_stem_de(new.description)); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE ON {table} "
        "WHEN old.title IS NOT new.title OR old.description IS NOT new.description "
        f"BEGIN UPDATE {fts} SET title = gemeinsinn_stem_de(new.title), "
        "description = gemeinsinn_stem_de(new.description) WHERE rowid = new.id; END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} "
        f"BEGIN DELETE FROM {fts} WHERE rowid = old.id; END",
        f"INSERT INTO {fts}(rowid, title, description) "
        f"SELECT id, gemeinsinn_stem_de(title), gemeinsinn_stem_de(description) FROM {table}",
    ]


def sqlite_drop(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"DROP TRIGGER IF EXISTS {fts}_ai",
        f"DROP TRIGGER IF EXISTS {fts}_au",
        f"DROP TRIGGER IF EXISTS {fts}_ad",
        f"DROP TABLE IF EXISTS {fts}",
    ]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(pg_index(table))
        elif vendor == "sqlite":
            for statement in sqlite_create(table):
                schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_fulltext")
        elif vendor == "sqlite":
            for statement in sqlite_drop(table):
                schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
