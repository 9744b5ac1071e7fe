"""The state one demo load shares between its steps, and small deterministic helpers."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from faker import Faker

from gemeinsinn.core.models import Municipality, State
from gemeinsinn.demo.data import LAND_BY_CODE, Land
from gemeinsinn.demo.progress import Progress, Sink
from gemeinsinn.demo.scales import Scale
from gemeinsinn.demo.texts import Place

# Rows per bulk_create and per existence check: large enough to be fast, small enough for
# SQLite's limit on query parameters.
BATCH = 2_000

T = TypeVar("T")


@dataclass
class PlaceInfo:
    """A municipality of this load, with what the later steps need to know about it."""

    municipality: Municipality
    place: Place
    # Fictional e-mail and web domains of the town live under .example (RFC 2606).
    host: str
    phone_area: str
    districts: list[str]
    weight: float


@dataclass
class DemoRun:
    scale: Scale
    seed: int
    password: str
    sink: Sink
    today: date
    created: Counter[str] = field(default_factory=Counter)
    # Filled by the steps in order; later steps read what earlier ones made.
    states: dict[str, State] = field(default_factory=dict)
    places: list[PlaceInfo] = field(default_factory=list)
    # Municipality pk -> user pks / organisation pks, in generation order.
    volunteers: dict[int, list[int]] = field(default_factory=dict)
    organisations: dict[int, list[int]] = field(default_factory=dict)

    @cached_property
    def password_hash(self) -> str:
        """Hashed once per load: every demo person has the same password, and hashing it for
        each of 250,000 people would take longer than the load itself."""
        return make_password(self.password)

    @property
    def batch_size(self) -> int:
        # Service calls go in small groups so that the progress display moves.
        return BATCH if self.scale.bulk else 50

    def rng(self, step: str) -> random.Random:
        """A random source of its own per step, so adding a step leaves the others' data alone."""
        return random.Random(f"{self.seed}:{step}")

    def faker(self, step: str) -> Faker:
        fake = Faker("de_DE")
        fake.seed_instance(f"{self.seed}:{step}")
        return fake

    def progress(self, label: str, total: int) -> Progress:
        return Progress(label, total, sink=self.sink)

    def land(self, code: str) -> Land:
        return LAND_BY_CODE[code]


_ASCII = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "đ": "d",
    }
)


def ascii_name(text: str) -> str:
    """German transliteration (Müller → Mueller), then accents dropped (Petrović → Petrovic)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` with whole numbers that add up exactly."""
    if not weights:
        return []
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    rest = total - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[:rest]:
        counts[i] += 1
    return counts


def batches(items: list[T], size: int = BATCH) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
