"""The planning scales of PRODUCT.md ("Scale") as one table the generator reads its sizes from.

Tests pass a tiny Scale of their own instead of loading 250,000 people.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    municipalities: int
    # Stadtteile per municipality.
    districts: int
    volunteers: int
    organisations: int
    # Volumes of the modules still to come; their generators read them from here.
    opportunities: int = 0
    time_entries: int = 0
    cards: int = 0
    partners: int = 0
    # Shifts (issue #5 measures its pages with 200,000 at city scale).
    shifts: int = 0
    # Large volumes are written with bulk_create instead of one service call per row.
    bulk: bool = False


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale(
            "small",
            municipalities=2,
            districts=4,
            volunteers=300,
            organisations=60,
            opportunities=150,
            time_entries=10_000,
            cards=100,
            partners=40,
            shifts=600,
        ),
        Scale(
            "city",
            municipalities=1,
            districts=9,
            volunteers=30_000,
            organisations=3_000,
            opportunities=5_000,
            time_entries=3_000_000,
            cards=15_000,
            partners=600,
            shifts=200_000,
            bulk=True,
        ),
        Scale(
            "state",
            municipalities=2_000,
            districts=2,
            volunteers=250_000,
            organisations=60_000,
            opportunities=50_000,
            time_entries=5_000_000,
            cards=250_000,
            partners=6_000,
            bulk=True,
        ),
    )
}
