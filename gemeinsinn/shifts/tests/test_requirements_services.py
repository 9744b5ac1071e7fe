"""Requirements and who meets them: only the organisation's members record, only known people."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.shifts.models import Requirement, RequirementRecord, Shift
from gemeinsinn.shifts.services import requirements as services
from gemeinsinn.shifts.services.signups import missing_requirements, shifts_sign_up


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English (the installation writes German)."""
    with translation.override("en"):
        yield


@pytest.fixture
def briefing(org_admin: Any, organisation: Any) -> Requirement:
    return services.requirement_create(
        actor=org_admin,
        organisation=organisation,
        name="Hygienebelehrung",
        description="Jeden ersten Montag im Büro",
    )


def test_recording_a_member_lets_them_take_shifts_that_need_it(
    org_admin: Any, org_member: Any, briefing: Requirement, shift: Shift
) -> None:
    shift.requirements.add(briefing)
    assert missing_requirements(volunteer=org_member, shift=shift) == [briefing]
    record = services.requirement_record(
        actor=org_admin, requirement=briefing, volunteer=org_member
    )
    assert record.recorded_by == org_admin
    assert missing_requirements(volunteer=org_member, shift=shift) == []
    assert shifts_sign_up(volunteer=org_member, shifts=[shift])
    assert AuditEvent.objects.filter(action="shift_requirement.recorded").count() == 1


def test_a_person_the_organisation_does_not_know_cannot_be_recorded(
    org_admin: Any, briefing: Requirement
) -> None:
    stranger = make_user("unbekannt@example.org")
    with pytest.raises(ValidationError) as caught:
        services.requirement_record(actor=org_admin, requirement=briefing, volunteer=stranger)
    assert "volunteer" in caught.value.message_dict
    assert not RequirementRecord.objects.exists()


def test_an_earlier_helper_counts_as_known(
    org_admin: Any, briefing: Requirement, shift: Shift, volunteer: Any
) -> None:
    shifts_sign_up(volunteer=volunteer, shifts=[shift])
    services.requirement_record(actor=org_admin, requirement=briefing, volunteer=volunteer)
    assert RequirementRecord.objects.filter(volunteer=volunteer).exists()


def test_recording_twice_is_refused_with_a_message(
    org_admin: Any, org_member: Any, briefing: Requirement
) -> None:
    services.requirement_record(actor=org_admin, requirement=briefing, volunteer=org_member)
    with pytest.raises(ValidationError, match="already recorded"):
        services.requirement_record(actor=org_admin, requirement=briefing, volunteer=org_member)


def test_removing_a_record_is_audited(
    org_admin: Any, org_member: Any, briefing: Requirement
) -> None:
    record = services.requirement_record(
        actor=org_admin, requirement=briefing, volunteer=org_member
    )
    services.requirement_record_remove(actor=org_admin, record=record)
    assert not RequirementRecord.objects.exists()
    assert AuditEvent.objects.filter(action="shift_requirement.removed").count() == 1


def test_the_office_defines_requirements_but_does_not_record_people(
    coordinator: Any, organisation: Any, org_member: Any
) -> None:
    requirement = services.requirement_create(
        actor=coordinator, organisation=organisation, name="Führungszeugnis"
    )
    with pytest.raises(PermissionDenied):
        services.requirement_record(
            actor=coordinator, requirement=requirement, volunteer=org_member
        )


def test_names_are_unique_per_organisation(
    org_admin: Any, organisation: Any, briefing: Requirement
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.requirement_create(
            actor=org_admin, organisation=organisation, name="hygienebelehrung"
        )
    assert "name" in caught.value.message_dict
    renamed = services.requirement_update(
        actor=org_admin, requirement=briefing, name="Hygiene", description=""
    )
    assert renamed.name == "Hygiene"


def test_a_member_of_another_organisation_cannot_record(
    briefing: Requirement, org_member: Any, other_organisation: Any
) -> None:
    stranger = make_user("fremd@example.org")
    actor_services.membership_add(
        actor=None, organisation=other_organisation, user=stranger, role="admin"
    )
    with pytest.raises(PermissionDenied):
        services.requirement_record(actor=stranger, requirement=briefing, volunteer=org_member)
