"""Shift templates: a week of shifts applied to a range, without doubles, holidays left out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from gemeinsinn.core.models import AuditEvent
from gemeinsinn.shifts.models import Shift, ShiftPlan, ShiftTemplate
from gemeinsinn.shifts.services import templates as services
from gemeinsinn.shifts.services.templates import TemplateItemSpec
from gemeinsinn.shifts.tests.conftest import berlin


@pytest.fixture(autouse=True)
def _new_year_2027() -> Iterator[None]:
    with time_machine.travel(berlin(2027, 1, 1, 10), tick=False):
        yield


def week() -> list[TemplateItemSpec]:
    return [
        TemplateItemSpec(
            weekday=0, start_time=time(9), duration_minutes=180, task="Ausgabe", capacity=3
        ),
        TemplateItemSpec(
            weekday=2,
            start_time=time(14),
            duration_minutes=120,
            task="Sortieren",
            capacity=2,
            place="Lager",
        ),
    ]


@pytest.fixture
def template(org_admin: Any, organisation: Any) -> ShiftTemplate:
    return services.template_create(
        actor=org_admin, organisation=organisation, name="Normale Woche", items=week()
    )


def test_applying_a_template_creates_its_shifts_on_matching_days_without_holidays(
    org_admin: Any, template: ShiftTemplate, shift_plan: ShiftPlan
) -> None:
    # Holiday names follow the active language; another test may have left a different one.
    with translation.override("de"):
        outcome = services.template_apply(
            actor=org_admin,
            template=template,
            plan=shift_plan,
            first_day=date(2027, 1, 4),
            last_day=date(2027, 1, 17),
            skip_holidays=True,
        )
    made = list(Shift.objects.filter(plan=shift_plan).order_by("starts_at"))
    # Mondays 4 and 11, Wednesday 13 (Wednesday 6 January is Epiphany in Bavaria).
    assert [(timezone.localtime(s.starts_at), s.task) for s in made] == [
        (berlin(2027, 1, 4, 9), "Ausgabe"),
        (berlin(2027, 1, 11, 9), "Ausgabe"),
        (berlin(2027, 1, 13, 14), "Sortieren"),
    ]
    assert made[2].place == "Lager"
    assert made[2].capacity == 2
    assert outcome.created == 3
    assert outcome.holidays == ((date(2027, 1, 6), "Heilige Drei Könige"),)
    assert AuditEvent.objects.filter(action="shift_template.applied").count() == 1


def test_applying_the_same_template_twice_creates_no_duplicates(
    org_admin: Any, template: ShiftTemplate, shift_plan: ShiftPlan
) -> None:
    first = services.template_apply(
        actor=org_admin,
        template=template,
        plan=shift_plan,
        first_day=date(2027, 1, 4),
        last_day=date(2027, 1, 31),
        skip_holidays=False,
    )
    again = services.template_apply(
        actor=org_admin,
        template=template,
        plan=shift_plan,
        first_day=date(2027, 1, 11),
        last_day=date(2027, 2, 7),
        skip_holidays=False,
    )
    assert first.created == 8
    # 11 January to 31 January existed (6 shifts); only the first week of February is new.
    assert (again.created, again.skipped_existing) == (2, 6)
    assert Shift.objects.filter(plan=shift_plan).count() == 10


def test_holidays_stay_in_when_asked(
    org_admin: Any, template: ShiftTemplate, shift_plan: ShiftPlan
) -> None:
    outcome = services.template_apply(
        actor=org_admin,
        template=template,
        plan=shift_plan,
        first_day=date(2027, 1, 6),
        last_day=date(2027, 1, 6),
        skip_holidays=False,
    )
    assert outcome.created == 1


def test_a_range_over_366_days_is_refused(
    org_admin: Any, template: ShiftTemplate, shift_plan: ShiftPlan
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.template_apply(
            actor=org_admin,
            template=template,
            plan=shift_plan,
            first_day=date(2027, 1, 4),
            last_day=date(2028, 1, 5),
        )
    assert "last_day" in caught.value.message_dict
    assert not Shift.objects.exists()


def test_a_range_in_the_past_or_backwards_is_refused(
    org_admin: Any, template: ShiftTemplate, shift_plan: ShiftPlan
) -> None:
    for first, last, field in (
        (date(2026, 12, 1), date(2027, 1, 5), "first_day"),
        (date(2027, 1, 10), date(2027, 1, 5), "last_day"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.template_apply(
                actor=org_admin, template=template, plan=shift_plan, first_day=first, last_day=last
            )
        assert field in caught.value.message_dict


def test_a_template_goes_only_into_the_organisations_own_plans(
    org_admin: Any, template: ShiftTemplate, other_organisation: Any
) -> None:
    foreign = ShiftPlan.objects.create(
        municipality=other_organisation.municipality,
        organisation=other_organisation,
        title="Fremd",
    )
    with pytest.raises(PermissionDenied):
        services.template_apply(
            actor=org_admin,
            template=template,
            plan=foreign,
            first_day=date(2027, 1, 4),
            last_day=date(2027, 1, 10),
        )


def test_updating_a_template_replaces_its_shifts(org_admin: Any, template: ShiftTemplate) -> None:
    services.template_update(
        actor=org_admin, template=template, name="Ferienwoche", items=week()[:1]
    )
    template.refresh_from_db()
    assert template.name == "Ferienwoche"
    assert [i.task for i in template.items.all()] == ["Ausgabe"]


def test_a_template_needs_a_name_and_sensible_shifts(org_admin: Any, organisation: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.template_create(actor=org_admin, organisation=organisation, name=" ", items=week())
    assert "name" in caught.value.message_dict
    bad = TemplateItemSpec(weekday=1, start_time=time(9), duration_minutes=0, task=" ", capacity=0)
    with pytest.raises(ValidationError) as caught:
        services.template_create(actor=org_admin, organisation=organisation, name="X", items=[bad])
    assert len(caught.value.messages) == 3
    assert not ShiftTemplate.objects.exists()


def test_a_stranger_cannot_create_templates(volunteer: Any, organisation: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.template_create(actor=volunteer, organisation=organisation, name="X", items=week())
