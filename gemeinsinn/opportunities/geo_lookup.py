"""Turn what a person types as a place into coordinates for the radius search (ADR 0014).

In this order: a postcode from `PostcodeLocation` (imported, or derived here once from the
average of the public addresses on the platform that carry it); a Stadtteil of the municipality
by its name or slug (the centre of its opportunities and organisations); and only if the
installation configures `GEOCODER_URL`, a Nominatim-compatible geocoder asked from the server,
its answers cached for a day. Without a geocoder no request leaves the installation.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.text import slugify

from gemeinsinn.actors.models import Organisation, location_public_q
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.opportunities.geo import Point
from gemeinsinn.opportunities.models import Opportunity, PostcodeLocation
from gemeinsinn.opportunities.selectors.common import opportunities_live

logger = logging.getLogger(__name__)

# "83022" or "83022 Rosenheim": the postcode decides.
_POSTCODE = re.compile(r"(\d{5})(?:\s+\D.*)?")
GEOCODER_CACHE_SECONDS = 24 * 60 * 60
# A position from the browser is used to about 100 m, which is enough to measure kilometres
# and does not pin down a house.
POSITION_DECIMALS = 3
MAX_PLACE_LENGTH = 200


def rounded_position(*, latitude: float, longitude: float) -> Point:
    """The visitor's position rounded to about 100 m; it is used for one search, never stored."""
    return Point(round(latitude, POSITION_DECIMALS), round(longitude, POSITION_DECIMALS))


def locate(*, municipality: Municipality, text: str) -> Point | None:
    """The coordinates of a postcode, a Stadtteil or (with a geocoder) an address, or None."""
    text = " ".join((text or "").split())[:MAX_PLACE_LENGTH]
    if not text:
        return None
    postcode = _POSTCODE.fullmatch(text)
    if postcode:
        return _postcode(postcode.group(1)) or _geocoded_postcode(postcode.group(1))
    district = (
        TownDistrict.objects.filter(municipality=municipality)
        .filter(Q(slug=slugify(text)) | Q(name__iexact=text))
        .order_by("pk")
        .first()
    )
    if district is not None:
        centre = _centre(
            opportunities_live(municipality=municipality).filter(district=district),
            _organisations_public().filter(districts=district),
        )
        if centre is not None:
            return centre
        text = f"{district.name}, {municipality.name}"
    return _geocode(_with_town(text, municipality))


def _organisations_public() -> QuerySet[Organisation]:
    # Coordinates count only where the organisation shows its street to everybody.
    return Organisation.objects.filter(location_public_q(), status=Organisation.Status.PUBLISHED)


def _centre(
    opportunities: QuerySet[Opportunity], organisations: QuerySet[Organisation]
) -> Point | None:
    """The average position of the located opportunities and organisations given."""
    total_lat = total_lon = 0.0
    count = 0
    for rows in (opportunities, organisations):
        found = rows.filter(latitude__isnull=False, longitude__isnull=False).aggregate(
            lat=Avg("latitude"), lon=Avg("longitude"), n=Count("pk")
        )
        if found["n"]:
            total_lat += float(found["lat"]) * found["n"]
            total_lon += float(found["lon"]) * found["n"]
            count += found["n"]
    if not count:
        return None
    return Point(total_lat / count, total_lon / count)


def _postcode(code: str) -> Point | None:
    known = PostcodeLocation.objects.filter(postcode=code).first()
    if known is not None:
        return Point(known.latitude, known.longitude)
    # Every town on the platform may share a postcode area, so all public addresses count.
    centre = _centre(
        opportunities_live().filter(postcode=code),
        _organisations_public().filter(postcode=code),
    )
    if centre is None:
        return None
    _remember(code, centre, PostcodeLocation.Source.DERIVED)
    return centre


def _remember(code: str, point: Point, source: str) -> None:
    """Keep a postcode centre so the next search needs no averaging (or geocoder) again."""
    with transaction.atomic():
        PostcodeLocation.objects.get_or_create(
            postcode=code,
            defaults={"latitude": point.latitude, "longitude": point.longitude, "source": source},
        )


def _geocoded_postcode(code: str) -> Point | None:
    point = _geocode(code)
    if point is not None:
        _remember(code, point, PostcodeLocation.Source.GEOCODED)
    return point


def _with_town(text: str, municipality: Municipality) -> str:
    """An address without a town is meant in this municipality."""
    if "," in text or re.search(r"\d{5}", text) or municipality.name.lower() in text.lower():
        return text
    return f"{text}, {municipality.name}"


def _geocode(query: str) -> Point | None:
    """Ask the configured geocoder (if any); its answers, found or not, are cached for a day."""
    base = settings.GEOCODER_URL
    if not base:
        return None
    key = "geocoder:" + hashlib.sha256(query.casefold().encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return Point(*cached) if cached else None
    parameters = urllib.parse.urlencode(
        {"q": query, "format": "jsonv2", "limit": 1, "countrycodes": "de"}
    )
    url = f"{base}{'&' if '?' in base else '?'}{parameters}"
    request = urllib.request.Request(  # noqa: S310 - settings allow https URLs only
        url,
        headers={
            "User-Agent": f"gemeinsinn ({settings.BASE_URL})",
            "Accept": "application/json",
            "Accept-Language": "de",
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - settings allow https URLs only
            request, timeout=settings.GEOCODER_TIMEOUT_SECONDS
        ) as response:
            answer: Any = json.loads(response.read(1_000_000))
        point = _first_point(answer)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        # A geocoder that is down or answers nonsense is no reason to fail the search; the
        # form says the place was not found. Not cached, so the next search asks again.
        logger.warning("geocoder failed", extra={"error": str(exc)})
        return None
    cache.set(
        key, (point.latitude, point.longitude) if point else (), timeout=GEOCODER_CACHE_SECONDS
    )
    return point


def _first_point(answer: Any) -> Point | None:
    if not isinstance(answer, list) or not answer or not isinstance(answer[0], dict):
        return None
    latitude, longitude = float(answer[0]["lat"]), float(answer[0]["lon"])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError("coordinates out of range")
    return Point(latitude, longitude)
