"""Demo data generation: a list of steps, each creating one kind of data from the seed.

Every step takes its own random source (see DemoRun.rng), so adding a step never changes the
data of the others, and keys its rows (e-mail, AGS, municipality and slug) so that a second run
creates nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from gemeinsinn.core.audit import audit_record
from gemeinsinn.demo.generate import (
    network,
    opportunities,
    organisations,
    people,
    places,
    shifts,
    staff,
)
from gemeinsinn.demo.generate.run import DemoRun
from gemeinsinn.demo.logins import DEMO_PASSWORD
from gemeinsinn.demo.progress import Sink
from gemeinsinn.demo.scales import Scale


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[DemoRun], None]


STEPS: tuple[Step, ...] = (
    Step("places", places.generate),
    Step("people", people.generate),
    Step("organisations", organisations.generate),
    Step("logins", staff.generate),
    Step("network", network.generate),  # alliances and cooperation links; after the logins
    # The engagement exchange: opportunities, profiles, applications, agencies' referrals.
    Step("opportunities", opportunities.generate),
    # Shift plans of regular opportunities and a festival, with sign-ups and attendance.
    Step("shifts", shifts.generate),
    # Later modules add their generators here, after the steps whose rows they use, as a module
    # gemeinsinn/demo/generate/<module>.py with `generate(run)`. Each reads its volume from
    # run.scale (opportunities, time_entries, cards, partners), draws from run.rng("<module>"),
    # writes through a writer (services at small scale, bulk_create above), counts what it made
    # in run.created and skips rows that exist. For example:
    #   Step("hours", hours.generate),                  # run.volunteers + opportunities
    #   Step("cards", cards.generate),                  # hours, for eligibility
    #   Step("partners", partners.generate),            # run.places; partner-role people
)


def demo_load(
    *,
    scale: Scale,
    seed: int,
    sink: Sink,
    steps: tuple[Step, ...] = STEPS,
    password: str = DEMO_PASSWORD,
    today: date | None = None,
) -> Counter[str]:
    """Create the demo data of `scale` from `seed`, leaving what exists alone; returns counts."""
    run = DemoRun(
        scale=scale,
        seed=seed,
        password=password,
        sink=sink,
        today=today or timezone.localdate(),
    )
    for step in steps:
        if scale.bulk:
            # Bulk writers commit batch by batch: an interrupted load keeps what it wrote and a
            # second run continues where it stopped.
            step.run(run)
        else:
            with transaction.atomic():
                step.run(run)
    created = +run.created  # without the kinds of which nothing was new
    if created:
        audit_record(
            actor="demo",
            action="demo.loaded",
            data={
                "scale": scale.name,
                "seed": seed,
                "writer": "bulk" if scale.bulk else "services",
                "created": dict(sorted(created.items())),
            },
        )
    return created
