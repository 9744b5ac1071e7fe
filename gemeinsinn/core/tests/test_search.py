"""The query parser and the stemming behind German full-text search (core/search.py)."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from gemeinsinn.core.search import (
    ParsedQuery,
    Term,
    fts5_match,
    parse_query,
    pg_tsquery,
    sqlite_fts_repair,
    stem_text,
)


def test_stemming_maps_inflected_german_words_to_one_stem() -> None:
    assert stem_text("Vereine") == stem_text("Verein") == stem_text("Vereins") == "verein"
    assert stem_text("Senioren") == "senior"
    # Umlauts fold like PostgreSQL's german configuration folds them.
    assert stem_text("Seniorenbüro Bürgerstiftung") == "seniorenburo burgerstift"


def test_stemming_keeps_only_words() -> None:
    assert stem_text('"Tafel" (Musterstadt) e. V.!') == "tafel musterstadt e v"
    assert stem_text("") == ""
    assert stem_text(None) == ""


def test_plain_words_must_all_occur() -> None:
    assert parse_query("Verein Senioren") == ParsedQuery(
        groups=((Term(("verein",)),), (Term(("senioren",)),)), excluded=()
    )


def test_quotes_make_a_phrase_and_a_minus_excludes() -> None:
    parsed = parse_query('"freiwillige feuerwehr" -jugend')
    assert parsed.groups == ((Term(("freiwillige", "feuerwehr")),),)
    assert parsed.excluded == (Term(("jugend",)),)


def test_or_and_oder_join_alternatives() -> None:
    parsed = parse_query("Sport OR Musik oder Chor Kinder")
    assert parsed.groups == (
        (Term(("sport",)), Term(("musik",)), Term(("chor",))),
        (Term(("kinder",)),),
    )


def test_stop_words_alone_count_as_an_empty_query() -> None:
    assert not parse_query("die und der")
    assert parse_query("die Tafel").groups == ((Term(("tafel",)),),)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        "'",
        "''; DROP TABLE actors_organisation; --",
        'a"b"c"',
        "(((",
        "!!! & | <-> :* NOT AND OR",
        "-",
        "- -",
        "OR",
        "*",
        "\\",
        "NEAR(a b)",
        "^title:foo",
        "ö" * 500,
        "wort " * 100,
    ],
)
def test_no_query_text_reaches_the_database_as_syntax(query: str) -> None:
    parsed = parse_query(query)
    # Take out the quoted words; only the operators this module writes may remain.
    assert set(re.sub(r"'\w+'", "", pg_tsquery(parsed))) <= set(" ()|&!<->:*")
    assert set(re.sub(r'"[\w ]+"', "", fts5_match(parsed))) <= set(" ()*ANDORT")
    words = [w for group in parsed.groups for t in group for w in t.words]
    assert len(words) <= 12
    assert all(w.replace("_", "").isalnum() for w in words)


def test_the_tsquery_uses_prefixes_for_words_and_adjacency_for_phrases() -> None:
    assert (
        pg_tsquery(parse_query('Senioren "offener treff" -Sport'))
        == "('senioren':*) & (('offener' <-> 'treff')) & !'sport':*"
    )


def test_the_fts5_expression_uses_stems() -> None:
    assert fts5_match(parse_query("Vereine OR Senioren -Sport")) == (
        '(("verein"* OR "senior"*)) NOT ("sport"*)'
    )


@pytest.mark.django_db
def test_lost_sqlite_triggers_are_put_back_and_the_index_refilled(organisation: object) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite keeps its index with triggers; PostgreSQL with an expression index")
    from gemeinsinn.actors.models import Organisation

    with connection.cursor() as cursor:
        for suffix in ("ai", "au", "ad"):
            cursor.execute(f"DROP TRIGGER actors_organisation_fts_{suffix}")
        cursor.execute("DELETE FROM actors_organisation_fts")
    assert sqlite_fts_repair(connection) == ["actors_organisation_fts"]
    assert sqlite_fts_repair(connection) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM actors_organisation_fts")
        assert cursor.fetchall() == [("tafel musterstadt e v",)]
    Organisation.objects.filter(name__startswith="Tafel").update(name="Vereinsheim")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM actors_organisation_fts")
        assert cursor.fetchall() == [("vereinsheim",)]
