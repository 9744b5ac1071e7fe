"""The office's network graph: nodes, edges, filters, the cap on the drawing, isolation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import client_for
from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.charts import MAX_DRAWN_NODES
from gemeinsinn.actors.models import FieldOfEngagement, Organisation

pytestmark = pytest.mark.django_db

URL = "/musterstadt/akteure/verwaltung/netzwerk/"


def published(municipality: Any, name: str, sector: str = "civil_society") -> Organisation:
    return services.organisation_create(
        actor="test",
        municipality=municipality,
        name=name,
        type="club" if sector == "civil_society" else "business",
        sector=sector,
        published=True,
    )


@pytest.fixture
def network(municipality: Any, organisation: Organisation) -> dict[str, Organisation]:
    """Tafel funds the Sportverein; Tafel, Bäckerei and Schule share an alliance."""
    sport = published(municipality, "Sportverein")
    bakery = published(municipality, "Bäckerei Korn", sector="business")
    school = published(municipality, "Grundschule Nord")
    published(municipality, "Einzelgänger e. V.")
    services.cooperation_link_create(
        actor="test", municipality=municipality, source=organisation, target=sport, kind="funding"
    )
    alliance = services.alliance_create(actor="test", municipality=municipality, name="Bündnis")
    for member in (organisation, bakery, school):
        services.alliance_member_add(actor="test", alliance=alliance, organisation=member)
    return {"tafel": organisation, "sport": sport, "bakery": bakery, "school": school}


def test_nodes_are_organisations_and_edges_are_links_and_shared_alliances(
    municipality: Any, network: dict[str, Organisation]
) -> None:
    graph = selectors.network_graph(municipality=municipality)

    assert len(graph.nodes) == 5
    assert graph.cooperation_count == 1
    assert graph.alliance_edge_count == 3  # Tafel–Bäckerei, Tafel–Schule, Bäckerei–Schule
    rows = {row.node.name: row for row in graph.rows()}
    assert rows["Tafel Musterstadt e. V."].connections == 3
    assert [p.name for p, _kinds in rows["Tafel Musterstadt e. V."].partners] == ["Sportverein"]
    assert rows["Tafel Musterstadt e. V."].alliances == ["Bündnis"]
    assert rows["Einzelgänger e. V."].connections == 0


def test_the_sector_filter_keeps_connections_within_the_selection(
    municipality: Any, network: dict[str, Organisation]
) -> None:
    graph = selectors.network_graph(municipality=municipality, sector="civil_society")

    assert {n.name for n in graph.nodes} == {
        "Tafel Musterstadt e. V.",
        "Sportverein",
        "Grundschule Nord",
        "Einzelgänger e. V.",
    }
    assert graph.cooperation_count == 1
    assert graph.alliance_edge_count == 1  # Tafel–Schule; the Bäckerei is filtered out


def test_the_field_filter_uses_the_municipalitys_fields(
    municipality: Any, network: dict[str, Organisation]
) -> None:
    sport_field = FieldOfEngagement.objects.create(
        municipality=municipality, name="Sport", slug="sport-test"
    )
    network["sport"].engagement_fields.add(sport_field)
    network["tafel"].engagement_fields.add(sport_field)

    graph = selectors.network_graph(municipality=municipality, field="sport-test")

    assert {n.name for n in graph.nodes} == {"Sportverein", "Tafel Musterstadt e. V."}
    assert graph.cooperation_count == 1


def test_organisations_and_links_of_another_municipality_stay_out(
    municipality: Any, other_municipality: Any, network: dict[str, Organisation]
) -> None:
    a = published(other_municipality, "Fremd A")
    b = published(other_municipality, "Fremd B")
    services.cooperation_link_create(
        actor="test", municipality=other_municipality, source=a, target=b, kind="partnership"
    )
    graph = selectors.network_graph(municipality=municipality)
    assert "Fremd A" not in {n.name for n in graph.nodes}
    assert graph.cooperation_count == 1


def test_the_office_sees_the_graph_with_its_table(
    coordinator: Any, network: dict[str, Organisation]
) -> None:
    response = client_for(coordinator).get(URL)
    body = response.content.decode()

    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-network"' in body
    assert 'role="img"' in body
    assert "<caption" in body
    assert "Grundschule Nord" in body
    assert "/musterstadt/akteure/sportverein/" in body


def test_the_filter_form_narrows_the_page(
    coordinator: Any, network: dict[str, Organisation]
) -> None:
    body = client_for(coordinator).get(URL, {"sector": "business"}).content.decode()
    assert "Bäckerei Korn" in body
    assert "Grundschule Nord" not in body


def test_an_unknown_filter_value_shows_the_whole_network_and_the_error(
    coordinator: Any, network: dict[str, Organisation]
) -> None:
    response = client_for(coordinator).get(URL, {"sector": "weltraum"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_the_graph_is_for_the_office_only(
    network: dict[str, Organisation], org_admin: Any, volunteer: Any, other_coordinator: Any
) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    for person in (org_admin, volunteer, other_coordinator):
        assert client_for(person).get(URL).status_code == 403


def test_an_empty_network_says_what_to_do(coordinator: Any) -> None:
    body = client_for(coordinator).get(URL).content.decode()
    assert 'class="empty"' in body
    assert "chart-network" not in body


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_graph_page_costs_the_same_queries_for_few_and_many_organisations(
    municipality: Any, coordinator: Any, network: dict[str, Organisation]
) -> None:
    client = client_for(coordinator)
    few = queries(client, URL)
    assert few <= 12
    organisations = [published(municipality, f"Verein {n:03d}") for n in range(60)]
    alliance = services.alliance_create(actor="test", municipality=municipality, name="Groß")
    for i, organisation in enumerate(organisations):
        services.alliance_member_add(actor="test", alliance=alliance, organisation=organisation)
        if i:
            services.cooperation_link_create(
                actor="test",
                municipality=municipality,
                source=organisation,
                target=organisations[i - 1],
                kind="partnership",
            )
    assert queries(client, URL) == few
    assert queries(client, URL + "?seite=2") == few


def test_above_the_limit_the_drawing_shows_the_best_connected_and_says_so(
    municipality: Any, coordinator: Any, network: dict[str, Organisation]
) -> None:
    Organisation.objects.bulk_create(
        [
            Organisation(
                municipality=municipality,
                name=f"Initiative {n:04d}",
                slug=f"initiative-{n:04d}",
                type="initiative",
                sector="citizens",
                status="published",
            )
            for n in range(MAX_DRAWN_NODES + 30)
        ]
    )
    body = client_for(coordinator).get(URL).content.decode()

    total = MAX_DRAWN_NODES + 30 + 5
    assert f"{MAX_DRAWN_NODES}" in body
    assert f"{total}" in body
    assert "message-warning" in body
    # The connected organisations are among those drawn.
    svg = body.split("chart-network", 1)[1].split("</svg>", 1)[0]
    assert "Grundschule Nord" in svg
    # The table paginates: 50 rows a page.
    assert body.count('<th scope="row">') == 50
