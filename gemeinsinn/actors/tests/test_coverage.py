"""The office's coverage analysis: fields × Stadtteile, sectors, administration, "Soziales",
infrastructure per Stadtteil; counted in the database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import client_for
from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.models import FieldOfEngagement, Organisation
from gemeinsinn.actors.selectors.coverage import MEASURES
from gemeinsinn.core.models import TownDistrict

URL = "/musterstadt/akteure/verwaltung/abdeckung/"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    """These tests read the English wording; the installation's default is German."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def town(municipality: Any) -> Any:
    services.taxonomies_ensure(municipality=municipality)
    for name, slug in (("Altstadt", "altstadt"), ("Nord", "nord"), ("Süd", "sued")):
        TownDistrict.objects.create(municipality=municipality, name=name, slug=slug)
    return municipality


def add(
    municipality: Any,
    name: str,
    type: str,
    sector: str,
    fields: list[str],
    districts: list[str],
    published: bool = True,
) -> Organisation:
    organisation = services.organisation_create(
        actor="test",
        municipality=municipality,
        name=name,
        type=type,
        sector=sector,
        published=published,
    )
    organisation.engagement_fields.set(
        FieldOfEngagement.objects.filter(municipality=municipality, slug__in=fields)
    )
    organisation.districts.set(
        TownDistrict.objects.filter(municipality=municipality, slug__in=districts)
    )
    return organisation


@pytest.fixture
def landscape(town: Any, other_municipality: Any) -> dict[str, Organisation]:
    """Five published organisations, one awaiting moderation, one in another town."""
    services.taxonomies_ensure(municipality=other_municipality)
    return {
        "sport": add(
            town,
            "SV Musterstadt",
            "club",
            "civil_society",
            ["sport-bewegung"],
            ["altstadt", "nord"],
        ),
        "agency": add(
            town,
            "Freiwilligenagentur",
            "volunteer_agency",
            "civil_society",
            ["soziales"],
            ["altstadt"],
        ),
        "youth_office": add(
            town,
            "Jugendamt",
            "administration",
            "administration",
            ["soziales", "kultur-musik"],
            ["sued"],
        ),
        "shop": add(town, "Bäckerei Korn", "business", "business", [], []),
        "seniors": add(town, "Seniorenbüro", "senior_office", "civil_society", ["soziales"], []),
        "pending": add(
            town, "Neuer Verein", "club", "civil_society", ["sport-bewegung"], ["altstadt"], False
        ),
        "elsewhere": add(
            other_municipality, "Fremder Verein", "club", "civil_society", ["sport-bewegung"], []
        ),
    }


def field_pk(municipality: Any, slug: str) -> int:
    return FieldOfEngagement.objects.get(municipality=municipality, slug=slug).pk


def district_pk(municipality: Any, slug: str) -> int:
    return TownDistrict.objects.get(municipality=municipality, slug=slug).pk


def test_the_matrix_counts_published_organisations_per_field_and_stadtteil(
    town: Any, landscape: dict[str, Organisation]
) -> None:
    matrix = selectors.coverage_matrix(municipality=town)
    sport, social, culture = (
        field_pk(town, s) for s in ("sport-bewegung", "soziales", "kultur-musik")
    )
    old_town, north, south = (district_pk(town, s) for s in ("altstadt", "nord", "sued"))
    assert matrix.cells == {
        (sport, old_town): 1,
        (sport, north): 1,
        (social, old_town): 1,
        (social, south): 1,
        (culture, south): 1,
    }
    assert matrix.total == 5
    assert (matrix.field_totals[sport], matrix.field_totals[social]) == (1, 3)
    assert [matrix.district_totals.get(d.pk, 0) for d in matrix.districts] == [2, 1, 1]
    assert (matrix.without_field, matrix.without_district) == (1, 2)
    assert len(matrix.fields) == 14
    assert [d.name for d in matrix.districts] == ["Altstadt", "Nord", "Süd"]
    assert matrix.gaps == 14 * 3 - 5


def test_the_filters_narrow_every_table_by_type_and_sector(
    town: Any, landscape: dict[str, Organisation]
) -> None:
    clubs = selectors.coverage_report(municipality=town, type="club")
    assert clubs.matrix.total == 1
    assert clubs.organisations == 1
    administration = selectors.coverage_report(municipality=town, sector="administration")
    assert administration.matrix.total == 1
    assert [o.name for o in administration.administration] == ["Jugendamt"]
    assert [(s.key, s.count) for s in administration.sectors if s.count] == [("administration", 1)]


def test_the_sector_balance_lists_every_sector_with_its_share(
    town: Any, landscape: dict[str, Organisation]
) -> None:
    report = selectors.coverage_report(municipality=town)
    assert [(s.key, s.count, s.percent) for s in report.sectors] == [
        ("administration", 1, 20.0),
        ("business", 1, 20.0),
        ("civil_society", 3, 60.0),
        ("citizens", 0, 0.0),
    ]


def test_the_report_names_the_administration_units_that_take_part(
    town: Any, landscape: dict[str, Organisation]
) -> None:
    add(town, "Kulturamt", "other", "administration", ["kultur-musik"], [])
    add(town, "Bauamt (in Gründung)", "administration", "administration", [], [], False)
    report = selectors.coverage_report(municipality=town)
    assert [o.name for o in report.administration] == ["Jugendamt", "Kulturamt"]


def test_the_report_shows_whether_engagement_sits_only_with_the_social_field(
    town: Any, landscape: dict[str, Organisation]
) -> None:
    social = selectors.coverage_report(municipality=town).social
    assert social is not None
    assert social.field_name == "Sozialer Bereich"
    assert (social.social_only, social.social_and_other, social.other_only, social.no_field) == (
        2,
        1,
        1,
        1,
    )
    assert (social.social_percent, social.social_only_percent) == (75.0, 50.0)


def test_without_a_social_field_the_comparison_is_left_out(
    town: Any, landscape: dict[str, Organisation]
) -> None:
    FieldOfEngagement.objects.filter(municipality=town, slug="soziales").update(slug="sozial-neu")
    assert selectors.coverage_report(municipality=town).social is None


def test_infrastructure_is_counted_per_stadtteil_with_a_row_for_the_whole_town(
    town: Any, landscape: dict[str, Organisation]
) -> None:
    report = selectors.coverage_report(municipality=town)
    types = [value for value, _label in report.infrastructure_types]
    assert types == [
        "volunteer_agency",
        "self_help_contact",
        "senior_office",
        "civic_foundation",
        "multi_generation_house",
    ]
    rows = {(r.district.name if r.district else None): r.counts for r in report.infrastructure}
    assert rows == {
        "Altstadt": [1, 0, 0, 0, 0],
        "Nord": [0, 0, 0, 0, 0],
        "Süd": [0, 0, 0, 0, 0],
        None: [0, 0, 1, 0, 0],
    }


def test_a_further_measure_can_be_counted_in_the_matrix(
    town: Any, landscape: dict[str, Organisation]
) -> None:
    selectors.coverage_measure_register(
        selectors.CoverageMeasure(
            key="clubs",
            label="Vereine",
            queryset=lambda municipality, type, sector: Organisation.objects.filter(
                municipality=municipality, type="club"
            ),
            field_path="engagement_fields",
            district_path="districts",
        )
    )
    try:
        matrix = selectors.coverage_matrix(municipality=town, measure="clubs")
        assert matrix.total == 2  # the published and the pending Verein
        assert matrix.count(field_pk(town, "sport-bewegung"), district_pk(town, "altstadt")) == 2
        page = client_for_office(town).get(URL, {"measure": "clubs"})
        assert page.status_code == 200
        assert "Vereine per field of engagement" in page.content.decode()
    finally:
        del MEASURES["clubs"]


def client_for_office(town: Any) -> Any:
    from conftest import give_totp, make_user
    from gemeinsinn.accounts import services as account_services
    from gemeinsinn.accounts.models import Role

    user = make_user("office.two@musterstadt.example")
    account_services.role_grant(actor=None, user=user, role=Role.COORDINATOR, municipality=town)
    give_totp(user)
    return client_for(user)


def test_the_report_costs_the_same_queries_for_few_or_many_organisations(
    town: Any, landscape: dict[str, Organisation]
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            report = selectors.coverage_report(municipality=town)
            report.matrix.rows  # noqa: B018
            [list(o.engagement_fields.all()) for o in report.administration]
        return len(queries)

    few = count()
    for n in range(8):
        add(town, f"Verein {n}", "club", "civil_society", ["sport-bewegung", "soziales"], ["nord"])
        add(town, f"Amt {n}", "administration", "administration", ["gesundheit"], ["sued"])
    assert count() == few
    assert few <= 12


def test_the_page_costs_the_same_queries_for_few_or_many_organisations(
    town: Any, landscape: dict[str, Organisation], coordinator: Any
) -> None:
    client = client_for(coordinator)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for n in range(8):
        add(town, f"Verein {n}", "club", "civil_society", ["sport-bewegung"], ["nord"])
        add(town, f"Amt {n}", "administration", "administration", ["gesundheit"], ["sued"])
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)


def test_the_page_shows_an_accessible_matrix_with_gaps_marked_in_text(
    town: Any, landscape: dict[str, Organisation], coordinator: Any
) -> None:
    html = client_for(coordinator).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<caption>Organisations per field of engagement (rows) and Stadtteil (columns)" in html
    assert '<th scope="col">Altstadt</th>' in html
    assert '<th scope="row">Sport und Bewegung</th>' in html
    gaps = re.findall(r'<td class="coverage-gap">0 <span class="gap-label">gap</span></td>', html)
    assert len(gaps) >= 14 * 3 - 5
    assert "/static/actors/coverage.css" in html
    assert "75.0 %" in html
    assert "Jugendamt" in html
    assert "Fremder Verein" not in html
    assert "Neuer Verein" not in html


def test_the_page_filters_by_type_and_sector(
    town: Any, landscape: dict[str, Organisation], coordinator: Any
) -> None:
    client = client_for(coordinator)
    html = client.get(URL, {"type": "business"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 published organisation counted." in html
    assert "Remove filters" in html
    bad = client.get(URL, {"sector": "nonsense"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200
    assert "5 published organisations counted." in bad.content.decode()


def test_the_page_says_what_to_do_without_stadtteile(municipality: Any, coordinator: Any) -> None:
    services.taxonomies_ensure(municipality=municipality)
    html = client_for(coordinator).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No Stadtteile are set up yet" in html
    assert "/musterstadt/verwaltung/stadtteile/" in html


def test_the_coverage_page_is_for_the_office_of_the_municipality_only(
    town: Any,
    landscape: dict[str, Organisation],
    other_coordinator: Any,
    volunteer: Any,
    org_admin: Any,
    platform_admin: Any,
) -> None:
    anonymous = client_for(None).get(URL)
    assert anonymous.status_code == 302
    assert "/konto/login/" in anonymous["Location"]
    for person in (other_coordinator, volunteer, org_admin):
        assert client_for(person).get(URL).status_code == 403
    assert client_for(platform_admin).get(URL).status_code == 200
    # Beispielhausen's office sees Beispielhausen's figures, none of Musterstadt's.
    other = client_for(other_coordinator).get(
        "/beispielhausen/akteure/verwaltung/abdeckung/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert other.status_code == 200
    html = other.content.decode()
    assert "1 published organisation counted." in html
    assert "Jugendamt" not in html
