"""The public directory /<town>/akteure/: search, filters, pages, taxonomies, isolation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import client_for, make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import (
    DEFAULT_TARGET_GROUPS,
    FREIWILLIGENSURVEY_FIELDS,
    FieldOfEngagement,
    Organisation,
    TargetGroup,
)
from gemeinsinn.core.models import AuditEvent, TownDistrict

URL = "/musterstadt/akteure/"


def org(municipality: Any, name: str, **extra: Any) -> Organisation:
    relations = {k: extra.pop(k) for k in ("fields", "groups", "districts") if k in extra}
    organisation = actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name=name,
        type=extra.pop("type", "club"),
        sector=extra.pop("sector", "civil_society"),
        published=extra.pop("published", True),
        **extra,
    )
    if "fields" in relations:
        organisation.engagement_fields.set(
            FieldOfEngagement.objects.filter(
                municipality=municipality, slug__in=relations["fields"]
            )
        )
    if "groups" in relations:
        organisation.target_groups.set(
            TargetGroup.objects.filter(municipality=municipality, slug__in=relations["groups"])
        )
    if "districts" in relations:
        organisation.districts.set(
            TownDistrict.objects.filter(municipality=municipality, slug__in=relations["districts"])
        )
    return organisation


def names(response: Any) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


@pytest.fixture
def taxonomy(municipality: Any) -> Any:
    actor_services.taxonomies_ensure(municipality=municipality)
    for name in ("Altstadt", "Nordend"):
        TownDistrict.objects.create(municipality=municipality, name=name, slug=name.lower())
    return municipality


@pytest.fixture
def town(taxonomy: Any) -> Any:
    org(
        taxonomy,
        "Verein für Sport Altstadt",
        description="Fußball und Turnen für Kinder.",
        fields=["sport-bewegung"],
        groups=["kinder"],
        districts=["altstadt"],
    )
    org(
        taxonomy,
        "Seniorenbüro Nordend",
        type="senior_office",
        sector="administration",
        description="Beratung und Besuchsdienste.",
        fields=["soziales"],
        groups=["seniorinnen-senioren"],
        districts=["nordend"],
    )
    org(
        taxonomy,
        "Chor der Seniorinnen",
        description="Wir singen jeden Donnerstag.",
        fields=["kultur-musik"],
        groups=["seniorinnen-senioren"],
        districts=["altstadt"],
    )
    org(taxonomy, "Noch nicht geprüft", published=False, description="Senioren")
    return taxonomy


def test_the_directory_lists_the_published_organisations_by_name(town: Any) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 200
    assert names(response) == [
        "Chor der Seniorinnen",
        "Seniorenbüro Nordend",
        "Verein für Sport Altstadt",
    ]
    assert response.context["page"].paginator.count == 3
    english = client_for(None).get(URL, headers={"Accept-Language": "en"})
    assert "3 organisations found" in english.content.decode()


def test_the_search_finds_german_word_forms(town: Any) -> None:
    response = client_for(None).get(URL, {"q": "Senioren"})
    assert set(names(response)) == {"Seniorenbüro Nordend", "Chor der Seniorinnen"}
    assert names(client_for(None).get(URL, {"q": "Vereine"})) == ["Verein für Sport Altstadt"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "senior_office"}, ["Seniorenbüro Nordend"]),
        ({"sector": "administration"}, ["Seniorenbüro Nordend"]),
        ({"field": "kultur-musik"}, ["Chor der Seniorinnen"]),
        (
            {"target_group": "seniorinnen-senioren"},
            ["Chor der Seniorinnen", "Seniorenbüro Nordend"],
        ),
        ({"district": "altstadt"}, ["Chor der Seniorinnen", "Verein für Sport Altstadt"]),
        ({"district": "altstadt", "target_group": "kinder"}, ["Verein für Sport Altstadt"]),
        ({"q": "Senioren", "district": "altstadt"}, ["Chor der Seniorinnen"]),
        ({"q": "Senioren", "type": "club", "field": "kultur-musik"}, ["Chor der Seniorinnen"]),
        ({"q": "Senioren", "field": "sport-bewegung"}, []),
    ],
)
def test_search_and_filters_combine(town: Any, params: dict[str, str], expected: list[str]) -> None:
    response = client_for(None).get(URL, params)
    assert response.status_code == 200
    assert names(response) == expected


def test_the_url_of_a_search_can_be_shared_and_the_map_link_keeps_it(town: Any) -> None:
    response = client_for(None).get(URL, {"q": "Senioren", "district": "altstadt"})
    html = response.content.decode()
    assert 'value="Senioren"' in html
    assert '<option value="altstadt" selected>' in html
    assert "/musterstadt/akteure/karte/?q=Senioren&amp;district=altstadt" in html


def test_a_bad_filter_value_is_reported_and_the_other_filters_still_apply(town: Any) -> None:
    response = client_for(None).get(URL, {"type": "spaceship", "district": "altstadt"})
    assert response.status_code == 200
    assert response.context["form"].errors["type"]
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert names(response) == ["Chor der Seniorinnen", "Verein für Sport Altstadt"]


def test_the_filters_offer_only_active_entries_of_the_municipality(
    town: Any, other_municipality: Any
) -> None:
    FieldOfEngagement.objects.filter(municipality=town, slug="justiz-kriminalitaet").update(
        is_active=False
    )
    FieldOfEngagement.objects.create(municipality=other_municipality, name="Fremdes Feld", slug="x")
    TownDistrict.objects.create(municipality=other_municipality, name="Anderswo", slug="anderswo")
    form = client_for(None).get(URL).context["form"]
    fields = [value for value, _ in form.fields["field"].choices]
    assert "sport-bewegung" in fields
    assert "justiz-kriminalitaet" not in fields
    assert "x" not in fields
    assert [v for v, _ in form.fields["district"].choices] == ["", "altstadt", "nordend"]
    response = client_for(None).get(URL, {"field": "justiz-kriminalitaet"})
    assert response.context["form"].errors["field"]


def test_a_municipality_without_taxonomies_gets_the_defaults_once(municipality: Any) -> None:
    assert not FieldOfEngagement.objects.filter(municipality=municipality).exists()
    client_for(None).get(URL)
    client_for(None).get(URL)
    assert FieldOfEngagement.objects.filter(municipality=municipality).count() == len(
        FREIWILLIGENSURVEY_FIELDS
    )
    assert TargetGroup.objects.filter(municipality=municipality).count() == len(
        DEFAULT_TARGET_GROUPS
    )
    assert AuditEvent.objects.filter(action="taxonomy.seeded").count() == 1
    form = client_for(None).get(URL).context["form"]
    assert len(form.fields["field"].choices) == len(FREIWILLIGENSURVEY_FIELDS) + 1
    # A town without Stadtteile gets no Stadtteil filter.
    assert "district" not in form.fields


def test_taxonomies_ensure_leaves_a_shaped_taxonomy_alone(municipality: Any) -> None:
    FieldOfEngagement.objects.create(
        municipality=municipality, name="Eigenes Feld", slug="eigen", is_active=False
    )
    created = actor_services.taxonomies_ensure(municipality=municipality)
    assert created == {"fields": 0, "target_groups": len(DEFAULT_TARGET_GROUPS)}
    assert list(FieldOfEngagement.objects.values_list("slug", flat=True)) == ["eigen"]
    assert actor_services.taxonomies_ensure(municipality=municipality) == {
        "fields": 0,
        "target_groups": 0,
    }


def test_organisations_listed_in_the_municipality_appear_in_its_directory(
    town: Any, bavaria: Any
) -> None:
    from gemeinsinn.core.models import Municipality

    neighbour = Municipality.objects.create(
        state=bavaria, ags="09187998", name="Nachbardorf", slug="nachbardorf"
    )
    listed = org(neighbour, "Tafel Nachbardorf", description="Lebensmittel für Senioren")
    listed.listed_in.add(town)
    hidden = org(neighbour, "Heimatverein Nachbardorf", published=False)
    hidden.listed_in.add(town)
    response = client_for(None).get(URL, {"q": "Senioren"})
    assert "Tafel Nachbardorf" in names(response)
    assert "Heimatverein Nachbardorf" not in names(client_for(None).get(URL))
    # Its own directory still lists it, the other way round nothing leaks.
    assert names(client_for(None).get("/nachbardorf/akteure/")) == ["Tafel Nachbardorf"]
    html = response.content.decode()
    assert "/musterstadt/akteure/tafel-nachbardorf/" in html


def test_another_municipalitys_organisations_never_appear(
    town: Any, other_municipality: Any
) -> None:
    org(other_municipality, "Verein für Sport Beispielhausen")
    assert "Verein für Sport Beispielhausen" not in names(client_for(None).get(URL, {"q": "Sport"}))
    assert names(client_for(None).get("/beispielhausen/akteure/", {"q": "Sport"})) == [
        "Verein für Sport Beispielhausen"
    ]


@pytest.mark.parametrize("who", ["anonymous", "volunteer", "other_coordinator", "coordinator"])
def test_everybody_sees_the_same_public_list(town: Any, who: str, request: Any) -> None:
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_for(user).get(URL)
    assert response.status_code == 200
    assert "Noch nicht geprüft" not in names(response)
    assert len(names(response)) == 3


def test_the_directory_pages_through_many_organisations(taxonomy: Any) -> None:
    for n in range(45):
        org(taxonomy, f"Verein {n:02d}")
    first = client_for(None).get(URL)
    assert len(names(first)) == 20
    assert first.context["page"].paginator.count == 45
    third = client_for(None).get(URL, {"seite": "3", "q": "Verein"})
    assert len(names(third)) == 5
    assert "seite=2" in third.content.decode()
    assert "q=Verein" in third.content.decode()
    assert client_for(None).get(URL, {"seite": "abc"}).status_code == 200


def test_the_empty_states_say_what_to_do(taxonomy: Any) -> None:
    english = {"Accept-Language": "en"}
    html = client_for(None).get(URL, headers=english).content.decode()
    assert "No organisation is listed yet." in html
    assert "engagement@musterstadt.example" in html
    org(taxonomy, "Tafel")
    html = client_for(None).get(URL, {"q": "Raumfahrt"}, headers=english).content.decode()
    assert "No organisation matches your search." in html
    assert 'href="/musterstadt/akteure/">Show all organisations' in html


def test_a_switched_off_module_answers_404(town: Any) -> None:
    town.enabled_modules = ["opportunities"]
    town.save(update_fields=["enabled_modules"])
    assert client_for(None).get(URL).status_code == 404
    assert client_for(None).get(URL + "karte/").status_code == 404


def _queries(url: str, params: dict[str, str]) -> int:
    client = client_for(None)
    client.get(url, params)  # the first visit seeds nothing here, but warms the caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "params", [{}, {"q": "Verein", "field": "sport-bewegung", "district": "altstadt"}]
)
def test_the_directory_costs_the_same_queries_for_3_and_30_organisations(
    taxonomy: Any, params: dict[str, str]
) -> None:
    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            org(
                taxonomy,
                f"Verein {n}",
                fields=["sport-bewegung", "kultur-musik"],
                groups=["kinder"],
                districts=["altstadt", "nordend"],
            )

    add(0, 3)
    few = _queries(URL, params)
    add(3, 27)
    assert _queries(URL, params) == few
    assert few <= 10


def test_the_directory_answers_only_get(town: Any) -> None:
    volunteer = make_user("post@example.org")
    assert client_for(volunteer).post(URL).status_code == 405
