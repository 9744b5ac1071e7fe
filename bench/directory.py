"""`python -m bench.directory`: the public directory's search at `city` scale.

A throw-away SQLite installation gets `gemeinsinn demo --scale city` (one town, 9 Stadtteile,
3,000 organisations with fields of engagement, target groups, Stadtteile and coordinates). Then,
through Django's test client in this process (server time without network or server process),
median and p95 of:

- directory.search: the directory page with a German full-text query and two filters (the
  town's most common field of engagement and its busiest Stadtteil);
- directory.search.selector: the same search through the selector alone (count and one page);
- directory.api: the same search through /api/v1/organisations;
- directory.map_points: every point of the map as GeoJSON, the largest answer of the directory;

and the query count of the search page. Each figure states the data size and how many results
the search had, so a fast figure from an empty result cannot pass unnoticed.

`make bench` runs it after the page benchmarks when BENCH_SCALE=city or BENCH_DIRECTORY=1;
BENCH_DIRECTORY_SCALE picks another scale (small, state), BENCH_REQUESTS the number of timed
requests (default 100 here).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.figures import emit, median, note, percentile
from bench.server import environment, manage

SCALES = ("small", "city", "state")
# Words the demo's descriptions contain in several forms (Helfende/helfen, Kinder/Kindern, …);
# the search uses the one with the most results under the two filters.
QUERIES = ("Helfende", "Kinder", "Verein", "Senioren", "Mitglieder")


def wanted(scale: str) -> bool:
    """On by default (the issue asks `make bench` to print it); BENCH_DIRECTORY=0 skips it."""
    return scale == "city" or os.environ.get("BENCH_DIRECTORY", "1") != "0"


def run_if_asked(scale: str) -> None:
    """Called by `python -m bench`: runs this benchmark in a process (and database) of its own."""
    if wanted(scale):
        subprocess.run([sys.executable, "-m", "bench.directory"], check=True)


def _requests() -> int:
    raw = os.environ.get("BENCH_REQUESTS", "").strip()
    try:
        value = int(float(raw)) if raw else 100
    except ValueError:
        raise SystemExit(f"bench: BENCH_REQUESTS must be a number; got {raw!r}.") from None
    if value < 10:
        raise SystemExit(f"bench: BENCH_REQUESTS must be at least 10; got {raw!r}.")
    return value


def _timings(call: Callable[[], Any], requests: int) -> list[float]:
    for _ in range(5):  # templates, URL resolver, caches
        call()
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _search(scale: str) -> tuple[Any, dict[str, str], dict[str, Any]]:
    """The busiest town, the filters of the search and the size of the data."""
    from django.db.models import Count, Q

    from gemeinsinn.actors.models import FieldOfEngagement, Organisation
    from gemeinsinn.core.models import Municipality, TownDistrict

    published = Q(organisations__status="published")
    town = (
        Municipality.objects.annotate(n=Count("organisations", filter=published))
        .order_by("-n", "pk")
        .first()
    )
    if town is None:
        raise SystemExit("bench: the demo load left no municipality.")
    field = (
        FieldOfEngagement.objects.filter(municipality=town)
        .annotate(n=Count("organisations", filter=published))
        .order_by("-n", "position")
        .first()
    )
    district = (
        TownDistrict.objects.filter(municipality=town)
        .annotate(n=Count("organisations", filter=published))
        .order_by("-n", "name")
        .first()
    )
    from gemeinsinn.actors import selectors

    filters = {}
    if field is not None:
        filters["field"] = field.slug
    if district is not None:
        filters["district"] = district.slug
    counts = {
        word: selectors.organisations_public(municipality=town, query=word, **filters).count()
        for word in QUERIES
    }
    filters = {"q": max(QUERIES, key=lambda word: counts[word]), **filters}
    organisations = Organisation.objects.filter(municipality=town)
    size = {
        "name": scale,
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "town_organisations": organisations.count(),
        "town_published": organisations.filter(status="published").count(),
        "town_on_map": organisations.filter(
            status="published", latitude__isnull=False, longitude__isnull=False
        ).count(),
        "database": "sqlite",
    }
    return town, filters, size


def main() -> None:
    scale = os.environ.get("BENCH_DIRECTORY_SCALE", "city")
    if scale not in SCALES:
        raise SystemExit(f"bench: BENCH_DIRECTORY_SCALE must be one of {', '.join(SCALES)}.")
    requests = _requests()
    with tempfile.TemporaryDirectory(prefix="gemeinsinn-bench-directory-") as tmp:
        env = environment(Path(tmp))
        os.environ.update(env)
        note(f"directory: setting up a {scale} installation in {tmp}")
        manage(env, "migrate", "--noinput", "-v", "0")
        load_seconds = manage(env, "demo", "--scale", scale)
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from gemeinsinn.actors import selectors

        town, filters, size = _search(scale)
        emit("directory.setup.demo_load", load_seconds, "s", 1, size)
        results = selectors.organisations_public(
            municipality=town,
            query=filters["q"],
            field=filters.get("field", ""),
            district=filters.get("district", ""),
        ).count()
        if not results:
            raise SystemExit(f"bench: the search {filters} found nothing to measure.")
        query = urlencode(filters)
        page = f"/{town.slug}/akteure/?{query}"
        api = f"/api/v1/organisations?{urlencode({'municipality': town.slug, **filters})}"
        points = f"/{town.slug}/akteure/karte/punkte/"
        client = Client()
        for path in (page, api, points):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"bench: {path} answered {response.status_code}, expected 200.")
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        query_count = len(queries)

        def selector() -> None:
            found = selectors.organisations_public(
                municipality=town,
                query=filters["q"],
                field=filters.get("field", ""),
                district=filters.get("district", ""),
            )
            found.count()
            list(found[:20])

        searched = {"results": results, **filters}
        client_how = {"method": "django.test.Client"}
        cases: list[tuple[str, Callable[[], Any], dict[str, Any]]] = [
            ("directory.search", lambda: client.get(page), {"path": page, **client_how}),
            (
                "directory.search.selector",
                selector,
                {"what": "selectors.organisations_public", "method": "in-process"},
            ),
            ("directory.api", lambda: client.get(api), {"path": api, **client_how}),
            (
                "directory.map_points",
                lambda: client.get(points),
                {"path": points, "points": size["town_on_map"], **client_how},
            ),
        ]
        for name, call, how in cases:
            timings = _timings(call, requests)
            if name != "directory.map_points":
                how = {**how, **searched}
            emit(f"{name}.in_process.p50", median(timings), "ms", requests, size, **how)
            emit(f"{name}.in_process.p95", percentile(timings, 95), "ms", requests, size, **how)
        emit("directory.search.queries", query_count, "queries", 1, size, path=page)
        connection.close()


if __name__ == "__main__":
    main()
