"""Agency mode's services and selectors: advice conversations and consent-based referrals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from conftest import make_user
from gemeinsinn.accounts.models import Notification, User
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import FieldOfEngagement, Organisation
from gemeinsinn.core.models import AuditEvent, Municipality
from gemeinsinn.opportunities.models import AdviceConversation, Application, Opportunity, Referral
from gemeinsinn.opportunities.selectors import agency as selectors
from gemeinsinn.opportunities.services import agency as services
from gemeinsinn.opportunities.services.applications import application_accept

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def make_agency(
    municipality: Municipality, name: str = "Freiwilligenagentur Musterstadt"
) -> Organisation:
    return actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name=name,
        type="volunteer_agency",
        sector="civil_society",
        published=True,
    )


def make_opportunity(
    organisation: Organisation, title: str = "Helfer:in bei der Tafel-Ausgabe", **extra: Any
) -> Opportunity:
    values: dict[str, Any] = {
        "municipality": organisation.municipality,
        "organisation": organisation,
        "title": title,
        "description": "Lebensmittel an Menschen mit wenig Geld ausgeben.",
        "status": Opportunity.Status.PUBLISHED,
        "published_at": timezone.now(),
        "expires_on": timezone.localdate() + timedelta(days=30),
        "latitude": 47.856,
        "longitude": 12.128,
        **extra,
    }
    return Opportunity.objects.create(**values)


@pytest.fixture
def agency(municipality: Municipality) -> Organisation:
    return make_agency(municipality)


@pytest.fixture
def advisor(agency: Organisation) -> User:
    user = make_user("anna.advisor@example.org", first_name="Anna", last_name="Albers")
    actor_services.membership_add(actor=None, organisation=agency, user=user, role="member")
    return user


@pytest.fixture
def opportunity(organisation: Organisation) -> Opportunity:
    return make_opportunity(organisation)


def soziales(municipality: Municipality) -> FieldOfEngagement:
    actor_services.taxonomies_ensure(municipality=municipality)
    return FieldOfEngagement.objects.get(municipality=municipality, slug="soziales")


# --- advice conversations --------------------------------------------------------------------


def test_an_advisor_records_a_conversation_with_interests_and_it_is_audited(
    agency: Organisation, advisor: User, volunteer: User, municipality: Municipality
) -> None:
    field = soziales(municipality)

    conversation = services.advice_record(
        agency=agency,
        actor=advisor,
        held_on=timezone.localdate(),
        volunteer=volunteer,
        interests=[field],
        notes="Sucht etwas am Wochenende.",
    )

    assert conversation.advisor == advisor
    assert list(conversation.interests.all()) == [field]
    event = AuditEvent.objects.get(action="agency.advice_recorded")
    assert event.municipality == municipality
    assert "Wochenende" not in str(event.data)


def test_a_walk_in_is_recorded_by_a_reference_and_a_conversation_needs_somebody(
    agency: Organisation, advisor: User
) -> None:
    walk_in = services.advice_record(
        agency=agency, actor=advisor, held_on=timezone.localdate(), person_reference=" A. B. "
    )
    assert walk_in.person_reference == "A. B."
    assert walk_in.volunteer is None

    with pytest.raises(ValidationError, match="Please name the person"):
        services.advice_record(agency=agency, actor=advisor, held_on=timezone.localdate())


def test_a_conversation_cannot_lie_in_the_future_or_use_another_towns_fields(
    agency: Organisation, advisor: User, other_municipality: Municipality
) -> None:
    with pytest.raises(ValidationError, match="future"):
        services.advice_record(
            agency=agency,
            actor=advisor,
            held_on=timezone.localdate() + timedelta(days=1),
            person_reference="X",
        )
    with pytest.raises(ValidationError, match="fields of this municipality"):
        services.advice_record(
            agency=agency,
            actor=advisor,
            held_on=timezone.localdate(),
            person_reference="X",
            interests=[soziales(other_municipality)],
        )
    assert not AdviceConversation.objects.exists()


@pytest.mark.parametrize("who", ["org_admin", "coordinator", "volunteer", "anonymous"])
def test_only_the_agencys_people_record_conversations(
    request: pytest.FixtureRequest, agency: Organisation, who: str
) -> None:
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.advice_record(
            agency=agency, actor=actor, held_on=timezone.localdate(), person_reference="X"
        )
    assert not AdviceConversation.objects.exists()


def test_a_non_agency_organisation_cannot_broker_even_for_a_platform_admin(
    organisation: Organisation, platform_admin: User
) -> None:
    with pytest.raises(PermissionDenied, match="Only volunteer agencies"):
        services.advice_record(
            agency=organisation,
            actor=platform_admin,
            held_on=timezone.localdate(),
            person_reference="X",
        )


# --- referrals -------------------------------------------------------------------------------


def test_a_referral_needs_the_persons_consent_and_nothing_is_passed_on_without_it(
    agency: Organisation, advisor: User, volunteer: User, opportunity: Opportunity
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.referral_create(
            agency=agency,
            actor=advisor,
            opportunity=opportunity,
            volunteer=volunteer,
            consent=False,
        )

    assert "consent" in caught.value.message_dict
    assert not Referral.objects.exists()
    assert not Application.objects.exists()


def test_a_referral_becomes_an_application_without_contact_data_and_both_sides_hear_of_it(
    agency: Organisation,
    advisor: User,
    volunteer: User,
    opportunity: Opportunity,
    org_admin: User,
) -> None:
    conversation = services.advice_record(
        agency=agency, actor=advisor, held_on=timezone.localdate(), volunteer=volunteer
    )
    before = timezone.now()

    referral = services.referral_create(
        agency=agency,
        actor=advisor,
        opportunity=opportunity,
        volunteer=volunteer,
        consent=True,
        conversation=conversation,
        note="Frau Vogel hat dienstags Zeit.",
    )

    assert referral.consent_recorded_at >= before
    assert referral.created_by == advisor
    application = Application.objects.get(referral=referral)
    assert application.volunteer == volunteer
    assert application.status == Application.Status.SUBMITTED
    # The person shares name, e-mail and phone themselves; the agency's tick does not.
    assert application.contact_email == ""
    assert application.contact_shared_at is None
    assert application.message == "Frau Vogel hat dienstags Zeit."
    assert AuditEvent.objects.filter(action="agency.referred").count() == 1
    assert AuditEvent.objects.filter(action="application.submitted").count() == 1
    told = Notification.objects.get(user=volunteer, topic="referral.created")
    assert agency.name in told.subject
    assert Notification.objects.filter(user=org_admin).exists()


def test_an_agency_refers_only_to_other_organisations_live_opportunities_in_its_town(
    agency: Organisation,
    advisor: User,
    volunteer: User,
    organisation: Organisation,
    other_municipality: Municipality,
) -> None:
    own = make_opportunity(agency, "Beratung in der Freiwilligenagentur")
    elsewhere = make_opportunity(make_agency(other_municipality, "Agentur Beispielhausen"))
    expired = make_opportunity(organisation, expires_on=timezone.localdate() - timedelta(days=1))
    draft = make_opportunity(organisation, status=Opportunity.Status.DRAFT)

    for target, words in (
        (own, "own opportunity"),
        (elsewhere, "not open"),
        (expired, "not open"),
        (draft, "not open"),
    ):
        with pytest.raises(ValidationError, match=words):
            services.referral_create(
                agency=agency, actor=advisor, opportunity=target, volunteer=volunteer, consent=True
            )
    assert not Referral.objects.exists()


def test_a_person_who_already_applied_is_not_referred_twice(
    agency: Organisation, advisor: User, volunteer: User, opportunity: Opportunity
) -> None:
    services.referral_create(
        agency=agency, actor=advisor, opportunity=opportunity, volunteer=volunteer, consent=True
    )

    with pytest.raises(ValidationError, match="already applied"):
        services.referral_create(
            agency=agency, actor=advisor, opportunity=opportunity, volunteer=volunteer, consent=True
        )
    assert Referral.objects.count() == 1
    assert Application.objects.count() == 1


def test_a_member_of_the_organisation_is_not_referred_to_it(
    agency: Organisation, advisor: User, org_admin: User, opportunity: Opportunity
) -> None:
    with pytest.raises(ValidationError, match="member"):
        services.referral_create(
            agency=agency, actor=advisor, opportunity=opportunity, volunteer=org_admin, consent=True
        )
    assert not Referral.objects.exists()


def test_another_agencys_conversation_cannot_carry_a_referral(
    agency: Organisation, advisor: User, volunteer: User, opportunity: Opportunity
) -> None:
    rival = make_agency(agency.municipality, "Seniorenbüro Musterstadt")
    rival.type = "senior_office"
    rival.save(update_fields=["type"])
    rival_advisor = make_user("rita.rival@example.org")
    actor_services.membership_add(actor=None, organisation=rival, user=rival_advisor, role="member")
    foreign = services.advice_record(
        agency=rival, actor=rival_advisor, held_on=timezone.localdate(), volunteer=volunteer
    )

    with pytest.raises(ValidationError, match="another person or agency"):
        services.referral_create(
            agency=agency,
            actor=advisor,
            opportunity=opportunity,
            volunteer=volunteer,
            consent=True,
            conversation=foreign,
        )


def test_an_accepted_referral_is_a_placement_of_the_agency(
    agency: Organisation, advisor: User, volunteer: User, opportunity: Opportunity, org_admin: User
) -> None:
    referral = services.referral_create(
        agency=agency, actor=advisor, opportunity=opportunity, volunteer=volunteer, consent=True
    )

    engagement = application_accept(application=referral.application, actor=org_admin)

    assert engagement.placed_by == agency
    assert list(selectors.agency_placements(agency=agency)) == [engagement]
    overview = selectors.agency_overview(agency=agency)
    assert (overview.referral_count, overview.open_referral_count) == (1, 0)
    assert (overview.placement_count, overview.active_placement_count) == (1, 1)


# --- selectors -------------------------------------------------------------------------------


def test_the_agency_is_found_only_in_its_own_town_and_only_if_it_brokers(
    agency: Organisation, organisation: Organisation, other_municipality: Municipality
) -> None:
    assert selectors.agency_of(municipality=agency.municipality, slug=agency.slug) == agency
    assert selectors.agency_of(municipality=other_municipality, slug=agency.slug) is None
    assert selectors.agency_of(municipality=agency.municipality, slug=organisation.slug) is None


def test_referral_candidates_leave_out_the_agencys_own_and_other_towns_opportunities(
    agency: Organisation,
    organisation: Organisation,
    other_municipality: Municipality,
) -> None:
    theirs = make_opportunity(organisation, "Begleitung für Seniorinnen und Senioren")
    make_opportunity(agency, "Seniorenberatung in der Agentur")
    make_opportunity(make_agency(other_municipality, "Agentur Beispielhausen"), "Senioren")

    assert selectors.referral_candidates(agency=agency) == [theirs]
    assert selectors.referral_candidates(agency=agency, query="Senioren") == [theirs]
    assert selectors.referral_candidates(agency=agency, query="Feuerwehr") == []
    assert selectors.referral_opportunity(agency=agency, public_id="not-a-uuid") is None


def test_an_address_is_found_whatever_its_case_but_never_a_deactivated_account(
    volunteer: User,
) -> None:
    assert selectors.volunteer_by_email(email=" VERA.volunteer@example.org ") == volunteer
    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])
    assert selectors.volunteer_by_email(email=volunteer.email) is None
    assert selectors.volunteer_by_email(email="") is None
