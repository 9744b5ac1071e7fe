"""Charts drawn on the server as SVG: the progress of a target agreement and the network graph.

No JavaScript and no inline styles (the CSP forbids both): shapes carry presentation attributes,
the page's stylesheet only sizes them. Every chart is an image with a title and a description
(role="img", aria-labelledby), tells its series apart by line pattern, marker shape and text as
well as by colour, and the page puts a data table with the same numbers beside it. Layouts are
deterministic: the same data gives the same picture, byte for byte.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gemeinsinn.actors.selectors.network import (
    SECTOR_ORDER,
    NetworkGraph,
    Progress,
)

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
INK = "#1a1a1a"
MUTED = "#4a4a4a"
GRID = "#d0d4da"
SERIES = "#0b5394"
TARGET = "#1e6b2f"
PLAN = "#7a3e00"
# Sector colours with at least 3:1 contrast against white (WCAG 1.4.11); the shape tells the
# sector apart without colour.
SECTOR_STYLE: dict[str, tuple[str, str]] = {
    "administration": ("#0b5394", "square"),
    "business": ("#7a3e00", "diamond"),
    "civil_society": ("#1e6b2f", "circle"),
    "citizens": ("#6a1b9a", "triangle"),
}
# Above this many organisations the drawing shows the best connected ones; the table has all.
MAX_DRAWN_NODES = 120
MAX_DRAWN_EDGES = 2_000
LABEL_CHARS = 34


def _f(value: float) -> str:
    """A coordinate with one decimal, independent of the active locale."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def format_number(value: Decimal | float | int) -> str:
    """A number as people of the active language write it: 1.234,5 in German, 1,234.5 in English."""
    number = Decimal(str(value))
    exponent = number.normalize().as_tuple().exponent
    places = min(2, max(0, -exponent)) if isinstance(exponent, int) else 0
    return str(
        formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    )


def format_date(value: date) -> str:
    return str(formats.date_format(value, "SHORT_DATE_FORMAT"))


def _nice_step(span: float, count: int) -> float:
    raw = span / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= raw:
            return multiple * magnitude
    return 10 * magnitude


def nice_scale(lo: float, hi: float, count: int = 5) -> tuple[float, float, list[float]]:
    """A value range widened to round numbers and the tick values within it."""
    if hi <= lo:
        hi = lo + 1
    step = _nice_step(hi - lo, count)
    lo = math.floor(lo / step) * step
    hi = math.ceil(hi / step) * step
    ticks = []
    tick = lo
    while tick <= hi + step / 1000:
        ticks.append(round(tick, 10))
        tick += step
    return lo, hi, ticks


# --- Progress of a target agreement --------------------------------------------------------------

WIDTH, HEIGHT = 720, 330
LEFT, RIGHT, TOP, BOTTOM = 72, 520, 28, 246
# Characters that fit right of the plot for the "Target: …" and "Start: …" labels.
SIDE_LABEL_CHARS = 22


def progress_chart(
    *,
    chart_id: str,
    goal: str,
    indicator: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    deadline: date,
    points: Sequence[tuple[date, Decimal]],
    progress: Progress,
) -> SafeString:
    """A line chart of the indicator over time with the starting value, the target and the plan."""
    start = progress.start
    points = sorted(points)
    end = max([deadline, *(d for d, _v in points)])
    if end <= start:
        end = date.fromordinal(start.toordinal() + 1)
    values = [float(baseline), float(target), *(float(v) for _d, v in points)]
    lo, hi, ticks = nice_scale(min(values), max(values))

    def x(day: date) -> float:
        return LEFT + (RIGHT - LEFT) * (day - start).days / (end - start).days

    def y(value: float | Decimal) -> float:
        return BOTTOM - (BOTTOM - TOP) * (float(value) - lo) / (hi - lo)

    def unit_text(value: Decimal) -> str:
        return f"{format_number(value)} {unit}".strip()

    title = _("Progress: %(goal)s") % {"goal": goal}
    if points:
        latest = _("latest value %(value)s on %(date)s") % {
            "value": unit_text(progress.latest),
            "date": format_date(progress.latest_on or start),
        }
    else:
        latest = _("no progress reported yet")
    desc = _(
        "%(indicator)s from %(start_value)s on %(start)s to the target of %(target)s by "
        "%(deadline)s; %(latest)s. %(percent)s %% of the way, %(status)s. Solid line with round "
        "markers: reported values; dashed line: the plan; long-dashed line: the target."
    ) % {
        "indicator": indicator,
        "start_value": unit_text(baseline),
        "start": format_date(start),
        "target": unit_text(target),
        "deadline": format_date(deadline),
        "latest": latest,
        "percent": progress.percent,
        "status": progress.status_label,
    }
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-progress" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" focusable="false" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{FONT}" font-size="15" fill="{INK}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        '<rect width="100%" height="100%" fill="#fff"/>',
    ]
    # Grid and value axis.
    for tick in ticks:
        ty = _f(y(tick))
        out.append(
            f'<line x1="{LEFT}" y1="{ty}" x2="{RIGHT}" y2="{ty}" stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 8}" y="{ty}" text-anchor="end" dominant-baseline="middle" '
            f'fill="{MUTED}">{escape(format_number(Decimal(str(tick))))}</text>'
        )
    if unit:
        out.append(f'<text x="4" y="{TOP - 12}">{escape(_label(unit, LABEL_CHARS))}</text>')
    out.append(
        f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="{INK}" '
        'stroke-width="1.5"/>'
    )
    # Time axis: start and deadline, and the end if updates run past the deadline.
    marks = [(start, "start")] + [(deadline, "end")] + ([(end, "end")] if end != deadline else [])
    for day, anchor in marks:
        out.append(
            f'<text x="{_f(x(day))}" y="{BOTTOM + 20}" text-anchor="{anchor}" fill="{MUTED}">'
            f"{escape(format_date(day))}</text>"
        )
    dx = _f(x(deadline))
    out.append(
        f'<line x1="{dx}" y1="{TOP}" x2="{dx}" y2="{BOTTOM}" stroke="{MUTED}" stroke-width="1" '
        'stroke-dasharray="2 3"/>'
    )
    out.append(
        f'<text x="{dx}" y="{TOP - 12}" text-anchor="middle" fill="{MUTED}">'
        f"{escape(_('Deadline'))}</text>"
    )
    # Target and plan.
    target_y = _f(y(target))
    out.append(
        f'<line x1="{LEFT}" y1="{target_y}" x2="{RIGHT}" y2="{target_y}" stroke="{TARGET}" '
        'stroke-width="2" stroke-dasharray="10 5"/>'
    )
    target_label = _label(_("Target: %s") % unit_text(target), SIDE_LABEL_CHARS)
    out.append(
        f'<text x="{RIGHT + 8}" y="{target_y}" dominant-baseline="middle" fill="{TARGET}" '
        f'font-size="13" font-weight="700">{escape(target_label)}</text>'
    )
    baseline_y = _f(y(baseline))
    start_label = _label(_("Start: %s") % unit_text(baseline), SIDE_LABEL_CHARS)
    out.append(
        f'<text x="{RIGHT + 8}" y="{baseline_y}" dominant-baseline="middle" fill="{MUTED}" '
        'font-size="13">'
        f"{escape(start_label)}</text>"
    )
    out.append(
        f'<line x1="{_f(x(start))}" y1="{baseline_y}" x2="{dx}" y2="{target_y}" stroke="{PLAN}" '
        'stroke-width="1.5" stroke-dasharray="4 4"/>'
    )
    # Reported values, starting from the baseline.
    # The line starts at the starting value, unless a value was reported on the first day.
    series = points if points and points[0][0] == start else [(start, baseline), *points]
    path = " ".join(f"{_f(x(d))},{_f(y(v))}" for d, v in series)
    out.append(
        f'<polyline points="{path}" fill="none" stroke="{SERIES}" stroke-width="3" '
        'stroke-linejoin="round"/>'
    )
    label_values = len(points) <= 8
    for day, value in points:
        px, py = _f(x(day)), _f(y(value))
        out.append(
            f'<circle cx="{px}" cy="{py}" r="5" fill="#fff" stroke="{SERIES}" stroke-width="2.5"/>'
        )
        if label_values:
            # Beside the point at the left edge, so that the value axis stays readable.
            edge = x(day) < LEFT + 20
            out.append(
                f'<text x="{_f(x(day) + 9) if edge else px}" y="{_f(y(value) - 11)}" '
                f'text-anchor="{"start" if edge else "middle"}" font-weight="700">'
                f"{escape(format_number(value))}</text>"
            )
    # Legend: line patterns with words, so nothing depends on colour.
    legend_y = HEIGHT - 22
    items = [
        (SERIES, "", "3", _("reported values")),
        (PLAN, "4 4", "1.5", _("plan")),
        (TARGET, "10 5", "2", _("target")),
    ]
    lx = LEFT
    for colour, dash, width, label in items:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{lx}" y1="{legend_y}" x2="{lx + 28}" y2="{legend_y}" stroke="{colour}" '
            f'stroke-width="{width}"{dash_attr}/>'
        )
        out.append(
            f'<text x="{lx + 34}" y="{legend_y}" dominant-baseline="middle">{escape(label)}</text>'
        )
        lx += 40 + 9 * len(label) + 24
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


# --- The network graph ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkDrawing:
    svg: SafeString
    drawn_nodes: int
    total_nodes: int
    drawn_edges: int
    total_edges: int

    @property
    def nodes_capped(self) -> bool:
        return self.drawn_nodes < self.total_nodes

    @property
    def edges_capped(self) -> bool:
        return self.drawn_edges < self.total_edges


def _shape(kind: str, cx: float, cy: float, size: float, colour: str) -> str:
    if kind == "square":
        s = size * 0.9
        return (
            f'<rect x="{_f(cx - s)}" y="{_f(cy - s)}" width="{_f(2 * s)}" height="{_f(2 * s)}" '
            f'fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
        )
    if kind == "diamond":
        s = size * 1.2
        pts = f"{_f(cx)},{_f(cy - s)} {_f(cx + s)},{_f(cy)} {_f(cx)},{_f(cy + s)} {_f(cx - s)},{_f(cy)}"
        return f'<polygon points="{pts}" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
    if kind == "triangle":
        s = size * 1.2
        pts = (
            f"{_f(cx)},{_f(cy - s)} {_f(cx + s * 0.95)},{_f(cy + s * 0.7)} "
            f"{_f(cx - s * 0.95)},{_f(cy + s * 0.7)}"
        )
        return f'<polygon points="{pts}" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
    return (
        f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(size)}" fill="{colour}" stroke="#fff" '
        'stroke-width="1.5"/>'
    )


def sector_symbol(sector: str) -> SafeString:
    """A small SVG of the sector's marker for the legend (decorative: the text says the sector)."""
    colour, kind = SECTOR_STYLE.get(sector, (INK, "circle"))
    return mark_safe(  # no text inside
        '<svg xmlns="http://www.w3.org/2000/svg" class="legend-symbol" viewBox="0 0 20 20" '
        f'width="20" height="20" aria-hidden="true" focusable="false">{_shape(kind, 10, 10, 7, colour)}'
        "</svg>"
    )


def _label(name: str, limit: int = LABEL_CHARS) -> str:
    """A label cut to `limit` characters with an ellipsis; the full text is in the table."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def network_chart(
    graph: NetworkGraph,
    *,
    chart_id: str = "network",
    max_nodes: int = MAX_DRAWN_NODES,
    max_edges: int = MAX_DRAWN_EDGES,
) -> NetworkDrawing:
    """The organisations on a circle, grouped by sector and sorted by name, joined by their links.

    Above `max_nodes` the organisations with the most ties of their own (cooperation partners
    plus alliances) are drawn, then by all connections, then by name. Cooperation
    links are solid lines, shared alliance membership dashed ones; cooperation links are drawn
    first when `max_edges` cuts the lines.
    """
    degree = graph.degrees()
    # An organisation's own ties: its cooperation partners and its alliances. Counting every
    # co-member of a large alliance instead would fill the drawing with one alliance.
    ties: dict[int, int] = {pk: len(names) for pk, names in graph.alliances_of.items()}
    for edge in graph.edges:
        if edge.is_cooperation:
            ties[edge.a] = ties.get(edge.a, 0) + 1
            ties[edge.b] = ties.get(edge.b, 0) + 1
    nodes = graph.nodes
    if len(nodes) > max_nodes:
        nodes = sorted(
            nodes,
            key=lambda n: (-ties.get(n.pk, 0), -degree.get(n.pk, 0), n.name.casefold(), n.pk),
        )
        nodes = nodes[:max_nodes]
    order = {s: i for i, s in enumerate(SECTOR_ORDER)}
    # Within a sector, members of the same alliance sit side by side, so its lines stay short.
    first_alliance = {pk: min(names) for pk, names in graph.alliances_of.items() if names}
    nodes = sorted(
        nodes,
        key=lambda n: (
            order.get(n.sector, 99),
            first_alliance.get(n.pk, "\uffff"),
            n.name.casefold(),
            n.pk,
        ),
    )
    drawn = {n.pk for n in nodes}
    edges = [e for e in graph.edges if e.a in drawn and e.b in drawn]
    edges.sort(key=lambda e: (not e.is_cooperation, e.a, e.b))
    edges = edges[:max_edges]

    size = 1000
    centre = size / 2
    n = len(nodes)
    font = 16 if n <= 24 else 13 if n <= 60 else 10 if n <= 100 else 8
    longest = max((len(_label(node.name)) for node in nodes), default=0)
    radius = max(150.0, min(380.0, centre - 18 - longest * font * 0.56))
    marker = 9.0 if n <= 40 else 6.0 if n <= 100 else 4.5

    groups = [s for s in SECTOR_ORDER if any(node.sector == s for node in nodes)]
    gap = 1.5 if len(groups) > 1 else 0.0
    slots = n + gap * len(groups)
    position: dict[int, tuple[float, float, float]] = {}
    slot = 0.0
    for sector in groups:
        slot += gap / 2
        for node in (node for node in nodes if node.sector == sector):
            angle = 2 * math.pi * (slot + 0.5) / max(slots, 1) - math.pi / 2
            position[node.pk] = (
                centre + radius * math.cos(angle),
                centre + radius * math.sin(angle),
                angle,
            )
            slot += 1
        slot += gap / 2

    title = _("Network of %(nodes)s organisations with %(edges)s connections") % {
        "nodes": n,
        "edges": len(edges),
    }
    desc = _(
        "The organisations sit on a circle, grouped by sector (square: administration, diamond: "
        "business, circle: civil society, triangle: citizens) and sorted by name. Solid lines "
        "are cooperation links, dashed lines shared membership in an alliance. The table below "
        "lists every organisation with its connections."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-network" '
        f'viewBox="0 0 {size} {size}" role="img" focusable="false" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{FONT}" font-size="{font}" fill="{INK}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        f'<rect width="{size}" height="{size}" fill="#fff"/>',
        '<g fill="none">',
    ]
    for edge in edges:
        ax, ay, _a = position[edge.a]
        bx, by, _b = position[edge.b]
        # Curve towards the centre, so lines between neighbours do not lie on the circle.
        cx = centre + ((ax + bx) / 2 - centre) * 0.35
        cy = centre + ((ay + by) / 2 - centre) * 0.35
        if edge.is_cooperation:
            stroke = f'stroke="{INK}" stroke-width="1.8" stroke-opacity="0.85"'
        else:
            stroke = (
                'stroke="#767676" stroke-width="0.9" stroke-dasharray="5 4" stroke-opacity="0.5"'
            )
        out.append(f'<path d="M{_f(ax)},{_f(ay)} Q{_f(cx)},{_f(cy)} {_f(bx)},{_f(by)}" {stroke}/>')
    out.append("</g>")
    for node in nodes:
        nx, ny, angle = position[node.pk]
        colour, kind = SECTOR_STYLE.get(node.sector, (INK, "circle"))
        degrees = math.degrees(angle)
        lx = centre + (radius + marker + 6) * math.cos(angle)
        ly = centre + (radius + marker + 6) * math.sin(angle)
        # Labels point outwards and are turned so that they never read upside down.
        left = math.cos(angle) < 0
        rotation = degrees + 180 if left else degrees
        anchor = "end" if left else "start"
        out.append(
            f"<g><title>{escape(node.name)} ({escape(node.sector_label)})</title>"
            f"{_shape(kind, nx, ny, marker, colour)}"
            f'<text x="{_f(lx)}" y="{_f(ly)}" text-anchor="{anchor}" dominant-baseline="middle" '
            f'transform="rotate({_f(rotation)} {_f(lx)} {_f(ly)})">{escape(_label(node.name))}</text>'
            "</g>"
        )
    out.append("</svg>")
    return NetworkDrawing(
        svg=mark_safe("".join(out)),  # every text above is escaped
        drawn_nodes=n,
        total_nodes=len(graph.nodes),
        drawn_edges=len(edges),
        total_edges=len(graph.edges),
    )
