"""`python -m bench.exchange`: the engagement exchange at `city` (or `state`) scale.

A throw-away installation (SQLite in a temporary directory, or a fresh PostgreSQL database on
the server of BENCH_DATABASE_URL / DATABASE_URL, dropped afterwards) gets
`gemeinsinn demo --scale city`: 5,000 opportunities with coordinates, 30,000 volunteers, 18,000
profiles, applications. Then it prints, as JSON lines with the data size and database vendor:

- exchange.search: full text + two filters (field of engagement, kind) + 10 km radius, through
  the search page (repeated, so its rendered results come from the cache), the same page with
  the cache cleared before each request (`search.uncached`), and through
  `selectors.search.opportunity_search` alone (count and one page);
- exchange.recommendations: "Recommended for you" of the demo volunteer, page and
  `selectors.recommendations.recommendations_for`;
- exchange.inbox: the busiest organisation's inbox, page and `selectors.applications`;
- exchange.floor: a plain templated page of 20 items (bench/exchange_urls.py), served the same way.

Server time is measured in-process with Django's test client (median and p95, BENCH_REQUESTS
requests, default 100). Then gunicorn with 2 workers serves the search page and the floor
(same settings module, same server, same load generator as `python -m bench`) for
BENCH_DURATION seconds each, and the figures give throughput and latency of both and their
ratio.

`make bench` runs it after the page benchmarks unless BENCH_EXCHANGE=0; BENCH_EXCHANGE_SCALE
picks the scale (city by default; state for 50,000 opportunities).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from bench.figures import emit, median, note, percentile
from bench.load import run_load
from bench.server import Gunicorn, environment, manage

SCALES = ("small", "city", "state")
SETTINGS = "bench.exchange_settings"
FLOOR = "/bench/floor/"
WORKERS = 2
RADIUS_KM = 10
# Words of the demo's titles and descriptions; the search takes the one with most results
# under the filters, so a fast figure cannot come from an empty answer.
QUERIES = ("Senioren", "Kinder", "helfen", "Lebensmittel", "Garten", "Begleitung")
DEMO_VOLUNTEER = "ehrenamt@musterstadt.example"


def wanted(scale: str) -> bool:
    """On by default (the issue asks `make bench` to print it); BENCH_EXCHANGE=0 skips it."""
    return os.environ.get("BENCH_EXCHANGE", "1") != "0"


def run_if_asked(scale: str, *, database_url: str = "") -> None:
    """Called by `python -m bench`: runs this benchmark in a process (and database) of its own.

    `database_url` is the DATABASE_URL the person started `make bench` with (the page benchmarks
    replace it by their SQLite file); a PostgreSQL URL makes this benchmark run on PostgreSQL.
    """
    if not wanted(scale):
        return
    env = dict(os.environ)
    if database_url and not env.get("BENCH_DATABASE_URL"):
        env["BENCH_DATABASE_URL"] = database_url
    subprocess.run([sys.executable, "-m", "bench.exchange"], check=True, env=env)


def _number(name: str, default: float, minimum: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise SystemExit(f"bench: {name} must be a number; got {raw!r}.") from None
    if value < minimum:
        raise SystemExit(f"bench: {name} must be at least {minimum:g}; got {raw!r}.")
    return value


@contextlib.contextmanager
def _database(url: str, workdir: Path) -> Iterator[str]:
    """A fresh database for this run: a SQLite file, or a new PostgreSQL database (dropped)."""
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        yield f"sqlite:///{workdir / 'exchange.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"gemeinsinn_bench_{secrets.token_hex(4)}"
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _uncached(call: Callable[[], Any]) -> Any:
    """Run `call` with an empty cache: a search nobody made before."""
    from django.core.cache import cache

    cache.clear()
    return call()


def _timings(call: Callable[[], Any], requests: int) -> list[float]:
    for _ in range(5):  # templates, URL resolver, caches, derived postcode centres
        call()
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _search_case() -> tuple[Any, dict[str, str], Any, dict[str, Any]]:
    """The busiest town, the page's query, the selector's parameters and the data size."""
    from django.db import connection
    from django.db.models import Count
    from django.http import QueryDict

    from gemeinsinn.accounts.models import User
    from gemeinsinn.actors.models import FieldOfEngagement
    from gemeinsinn.core.models import Municipality
    from gemeinsinn.opportunities.forms_search import SearchForm
    from gemeinsinn.opportunities.geo_lookup import locate
    from gemeinsinn.opportunities.models import Application, Opportunity, VolunteerProfile
    from gemeinsinn.opportunities.selectors.common import opportunities_live
    from gemeinsinn.opportunities.selectors.search import (
        SearchParams,
        opportunity_search,
        search_options,
    )

    live = opportunities_live()
    town = (
        Municipality.objects.annotate(n=Count("opportunities"))
        .filter(pk__in=live.values("municipality_id"))
        .order_by("-n", "pk")
        .first()
    )
    if town is None:
        raise SystemExit("bench: the demo load left no live opportunity.")
    town_live = opportunities_live(municipality=town)
    field = (
        FieldOfEngagement.objects.filter(municipality=town)
        .annotate(n=Count("opportunities", filter=_live_q()))
        .order_by("-n", "position")
        .first()
    )
    assert field is not None
    kind = (
        town_live.filter(engagement_fields=field)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "kind")
        .first()
    )
    assert kind is not None
    postcode = (
        town_live.exclude(postcode="")
        .values("postcode")
        .annotate(n=Count("pk"))
        .order_by("-n", "postcode")
        .first()
    )
    assert postcode is not None
    centre = locate(municipality=town, text=postcode["postcode"])
    if centre is None:
        raise SystemExit(f"bench: the postcode {postcode['postcode']} has no place.")

    def params(word: str) -> SearchParams:
        return SearchParams(
            q=word,
            fields=(field.slug,),
            kinds=(kind["kind"],),
            near=centre,
            radius_km=RADIUS_KM,
        )

    counts = {
        word: opportunity_search(municipality=town, params=params(word)).count() for word in QUERIES
    }
    word = max(QUERIES, key=lambda w: counts[w])
    query = {
        "q": word,
        "field": field.slug,
        "kind": kind["kind"],
        "place": postcode["postcode"],
        "radius_km": str(RADIUS_KM),
    }
    # The page must run the very search the selector figures measure.
    form = SearchForm(
        QueryDict(urlencode(query)), municipality=town, options=search_options(municipality=town)
    )
    if form.params() != params(word):
        raise SystemExit(f"bench: the search page reads {query} as {form.params()}.")
    size = {
        "name": os.environ.get("BENCH_EXCHANGE_SCALE", "city"),
        "database": connection.vendor,
        "municipalities": Municipality.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "live_opportunities": live.count(),
        "town_live_opportunities": town_live.count(),
        "people": User.objects.count(),
        "volunteer_profiles": VolunteerProfile.objects.count(),
        "applications": Application.objects.count(),
    }
    return town, query, params(word), {**size, "search_results": counts[word]}


def _live_q() -> Any:
    from django.db.models import Q
    from django.utils import timezone

    return Q(opportunities__status="published", opportunities__expires_on__gte=timezone.localdate())


def _inbox_case(town: Any) -> tuple[Any, Any, int]:
    """The town's organisation with most applications, one of its admins, and how many."""
    from django.db.models import Count

    from gemeinsinn.actors.models import Membership, Organisation

    organisation = (
        Organisation.objects.filter(municipality=town)
        .annotate(n=Count("opportunities__applications"))
        .order_by("-n", "pk")
        .first()
    )
    assert organisation is not None
    admin = (
        Membership.objects.filter(organisation=organisation, role="admin", status="active")
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise SystemExit(f"bench: {organisation} has no admin to open its inbox.")
    return organisation, admin.user, organisation.n


def main() -> None:
    scale = os.environ.get("BENCH_EXCHANGE_SCALE", "city")
    if scale not in SCALES:
        raise SystemExit(f"bench: BENCH_EXCHANGE_SCALE must be one of {', '.join(SCALES)}.")
    requests = int(_number("BENCH_REQUESTS", 100, 10))
    duration = _number("BENCH_DURATION", 5, 1)
    concurrency = int(_number("BENCH_CONCURRENCY", 4, 1))
    generator = os.environ.get("BENCH_GENERATOR", "auto")
    database_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    with (
        tempfile.TemporaryDirectory(prefix="gemeinsinn-bench-exchange-") as tmp,
        _database(database_url, Path(tmp)) as url,
    ):
        workdir = Path(tmp)
        env = {**environment(workdir), "DATABASE_URL": url}
        note(f"exchange: setting up a {scale} installation ({url.split(':', 1)[0]}) in {tmp}")
        manage(env, "migrate", "--noinput", "-v", "0")
        load_seconds = manage(env, "demo", "--scale", scale)
        env["DJANGO_SETTINGS_MODULE"] = SETTINGS
        os.environ.update(env)
        size = _in_process(scale, requests, load_seconds)
        note(f"exchange: gunicorn with {WORKERS} workers; {duration:g} s of load per page")
        with Gunicorn(env, workdir, workers=WORKERS) as server:
            _under_load(server.port, duration, concurrency, generator, size, workdir)


def _in_process(scale: str, requests: int, load_seconds: float) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gemeinsinn.accounts.models import User
    from gemeinsinn.opportunities.selectors import applications as inbox
    from gemeinsinn.opportunities.selectors.recommendations import recommendations_for
    from gemeinsinn.opportunities.selectors.search import opportunity_search

    # Planner statistics, as a running installation has them (PostgreSQL's autovacuum; on
    # SQLite `gemeinsinn` leaves it to the operator): without them both databases may join the
    # full-text index in the wrong order, which a benchmark right after a bulk load would
    # measure instead of the search.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_seconds = time.perf_counter() - started
    town, query, params, size = _search_case()
    emit("exchange.setup.demo_load", load_seconds, "s", 1, size)
    emit("exchange.setup.analyze", analyze_seconds, "s", 1, size)
    if not size["search_results"]:
        raise SystemExit(f"bench: the search {query} found nothing to measure.")
    organisation, admin, applications = _inbox_case(town)
    volunteer = User.objects.get(email=DEMO_VOLUNTEER)
    base = f"/{town.slug}/engagement/"
    search_page = f"{base}?{urlencode(query)}"
    _PAGES["search"] = search_page
    anonymous, as_volunteer, as_admin = Client(), Client(), Client()
    as_volunteer.force_login(volunteer)
    as_admin.force_login(admin)
    inbox_page = f"{base}organisation/{organisation.slug}/bewerbungen/"
    recommended = len(recommendations_for(user=volunteer, municipality=town))

    def search_selector() -> None:
        found = opportunity_search(municipality=town, params=params)
        found.count()
        list(found[:20])

    def inbox_selector() -> None:
        inbox.inbox_counts(organisation=organisation)
        list(inbox.inbox_applications(organisation=organisation)[:25])

    page = {"method": "django.test.Client"}
    selector = {"method": "in-process"}
    cases: list[tuple[str, Any, Callable[[], Any], dict[str, Any]]] = [
        ("floor", anonymous, lambda: anonymous.get(FLOOR), {"path": FLOOR, **page}),
        (
            "search",
            anonymous,
            lambda: anonymous.get(search_page),
            {
                "path": search_page,
                "results": size["search_results"],
                "cache": "rendered search reused (repeated query)",
                **page,
            },
        ),
        (
            "search.uncached",
            anonymous,
            lambda: _uncached(lambda: anonymous.get(search_page)),
            {
                "path": search_page,
                "results": size["search_results"],
                "cache": "cleared before each request",
                **page,
            },
        ),
        (
            "search.selector",
            None,
            search_selector,
            {"what": "opportunity_search", "results": size["search_results"], **query, **selector},
        ),
        (
            "recommendations",
            as_volunteer,
            lambda: as_volunteer.get(f"{base}fuer-sie/"),
            {"path": f"{base}fuer-sie/", "recommended": recommended, **page},
        ),
        (
            "recommendations.selector",
            None,
            lambda: recommendations_for(user=volunteer, municipality=town),
            {"what": "recommendations_for", "recommended": recommended, **selector},
        ),
        (
            "inbox",
            as_admin,
            lambda: as_admin.get(inbox_page),
            {"path": inbox_page, "applications": applications, **page},
        ),
        (
            "inbox.selector",
            None,
            inbox_selector,
            {"what": "inbox_counts + inbox_applications", "applications": applications, **selector},
        ),
    ]
    for name, client, call, how in cases:
        if client is not None:
            response = call()
            if response.status_code != 200:
                raise SystemExit(f"bench: {how['path']} answered {response.status_code}.")
            with CaptureQueriesContext(connection) as queries:
                call()
            emit(f"exchange.{name}.queries", len(queries), "queries", 1, size, path=how["path"])
        timings = _timings(call, requests)
        emit(f"exchange.{name}.in_process.p50", median(timings), "ms", requests, size, **how)
        emit(
            f"exchange.{name}.in_process.p95", percentile(timings, 95), "ms", requests, size, **how
        )
    connection.close()
    return size


# The paths measured under load, filled by _in_process.
_PAGES: dict[str, str] = {}


def _under_load(
    port: int,
    duration: float,
    concurrency: int,
    generator: str,
    size: dict[str, Any],
    workdir: Path,
) -> None:
    throughput: dict[str, float] = {}
    for name, path in (("floor", FLOOR), ("search", _PAGES["search"])):
        # Warm both workers (templates, URL resolver, database connection) before measuring.
        run_load(port, path, duration=1, concurrency=WORKERS, workdir=workdir, generator=generator)
        result = run_load(
            port,
            path,
            duration=duration,
            concurrency=concurrency,
            workdir=workdir,
            generator=generator,
        )
        if result.errors and not result.requests:
            raise SystemExit(f"bench: every request to {path} failed.")
        p50 = result.p50_ms if result.p50_ms is not None else median(result.latencies_ms)
        p95 = result.p95_ms if result.p95_ms is not None else percentile(result.latencies_ms, 95)
        how = {
            "path": path,
            "method": "gunicorn",
            "generator": result.generator,
            "workers": WORKERS,
            "concurrency": concurrency,
            "seconds": round(result.seconds, 2),
            "errors": result.errors,
        }
        n = result.requests
        throughput[name] = result.throughput
        emit(f"exchange.{name}.http.throughput", result.throughput, "req/s", n, size, **how)
        emit(f"exchange.{name}.http.p50", p50, "ms", n, size, **how)
        emit(f"exchange.{name}.http.p95", p95, "ms", n, size, **how)
    if throughput.get("floor"):
        emit(
            "exchange.search.http.share_of_floor",
            throughput["search"] / throughput["floor"],
            "ratio",
            1,
            size,
            target=0.5,
        )


if __name__ == "__main__":
    main()
