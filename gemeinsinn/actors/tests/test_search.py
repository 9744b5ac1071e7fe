"""German full-text search over organisations, on SQLite (FTS5 + Snowball) and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from gemeinsinn.actors import selectors
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.search import fulltext_search


def _org(municipality: Any, name: str, description: str = "", **extra: Any) -> Organisation:
    return actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name=name,
        type=extra.pop("type", "club"),
        sector=extra.pop("sector", "civil_society"),
        published=extra.pop("published", True),
        description=description,
        **extra,
    )


def _names(municipality: Any, query: str) -> list[str]:
    return [o.name for o in selectors.organisations_public(municipality=municipality, query=query)]


@pytest.fixture
def town(municipality: Any) -> Any:
    _org(municipality, "Verein für Sport Musterstadt", "Fußball und Turnen für alle.")
    _org(municipality, "Seniorenbüro Nord", "Beratung für ältere Menschen.")
    _org(municipality, "Nachbarschaftstreff", "Eine Seniorin leitet den Spieleabend.")
    _org(municipality, "Tierheim am Bach", "Hunde und Katzen suchen ein Zuhause.")
    return municipality


def test_vereine_finds_verein(town: Any) -> None:
    assert _names(town, "Vereine") == ["Verein für Sport Musterstadt"]


def test_an_inflected_word_in_the_description_is_found(town: Any) -> None:
    assert _names(town, "Hund") == ["Tierheim am Bach"]
    assert _names(town, "Katze") == ["Tierheim am Bach"]


def test_senioren_finds_the_seniorenbuero_and_the_seniorin(town: Any) -> None:
    assert set(_names(town, "Senioren")) == {"Seniorenbüro Nord", "Nachbarschaftstreff"}


def test_umlauts_match_with_and_without_the_dots(town: Any) -> None:
    assert _names(town, "seniorenburo") == ["Seniorenbüro Nord"]
    assert _names(town, "Fussball") == _names(town, "Fußball") == ["Verein für Sport Musterstadt"]


def test_all_words_must_occur(town: Any) -> None:
    assert _names(town, "Senioren Beratung") == ["Seniorenbüro Nord"]
    assert _names(town, "Senioren Katzen") == []


def test_or_finds_either_and_minus_excludes(town: Any) -> None:
    assert set(_names(town, "Tierheim OR Sport")) == {
        "Tierheim am Bach",
        "Verein für Sport Musterstadt",
    }
    assert _names(town, "Senioren -Beratung") == ["Nachbarschaftstreff"]
    assert "Tierheim am Bach" not in _names(town, "-Hunde")
    assert len(_names(town, "-Hunde")) == 3


def test_a_phrase_must_appear_as_written(town: Any) -> None:
    assert _names(town, '"Hunde und Katzen"') == ["Tierheim am Bach"]
    assert _names(town, '"Katzen Hunde"') == []


def test_a_name_match_ranks_above_a_description_match(municipality: Any) -> None:
    _org(municipality, "Bürgerhaus", "Hier probt auch der Chor der Stadt.")
    _org(municipality, "Chor Harmonie", "Wir singen jeden Donnerstag.")
    assert _names(municipality, "Chor") == ["Chor Harmonie", "Bürgerhaus"]
    ranked = fulltext_search(Organisation.objects.all(), "Chor")
    assert getattr(ranked[0], "search_rank") > getattr(ranked[1], "search_rank")  # noqa: B009


def test_an_empty_query_returns_the_unfiltered_list(town: Any) -> None:
    everything = _names(town, "")
    assert len(everything) == 4
    assert everything == sorted(everything)
    assert _names(town, "   ") == everything
    assert _names(town, "und die") == everything


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "''; DROP TABLE actors_organisation; --",
        'Senioren "offen',
        "(((",
        "!!! & | <-> :* NOT AND OR NEAR",
        "Verein:*",
        "-",
        "OR OR",
        "name:Tafel",
        "e.V.",
        "\\'",
        "ä" * 300,
    ],
)
def test_special_characters_in_the_query_never_raise(town: Any, query: str) -> None:
    assert isinstance(_names(town, query), list)
    assert Organisation.objects.filter(municipality=town).count() == 4


def test_a_renamed_organisation_is_found_by_its_new_name(town: Any) -> None:
    organisation = Organisation.objects.get(name="Tierheim am Bach")
    organisation.name = "Katzenhilfe"
    organisation.save()
    assert _names(town, "Katzenhilfe") == ["Katzenhilfe"]
    Organisation.objects.filter(pk=organisation.pk).update(description="Nur noch Vögel.")
    assert _names(town, "Hunde") == []
    assert _names(town, "Vogel") == ["Katzenhilfe"]


def test_a_deleted_organisation_is_no_longer_found(town: Any) -> None:
    Organisation.objects.filter(name="Tierheim am Bach").delete()
    assert _names(town, "Tierheim") == []


def test_bulk_created_organisations_are_found(municipality: Any) -> None:
    Organisation.objects.bulk_create(
        Organisation(
            municipality=municipality,
            name=f"Kleingartenverein {n}",
            slug=f"kleingartenverein-{n}",
            type="club",
            sector="civil_society",
            status="published",
        )
        for n in range(5)
    )
    assert len(_names(municipality, "Kleingärten")) == 5


def test_search_keeps_to_the_municipality(town: Any, other_municipality: Any) -> None:
    _org(other_municipality, "Verein für Sport Beispielhausen")
    assert _names(town, "Verein Sport") == ["Verein für Sport Musterstadt"]
    assert _names(other_municipality, "Verein Sport") == ["Verein für Sport Beispielhausen"]


def test_postgresql_uses_the_gin_index_for_the_search(town: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The GIN index exists on PostgreSQL only")
    queryset = fulltext_search(Organisation.objects.all(), "Senioren")
    with connection.cursor() as cursor:
        # Four rows make a sequential scan cheaper; forbid it to see whether the index fits.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "actors_organisation_fulltext" in plan, plan
