"""`python -m bench.shifts`: shifts at `city` scale, and one big event.

A throw-away installation (SQLite in a temporary directory, or a fresh PostgreSQL database on
the server of BENCH_DATABASE_URL / DATABASE_URL, dropped afterwards) gets
`gemeinsinn demo --scale city`: 200,000 shifts of weekly plans with their sign-ups. Then it
prints, as JSON lines with the data size and the database vendor:

- shifts.week: the organiser's week plan of the organisation with most shifts this week;
- shifts.mine: "My shifts" of the person with most sign-ups;
- shifts.event.plan / shifts.event.week: one event with 5,000 shifts and 20,000 sign-ups
  (written for the benchmark): its public shift list (the busiest week) and the organiser's
  week plan of that week, each with its number of queries (fixed whatever the size; tests pin
  it) against the target of 100 ms p95;
- shifts.signup.throughput (PostgreSQL only): gunicorn with 2 workers, 8 clients signing
  different people up for the event's shifts at the same time for BENCH_DURATION seconds;
  then the check that no sign-up was lost or counted twice (`Shift.taken` equals the places of
  the held sign-ups, never above the capacity).

Page times are measured in-process with Django's test client (median and p95 of
BENCH_REQUESTS requests, default 50). `make bench` runs it unless BENCH_SHIFTS=0;
BENCH_SHIFTS_SCALE picks the scale (city by default; small for a quick look).
"""

from __future__ import annotations

import http.client
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.exchange import _database, _number
from bench.figures import emit, median, note, percentile
from bench.load import HOST
from bench.server import Gunicorn, environment, manage

SCALES = ("small", "city")
EVENT_SHIFTS = 5_000
EVENT_SIGNUPS = 20_000
EVENT_DAYS = 10
CLIENTS = 8
TARGET_MS = 100


def wanted() -> bool:
    """On by default (the issue asks `make bench` to print it); BENCH_SHIFTS=0 skips it."""
    return os.environ.get("BENCH_SHIFTS", "1") != "0"


def run_if_asked(*, database_url: str = "") -> None:
    """Called by `python -m bench`: runs this benchmark in a process of its own."""
    if not wanted():
        return
    env = dict(os.environ)
    if database_url and not env.get("BENCH_DATABASE_URL"):
        env["BENCH_DATABASE_URL"] = database_url
    subprocess.run([sys.executable, "-m", "bench.shifts"], check=True, env=env)


# The sign-up throughput is measured on PostgreSQL, as the issue asks: without a configured
# URL the benchmark uses a local server when one answers (it makes and drops its own database).
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def _local_postgres() -> str:
    import psycopg

    try:
        with psycopg.connect(
            LOCAL_POSTGRES.replace("postgres://", "postgresql://"), connect_timeout=2
        ):
            pass
    except psycopg.Error:
        note("shifts: no PostgreSQL at 127.0.0.1:5432; measuring on SQLite without throughput")
        return ""
    note("shifts: using the local PostgreSQL at 127.0.0.1:5432 (set BENCH_DATABASE_URL to change)")
    return LOCAL_POSTGRES


def _timings(call: Callable[[], Any], requests: int) -> list[float]:
    for _ in range(3):
        call()
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _page(
    name: str, client: Any, path: str, requests: int, size: dict[str, Any], **extra: Any
) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"bench: {path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    emit(f"shifts.{name}.queries", len(queries), "queries", 1, size, path=path)
    timings = _timings(lambda: client.get(path), requests)
    p95 = percentile(timings, 95)
    emit(f"shifts.{name}.in_process.p50", median(timings), "ms", requests, size, path=path, **extra)
    emit(f"shifts.{name}.in_process.p95", p95, "ms", requests, size, path=path, **extra)
    return p95


def main() -> None:
    scale = os.environ.get("BENCH_SHIFTS_SCALE", "city")
    if scale not in SCALES:
        raise SystemExit(f"bench: BENCH_SHIFTS_SCALE must be one of {', '.join(SCALES)}.")
    requests = int(_number("BENCH_REQUESTS", 50, 5))
    duration = _number("BENCH_DURATION", 5, 1)
    database_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        database_url = _local_postgres()
    with (
        tempfile.TemporaryDirectory(prefix="gemeinsinn-bench-shifts-") as tmp,
        _database(database_url, Path(tmp)) as url,
    ):
        workdir = Path(tmp)
        # Mail is queued for the task worker as in production (the worker is not part of the
        # measurement), instead of being sent inside the request.
        env = {
            **environment(workdir),
            "DATABASE_URL": url,
            "GEMEINSINN_TASKS_BACKEND": "database",
        }
        note(f"shifts: setting up a {scale} installation ({url.split(':', 1)[0]}) in {tmp}")
        manage(env, "migrate", "--noinput", "-v", "0")
        load_seconds = manage(env, "demo", "--scale", scale)
        os.environ.update(env)
        size, event = _in_process(scale, requests, load_seconds)
        if size["database"] != "postgresql":
            note("shifts: sign-up throughput needs PostgreSQL (BENCH_DATABASE_URL); skipped")
            return
        note(f"shifts: gunicorn with 2 workers, {CLIENTS} clients signing up for {duration:g} s")
        with Gunicorn(env, workdir, workers=2) as server:
            _throughput(server.port, duration, size, event)


def _in_process(scale: str, requests: int, load_seconds: float) -> tuple[dict[str, Any], Any]:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from gemeinsinn.core.routing import mreverse
    from gemeinsinn.shifts.models import Shift, Signup

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    size = {
        "name": scale,
        "database": connection.vendor,
        "shifts": Shift.objects.count(),
        "signups": Signup.objects.count(),
    }
    emit("shifts.setup.demo_load", load_seconds, "s", 1, size)
    now = timezone.now()
    week_start = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    week = week_start.strftime("%G-W%V")
    busiest = (
        Shift.objects.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=7))
        .values("organisation")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("bench: the demo has no shifts this week")
    organisation, town = _organisation(busiest["organisation"])
    organiser = _organiser(organisation)
    client = Client()
    client.force_login(organiser)
    week_url = mreverse("shifts:week", town, org_slug=organisation.slug) + f"?woche={week}"
    _page("week", client, week_url, requests, size, shifts=busiest["n"])

    person = Signup.objects.values("volunteer").annotate(n=Count("pk")).order_by("-n").first() or {}
    from gemeinsinn.accounts.models import User

    volunteer = User.objects.get(pk=person["volunteer"])
    mine = Client()
    mine.force_login(volunteer)
    _page("mine", mine, mreverse("shifts:mine", town), requests, size, signups=person["n"])

    event = _event(town, organisation)
    event_size = {**size, "event_shifts": EVENT_SHIFTS, "event_signups": EVENT_SIGNUPS}
    busiest_day = event["first_day"]
    event_week = busiest_day.strftime("%G-W%V")
    plan_url = mreverse("shifts:plan", town, public_id=event["plan"].public_id)
    anonymous = Client()
    plan_p95 = _page(
        "event.plan",
        anonymous,
        f"{plan_url}?{urlencode({'woche': event_week})}",
        requests,
        event_size,
        target_ms=TARGET_MS,
    )
    week_p95 = _page(
        "event.week",
        client,
        mreverse("shifts:week", town, org_slug=organisation.slug) + f"?woche={event_week}",
        requests,
        event_size,
        target_ms=TARGET_MS,
    )
    for name, p95 in (("event.plan", plan_p95), ("event.week", week_p95)):
        emit(f"shifts.{name}.within_target", float(p95 < TARGET_MS), "bool", 1, event_size)
    return size, event


def _organisation(pk: int) -> tuple[Any, Any]:
    from gemeinsinn.actors.models import Organisation

    organisation = Organisation.objects.select_related("municipality").get(pk=pk)
    return organisation, organisation.municipality


def _organiser(organisation: Any) -> Any:
    """An admin of the organisation (the demo makes one when none exists)."""
    from gemeinsinn.accounts.models import User
    from gemeinsinn.actors.models import Membership

    found = (
        Membership.objects.filter(organisation=organisation, role="admin", status="active")
        .select_related("user")
        .first()
    )
    if found is not None and found.user is not None:
        return found.user
    user = User.objects.create_user(email="bench.organiser@example.org", password=None)
    Membership.objects.create(organisation=organisation, user=user, role="admin")
    return user


def _event(town: Any, organisation: Any) -> dict[str, Any]:
    """One event: EVENT_SHIFTS shifts over EVENT_DAYS days, EVENT_SIGNUPS sign-ups."""
    from datetime import time as clock

    from django.utils import timezone

    from gemeinsinn.accounts.models import User
    from gemeinsinn.shifts.models import Shift, ShiftPlan, Signup, new_token
    from gemeinsinn.shifts.recurrence import shift_times

    rng = random.Random(2026)
    plan = ShiftPlan.objects.create(
        municipality=town,
        organisation=organisation,
        title="Landesgartenschau",
        description="Helferinnen und Helfer für zehn Tage Gartenschau.",
        place="Ausstellungsgelände",
    )
    first_day = timezone.localdate() + timedelta(days=14 - timezone.localdate().weekday())
    per_day = EVENT_SHIFTS // EVENT_DAYS
    shifts = []
    for index in range(EVENT_SHIFTS):
        day = first_day + timedelta(days=index // per_day)
        starts_at, ends_at = shift_times(day, clock(8 + (index % 6) * 2), 120)
        shifts.append(
            Shift(
                municipality=town,
                organisation=organisation,
                plan=plan,
                task=f"Stand {index % per_day + 1}",
                place="Ausstellungsgelände",
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=6,
                checkin_token=new_token(),
            )
        )
    Shift.objects.bulk_create(shifts, batch_size=2_000)
    people = list(
        User.objects.filter(home_municipality=town).order_by("pk").values_list("pk", flat=True)
    )
    signups = []
    per_shift = EVENT_SIGNUPS // EVENT_SHIFTS
    for shift in shifts:
        for person in rng.sample(people, per_shift):
            signups.append(Signup(shift=shift, volunteer_id=person, status=Signup.Status.CONFIRMED))
    Signup.objects.bulk_create(signups, batch_size=2_000)
    Shift.objects.filter(plan=plan).update(taken=per_shift)
    return {"plan": plan, "first_day": first_day, "people": people, "town": town}


def _helpers(town: Any, count: int) -> list[int]:
    """People of the town who hold no shift yet: each client signs up people of its own."""
    from django.contrib.auth.hashers import make_password

    from gemeinsinn.accounts.models import User

    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"bench.helper{n}@example.org",
                first_name=f"Helfer {n}",
                password=password,
                home_municipality=town,
            )
            for n in range(count)
        ]
    )
    return list(User.objects.filter(email__startswith="bench.helper").values_list("pk", flat=True))


def _session_cookies(people: list[int]) -> list[str]:
    """A logged-in session per person, made directly (the benchmark measures sign-ups)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from gemeinsinn.accounts.models import User

    cookies = []
    for user in User.objects.filter(pk__in=people):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    return cookies


def _throughput(port: int, duration: float, size: dict[str, Any], event: dict[str, Any]) -> None:
    from django.db.models import Count, F, Sum

    from gemeinsinn.core.routing import mreverse
    from gemeinsinn.shifts.models import Shift, Signup

    plan = event["plan"]
    before = Signup.objects.filter(shift__plan=plan).count()
    # The people sign up for the event's later shifts, which nobody holds yet in their name.
    pool = list(
        Shift.objects.filter(plan=plan).order_by("-starts_at").values_list("public_id", flat=True)
    )
    cookies = _session_cookies(_helpers(event["town"], 400))
    path = mreverse("shifts:signup", event["town"])
    csrf = "b" * 32
    deadline = time.perf_counter() + duration
    done = [0] * CLIENTS
    refused = [0] * CLIENTS
    errors = [0] * CLIENTS
    latencies: list[float] = []

    def client(slot: int) -> None:
        rng = random.Random(slot)
        mine = cookies[slot::CLIENTS]
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.perf_counter() < deadline and mine:
            cookie = mine[rng.randrange(len(mine))]
            body = urlencode(
                {
                    "plan": str(plan.public_id),
                    "shifts": str(pool[rng.randrange(len(pool))]),
                    "companions": "0",
                    "waitlist": "on",
                    "csrfmiddlewaretoken": csrf,
                }
            )
            begin = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    path,
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"{cookie}; csrftoken={csrf}",
                        "Referer": f"http://{HOST}:{port}/",
                    },
                )
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                connection.close()
                continue
            if response.status == 302:
                done[slot] += 1
                latencies.append((time.perf_counter() - begin) * 1000)
            elif response.status == 400:
                refused[slot] += 1  # a clash with the person's other shift: a real answer
            else:
                errors[slot] += 1
            if response.will_close:
                connection.close()
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    elapsed = time.perf_counter() - started
    made = Signup.objects.filter(shift__plan=plan).count() - before
    over = Shift.objects.filter(plan=plan, taken__gt=F("capacity")).count()
    held = dict(
        Signup.objects.filter(shift__plan=plan, status__in=Signup.HOLDING)
        .values_list("shift_id")
        .annotate(places=Sum("party_size"))
    )
    mismatched = sum(
        1
        for pk, taken in Shift.objects.filter(plan=plan).values_list("pk", "taken")
        if held.get(pk, 0) != taken
    )
    twice = (
        Signup.objects.filter(shift__plan=plan, status__in=Signup.LIVE)
        .values("shift_id", "volunteer_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    extra = {"clients": CLIENTS, "workers": 2, "seconds": round(elapsed, 2)}
    emit("shifts.signup.throughput", sum(done) / elapsed, "sign-ups/s", sum(done), size, **extra)
    if latencies:
        emit("shifts.signup.http.p95", percentile(latencies, 95), "ms", len(latencies), size)
    emit("shifts.signup.refused", sum(refused), "requests", sum(refused), size, **extra)
    emit("shifts.signup.errors", sum(errors), "requests", sum(errors), size, **extra)
    emit("shifts.signup.lost", sum(done) - made, "sign-ups", 1, size)
    emit("shifts.signup.double_booked", twice, "pairs", 1, size)
    emit("shifts.signup.overbooked", over, "shifts", 1, size)
    emit("shifts.signup.counter_mismatch", mismatched, "shifts", 1, size)


if __name__ == "__main__":
    main()
