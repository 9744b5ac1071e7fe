"""What makes a demo organisation findable: fields of engagement, target groups, the Stadtteil
it serves, coordinates inside its town, opening hours and the accessibility of its premises.

Fields and target groups follow from the words of the generated name and description, so that a
search for "Chor" or a filter on "Kultur und Musik" shows what a person expects. Coordinates are
fictional: a centre per town (from its Land, or fixed for the named towns), the Stadtteile around
it, each organisation near its Stadtteil.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# (words in the name or description, slug of the field of engagement), first match first.
FIELD_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("feuerwehr", "rettung", "sanitäter"), "unfall-rettungsdienst-feuerwehr"),
    (("sport", "fußball", "turnen", "gymnastik", "schieß", "stadtlauf"), "sport-bewegung"),
    (
        ("musik", "chor", "sänger", "kultur", "konzert", "lesung", "museum", "geschichte"),
        "kultur-musik",
    ),
    (
        ("schule", "kita", "kinderhaus", "hausaufgaben", "lesepaten", "lernpaten"),
        "schule-kindergarten",
    ),
    (("kirche", "pfarrei", "gottesdienst", "gebet", "gemeinde"), "kirche-religion"),
    (
        ("tier", "grün", "bäume", "garten", "foodsharing", "repair", "fahrrad", "weggeworfen"),
        "umwelt-natur-tierschutz",
    ),
    (
        ("jugend", "volkshochschule", "bildung", "alphabetisierung", "sprachkurs", "ausbildung"),
        "jugendarbeit-bildung",
    ),
    (
        (
            "tafel",
            "lebensmittel",
            "nachbarschaftshilfe",
            "besuch",
            "senior",
            "kleiderkammer",
            "mittagstisch",
            "beratung",
            "pflegefamilie",
            "geflüchtete",
            "familienzentrum",
            "freiwilligenagentur",
            "vermitteln",
            "ehrenamtspreis",
        ),
        "soziales",
    ),
    (("selbsthilfe", "kranke", "arzt", "gesundheit"), "gesundheit"),
    (("fest", "café", "treff", "spiele", "brauchtum", "geselligkeit"), "freizeit-geselligkeit"),
    (
        ("beirat", "bürgerinitiative", "stadtrat", "quartiersmanagement"),
        "politik-interessenvertretung",
    ),
    (("corporate", "ausbildungsbetrieb", "mitarbeitende"), "berufliche-interessenvertretung"),
    (("streitschlicht",), "justiz-kriminalitaet"),
)

TARGET_GROUP_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("kinder", "kita", "grundschule", "zehn jahren", "eltern-kind"), "kinder"),
    (("jugend", "schüler", "gymnasium", "mittelschule"), "jugendliche"),
    (("familie", "eltern"), "familien"),
    (("senior", "ältere", "jung und alt", "allein leben"), "seniorinnen-senioren"),
    (
        ("geflüchtete", "einwanderung", "sprachcafé", "sprachkurs", "alphabetisierung"),
        "zugewanderte",
    ),
    (("wenig geld", "tafel", "kleiderkammer"), "menschen-in-armut"),
    (("kranke", "arzt", "selbsthilfe"), "kranke-pflegebeduerftige"),
)

# Types with premises people visit, which therefore publish opening hours.
WITH_PREMISES = frozenset(
    {
        "volunteer_agency",
        "self_help_contact",
        "senior_office",
        "multi_generation_house",
        "administration",
        "school",
        "church",
        "other",
    }
)
OFFICE_HOURS = (
    "Mo–Do 9–12 Uhr\nDi 14–17 Uhr",
    "Mo, Mi, Fr 10–13 Uhr\nDo 15–18 Uhr",
    "Di–Fr 9–16 Uhr",
    "Mo–Fr 8–12 Uhr\nund nach Vereinbarung",
)
MEETING_HOURS = (
    "Treffen jeden Dienstag, 18–20 Uhr",
    "Jeden ersten Samstag im Monat, 10–14 Uhr",
    "Donnerstags ab 19 Uhr",
    "Nach Vereinbarung",
)
BUSINESS_HOURS = ("Mo–Fr 8–18 Uhr, Sa 9–13 Uhr", "Mo–Fr 7:30–17 Uhr")
ACCESSIBILITY = (("accessible", 45), ("partly", 25), ("not_accessible", 10), ("unknown", 20))

# Rough centre and half extent (degrees latitude, longitude) of each Land, for fictional towns.
LAND_AREAS: dict[str, tuple[float, float, float, float]] = {
    "BW": (48.65, 9.0, 0.6, 0.8),
    "BY": (48.95, 11.4, 0.9, 1.5),
    "BE": (52.52, 13.4, 0.05, 0.1),
    "BB": (52.4, 13.4, 0.6, 0.9),
    "HB": (53.08, 8.8, 0.03, 0.05),
    "HH": (53.55, 10.0, 0.05, 0.1),
    "HE": (50.6, 9.0, 0.6, 0.4),
    "MV": (53.8, 12.5, 0.4, 1.2),
    "NI": (52.75, 9.2, 0.6, 1.5),
    "NW": (51.45, 7.55, 0.5, 0.9),
    "RP": (49.9, 7.4, 0.5, 0.5),
    "SL": (49.4, 6.95, 0.1, 0.15),
    "SN": (51.05, 13.3, 0.3, 0.9),
    "ST": (51.9, 11.7, 0.5, 0.5),
    "SH": (54.2, 9.8, 0.4, 0.8),
    "TH": (50.9, 11.0, 0.3, 0.7),
}
# The named demo towns sit where their Landkreis is.
NAMED_CENTRES = {"musterstadt": (47.856, 12.128), "beispielhausen": (50.801, 7.205)}
KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class Details:
    engagement_fields: tuple[str, ...]
    target_groups: tuple[str, ...]
    districts: tuple[str, ...]
    fields: dict[str, Any]


def town_centre(slug: str, ags: str, land: str) -> tuple[float, float]:
    """A fixed point per town: the same for every seed, so maps stay put between loads."""
    if slug in NAMED_CENTRES:
        return NAMED_CENTRES[slug]
    lat, lon, dlat, dlon = LAND_AREAS.get(land, (51.2, 10.4, 1.5, 2.5))
    rng = random.Random(f"centre:{ags}")
    return lat + rng.uniform(-dlat, dlat), lon + rng.uniform(-dlon, dlon)


def district_centres(
    centre: tuple[float, float], districts: list[str]
) -> dict[str, tuple[float, float]]:
    """The Stadtteile on a ring 2–3 km around the centre, in their generated order."""
    lat, lon = centre
    points = {}
    for i, name in enumerate(districts):
        angle = 2 * math.pi * i / max(1, len(districts))
        km = 2.0 + (i % 3) * 0.5
        points[name] = _offset(lat, lon, km * math.sin(angle), km * math.cos(angle))
    return points


def _offset(lat: float, lon: float, north_km: float, east_km: float) -> tuple[float, float]:
    return (
        lat + north_km / KM_PER_DEGREE,
        lon + east_km / (KM_PER_DEGREE * math.cos(math.radians(lat))),
    )


def _matches(text: str, table: tuple[tuple[tuple[str, ...], str], ...]) -> list[str]:
    return [slug for words, slug in table if any(word in text for word in words)]


def details(
    rng: random.Random,
    *,
    kind: str,
    name: str,
    description: str,
    quarter: str,
    centre: tuple[float, float],
    districts: dict[str, tuple[float, float]],
) -> Details:
    """The findable details of one organisation, drawn from `rng` (a source of their own, so
    the names and descriptions of the demo stay as they were)."""
    # The Stadtteil's name says nothing about the work ("Gartenstadt" is no garden).
    text = f"{name} {description}".lower().replace(quarter.lower(), " ")
    fields = _matches(text, FIELD_WORDS)[:3] or ["sonstiges"]
    groups = _matches(text, TARGET_GROUP_WORDS)[:3] or ["alle"]
    if rng.random() < 0.05:
        groups.append("menschen-mit-behinderung")
    served = (quarter,) if quarter in districts else ()
    base = districts.get(quarter, centre)
    spread_km = 0.5 if served else 1.0
    extra: dict[str, Any] = {}
    # One in ten has no address on the map yet, as in a real directory.
    if rng.random() < 0.9:
        lat, lon = _offset(*base, rng.gauss(0, spread_km), rng.gauss(0, spread_km))
        extra["latitude"] = Decimal(f"{lat:.6f}")
        extra["longitude"] = Decimal(f"{lon:.6f}")
    if kind in WITH_PREMISES:
        extra["opening_hours"] = rng.choice(OFFICE_HOURS)
    elif kind == "business":
        extra["opening_hours"] = rng.choice(BUSINESS_HOURS)
    elif rng.random() < 0.5:
        extra["opening_hours"] = rng.choice(MEETING_HOURS)
    (extra["premises_accessibility"],) = rng.choices(
        [a for a, _ in ACCESSIBILITY], [w for _, w in ACCESSIBILITY]
    )
    return Details(
        engagement_fields=tuple(fields),
        target_groups=tuple(groups),
        districts=served,
        fields=extra,
    )
