"""A citizen's alliance membership is part of their data export and goes with their account."""

from __future__ import annotations

from typing import Any

from conftest import PASSWORD, client_for
from gemeinsinn.actors.models import Alliance, AllianceMember


def test_alliance_membership_is_exported_and_erased_with_the_account(
    municipality: Any, volunteer: Any
) -> None:
    alliance = Alliance.objects.create(
        municipality=municipality, name="Bündnis für Familie", slug="familie"
    )
    AllianceMember.objects.create(alliance=alliance, user=volunteer, is_steering=True)
    document = client_for(volunteer).post("/konto/meine-daten/").json()
    assert document["alliances"][0]["memberships"][0]["alliance"] == "Bündnis für Familie"
    assert document["alliances"][0]["memberships"][0]["steering_group"] is True
    client_for(volunteer).post("/konto/loeschen/", {"password": PASSWORD, "confirm": "on"})
    assert not AllianceMember.objects.filter(alliance=alliance).exists()
    assert Alliance.objects.filter(pk=alliance.pk).exists()
