"""Memberships, invitations and claims in a person's data export and account deletion."""

from __future__ import annotations

from typing import Any

from gemeinsinn.accounts import services as account_services
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Claim, Membership


def test_the_export_lists_memberships_invitations_requests_and_claims(
    municipality: Any, organisation: Any, org_admin: Any, volunteer: Any
) -> None:
    imported = services.organisation_create(
        actor="import",
        municipality=municipality,
        name="Heimatverein",
        type="club",
        sector="civil_society",
        published=True,
        source="import",
    )
    services.claim_start(actor=volunteer, organisation=imported, message="Ich bin Schriftführerin.")
    services.membership_request(
        actor=volunteer, organisation=organisation, message="Darf ich mithelfen?"
    )
    document = account_services.user_export(user=volunteer)
    assert document["memberships"][0]["organisation"] == "Tafel Musterstadt e. V."
    (request,) = document["membership_invitations_and_requests"]
    assert (request["status"], request["message"]) == ("requested", "Darf ich mithelfen?")
    (claim,) = document["organisation_claims"]
    assert claim["organisation"] == "Heimatverein"
    assert claim["message"] == "Ich bin Schriftführerin."


def test_an_invitation_to_the_persons_address_is_part_of_their_data(
    organisation: Any, org_admin: Any, municipality: Any
) -> None:
    services.membership_invite(
        actor=org_admin, organisation=organisation, email="later@example.org", message="Komm!"
    )
    person = account_services.user_create(email="later@example.org", password="Ehrenamt-2026!")
    document = account_services.user_export(user=person)
    assert document["membership_invitations_and_requests"][0]["message"] == "Komm!"
    account_services.user_delete(user=person, actor=person)
    assert not Membership.objects.filter(invited_email="later@example.org").exists()


def test_deleting_an_account_removes_its_memberships_and_claims_but_keeps_the_organisation(
    municipality: Any, organisation: Any, org_admin: Any, volunteer: Any
) -> None:
    imported = services.organisation_create(
        actor="import",
        municipality=municipality,
        name="Heimatverein",
        type="club",
        sector="civil_society",
        published=True,
        source="import",
    )
    services.claim_start(actor=volunteer, organisation=imported)
    services.membership_add(actor=org_admin, organisation=organisation, user=volunteer)
    account_services.user_delete(user=volunteer, actor=volunteer)
    assert not Membership.objects.filter(user=volunteer).exists()
    assert not Claim.objects.filter(user=volunteer).exists()
    assert Membership.objects.filter(organisation=organisation, user=org_admin).exists()
    organisation.refresh_from_db()
    assert organisation.name == "Tafel Musterstadt e. V."
