"""`python -m bench.coverage`: the office's coverage analysis at `city` scale.

A throw-away SQLite installation gets one town with 9 Stadtteile, the 14 fields of the
Freiwilligensurvey and BENCH_COVERAGE_ORGANISATIONS organisations (default 3,000, the `city`
scale of PRODUCT.md), each with 1–3 fields and 0–2 Stadtteile. They are written directly with
bulk inserts because `gemeinsinn demo` assigns no fields or Stadtteile, and the matrix is only
worth measuring when it is full. Figures (JSON lines): server time of the selector alone and of
the whole page through Django's test client (median and p95), and the page's query count.

`make bench` runs it after the page benchmarks when BENCH_SCALE=city or BENCH_COVERAGE=1;
BENCH_REQUESTS sets the number of timed requests (default 100 here).
"""

from __future__ import annotations

import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.figures import emit, median, note, percentile
from bench.server import environment, manage

DISTRICTS = ("Altstadt", "Nord", "Süd", "Ost", "West", "Bahnhofsviertel", "Au", "Am Hang", "Wiesen")
# Types and how often they occur; the sector follows from the type.
TYPES = (
    ("club", 60),
    ("initiative", 10),
    ("business", 6),
    ("administration", 4),
    ("church", 6),
    ("school", 5),
    ("other", 4),
    ("volunteer_agency", 1),
    ("self_help_contact", 1),
    ("senior_office", 1),
    ("civic_foundation", 1),
    ("multi_generation_house", 1),
)
SECTOR = {"business": "business", "administration": "administration"}
PATH = "/musterstadt/akteure/verwaltung/abdeckung/"


def wanted(scale: str) -> bool:
    """On by default (the issue asks `make bench` to print it); BENCH_COVERAGE=0 skips it."""
    return scale == "city" or os.environ.get("BENCH_COVERAGE", "1") != "0"


def run_if_asked(scale: str) -> None:
    """Called by `python -m bench`: runs this benchmark in a process (and database) of its own."""
    if wanted(scale):
        subprocess.run([sys.executable, "-m", "bench.coverage"], check=True)


def _count(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"bench: {name} must be a whole number; got {raw!r}.") from None
    if value < minimum:
        raise SystemExit(f"bench: {name} must be at least {minimum}; got {raw!r}.")
    return value


def _generate(organisations: int) -> tuple[Any, Any, dict[str, Any]]:
    """The town, its coordinator, and the size of the data."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from gemeinsinn.accounts import services as account_services
    from gemeinsinn.accounts.models import Role
    from gemeinsinn.actors import services as actor_services
    from gemeinsinn.actors.models import FieldOfEngagement, Organisation
    from gemeinsinn.core.models import Municipality, State, TownDistrict
    from gemeinsinn.core.text import german_slugify

    rng = random.Random(20260301)
    state = State.objects.create(code="BY", ags_prefix="09", name="Bayern")
    town = Municipality.objects.create(
        state=state, ags="09163000", name="Musterstadt", slug="musterstadt"
    )
    actor_services.taxonomies_ensure(municipality=town)
    districts = TownDistrict.objects.bulk_create(
        TownDistrict(municipality=town, name=name, slug=german_slugify(name)) for name in DISTRICTS
    )
    fields = list(FieldOfEngagement.objects.filter(municipality=town))
    # The social field is the most frequent, as in the Freiwilligensurvey's findings.
    field_weights = [
        6 if f.slug == "soziales" else 3 if f.slug == "sport-bewegung" else 1 for f in fields
    ]
    kinds, weights = zip(*TYPES, strict=True)
    rows = []
    for n in range(organisations):
        kind = rng.choices(kinds, weights)[0]
        rows.append(
            Organisation(
                municipality=town,
                name=f"Organisation {n:05d}",
                slug=f"organisation-{n:05d}",
                type=kind,
                sector=SECTOR.get(kind, "civil_society"),
                status="published" if rng.random() < 0.9 else "pending",
                source="import",
            )
        )
    created = Organisation.objects.bulk_create(rows, batch_size=1000)
    field_links, district_links = [], []
    field_through = Organisation.engagement_fields.through
    district_through = Organisation.districts.through
    for organisation in created:
        chosen = {f.pk for f in rng.choices(fields, field_weights, k=rng.randint(1, 3))}
        field_links += [
            field_through(organisation_id=organisation.pk, fieldofengagement_id=pk) for pk in chosen
        ]
        served = rng.sample(districts, rng.choice((0, 1, 1, 1, 2, 2)))
        district_links += [
            district_through(organisation_id=organisation.pk, towndistrict_id=d.pk) for d in served
        ]
    field_through.objects.bulk_create(field_links, batch_size=2000)
    district_through.objects.bulk_create(district_links, batch_size=2000)

    coordinator = account_services.user_create(
        email="bench.office@musterstadt.example", password=secrets.token_urlsafe(16), verified=True
    )
    account_services.role_grant(
        actor=None, user=coordinator, role=Role.COORDINATOR, municipality=town
    )
    TOTP.activate(coordinator, generate_totp_secret())
    size = {
        "name": "city",
        "organisations": len(created),
        "published": sum(1 for o in created if o.status == "published"),
        "districts": len(districts),
        "fields": len(fields),
        "field_links": len(field_links),
        "district_links": len(district_links),
        "database": "sqlite",
    }
    return town, coordinator, size


def _timings(call: Any, requests: int) -> list[float]:
    for _ in range(5):
        call()
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    organisations = _count("BENCH_COVERAGE_ORGANISATIONS", 3000, 1)
    requests = _count("BENCH_REQUESTS", 100, 10)
    with tempfile.TemporaryDirectory(prefix="gemeinsinn-bench-coverage-") as tmp:
        env = environment(Path(tmp))
        os.environ.update(env)
        note(f"coverage: setting up {organisations} organisations in {tmp}")
        manage(env, "migrate", "--noinput", "-v", "0")
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from gemeinsinn.actors import selectors

        started = time.perf_counter()
        town, coordinator, size = _generate(organisations)
        emit("coverage.setup", time.perf_counter() - started, "s", 1, size)

        def report() -> None:
            result = selectors.coverage_report(municipality=town)
            assert result.matrix.rows

        timings = _timings(report, requests)
        how = {"what": "selectors.coverage_report", "method": "in-process"}
        emit("coverage.matrix.p50", median(timings), "ms", requests, size, **how)
        emit("coverage.matrix.p95", percentile(timings, 95), "ms", requests, size, **how)

        client = Client()
        client.force_login(coordinator)
        response = client.get(PATH)
        if response.status_code != 200:
            raise SystemExit(f"bench: {PATH} answered {response.status_code}, expected 200.")
        with CaptureQueriesContext(connection) as queries:
            client.get(PATH)
        query_count = len(queries)
        for label, path in (("page", PATH), ("page_filtered", f"{PATH}?type=club")):
            timings = _timings(lambda path=path: client.get(path), requests)
            how = {"path": path, "method": "django.test.Client"}
            emit(f"coverage.{label}.in_process.p50", median(timings), "ms", requests, size, **how)
            emit(
                f"coverage.{label}.in_process.p95",
                percentile(timings, 95),
                "ms",
                requests,
                size,
                **how,
            )
        emit("coverage.page.queries", query_count, "queries", 1, size, path=PATH)
        connection.close()


if __name__ == "__main__":
    main()
