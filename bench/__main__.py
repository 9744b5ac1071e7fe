"""`python -m bench`: set up a throw-away installation, then measure the pages of PAGES."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import coverage, directory, exchange, shifts
from bench.figures import emit, median, note, percentile
from bench.load import run_load
from bench.server import Gunicorn, environment, manage

SCALES = ("small", "city", "state")
GENERATORS = ("auto", "wrk", "python")
# (figure name, path): the floor of a request to the shell, and a municipality's home page.
PAGES = (("imprint", "/impressum/"), ("home", "/musterstadt/"))
WORKERS = 2
# The DATABASE_URL `make bench` was started with, before the page benchmarks replace it by their
# SQLite file: the exchange benchmark runs on PostgreSQL when this points there.
STARTED_WITH_DATABASE_URL = os.environ.get("DATABASE_URL", "")


def _env_number(name: str, default: float, minimum: float) -> float:
    raw = os.environ.get(name, "")
    try:
        value = float(raw) if raw.strip() else default
    except ValueError:
        raise SystemExit(f"bench: {name} must be a number; got {raw!r}.") from None
    if value < minimum:
        raise SystemExit(f"bench: {name} must be at least {minimum:g}; got {raw!r}.")
    return value


def main() -> None:
    scale = os.environ.get("BENCH_SCALE", "small")
    if scale not in SCALES:
        raise SystemExit(f"bench: BENCH_SCALE must be one of {', '.join(SCALES)}; got {scale!r}.")
    duration = _env_number("BENCH_DURATION", 5, 1)
    requests = int(_env_number("BENCH_REQUESTS", 200, 10))
    concurrency = int(_env_number("BENCH_CONCURRENCY", 4, 1))
    generator = os.environ.get("BENCH_GENERATOR", "auto")
    if generator not in GENERATORS:
        raise SystemExit(f"bench: BENCH_GENERATOR must be one of {', '.join(GENERATORS)}.")

    with tempfile.TemporaryDirectory(prefix="gemeinsinn-bench-") as tmp:
        workdir = Path(tmp)
        env = environment(workdir)
        # The in-process measurements below import Django into this process.
        os.environ.update(env)
        note(f"setting up a {scale} installation in {workdir}")
        manage(env, "migrate", "--noinput", "-v", "0")
        load_seconds = manage(env, "demo", "--scale", scale)
        size = _data_size(scale)
        emit("setup.demo_load", load_seconds, "s", 1, size)

        for name, path in PAGES:
            _in_process(name, path, requests, size)

        note(f"starting gunicorn with {WORKERS} workers; {duration:g} s of load per page")
        with Gunicorn(env, workdir, workers=WORKERS) as server:
            for name, path in PAGES:
                _under_load(
                    name, path, server.port, duration, concurrency, generator, size, workdir
                )
    coverage.run_if_asked(scale)
    directory.run_if_asked(scale)
    exchange.run_if_asked(scale, database_url=STARTED_WITH_DATABASE_URL)
    shifts.run_if_asked(database_url=STARTED_WITH_DATABASE_URL)


def _data_size(scale: str) -> dict[str, Any]:
    import django

    django.setup()
    from gemeinsinn.accounts.models import User
    from gemeinsinn.actors.models import Organisation
    from gemeinsinn.core.models import Municipality

    return {
        "name": scale,
        "municipalities": Municipality.objects.count(),
        "people": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "database": "sqlite",
    }


def _in_process(name: str, path: str, requests: int, size: dict[str, Any]) -> None:
    """Server time per request without network or server process: Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(10):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"bench: {path} answered {response.status_code}, expected 200.")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    # Counted now: the captured list is a view on the connection's log, which the next
    # request clears.
    query_count = len(queries)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    how = {"path": path, "method": "django.test.Client"}
    emit(f"{name}.in_process.p50", median(timings), "ms", requests, size, **how)
    emit(f"{name}.in_process.p95", percentile(timings, 95), "ms", requests, size, **how)
    emit(f"{name}.queries", query_count, "queries", 1, size, **how)
    connection.close()


def _under_load(
    name: str,
    path: str,
    port: int,
    duration: float,
    concurrency: int,
    generator: str,
    size: dict[str, Any],
    workdir: Path,
) -> None:
    # Warm both workers up (templates, URL resolver, database connection) before measuring.
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
    emit(f"{name}.http.throughput", result.throughput, "req/s", n, size, **how)
    emit(f"{name}.http.p50", p50, "ms", n, size, **how)
    emit(f"{name}.http.p95", p95, "ms", n, size, **how)


if __name__ == "__main__":
    main()
