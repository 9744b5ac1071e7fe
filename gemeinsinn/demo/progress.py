"""A small progress display for long loads: redrawn in place on a terminal, otherwise one line
per tenth so that logs of `make` or CI stay short."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class Sink(Protocol):
    def write(self, text: str) -> object: ...

    def isatty(self) -> bool: ...


class Progress:
    """`label count/total percent rate`, written to `sink` (usually stderr)."""

    REDRAW_SECONDS = 0.1

    def __init__(
        self,
        label: str,
        total: int,
        *,
        sink: Sink,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = max(total, 0)
        self.count = 0
        self.sink = sink
        self.tty = sink.isatty()
        self.clock = clock
        self.started = clock()
        self._last_draw = 0.0
        self._next_tenth = 1
        self._closed = False

    def advance(self, n: int = 1) -> None:
        self.count += n
        if self.tty:
            now = self.clock()
            if now - self._last_draw >= self.REDRAW_SECONDS:
                self._last_draw = now
                self.sink.write("\r" + self._text(now))
        elif self.total:
            tenth = self.count * 10 // self.total
            if tenth >= self._next_tenth:
                self._next_tenth = tenth + 1
                self.sink.write(self._text(self.clock()) + "\n")

    def close(self) -> None:
        """Draw the final state once; a display with nothing to count prints nothing."""
        if self._closed or not self.total:
            return
        self._closed = True
        if self.tty:
            self.sink.write("\r" + self._text(self.clock()) + "\n")
        elif self._next_tenth <= 10:
            self.sink.write(self._text(self.clock()) + "\n")

    def _text(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        percent = 100 * self.count / self.total if self.total else 100.0
        rate = self.count / elapsed
        return (
            f"{self.label:<16} {self.count:>9,}/{self.total:<9,} {percent:5.1f} % {rate:>9,.0f}/s"
        )

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
