"""Alliances through the services: who may do what, validation, audit and mail."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_user
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Alliance, AllianceMember, Organisation
from gemeinsinn.core.models import AuditEvent, OutgoingMail

pytestmark = pytest.mark.django_db


def soon(days: int = 200) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def partner(municipality: Any) -> Organisation:
    return services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Sportverein Musterstadt",
        type="club",
        sector="civil_society",
        published=True,
    )


@pytest.fixture
def foreign(other_municipality: Any) -> Organisation:
    return services.organisation_create(
        actor="test",
        municipality=other_municipality,
        name="Tafel Beispielhausen",
        type="club",
        sector="civil_society",
        published=True,
    )


@pytest.fixture
def alliance(municipality: Any, coordinator: Any) -> Alliance:
    return services.alliance_create(
        actor=coordinator,
        municipality=municipality,
        name="Bündnis für Familie",
        mission="Familienfreundlich.",
    )


@pytest.fixture
def steering(alliance: Alliance, organisation: Organisation, org_admin: Any) -> AllianceMember:
    """The Tafel (whose admin is org_admin) sits in the steering group."""
    member = services.alliance_member_add(
        actor="test", alliance=alliance, organisation=organisation, is_steering=True
    )
    assert member is not None
    return member


def test_the_office_founds_an_alliance_and_it_is_audited(alliance: Alliance) -> None:
    assert alliance.slug == "buendnis-fuer-familie"
    assert alliance.is_public
    event = AuditEvent.objects.get(action="alliance.created")
    assert event.municipality == alliance.municipality


def test_nobody_but_the_office_founds_an_alliance(
    municipality: Any, org_admin: Any, volunteer: Any, other_coordinator: Any
) -> None:
    for person in (org_admin, volunteer, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.alliance_create(actor=person, municipality=municipality, name="X")
    assert not Alliance.objects.exists()


def test_an_alliance_never_takes_a_slug_that_is_a_path_of_the_alliance_pages(
    municipality: Any, coordinator: Any
) -> None:
    alliance = services.alliance_create(actor=coordinator, municipality=municipality, name="Neu")
    assert alliance.slug == "neu-2"


def test_an_alliance_needs_a_name(municipality: Any, coordinator: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.alliance_create(actor=coordinator, municipality=municipality, name="  ")
    assert "name" in caught.value.message_dict


def test_an_admin_of_a_steering_organisation_manages_the_alliance(
    alliance: Alliance, steering: AllianceMember, org_admin: Any, partner: Organisation
) -> None:
    services.alliance_member_add(actor=org_admin, alliance=alliance, organisation=partner)
    services.alliance_update(actor=org_admin, alliance=alliance, values={"mission": "Neu."})

    alliance.refresh_from_db()
    assert alliance.mission == "Neu."
    assert alliance.members.count() == 2


def test_an_individual_steering_member_manages_the_alliance(
    alliance: Alliance, volunteer: Any
) -> None:
    services.alliance_member_add(actor="test", alliance=alliance, user=volunteer, is_steering=True)

    services.alliance_project_create(actor=volunteer, alliance=alliance, title="Patenschaften")
    assert alliance.projects.count() == 1


def test_ordinary_members_and_outsiders_do_not_manage_the_alliance(
    alliance: Alliance,
    organisation: Organisation,
    org_admin: Any,
    volunteer: Any,
    other_coordinator: Any,
) -> None:
    # The Tafel is a member, but not in the steering group.
    services.alliance_member_add(actor="test", alliance=alliance, organisation=organisation)
    services.alliance_member_add(actor="test", alliance=alliance, user=volunteer)
    for person in (org_admin, volunteer, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.alliance_update(actor=person, alliance=alliance, values={"mission": "x"})
        with pytest.raises(PermissionDenied):
            services.alliance_project_create(actor=person, alliance=alliance, title="x")


def test_a_plain_member_of_a_steering_organisation_does_not_manage_the_alliance(
    alliance: Alliance, steering: AllianceMember, organisation: Organisation, volunteer: Any
) -> None:
    services.membership_add(actor=None, organisation=organisation, user=volunteer)
    with pytest.raises(PermissionDenied):
        services.alliance_update(actor=volunteer, alliance=alliance, values={"mission": "x"})


def test_a_person_added_by_e_mail_address_is_invited_and_told_by_mail(
    alliance: Alliance, coordinator: Any, volunteer: Any
) -> None:
    member = services.alliance_member_add(
        actor=coordinator, alliance=alliance, email="VERA.volunteer@example.org "
    )

    assert member is not None
    assert member.user == volunteer
    assert member.status == AllianceMember.Status.INVITED
    mail = OutgoingMail.objects.get(recipient=volunteer.email)
    assert "Bündnis für Familie" in mail.subject
    assert "/musterstadt/akteure/buendnisse/buendnis-fuer-familie/" in mail.body_text


def test_an_unknown_e_mail_address_changes_nothing_and_raises_nothing(
    alliance: Alliance, coordinator: Any
) -> None:
    member = services.alliance_member_add(
        actor=coordinator, alliance=alliance, email="nobody@x.org"
    )
    assert member is None
    assert not alliance.members.exists()
    assert not OutgoingMail.objects.exists()


def test_a_member_joins_once(
    alliance: Alliance, coordinator: Any, organisation: Organisation, volunteer: Any
) -> None:
    services.alliance_member_add(actor=coordinator, alliance=alliance, organisation=organisation)
    services.alliance_member_add(actor=coordinator, alliance=alliance, user=volunteer)
    with pytest.raises(ValidationError):
        services.alliance_member_add(
            actor=coordinator, alliance=alliance, organisation=organisation
        )
    with pytest.raises(ValidationError):
        services.alliance_member_add(actor="test", alliance=alliance, user=volunteer)
    # A person asking again gets the neutral answer (None) and nothing changes.
    assert (
        services.alliance_member_add(actor=coordinator, alliance=alliance, user=volunteer) is None
    )
    assert alliance.members.count() == 2


def test_an_organisation_of_another_municipality_cannot_join(
    alliance: Alliance, coordinator: Any, foreign: Organisation
) -> None:
    with pytest.raises(ValidationError):
        services.alliance_member_add(actor=coordinator, alliance=alliance, organisation=foreign)


def test_an_organisation_listed_in_the_municipality_can_join(
    alliance: Alliance, coordinator: Any, foreign: Organisation
) -> None:
    foreign.listed_in.add(alliance.municipality)
    services.alliance_member_add(actor=coordinator, alliance=alliance, organisation=foreign)
    assert alliance.members.filter(organisation=foreign).exists()


def test_an_unpublished_organisation_cannot_join(
    alliance: Alliance, coordinator: Any, municipality: Any
) -> None:
    pending = services.organisation_create(
        actor="test", municipality=municipality, name="Neu", type="club", sector="civil_society"
    )
    with pytest.raises(ValidationError):
        services.alliance_member_add(actor=coordinator, alliance=alliance, organisation=pending)


def test_steering_membership_changes_and_removal_are_audited(
    alliance: Alliance, coordinator: Any, organisation: Organisation
) -> None:
    member = services.alliance_member_add(
        actor=coordinator, alliance=alliance, organisation=organisation
    )
    assert member is not None
    services.alliance_member_update(actor=coordinator, member=member, is_steering=True)
    services.alliance_member_update(actor=coordinator, member=member, is_steering=True)
    services.alliance_member_remove(actor=coordinator, member=member)

    assert AuditEvent.objects.filter(action="alliance.member_changed").count() == 1
    assert AuditEvent.objects.filter(action="alliance.member_removed").count() == 1
    assert not alliance.members.exists()


def test_a_removed_organisation_is_no_longer_responsible_for_a_goal(
    alliance: Alliance, coordinator: Any, steering: AllianceMember, organisation: Organisation
) -> None:
    agreement = services.target_agreement_create(
        actor=coordinator,
        alliance=alliance,
        goal="Mehr Paten",
        indicator="Patenschaften",
        target_value=40,
        deadline=soon(),
        responsible=[organisation],
    )
    services.alliance_member_remove(actor=coordinator, member=steering)
    assert not agreement.responsible.exists()


def test_a_target_agreement_is_created_with_numbers_from_text(
    alliance: Alliance, coordinator: Any, steering: AllianceMember, organisation: Organisation
) -> None:
    agreement = services.target_agreement_create(
        actor=coordinator,
        alliance=alliance,
        goal="Mehr Paten",
        indicator="aktive Patenschaften",
        unit="Patenschaften",
        baseline="12",
        target_value="40,5",
        deadline=soon(),
        responsible=[organisation],
    )
    assert agreement.baseline == Decimal(12)
    assert agreement.target_value == Decimal("40.5")
    assert list(agreement.responsible.all()) == [organisation]
    assert AuditEvent.objects.filter(action="target_agreement.created").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"baseline": 10, "target_value": 10}, "target_value"),
        ({"target_value": "viele"}, "target_value"),
        ({"baseline": "etwa 3"}, "baseline"),
        ({"deadline": "today"}, "deadline"),
        ({"deadline": "past"}, "deadline"),
        ({"goal": " "}, "goal"),
        ({"indicator": ""}, "indicator"),
    ],
)
def test_a_target_agreement_with_bad_values_is_refused_with_a_message_per_field(
    alliance: Alliance, coordinator: Any, values: dict[str, Any], field: str
) -> None:
    kwargs: dict[str, Any] = {
        "goal": "Mehr Paten",
        "indicator": "Patenschaften",
        "baseline": 0,
        "target_value": 40,
        "deadline": soon(),
        **values,
    }
    if kwargs["deadline"] == "today":
        kwargs["deadline"] = timezone.localdate()
    elif kwargs["deadline"] == "past":
        kwargs["deadline"] = timezone.localdate() - timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        services.target_agreement_create(actor=coordinator, alliance=alliance, **kwargs)
    assert field in caught.value.message_dict
    assert not alliance.target_agreements.exists()


def test_only_member_organisations_can_be_responsible(
    alliance: Alliance, coordinator: Any, partner: Organisation
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.target_agreement_create(
            actor=coordinator,
            alliance=alliance,
            goal="Mehr Paten",
            indicator="Patenschaften",
            target_value=40,
            deadline=soon(),
            responsible=[partner],
        )
    assert "Sportverein Musterstadt" in caught.value.message_dict["responsible"][0]


def test_an_unchanged_past_deadline_may_stay_when_an_agreement_is_edited(
    alliance: Alliance, coordinator: Any
) -> None:
    with time_machine.travel(date(2026, 1, 1), tick=False):
        agreement = services.target_agreement_create(
            actor=coordinator,
            alliance=alliance,
            goal="Mehr Paten",
            indicator="Patenschaften",
            target_value=40,
            deadline=date(2026, 6, 30),
        )
    with time_machine.travel(date(2026, 9, 1), tick=False):
        services.target_agreement_update(
            actor=coordinator, agreement=agreement, values={"goal": "Viel mehr Paten"}
        )
        with pytest.raises(ValidationError) as caught:
            services.target_agreement_update(
                actor=coordinator, agreement=agreement, values={"deadline": date(2026, 8, 1)}
            )
    assert "deadline" in caught.value.message_dict
    agreement.refresh_from_db()
    assert agreement.goal == "Viel mehr Paten"
    assert agreement.deadline == date(2026, 6, 30)


def test_editing_cannot_make_target_and_baseline_equal(
    alliance: Alliance, coordinator: Any
) -> None:
    agreement = services.target_agreement_create(
        actor=coordinator,
        alliance=alliance,
        goal="Mehr Paten",
        indicator="Patenschaften",
        target_value=40,
        deadline=soon(),
    )
    with pytest.raises(ValidationError):
        services.target_agreement_update(
            actor=coordinator, agreement=agreement, values={"baseline": Decimal(40)}
        )


def test_progress_updates_are_added_and_removed_by_the_steering_group_and_audited(
    alliance: Alliance, steering: AllianceMember, org_admin: Any, volunteer: Any
) -> None:
    agreement = services.target_agreement_create(
        actor=org_admin,
        alliance=alliance,
        goal="Mehr Paten",
        indicator="Patenschaften",
        target_value=40,
        deadline=soon(),
    )
    update = services.progress_update_add(
        actor=org_admin, agreement=agreement, value="17", note="Zwischenstand"
    )
    assert update.author == org_admin
    assert update.reported_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.progress_update_add(actor=volunteer, agreement=agreement, value=18)
    with pytest.raises(ValidationError):
        services.progress_update_add(
            actor=org_admin, agreement=agreement, value=18, reported_on=soon(1)
        )
    with pytest.raises(ValidationError):
        services.progress_update_add(actor=org_admin, agreement=agreement, value="ca. 20")

    services.progress_update_delete(actor=org_admin, update=update)

    assert not agreement.updates.exists()
    assert AuditEvent.objects.filter(action="progress_update.created").count() == 1
    assert AuditEvent.objects.filter(action="progress_update.deleted").count() == 1


def test_the_office_of_another_municipality_cannot_touch_an_alliance(
    alliance: Alliance, other_coordinator: Any, coordinator: Any
) -> None:
    project = services.alliance_project_create(actor=coordinator, alliance=alliance, title="P")
    agreement = services.target_agreement_create(
        actor=coordinator,
        alliance=alliance,
        goal="Mehr Paten",
        indicator="Patenschaften",
        target_value=40,
        deadline=soon(),
    )
    with pytest.raises(PermissionDenied):
        services.alliance_project_delete(actor=other_coordinator, project=project)
    with pytest.raises(PermissionDenied):
        services.target_agreement_delete(actor=other_coordinator, agreement=agreement)
    with pytest.raises(PermissionDenied):
        services.progress_update_add(actor=other_coordinator, agreement=agreement, value=1)


def test_a_project_cannot_end_before_it_starts(alliance: Alliance, coordinator: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.alliance_project_create(
            actor=coordinator,
            alliance=alliance,
            title="P",
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 4, 1),
        )
    assert "ends_on" in caught.value.message_dict


def test_the_platform_admin_manages_every_alliance(alliance: Alliance, platform_admin: Any) -> None:
    services.alliance_update(actor=platform_admin, alliance=alliance, values={"is_public": False})
    alliance.refresh_from_db()
    assert not alliance.is_public


def test_a_newly_made_person_without_role_cannot_manage(alliance: Alliance) -> None:
    stranger = make_user("fremd@example.org")
    with pytest.raises(PermissionDenied):
        services.alliance_member_add(actor=stranger, alliance=alliance, user=stranger)
