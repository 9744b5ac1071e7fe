"""The exchange's part of a person's data export and account deletion."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gemeinsinn.accounts import notifications
from gemeinsinn.accounts import services as account_services
from gemeinsinn.accounts.models import Notification
from gemeinsinn.opportunities import privacy
from gemeinsinn.opportunities.models import (
    AdviceConversation,
    Application,
    ApplicationMessage,
    Engagement,
    Offer,
    Referral,
    SavedSearch,
    VolunteerProfile,
)
from gemeinsinn.opportunities.services import applications as services
from gemeinsinn.opportunities.tests.test_applications_support import (  # noqa: F401 - fixtures
    agency_fixture,
    make_opportunity,
    opportunity_fixture,
)


@pytest.fixture(autouse=True)
def _registered() -> None:
    # The lead wires these into AppConfig.ready(); registering twice is harmless.
    privacy.register()
    notifications.register_privacy()


@pytest.fixture
def history(
    municipality: Any, organisation: Any, org_admin: Any, volunteer: Any, agency: Any
) -> dict[str, Any]:
    VolunteerProfile.objects.create(user=volunteer, municipality=municipality, postcode="83022")
    SavedSearch.objects.create(
        user=volunteer, municipality=municipality, name="Umwelt", query_string="q=Umwelt"
    )
    Offer.objects.create(
        municipality=municipality,
        user=volunteer,
        title="Ich repariere Fahrräder",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    accepted_on = make_opportunity(organisation, title="Ausgabe")
    open_on = make_opportunity(organisation, title="Fahrdienst")
    accepted = services.application_submit(
        opportunity=accepted_on, volunteer=volunteer, message="Gern!", share_contact=True
    )
    services.application_ask(application=accepted, actor=org_admin, question="Wann?")
    services.application_answer(application=accepted, actor=volunteer, answer="Montags")
    engagement = services.application_accept(application=accepted, actor=org_admin)
    still_open = services.application_submit(
        opportunity=open_on, volunteer=volunteer, message="Offen", share_contact=True
    )
    conversation = AdviceConversation.objects.create(
        municipality=municipality,
        agency=agency,
        volunteer=volunteer,
        person_reference="V. V.",
        held_on=timezone.localdate(),
        notes="Sucht etwas mit Tieren.",
    )
    referral = Referral.objects.create(
        municipality=municipality,
        agency=agency,
        opportunity=open_on,
        volunteer=volunteer,
        consent_recorded_at=timezone.now(),
        note="Bitte melden Sie sich bei Frau Vogel.",
    )
    return {
        "accepted": accepted,
        "open": still_open,
        "engagement": engagement,
        "conversation": conversation,
        "referral": referral,
    }


def test_the_export_holds_all_exchange_data(history: dict[str, Any], volunteer: Any) -> None:
    document = account_services.user_export(user=volunteer)
    assert document["volunteer_profile"]["postcode"] == "83022"
    assert [s["name"] for s in document["saved_searches"]] == ["Umwelt"]
    assert [o["title"] for o in document["engagement_offers"]] == ["Ich repariere Fahrräder"]
    applications = {a["opportunity"]: a for a in document["applications"]}
    assert applications["Ausgabe"]["message"] == "Gern!"
    assert applications["Ausgabe"]["contact_email"] == volunteer.email
    assert [m["message"] for m in applications["Ausgabe"]["conversation"]] == ["Wann?", "Montags"]
    assert [e["activity"] for e in document["engagements"]] == ["Ausgabe"]
    advice = document["advice_and_referrals"][0]
    assert advice["advice_conversations"][0]["notes"] == "Sucht etwas mit Tieren."
    assert advice["referrals"][0]["note"] == "Bitte melden Sie sich bei Frau Vogel."
    assert document["notification_settings"] == {"frequency": "daily"}


def test_the_export_holds_nothing_of_other_people(history: dict[str, Any], org_admin: Any) -> None:
    document = account_services.user_export(user=org_admin)
    assert document["applications"] == []
    assert document["engagements"] == []
    assert document["volunteer_profile"] == {}


def test_deletion_anonymises_applications_and_keeps_engagements(
    history: dict[str, Any], volunteer: Any, org_admin: Any
) -> None:
    account_services.user_delete(user=volunteer, actor=volunteer)
    assert not VolunteerProfile.objects.exists()
    assert not SavedSearch.objects.exists()
    assert not Offer.objects.exists()
    for key in ("accepted", "open"):
        found = Application.objects.get(pk=history[key].pk)
        assert found.volunteer is None
        assert found.message == ""
        assert found.contact_email == ""
        assert found.contact_name == ""
        assert found.anonymised_at is not None
    assert Application.objects.get(pk=history["open"].pk).status == "withdrawn"
    assert Application.objects.get(pk=history["accepted"].pk).status == "accepted"
    assert not ApplicationMessage.objects.exists()
    engagement = Engagement.objects.get(pk=history["engagement"].pk)
    assert engagement.volunteer_id == volunteer.pk
    assert engagement.volunteer.email.endswith("@deleted.invalid")
    conversation = AdviceConversation.objects.get(pk=history["conversation"].pk)
    assert (conversation.volunteer, conversation.notes, conversation.person_reference) == (
        None,
        "",
        "",
    )
    assert Referral.objects.get(pk=history["referral"].pk).note == ""
    assert not Notification.objects.filter(user=volunteer).exists()
    # The organisation's news about the person's applications names them: it goes too.
    assert not Notification.objects.filter(
        user=org_admin, topic__startswith="application."
    ).exists()


def test_after_deletion_the_organisation_sees_no_personal_data(
    history: dict[str, Any], volunteer: Any, org_admin: Any, organisation: Any
) -> None:
    from conftest import client_for
    from gemeinsinn.opportunities.tests.test_applications_support import url

    account_services.user_delete(user=volunteer, actor=volunteer)
    body = client_for(org_admin).get(
        url("inbox", organisation.municipality, org_slug=organisation.slug)
    )
    assert body.status_code == 200
    text = body.content.decode()
    assert "vera.volunteer@example.org" not in text
    assert "Vera" not in text
