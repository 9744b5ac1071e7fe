"""Load against a local server for a fixed time: wrk when installed, else a Python generator.

Only 127.0.0.1 is ever targeted, and every run ends after its duration.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    generator: str
    seconds: float
    requests: int
    errors: int
    # Latencies of successful requests in milliseconds; wrk reports percentiles instead.
    latencies_ms: list[float] = field(default_factory=list)
    p50_ms: float | None = None
    p95_ms: float | None = None

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_load(
    port: int,
    path: str,
    *,
    duration: float,
    concurrency: int,
    workdir: Path,
    generator: str = "auto",
) -> LoadResult:
    """`generator` is "wrk", "python" or "auto" (wrk when installed)."""
    wrk = shutil.which("wrk") if generator in ("auto", "wrk") else None
    if generator == "wrk" and not wrk:
        raise SystemExit("bench: BENCH_GENERATOR=wrk but wrk is not installed.")
    if wrk:
        return _wrk(wrk, port, path, duration=duration, concurrency=concurrency, workdir=workdir)
    return python_load(port, path, duration=duration, concurrency=concurrency)


def python_load(port: int, path: str, *, duration: float, concurrency: int) -> LoadResult:
    """`concurrency` threads, each with one keep-alive connection, for `duration` seconds.

    The generator shares the machine (and, per thread, the GIL) with the server, so its figures
    are a floor; wrk measures closer to what the server can do.
    """
    started = time.perf_counter()
    deadline = started + duration
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency

    def worker(slot: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            while (begin := time.perf_counter()) < deadline:
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    errors[slot] += 1
                    connection.close()
                    continue
                if response.status == 200:
                    latencies[slot].append((time.perf_counter() - begin) * 1000)
                else:
                    errors[slot] += 1
                if response.will_close:
                    # gunicorn's sync workers close after each response; the next request
                    # opens a new connection.
                    connection.close()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 15)
    elapsed = time.perf_counter() - started
    flat = [ms for slot in latencies for ms in slot]
    return LoadResult("python", elapsed, len(flat), sum(errors), latencies_ms=flat)


_WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def _wrk(
    wrk: str, port: int, path: str, *, duration: float, concurrency: int, workdir: Path
) -> LoadResult:
    script = workdir / "report.lua"
    script.write_text(_WRK_SCRIPT)
    seconds = max(1, round(duration))
    result = subprocess.run(
        [
            wrk,
            f"--threads={min(2, concurrency)}",
            f"--connections={concurrency}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={script}",
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH "))
    requests, duration_us, errors, p50_us, p95_us = (int(x) for x in line.split()[1:])
    return LoadResult(
        "wrk",
        duration_us / 1e6,
        requests - errors,
        errors,
        p50_ms=p50_us / 1000,
        p95_ms=p95_us / 1000,
    )
