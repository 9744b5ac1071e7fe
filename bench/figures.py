"""Figures as JSON lines on stdout, and the statistics behind them."""

from __future__ import annotations

import json
import math
import statistics
import sys
from typing import Any


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value at or above p % of the samples."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def emit(name: str, value: float, unit: str, n: int, scale: dict[str, Any], **extra: Any) -> None:
    """Print one figure; `extra` says how it was measured (load generator, concurrency...)."""
    figure = {"name": name, "value": round(value, 3), "unit": unit, "n": n, "scale": scale}
    figure.update(extra)
    sys.stdout.write(json.dumps(figure, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def note(text: str) -> None:
    """Progress for the person watching; stdout stays machine-readable."""
    sys.stderr.write(f"bench: {text}\n")
    sys.stderr.flush()
