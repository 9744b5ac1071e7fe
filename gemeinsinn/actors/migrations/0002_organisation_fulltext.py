"""Full-text indexes over organisation name and description, one kind per database.

PostgreSQL: a GIN index over exactly the expression gemeinsinn.core.search builds for
fields=("name", "description"), so that the planner uses it for the directory search.

SQLite: an FTS5 table holding the German stems of name and description (rowid = organisation
id), filled now and kept in step by triggers that call gemeinsinn_stem_de(), the Python
function gemeinsinn.core registers on every SQLite connection.

The SQL is written out here instead of imported: a migration must not depend on app code that
changes later.
"""

from django.db import migrations

PG_INDEX = """
CREATE INDEX IF NOT EXISTS actors_organisation_fulltext ON actors_organisation USING GIN ((
    setweight(to_tsvector('german'::regconfig, COALESCE(name, '')), 'A')
    || setweight(to_tsvector('german'::regconfig, COALESCE(description, '')), 'B')
))
"""

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS actors_organisation_fts USING fts5("
    "name, description, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS actors_organisation_fts_ai AFTER INSERT ON actors_organisation "
    "BEGIN INSERT INTO actors_organisation_fts(rowid, name, description) VALUES (new.id, "
    "gemeinsinn_stem_de(new.name), gemeinsinn_stem_de(new.description)); END",
    "CREATE TRIGGER IF NOT EXISTS actors_organisation_fts_au AFTER UPDATE ON actors_organisation "
    "WHEN old.name IS NOT new.name OR old.description IS NOT new.description "
    "BEGIN UPDATE actors_organisation_fts SET name = gemeinsinn_stem_de(new.name), "
    "description = gemeinsinn_stem_de(new.description) WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS actors_organisation_fts_ad AFTER DELETE ON actors_organisation "
    "BEGIN DELETE FROM actors_organisation_fts WHERE rowid = old.id; END",
    "INSERT INTO actors_organisation_fts(rowid, name, description) "
    "SELECT id, gemeinsinn_stem_de(name), gemeinsinn_stem_de(description) FROM actors_organisation",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS actors_organisation_fts_ai",
    "DROP TRIGGER IF EXISTS actors_organisation_fts_au",
    "DROP TRIGGER IF EXISTS actors_organisation_fts_ad",
    "DROP TABLE IF EXISTS actors_organisation_fts",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_INDEX)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS actors_organisation_fulltext")
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
