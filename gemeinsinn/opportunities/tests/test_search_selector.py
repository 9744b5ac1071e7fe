"""opportunity_search: German full text, each filter, time slots, radius, sort, expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from gemeinsinn.actors import services as actor_services
from gemeinsinn.opportunities import geo
from gemeinsinn.opportunities.models import Opportunity, slots_from_keys
from gemeinsinn.opportunities.models.opportunities import GermanLevel, Kind
from gemeinsinn.opportunities.selectors.search import (
    SearchParams,
    distance_km,
    opportunity_search,
)
from gemeinsinn.opportunities.tests.test_search_support import (
    CENTRE,
    district,
    make_opportunity,
    point_at,
    titles,
    town_fixture,
)

__all__ = ["town_fixture"]


def found(municipality: Any, **params: Any) -> list[str]:
    return titles(opportunity_search(municipality=municipality, params=SearchParams(**params)))


def test_senioren_finds_seniorin_and_seniorenbegleitung_on_this_database(
    town: Any, organisation: Any
) -> None:
    make_opportunity(organisation, "Seniorenbegleitung im Park")
    make_opportunity(
        organisation, "Vorlesen", description="Eine Seniorin freut sich auf Besuch am Dienstag."
    )
    make_opportunity(organisation, "Fußballtraining", description="Für Kinder ab 8 Jahren.")
    # Both databases stem "Senioren" to "senior" (Snowball, german) and match it as a prefix,
    # so the word forms and compounds that start with it are found; PostgreSQL by its german
    # configuration, SQLite by the stems the triggers stored.
    assert sorted(found(town, q="Senioren")) == ["Seniorenbegleitung im Park", "Vorlesen"]
    assert found(town, q="Kinder") == ["Fußballtraining"]
    # The limit of the stemmer, the same on both: "Seniorinnen" stems to "seniorinn", which
    # neither "Senioren" nor "Seniorin" starts with.
    assert found(town, q="Seniorinnen") == []
    assert found(town, q="Seniorin") == ["Vorlesen"]
    assert found(town, q="Senioren -Park") == ["Vorlesen"]
    assert connection.vendor in {"sqlite", "postgresql"}


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_description(
    town: Any, organisation: Any
) -> None:
    make_opportunity(organisation, "Gartenarbeit", description="Im Garten der Tafel helfen.")
    make_opportunity(
        organisation, "Lesepaten", description="Vorlesen in der Bibliothek, Tafel im Garten."
    )
    assert found(town, q="Lesepaten Garten") == ["Lesepaten"]
    assert found(town, q="Garten")[0] == "Gartenarbeit"


def test_an_empty_search_lists_every_live_opportunity_newest_first(
    town: Any, organisation: Any
) -> None:
    now = timezone.now()
    make_opportunity(organisation, "Älter", published_at=now - timedelta(days=3))
    make_opportunity(organisation, "Neuer", published_at=now - timedelta(days=1))
    assert found(town) == ["Neuer", "Älter"]
    assert found(town, q="   ") == ["Neuer", "Älter"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"fields": ("soziales",)}, ["Besuchsdienst"]),
        ({"fields": ("soziales", "sport-bewegung")}, ["Besuchsdienst", "Training"]),
        ({"kinds": (Kind.ONE_OFF,)}, ["Training"]),
        ({"skills": ("fahren",)}, ["Besuchsdienst"]),
        ({"target_groups": ("kinder",)}, ["Training"]),
        ({"districts": ("nordend",)}, ["Training"]),
        ({"accessible": True}, ["Besuchsdienst", "Online-Nachhilfe"]),
        ({"remote": True}, ["Online-Nachhilfe"]),
        ({"for_young_people": True}, ["Training"]),
        ({"for_seniors": True}, ["Besuchsdienst"]),
        ({"for_families": True}, ["Online-Nachhilfe"]),
        ({"no_german": True}, ["Training"]),
        ({"fields": ("soziales",), "for_seniors": True, "kinds": (Kind.ONE_OFF,)}, []),
    ],
)
def test_each_filter_keeps_only_the_matching_opportunities(
    town: Any, organisation: Any, params: dict[str, Any], expected: list[str]
) -> None:
    make_opportunity(
        organisation,
        "Besuchsdienst",
        fields=["soziales"],
        skills=["fahren", "pflege-begleitung"],
        groups=["seniorinnen-senioren"],
        district=district(town, "altstadt"),
        place_accessibility="yes",
        for_seniors=True,
    )
    make_opportunity(
        organisation,
        "Training",
        kind=Kind.ONE_OFF,
        fields=["sport-bewegung"],
        groups=["kinder"],
        district=district(town, "nordend"),
        place_accessibility="partly",
        for_young_people=True,
        german_level=GermanLevel.NONE,
    )
    make_opportunity(organisation, "Online-Nachhilfe", is_remote=True, for_families=True)
    assert sorted(found(town, **params)) == sorted(expected)


def test_an_opportunity_with_two_chosen_fields_is_listed_once(town: Any, organisation: Any) -> None:
    make_opportunity(organisation, "Beides", fields=["soziales", "sport-bewegung"])
    assert found(town, fields=("soziales", "sport-bewegung")) == ["Beides"]


def test_time_filters_match_the_slots_and_always_the_flexible_opportunities(
    town: Any, organisation: Any
) -> None:
    make_opportunity(organisation, "Dienstagabend", time_slots=slots_from_keys(["tue_evening"]))
    make_opportunity(organisation, "Samstagmorgen", time_slots=slots_from_keys(["sat_morning"]))
    make_opportunity(organisation, "Flexibel", time_slots=0)
    assert sorted(found(town, weekdays=("tue",))) == ["Dienstagabend", "Flexibel"]
    assert sorted(found(town, parts_of_day=("morning",))) == ["Flexibel", "Samstagmorgen"]
    # Both together: those parts on those days, not any of either.
    assert found(town, weekdays=("tue",), parts_of_day=("morning",)) == ["Flexibel"]
    assert sorted(found(town, weekdays=("tue", "sat"), parts_of_day=("evening", "morning"))) == [
        "Dienstagabend",
        "Flexibel",
        "Samstagmorgen",
    ]
    assert len(found(town)) == 3


def test_a_point_at_4_9_km_is_in_a_5_km_radius_and_one_at_5_1_km_is_out(
    town: Any, organisation: Any
) -> None:
    for km in (4.9, 5.1):
        for north in (True, False):
            at = point_at(km, north=north)
            assert abs(geo.distance_km(CENTRE, at) - km) < 1e-6
            make_opportunity(organisation, f"{km} {'Nord' if north else 'Ost'}", at=at)
    assert sorted(found(town, near=CENTRE, radius_km=5)) == ["4.9 Nord", "4.9 Ost"]
    rows = list(
        opportunity_search(municipality=town, params=SearchParams(near=CENTRE, radius_km=5))
    )
    assert [round(distance_km(o) or 0, 3) for o in rows] == [4.9, 4.9]


def test_remote_opportunities_join_a_radius_search_only_with_the_remote_filter(
    town: Any, organisation: Any
) -> None:
    make_opportunity(organisation, "Nah", at=point_at(1))
    make_opportunity(organisation, "Fern", at=point_at(30))
    make_opportunity(organisation, "Von zu Hause", is_remote=True)
    make_opportunity(organisation, "Fern, auch online", at=point_at(30), is_remote=True)
    assert found(town, near=CENTRE, radius_km=10) == ["Nah"]
    assert sorted(found(town, near=CENTRE, radius_km=10, remote=True)) == [
        "Fern, auch online",
        "Nah",
        "Von zu Hause",
    ]
    # Without a place the remote filter keeps the remote ones only.
    assert sorted(found(town, remote=True)) == ["Fern, auch online", "Von zu Hause"]


def test_the_sort_orders(town: Any, organisation: Any) -> None:
    now = timezone.now()
    make_opportunity(
        organisation,
        "Garten weit",
        description="Garten Garten Garten pflegen.",
        at=point_at(8),
        published_at=now - timedelta(days=5),
    )
    make_opportunity(
        organisation,
        "Mittel",
        description="Ein Garten.",
        at=point_at(3),
        published_at=now - timedelta(days=1),
    )
    make_opportunity(
        organisation,
        "Nah",
        description="Beim Garten helfen.",
        at=point_at(1),
        published_at=now - timedelta(days=3),
    )
    make_opportunity(
        organisation, "Online", description="Garten planen.", is_remote=True, published_at=now
    )
    assert found(town, q="Garten", sort="relevance")[0] == "Garten weit"
    assert found(town, q="Garten", sort="newest") == ["Online", "Mittel", "Nah", "Garten weit"]
    # Without words, "relevance" means newest.
    assert found(town, sort="relevance") == ["Online", "Mittel", "Nah", "Garten weit"]
    # Nearest first; what has no address comes last.
    assert found(town, near=CENTRE, sort="distance") == ["Nah", "Mittel", "Garten weit", "Online"]
    assert found(town, q="Garten", near=CENTRE, radius_km=5, sort="distance") == ["Nah", "Mittel"]
    # Distance without a place cannot be measured: newest.
    assert found(town, sort="distance")[0] == "Online"


def test_expired_listings_are_never_returned_even_before_the_nightly_job(
    town: Any, organisation: Any
) -> None:
    today = timezone.localdate()
    make_opportunity(organisation, "Läuft heute aus", expires_on=today)
    # Still "published": the job that sets "expired" has not run yet.
    make_opportunity(organisation, "Gestern abgelaufen", expires_on=today - timedelta(days=1))
    make_opportunity(organisation, "Abgelaufen", status=Opportunity.Status.EXPIRED)
    make_opportunity(organisation, "Entwurf", status=Opportunity.Status.DRAFT)
    make_opportunity(organisation, "Pausiert", status=Opportunity.Status.PAUSED)
    assert found(town) == ["Läuft heute aus"]
    assert found(town, q="abgelaufen") == []
    assert found(town, q="heute") == ["Läuft heute aus"]


def test_another_municipality_s_opportunities_are_not_found(
    town: Any, organisation: Any, other_municipality: Any
) -> None:
    neighbour = actor_services.organisation_create(
        actor="test",
        municipality=other_municipality,
        name="Tafel Beispielhausen",
        type="club",
        sector="civil_society",
        published=True,
    )
    make_opportunity(neighbour, "Senioren besuchen", at=CENTRE)
    make_opportunity(organisation, "Senioren begleiten", at=CENTRE)
    assert found(town, q="Senioren", near=CENTRE, radius_km=5) == ["Senioren begleiten"]
    assert found(other_municipality) == ["Senioren besuchen"]


def test_the_search_costs_the_same_queries_for_few_and_many_results(
    town: Any, organisation: Any, django_assert_num_queries: Any
) -> None:
    for n in range(3):
        make_opportunity(organisation, f"Garten {n}", fields=["soziales"], at=point_at(n))
    params = SearchParams(
        q="Garten", fields=("soziales",), near=CENTRE, radius_km=10, weekdays=("tue",)
    )
    # The rows, then the fields of engagement of all of them.
    with django_assert_num_queries(2):
        assert len(list(opportunity_search(municipality=town, params=params))) == 3
    for n in range(20):
        make_opportunity(organisation, f"Garten mehr {n}", fields=["soziales"], at=point_at(2))
    with django_assert_num_queries(2):
        rows = list(opportunity_search(municipality=town, params=params))
        assert all(o.organisation.name and o.engagement_fields.all() for o in rows)
    assert len(rows) == 23


def test_an_archived_organisation_takes_its_listings_out_of_every_live_list(
    town: Any, organisation: Any
) -> None:
    from gemeinsinn.opportunities.selectors.common import opportunities_live

    make_opportunity(organisation, "Lesepatin für die Grundschule")
    assert opportunities_live(municipality=town).count() == 1
    organisation.status = "archived"
    organisation.save(update_fields=["status"])
    assert opportunities_live(municipality=town).count() == 0


def test_postgresql_keeps_a_stored_search_vector_current(town: Any, organisation: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The stored tsvector column exists on PostgreSQL only")
    opportunity = make_opportunity(organisation, "Begleitung für Seniorinnen")
    opportunity.title = "Hausaufgabenhilfe"
    opportunity.save(update_fields=["title", "updated_at"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector @@ to_tsquery('german', 'hausaufgabenhilf'), "
            "search_vector @@ to_tsquery('german', 'seniorin') "
            "FROM opportunities_opportunity WHERE id = %s",
            [opportunity.pk],
        )
        assert cursor.fetchone() == (True, False)


def test_the_accessible_filter_keeps_tasks_done_from_home(town: Any, organisation: Any) -> None:
    make_opportunity(organisation, "Rampe vorhanden", place_accessibility="yes")
    make_opportunity(organisation, "Treppe", place_accessibility="no")
    make_opportunity(organisation, "Übersetzen von zu Hause", is_remote=True)
    found = opportunity_search(municipality=town, params=SearchParams(accessible=True))
    assert sorted(o.title for o in found) == ["Rampe vorhanden", "Übersetzen von zu Hause"]
