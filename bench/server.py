"""A throw-away installation: environment, set-up commands and a gunicorn on 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from bench.load import HOST


def environment(workdir: Path) -> dict[str, str]:
    """Settings of the benchmark installation: development mode, a fresh SQLite file, no
    request logs (they would be most of the work of a fast page)."""
    return {
        "GEMEINSINN_DEV": "1",
        "GEMEINSINN_DEBUG": "0",
        "GEMEINSINN_DATA_DIR": str(workdir),
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "GEMEINSINN_LOG_LEVEL": "WARNING",
        "GEMEINSINN_SINGLE_MUNICIPALITY": "",
        "GEMEINSINN_TASKS_BACKEND": "immediate",
        "DJANGO_SETTINGS_MODULE": "gemeinsinn.settings",
    }


def manage(env: dict[str, str], *args: str) -> float:
    """Run a gemeinsinn command in the benchmark installation; returns seconds taken.

    Its output goes to stderr: stdout carries only figures."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "gemeinsinn", *args],
        env={**os.environ, **env},
        stdout=sys.stderr,
        check=True,
    )
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class Gunicorn:
    """gunicorn with `workers` sync workers on 127.0.0.1; stopped on leaving the block."""

    def __init__(self, env: dict[str, str], workdir: Path, workers: int = 2) -> None:
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log = workdir / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "gemeinsinn.wsgi:application",
                    f"--workers={self.workers}",
                    f"--bind={HOST}:{self.port}",
                    "--log-level=warning",
                    "--graceful-timeout=5",
                ],
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}:\n{self.log.read_text()}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
                connection.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        """SIGTERM to the master (it stops its workers), SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
