"""The demo data of the network area: alliances with everything an alliance has, and links."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest

from gemeinsinn.accounts.models import User
from gemeinsinn.actors import selectors
from gemeinsinn.actors.models import (
    Alliance,
    AllianceMember,
    AllianceProject,
    CooperationLink,
    ProgressUpdate,
    TargetAgreement,
)
from gemeinsinn.core.models import AuditEvent, County, Municipality, State
from gemeinsinn.demo.generate import demo_load
from gemeinsinn.demo.scales import Scale

pytestmark = pytest.mark.django_db

TINY = Scale("tiny", municipalities=2, districts=2, volunteers=40, organisations=40)


def load(scale: Scale, seed: int = 2026) -> dict[str, int]:
    return dict(demo_load(scale=scale, seed=seed, sink=io.StringIO()))


def wipe() -> None:
    User.objects.all().delete()
    Municipality.objects.all().delete()
    County.objects.all().delete()
    State.objects.all().delete()
    AuditEvent.objects.all().delete()


def snapshot() -> dict[str, Any]:
    return {
        "alliances": sorted(
            Alliance.objects.values_list(
                "municipality__slug", "slug", "name", "is_public", "founded_on", "mission"
            )
        ),
        "members": sorted(
            AllianceMember.objects.values_list(
                "alliance__slug", "organisation__slug", "user__email", "is_steering", "joined_on"
            ),
            key=str,
        ),
        "projects": sorted(AllianceProject.objects.values_list("alliance__slug", "title")),
        "agreements": sorted(
            TargetAgreement.objects.values_list(
                "alliance__slug", "goal", "baseline", "target_value", "deadline"
            )
        ),
        "responsible": sorted(
            TargetAgreement.objects.values_list("goal", "responsible__slug"), key=str
        ),
        "updates": sorted(
            ProgressUpdate.objects.values_list("agreement__goal", "reported_on", "value", "note")
        ),
        "links": sorted(
            CooperationLink.objects.values_list(
                "municipality__slug", "source__slug", "target__slug", "kind", "description"
            )
        ),
    }


def test_the_demo_has_alliances_with_steering_group_project_and_two_agreements_with_progress() -> (
    None
):
    created = load(TINY)

    assert created["alliances"] >= 2
    musterstadt = Municipality.objects.get(slug="musterstadt")
    first = Alliance.objects.filter(municipality=musterstadt).order_by("pk").first()
    assert first is not None
    assert first.members.filter(is_steering=True).count() >= 2
    assert first.members.filter(organisation__slug="tafel-musterstadt-e-v", is_steering=True)
    assert first.members.filter(user__email="ehrenamt@musterstadt.example").exists()
    assert first.projects.count() == 1
    assert first.target_agreements.count() == 2
    for agreement in TargetAgreement.objects.all():
        assert agreement.updates.count() >= 3
        assert agreement.responsible.exists()
        progress = selectors.agreement_progress(agreement)
        assert 0 <= progress.percent <= 100
    assert Alliance.objects.filter(is_public=False).exists()
    assert CooperationLink.objects.filter(municipality=musterstadt).count() >= 5


def test_the_network_demo_is_idempotent() -> None:
    load(TINY)
    before = snapshot()
    events = AuditEvent.objects.count()

    created = load(TINY)

    assert "alliances" not in created
    assert "cooperation links" not in created
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_the_network_demo_is_deterministic_from_the_seed() -> None:
    load(TINY, seed=11)
    first = snapshot()
    wipe()

    load(TINY, seed=11)

    assert snapshot() == first


def test_the_bulk_writer_leaves_the_same_network_rows_as_the_services() -> None:
    load(TINY)
    through_services = snapshot()
    assert AuditEvent.objects.filter(action="alliance.created").exists()
    wipe()

    load(replace(TINY, bulk=True))

    assert snapshot() == through_services
    assert not AuditEvent.objects.filter(action="alliance.created").exists()
