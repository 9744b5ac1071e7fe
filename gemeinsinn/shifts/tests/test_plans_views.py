"""The organiser's plan pages: who may open them, creating plans, series and shifts through the
forms (bad input keeps what was typed), the "only this / all following" choice, cancelling with
a reason, templates, requirements, and a fixed number of queries on the list pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import client_for, make_user
from gemeinsinn.accounts.models import Notification
from gemeinsinn.actors import services as actor_services
from gemeinsinn.shifts.models import (
    Requirement,
    RequirementRecord,
    Shift,
    ShiftPlan,
    ShiftSeries,
    ShiftTemplate,
    Signup,
)
from gemeinsinn.shifts.services import plans as plan_services
from gemeinsinn.shifts.services import templates as template_services
from gemeinsinn.shifts.services.plans import SeriesSpec, ShiftFields
from gemeinsinn.shifts.services.signups import shifts_sign_up
from gemeinsinn.shifts.services.templates import TemplateItemSpec
from gemeinsinn.shifts.tests.conftest import berlin

BASE = "/musterstadt/engagement/schichten"
EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _new_year_2027() -> Iterator[None]:
    with time_machine.travel(berlin(2027, 1, 1, 10), tick=False):
        yield


def org_url(organisation: Any, suffix: str = "") -> str:
    return f"{BASE}/organisation/{organisation.slug}/{suffix}"


def plan_url(plan: ShiftPlan, suffix: str = "") -> str:
    return f"{BASE}/organisieren/plan/{plan.public_id}/{suffix}"


def shift_url(shift: Shift, suffix: str) -> str:
    return f"{BASE}/organisieren/schicht/{shift.public_id}/{suffix}"


def series_url(series: ShiftSeries, suffix: str = "") -> str:
    return f"{BASE}/organisieren/serie/{series.public_id}/{suffix}"


def make_series(actor: Any, plan: ShiftPlan, **extra: Any) -> ShiftSeries:
    outcome = plan_services.series_create(
        actor=actor,
        plan=plan,
        starts_on=extra.pop("starts_on", date(2027, 1, 4)),
        spec=SeriesSpec(
            shift=ShiftFields(task=extra.pop("task", "Ausgabe"), capacity=3, place="Theke"),
            start_time=time(9),
            duration_minutes=180,
            weekdays=extra.pop("weekdays", 0b101),  # Monday and Wednesday
            until=extra.pop("until", date(2027, 1, 31)),
        ),
    )
    assert outcome.series is not None
    return outcome.series


@pytest.fixture
def series(org_admin: Any, shift_plan: ShiftPlan) -> ShiftSeries:
    return make_series(org_admin, shift_plan)


@pytest.fixture
def template(org_admin: Any, organisation: Any) -> ShiftTemplate:
    return template_services.template_create(
        actor=org_admin,
        organisation=organisation,
        name="Normale Woche",
        items=[
            TemplateItemSpec(
                weekday=0, start_time=time(9), duration_minutes=180, task="Ausgabe", capacity=3
            )
        ],
    )


@pytest.fixture
def requirement(organisation: Any) -> Requirement:
    return Requirement.objects.create(organisation=organisation, name="Hygienebelehrung")


@pytest.fixture
def neighbour(municipality: Any) -> Any:
    """An admin of another organisation of the same town."""
    other = actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Sportverein Musterstadt",
        type="club",
        sector="civil_society",
        published=True,
    )
    user = make_user("sven.sport@example.org")
    actor_services.membership_add(actor=None, organisation=other, user=user, role="admin")
    return user


def _status(response: Any) -> int | str:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return int(response.status_code)


# --- who may open the pages -----------------------------------------------------------------


@pytest.fixture
def pages(
    organisation: Any,
    shift_plan: ShiftPlan,
    series: ShiftSeries,
    template: ShiftTemplate,
    requirement: Requirement,
) -> list[str]:
    shift = Shift.objects.filter(series=series).first()
    assert shift is not None
    return [
        org_url(organisation),
        org_url(organisation, "neu/"),
        org_url(organisation, "vorlagen/"),
        org_url(organisation, "vorlagen/neu/"),
        org_url(organisation, "voraussetzungen/"),
        plan_url(shift_plan),
        plan_url(shift_plan, "archivieren/"),
        plan_url(shift_plan, "serie/neu/"),
        plan_url(shift_plan, "schicht/neu/"),
        series_url(series),
        series_url(series, "beenden/"),
        shift_url(shift, "bearbeiten/"),
        shift_url(shift, "bearbeiten/?nur=1"),
        shift_url(shift, "absagen/"),
        f"{BASE}/organisieren/vorlage/{template.pk}/",
        f"{BASE}/organisieren/vorlage/{template.pk}/anwenden/",
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("volunteer", 404),
        ("neighbour", 404),
        ("other_coordinator", 404),
        ("org_member", 200),
        ("org_admin", 200),
        ("coordinator", 200),
    ],
)
def test_the_organising_pages_open_for_members_and_the_office_only(
    request: pytest.FixtureRequest, pages: list[str], role: str, expected: int | str
) -> None:
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_for(user)
    for url in pages:
        assert _status(client.get(url)) == expected, url


@pytest.mark.parametrize(
    ("role", "expected"),
    [("org_admin", 200), ("org_member", 200), ("coordinator", 403), ("neighbour", 404)],
)
def test_who_met_a_requirement_is_for_the_organisations_members_only(
    request: pytest.FixtureRequest, requirement: Requirement, role: str, expected: int
) -> None:
    response = client_for(request.getfixturevalue(role)).get(
        f"{BASE}/organisieren/voraussetzung/{requirement.pk}/"
    )
    assert response.status_code == expected


def test_outsiders_posts_change_nothing(
    shift_plan: ShiftPlan, series: ShiftSeries, neighbour: Any, other_coordinator: Any
) -> None:
    shift = Shift.objects.filter(series=series).first()
    assert shift is not None
    for person in (neighbour, other_coordinator):
        client = client_for(person)
        assert client.post(shift_url(shift, "absagen/"), {"reason": "x"}).status_code == 404
        assert client.post(plan_url(shift_plan, "archivieren/"), {}).status_code == 404
        assert (
            client.post(
                series_url(series, "beenden/"), {"after_date": "2027-01-10", "confirmed": "on"}
            ).status_code
            == 404
        )
    shift.refresh_from_db()
    assert shift.status == Shift.Status.SCHEDULED
    shift_plan.refresh_from_db()
    assert not shift_plan.is_archived
    assert Shift.objects.filter(series=series).count() == 7


def test_another_towns_coordinator_finds_nothing_through_their_own_town(
    shift_plan: ShiftPlan, other_coordinator: Any, other_municipality: Any
) -> None:
    url = (
        f"/{other_municipality.slug}/engagement/schichten/organisieren/plan/{shift_plan.public_id}/"
    )
    assert client_for(other_coordinator).get(url).status_code == 404


# --- plans ----------------------------------------------------------------------------------


def test_the_organisers_home_lists_plans_with_their_next_shifts_and_links(
    organisation: Any, org_admin: Any, shift_plan: ShiftPlan, series: ShiftSeries
) -> None:
    html = client_for(org_admin).get(org_url(organisation), headers=EN).content.decode()
    assert "Lebensmittelausgabe" in html
    assert "7 upcoming shifts" in html
    assert "Mon 04.01., 09:00" in html
    assert html.count("0 of 3 places taken") == 3  # the next three
    assert f'href="{org_url(organisation, "neu/")}"' in html
    assert f'href="{org_url(organisation, "wochenplan/")}"' in html
    assert f'href="{org_url(organisation, "vorlagen/")}"' in html


def test_an_organisation_without_plans_says_what_to_do(organisation: Any, org_admin: Any) -> None:
    html = client_for(org_admin).get(org_url(organisation), headers=EN).content.decode()
    assert "There are no shift plans yet" in html


def test_creating_a_plan_leads_to_its_page(organisation: Any, org_admin: Any) -> None:
    client = client_for(org_admin)
    response = client.post(
        org_url(organisation, "neu/"), {"title": "Sommerfest", "place": "Marktplatz"}
    )
    plan = ShiftPlan.objects.get(title="Sommerfest")
    assert response.status_code == 302
    assert response["Location"] == plan_url(plan)
    assert plan.organisation == organisation
    bad = client.post(org_url(organisation, "neu/"), {"title": "", "place": "Marktplatz"})
    assert bad.status_code == 400
    assert 'value="Marktplatz"' in bad.content.decode()


def test_the_plan_page_shows_series_and_next_shifts_with_fill_level_and_links(
    org_admin: Any, shift_plan: ShiftPlan, series: ShiftSeries, volunteer: Any
) -> None:
    first = Shift.objects.filter(series=series).order_by("starts_at").first()
    assert first is not None
    shifts_sign_up(volunteer=volunteer, shifts=[first])
    html = client_for(org_admin).get(plan_url(shift_plan), headers=EN).content.decode()
    assert "Monday, Wednesday, 09:00–12:00" in html
    assert "1 of 3 places taken" in html
    assert '<meter min="0" max="3" value="1"' in html
    assert f'href="{BASE}/organisieren/schicht/{first.public_id}/"' in html  # helpers (D)
    assert f'href="{shift_url(first, "bearbeiten/")}"' in html
    assert f'href="{shift_url(first, "absagen/")}"' in html
    assert f'href="{series_url(series)}"' in html


def test_the_office_organises_but_gets_no_link_to_who_signed_up(
    coordinator: Any, shift_plan: ShiftPlan, series: ShiftSeries
) -> None:
    html = client_for(coordinator).get(plan_url(shift_plan), headers=EN).content.decode()
    assert "0 of 3 places taken" in html
    assert ">Helpers<" not in html
    assert "bearbeiten/" in html


def test_archiving_asks_first_and_says_how_many_people_are_told(
    org_admin: Any, shift_plan: ShiftPlan, series: ShiftSeries, volunteer: Any
) -> None:
    first = Shift.objects.filter(series=series).order_by("starts_at").first()
    assert first is not None
    shifts_sign_up(volunteer=volunteer, shifts=[first])
    client = client_for(org_admin)
    html = client.get(plan_url(shift_plan, "archivieren/"), headers=EN).content.decode()
    assert "7 upcoming shifts will be cancelled" in html
    assert "1 person signed up will be told" in html
    shift_plan.refresh_from_db()
    assert not shift_plan.is_archived
    client.post(plan_url(shift_plan, "archivieren/"), {"reason": "Umzug"})
    shift_plan.refresh_from_db()
    assert shift_plan.is_archived


# --- series ---------------------------------------------------------------------------------


def series_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "task": "Ausgabe",
        "place": "Theke",
        "capacity": "3",
        "visibility": "public",
        "start_time": "09:00",
        "end_time": "12:00",
        "weekdays": ["0", "2"],
        "interval_weeks": "1",
        "starts_on": "2027-01-04",
        "until": "2027-01-31",
        "skip_holidays": "on",
        "exceptions": "",
    }
    data.update(overrides)
    return data


def test_creating_recurring_shifts_through_the_form(org_admin: Any, shift_plan: ShiftPlan) -> None:
    client = client_for(org_admin)
    page = client.get(plan_url(shift_plan, "serie/neu/"), headers=EN).content.decode()
    assert 'type="checkbox" name="weekdays" value="0"' in page
    assert "Monday</label>" in page
    assert 'type="date" name="until"' in page
    response = client.post(
        plan_url(shift_plan, "serie/neu/"),
        series_form(exceptions="13.01.2027\n2027-01-25"),
        headers=EN,
    )
    assert response.status_code == 302
    series = ShiftSeries.objects.get()
    assert sorted(series.exceptions) == ["2027-01-13", "2027-01-25"]
    days = list(
        Shift.objects.filter(series=series)
        .order_by("occurrence_date")
        .values_list("occurrence_date", flat=True)
    )
    assert days == [
        date(2027, 1, 4),
        date(2027, 1, 11),
        date(2027, 1, 18),
        date(2027, 1, 20),
        date(2027, 1, 27),
    ]
    html = client.get(response["Location"], headers=EN).content.decode()
    assert "5 shifts created." in html
    assert "06.01.2027 (" in html  # Epiphany, named as left out


def test_bad_dates_in_the_list_get_a_message_per_line_and_nothing_is_lost(
    org_admin: Any, shift_plan: ShiftPlan
) -> None:
    response = client_for(org_admin).post(
        plan_url(shift_plan, "serie/neu/"),
        series_form(task="Spätdienst", exceptions="13.01.2027\n31.02.2027\nmorgen"),
        headers=EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 2: “31.02.2027” is not a date" in html
    assert "Line 3: “morgen” is not a date" in html
    assert 'value="Spätdienst"' in html
    assert "morgen" in html  # the textarea keeps what was typed
    assert not ShiftSeries.objects.exists()


def test_recurring_shifts_without_weekdays_or_beyond_two_years_are_refused(
    org_admin: Any, shift_plan: ShiftPlan
) -> None:
    client = client_for(org_admin)
    response = client.post(plan_url(shift_plan, "serie/neu/"), series_form(weekdays=[]), headers=EN)
    assert response.status_code == 400
    assert "Choose at least one weekday." in response.content.decode()
    response = client.post(
        plan_url(shift_plan, "serie/neu/"), series_form(until="2030-01-01"), headers=EN
    )
    assert response.status_code == 400
    assert "two years at most" in response.content.decode()
    assert not Shift.objects.exists()


def test_editing_a_shift_of_a_series_asks_only_this_or_all_following(
    org_admin: Any, series: ShiftSeries
) -> None:
    shift = Shift.objects.get(series=series, occurrence_date=date(2027, 1, 18))
    html = client_for(org_admin).get(shift_url(shift, "bearbeiten/"), headers=EN).content.decode()
    assert f'href="{shift_url(shift, "bearbeiten/")}?nur=1"' in html
    assert f'href="{series_url(series)}?ab=2027-01-18"' in html


def test_this_and_following_through_the_form_tells_helpers(
    org_admin: Any, series: ShiftSeries, volunteer: Any
) -> None:
    later = Shift.objects.get(series=series, occurrence_date=date(2027, 1, 18))
    earlier = Shift.objects.get(series=series, occurrence_date=date(2027, 1, 11))
    shifts_sign_up(volunteer=volunteer, shifts=[later])
    client = client_for(org_admin)
    page = client.get(series_url(series) + "?ab=2027-01-18", headers=EN).content.decode()
    assert 'value="2027-01-18"' in page
    data = series_form(start_time="10:00", end_time="13:00", from_date="2027-01-18")
    del data["starts_on"]
    data["exceptions"] = ""
    response = client.post(series_url(series), data, headers=EN)
    assert response.status_code == 302
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert later.starts_at == berlin(2027, 1, 18, 10)
    assert earlier.starts_at == berlin(2027, 1, 11, 9)
    assert Notification.objects.filter(user=volunteer, topic="shifts_changed").count() == 1


def test_ending_a_series_shows_the_impact_before_it_changes_anything(
    org_admin: Any, series: ShiftSeries, volunteer: Any
) -> None:
    busy = Shift.objects.get(series=series, occurrence_date=date(2027, 1, 25))
    shifts_sign_up(volunteer=volunteer, shifts=[busy])
    client = client_for(org_admin)
    html = client.post(
        series_url(series, "beenden/"), {"after_date": "2027-01-19"}, headers=EN
    ).content.decode()
    assert "3 shifts are removed" in html
    assert "1 person signed up will be told" in html
    assert Shift.objects.filter(series=series).count() == 7
    response = client.post(
        series_url(series, "beenden/"), {"after_date": "2027-01-19", "confirmed": "on"}
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.until == date(2027, 1, 19)
    busy.refresh_from_db()
    assert busy.status == Shift.Status.CANCELLED


# --- one shift ------------------------------------------------------------------------------


def shift_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "day": "2027-02-01",
        "start_time": "22:00",
        "end_time": "06:00",
        "task": "Nachtwache",
        "place": "",
        "capacity": "2",
        "description": "",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_a_single_shift_through_the_form_including_a_night_shift(
    org_admin: Any, shift_plan: ShiftPlan
) -> None:
    response = client_for(org_admin).post(plan_url(shift_plan, "schicht/neu/"), shift_form())
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert (shift.starts_at, shift.ends_at) == (berlin(2027, 2, 1, 22), berlin(2027, 2, 2, 6))


def test_a_single_shift_with_the_same_start_and_end_is_refused(
    org_admin: Any, shift_plan: ShiftPlan
) -> None:
    response = client_for(org_admin).post(
        plan_url(shift_plan, "schicht/neu/"), shift_form(end_time="22:00"), headers=EN
    )
    assert response.status_code == 400
    assert "The end is the same as the start." in response.content.decode()
    assert not Shift.objects.exists()


def test_fewer_places_than_held_is_refused_on_the_form_naming_the_people(
    org_admin: Any, series: ShiftSeries, volunteer: Any, second_volunteer: Any
) -> None:
    shift = Shift.objects.get(series=series, occurrence_date=date(2027, 1, 18))
    shifts_sign_up(volunteer=volunteer, shifts=[shift])
    shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
    response = client_for(org_admin).post(
        shift_url(shift, "bearbeiten/?nur=1"),
        shift_form(
            day="2027-01-18", start_time="09:00", end_time="12:00", task="Ausgabe", capacity="1"
        ),
        headers=EN,
    )
    assert response.status_code == 400
    assert "2 people hold 2 places on this shift" in response.content.decode()
    shift.refresh_from_db()
    assert (shift.capacity, shift.detached) == (3, False)


def test_cancelling_asks_for_a_reason_when_people_signed_up_and_says_how_many(
    org_admin: Any, series: ShiftSeries, volunteer: Any
) -> None:
    shift = Shift.objects.get(series=series, occurrence_date=date(2027, 1, 18))
    shifts_sign_up(volunteer=volunteer, shifts=[shift])
    client = client_for(org_admin)
    page = client.get(shift_url(shift, "absagen/"), headers=EN).content.decode()
    assert "1 person signed up or waiting will be told at once." in page
    refused = client.post(shift_url(shift, "absagen/"), {"reason": ""}, headers=EN)
    assert refused.status_code == 400
    shift.refresh_from_db()
    assert shift.status == Shift.Status.SCHEDULED
    done = client.post(shift_url(shift, "absagen/"), {"reason": "Wasserschaden"}, headers=EN)
    assert done.status_code == 302
    shift.refresh_from_db()
    assert shift.status == Shift.Status.CANCELLED
    assert Signup.objects.get().status == Signup.Status.CANCELLED


# --- templates ------------------------------------------------------------------------------


def template_form(rows: list[dict[str, str]], **extra: str) -> dict[str, str]:
    data = {
        "name": "Normale Woche",
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "100",
        **extra,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{i}-{key}"] = value
    return data


ROW = {
    "weekday": "0",
    "start_time": "09:00",
    "end_time": "12:00",
    "task": "Ausgabe",
    "capacity": "3",
    "place": "",
}
EMPTY = {"weekday": "", "start_time": "", "end_time": "", "task": "", "capacity": "", "place": ""}


def test_a_template_through_the_form_ignores_empty_rows(organisation: Any, org_admin: Any) -> None:
    response = client_for(org_admin).post(
        org_url(organisation, "vorlagen/neu/"), template_form([ROW, EMPTY])
    )
    assert response.status_code == 302
    template = ShiftTemplate.objects.get()
    assert [i.task for i in template.items.all()] == ["Ausgabe"]
    assert template.items.get().duration_minutes == 180


def test_more_rows_keeps_what_was_typed_and_saves_nothing(
    organisation: Any, org_admin: Any
) -> None:
    response = client_for(org_admin).post(
        org_url(organisation, "vorlagen/neu/"),
        template_form([{**ROW, "task": "Sortieren"}], more="1"),
        headers=EN,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Sortieren"' in html
    assert 'name="items-TOTAL_FORMS" value="6"' in html
    assert not ShiftTemplate.objects.exists()


def test_a_template_without_rows_is_refused(organisation: Any, org_admin: Any) -> None:
    response = client_for(org_admin).post(
        org_url(organisation, "vorlagen/neu/"), template_form([EMPTY]), headers=EN
    )
    assert response.status_code == 400
    assert "Add at least one shift to the template." in response.content.decode()


def test_editing_a_template_keeps_unchanged_rows(org_admin: Any, template: ShiftTemplate) -> None:
    data = template_form([ROW, {**ROW, "weekday": "2", "task": "Sortieren"}], name="Woche")
    data["items-INITIAL_FORMS"] = "1"
    response = client_for(org_admin).post(f"{BASE}/organisieren/vorlage/{template.pk}/", data)
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.name == "Woche"
    assert [i.task for i in template.items.all()] == ["Ausgabe", "Sortieren"]


def test_applying_a_template_twice_through_the_form_reports_the_skipped_shifts(
    org_admin: Any, template: ShiftTemplate, shift_plan: ShiftPlan
) -> None:
    client = client_for(org_admin)
    url = f"{BASE}/organisieren/vorlage/{template.pk}/anwenden/"
    data = {
        "plan": str(shift_plan.public_id),
        "first_day": "2027-01-04",
        "last_day": "2027-01-24",
        "skip_holidays": "on",
    }
    first = client.post(url, data, headers=EN)
    assert first.status_code == 302
    assert "3 shifts created." in client.get(first["Location"], headers=EN).content.decode()
    second = client.post(url, data, headers=EN)
    html = client.get(second["Location"], headers=EN).content.decode()
    assert "0 shifts created. 3 already existed and were skipped." in html
    assert Shift.objects.count() == 3


def test_a_template_cannot_be_applied_to_another_organisations_plan(
    org_admin: Any, template: ShiftTemplate, other_organisation: Any
) -> None:
    foreign = ShiftPlan.objects.create(
        municipality=other_organisation.municipality,
        organisation=other_organisation,
        title="Fremd",
    )
    response = client_for(org_admin).post(
        f"{BASE}/organisieren/vorlage/{template.pk}/anwenden/",
        {"plan": str(foreign.public_id), "first_day": "2027-01-04", "last_day": "2027-01-10"},
    )
    assert response.status_code == 400
    assert not Shift.objects.exists()


def test_a_range_over_366_days_is_refused_on_the_form(
    org_admin: Any, template: ShiftTemplate, shift_plan: ShiftPlan
) -> None:
    response = client_for(org_admin).post(
        f"{BASE}/organisieren/vorlage/{template.pk}/anwenden/",
        {"plan": str(shift_plan.public_id), "first_day": "2027-01-04", "last_day": "2028-02-01"},
        headers=EN,
    )
    assert response.status_code == 400
    assert "at most 366 days" in response.content.decode()


# --- requirements ---------------------------------------------------------------------------


def test_requirements_are_created_and_people_recorded_and_taken_back_after_confirming(
    organisation: Any, org_admin: Any, org_member: Any
) -> None:
    client = client_for(org_admin)
    response = client.post(org_url(organisation, "voraussetzungen/"), {"name": "Belehrung"})
    assert response.status_code == 302
    requirement = Requirement.objects.get(name="Belehrung")
    url = f"{BASE}/organisieren/voraussetzung/{requirement.pk}/"
    page = client.get(url, headers=EN).content.decode()
    assert f'value="{org_member.public_id}"' in page  # a member is a known person
    response = client.post(
        url,
        {
            "action": "record",
            "record-volunteer": str(org_member.public_id),
            "record-recorded_on": "2027-01-01",
        },
    )
    assert response.status_code == 302
    record = RequirementRecord.objects.get()
    confirm = client.post(url, {"action": "remove", "record": str(record.pk)}, headers=EN)
    assert "Take back the record?" in confirm.content.decode()
    assert RequirementRecord.objects.exists()
    client.post(url, {"action": "remove", "record": str(record.pk), "confirmed": "1"})
    assert not RequirementRecord.objects.exists()


def test_a_stranger_is_not_offered_for_recording_and_cannot_be_posted(
    org_admin: Any, requirement: Requirement
) -> None:
    stranger = make_user("fremd@example.org")
    client = client_for(org_admin)
    url = f"{BASE}/organisieren/voraussetzung/{requirement.pk}/"
    assert str(stranger.public_id) not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "action": "record",
            "record-volunteer": str(stranger.public_id),
            "record-recorded_on": "2027-01-01",
        },
    )
    assert response.status_code == 400
    assert not RequirementRecord.objects.exists()


# --- queries --------------------------------------------------------------------------------


def _warm(client: Client, url: str) -> None:
    assert client.get(url).status_code == 200


def test_the_organisers_home_costs_the_same_queries_for_two_or_eight_plans(
    organisation: Any, org_admin: Any, django_assert_num_queries: Any
) -> None:
    for n in range(2):
        plan = plan_services.plan_create(
            actor=org_admin, organisation=organisation, title=f"Plan {n}"
        )
        make_series(org_admin, plan)
    client = client_for(org_admin)
    url = org_url(organisation)
    _warm(client, url)
    with django_assert_num_queries(9) as few:
        client.get(url)
    for n in range(6):
        plan = plan_services.plan_create(
            actor=org_admin, organisation=organisation, title=f"Mehr {n}"
        )
        make_series(org_admin, plan, weekdays=0b1111111)
    plan_services.plan_archive(actor=org_admin, plan=plan)
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_the_plan_page_costs_the_same_queries_for_a_few_or_many_shifts_and_series(
    org_admin: Any, shift_plan: ShiftPlan, requirement: Requirement, django_assert_num_queries: Any
) -> None:
    make_series(org_admin, shift_plan, until=date(2027, 1, 6))
    client = client_for(org_admin)
    url = plan_url(shift_plan)
    _warm(client, url)
    with django_assert_num_queries(11) as few:
        client.get(url)
    for n in range(4):
        make_series(
            org_admin, shift_plan, task=f"Aufgabe {n}", weekdays=0b1111111, until=date(2027, 3, 31)
        )
    assert Shift.objects.filter(plan=shift_plan).count() > 60
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_dates_outside_the_planning_years_are_refused_with_a_message() -> None:
    from gemeinsinn.shifts.forms_plans import PlanDateField

    field = PlanDateField()
    assert str(field.clean("2030-05-04")) == "2030-05-04"
    for far in ("9999-12-31", "1900-01-01"):
        with pytest.raises(ValidationError):
            field.clean(far)
