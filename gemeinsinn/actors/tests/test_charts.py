"""The server-rendered SVG charts: accessible, deterministic, escaped, no inline styles."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # parses only the SVG this code itself wrote
from datetime import date
from decimal import Decimal

from django.utils import translation

from gemeinsinn.actors import charts
from gemeinsinn.actors.selectors.network import (
    NetworkEdge,
    NetworkGraph,
    NetworkNode,
    progress_of,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """Well-formed XML, or the test fails."""
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def progress_svg(**overrides: object) -> str:
    values: dict[str, object] = {
        "baseline": Decimal(12),
        "target": Decimal(40),
        "deadline": date(2026, 12, 31),
        "points": [(date(2026, 3, 1), Decimal(19)), (date(2026, 6, 1), Decimal("24.5"))],
    }
    values.update(overrides)
    points = values["points"]
    assert isinstance(points, list)
    progress = progress_of(
        baseline=values["baseline"],  # type: ignore[arg-type]
        target=values["target"],  # type: ignore[arg-type]
        deadline=values["deadline"],  # type: ignore[arg-type]
        start=date(2026, 1, 1),
        updates=points,
        today=date(2026, 7, 1),
    )
    return str(
        charts.progress_chart(
            chart_id="chart-7",
            goal=str(values.get("goal", "Mehr Paten <für> Familien")),
            indicator="aktive Patenschaften",
            unit="Patenschaften",
            baseline=values["baseline"],  # type: ignore[arg-type]
            target=values["target"],  # type: ignore[arg-type]
            deadline=values["deadline"],  # type: ignore[arg-type]
            points=points,
            progress=progress,
        )
    )


def test_the_progress_chart_is_an_image_with_title_and_description() -> None:
    svg = progress_svg()
    root = parse(svg)  # well-formed XML

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-7-title chart-7-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-7-title"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.get("id") == "chart-7-desc"
    assert "44 %" in (desc.text or "")  # (24.5 − 12) / (40 − 12)


def test_the_progress_chart_escapes_text_and_has_no_inline_style() -> None:
    svg = progress_svg()
    assert "<für>" not in svg
    assert "&lt;für&gt;" in svg
    assert "style=" not in svg
    assert "<script" not in svg


def test_the_progress_chart_tells_series_apart_without_colour() -> None:
    svg = progress_svg()
    # Plan and target are dashed differently; the legend names every line in words.
    assert 'stroke-dasharray="4 4"' in svg
    assert 'stroke-dasharray="10 5"' in svg
    with translation.override("en"):
        svg = progress_svg()
    for word in ("reported values", "plan", "target", "Deadline", "Target: 40"):
        assert word in svg


def test_the_progress_chart_is_the_same_for_the_same_data() -> None:
    assert progress_svg() == progress_svg()


def test_numbers_and_dates_follow_the_language() -> None:
    with translation.override("de"):
        svg = progress_svg()
        assert ">24,5<" in svg
        assert "01.01.2026" in svg
        assert charts.format_number(Decimal("1234.50")) == "1.234,5"
    with translation.override("en"):
        assert ">24.5<" in progress_svg()
        assert charts.format_number(Decimal(40)) == "40"


def test_a_falling_target_and_values_past_the_deadline_fit_into_the_chart() -> None:
    svg = progress_svg(
        baseline=Decimal(14),
        target=Decimal(5),
        deadline=date(2026, 5, 1),
        points=[(date(2026, 6, 20), Decimal(3))],
    )
    root = parse(svg)
    numbers = [float(n) for n in re.findall(r'(?:cx|cy|x1|x2|y1|y2)="(-?[\d.]+)"', svg)]
    assert all(0 <= n <= 720 for n in numbers)
    assert root.get("viewBox") == "0 0 720 330"


def test_the_value_scale_uses_round_numbers() -> None:
    lo, hi, ticks = charts.nice_scale(12, 40)
    assert (lo, hi) == (10, 40)
    assert ticks == [10, 20, 30, 40]
    assert charts.nice_scale(5, 5)[2] == [5, 5.2, 5.4, 5.6, 5.8, 6]


def graph(n: int, edges: list[tuple[int, int, bool]]) -> NetworkGraph:
    sectors = ["administration", "business", "civil_society", "citizens"]
    nodes = [
        NetworkNode(
            pk=i, name=f"Verein <{i:04d}>", slug=f"v{i}", sector=sectors[i % 4], home_slug="m"
        )
        for i in range(n)
    ]
    return NetworkGraph(
        nodes=nodes,
        edges=[
            NetworkEdge(
                a=a, b=b, kinds={"partnership"} if co else set(), alliances=set() if co else {"B"}
            )
            for a, b, co in edges
        ],
        alliances_of={},
    )


def test_the_network_chart_is_an_accessible_deterministic_image() -> None:
    data = graph(12, [(0, 1, True), (1, 2, False), (3, 7, True)])
    drawing = charts.network_chart(data)
    root = parse(str(drawing.svg))

    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}desc") is not None
    assert "&lt;0001&gt;" in drawing.svg
    assert "style=" not in drawing.svg
    assert drawing.drawn_nodes == 12
    assert drawing.drawn_edges == 3
    assert not drawing.nodes_capped
    assert charts.network_chart(data).svg == drawing.svg
    # Sectors have shapes of their own: squares, diamonds, circles and triangles.
    assert "<rect x=" in drawing.svg
    assert "<circle" in drawing.svg
    assert drawing.svg.count("<polygon") == 6
    assert 'stroke-dasharray="5 4"' in drawing.svg  # the shared alliance


def test_above_the_limit_the_best_connected_organisations_are_drawn() -> None:
    hub_edges = [(5000, i, True) for i in range(10)]
    data = graph(300, [])
    data.nodes.append(
        NetworkNode(pk=5000, name="Zentrale", slug="z", sector="citizens", home_slug="m")
    )
    data.edges.extend(
        NetworkEdge(a=min(a, b), b=max(a, b), kinds={"funding"}) for a, b, _c in hub_edges
    )

    drawing = charts.network_chart(data, max_nodes=50)

    assert drawing.nodes_capped
    assert drawing.drawn_nodes == 50
    assert drawing.total_nodes == 301
    assert "Zentrale" in drawing.svg
    assert drawing.drawn_edges == 10


def test_cooperation_links_are_drawn_first_when_the_lines_are_capped() -> None:
    data = graph(10, [(0, 1, False), (2, 3, False), (4, 5, True)])
    drawing = charts.network_chart(data, max_edges=1)
    assert drawing.edges_capped
    assert 'stroke-dasharray="5 4"' not in drawing.svg


def test_an_empty_network_draws_an_empty_image() -> None:
    drawing = charts.network_chart(graph(0, []))
    assert drawing.drawn_nodes == 0
    parse(str(drawing.svg))


def test_long_names_are_shortened_in_the_drawing() -> None:
    data = graph(1, [])
    data.nodes[0] = NetworkNode(
        pk=0,
        name="Förderverein der Freiwilligen Feuerwehr Musterstadt-Nord",
        slug="f",
        sector="civil_society",
        home_slug="m",
    )
    svg = charts.network_chart(data).svg
    assert "Förderverein der Freiwilligen Feu…" in svg
    # The full name stays in the tooltip.
    assert "Förderverein der Freiwilligen Feuerwehr Musterstadt-Nord (" in svg
