"""Distances on the earth's surface, in kilometres.

The radius search and matching measure with the equirectangular approximation: exact to well
under 0.1 % within the 200 km anyone searches here, and in SQL it needs only arithmetic (no
trigonometry per row), so both databases evaluate it alike (see selectors/search.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

KM_PER_DEGREE_LAT = 111.32


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def km_per_degree_lon(latitude: float) -> float:
    """How many kilometres one degree of longitude spans at this latitude."""
    return KM_PER_DEGREE_LAT * math.cos(math.radians(latitude))


def distance_km(a: Point, b: Point) -> float:
    """The distance between two points (equirectangular, around their mean latitude)."""
    dy = (a.latitude - b.latitude) * KM_PER_DEGREE_LAT
    dx = (a.longitude - b.longitude) * km_per_degree_lon((a.latitude + b.latitude) / 2)
    return math.hypot(dx, dy)


def bounding_box(centre: Point, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a square that contains the circle."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    dlon = radius_km / max(km_per_degree_lon(centre.latitude), 1e-6)
    return (
        centre.latitude - dlat,
        centre.latitude + dlat,
        centre.longitude - dlon,
        centre.longitude + dlon,
    )
