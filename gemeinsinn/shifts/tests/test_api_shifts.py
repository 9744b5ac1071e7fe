"""/api/v1 shifts: the public list with its filters and range, signing up, cancelling,
confirming an offered place and the person's own shifts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation

from conftest import client_for, make_user
from gemeinsinn.opportunities.tests.test_applications_support import make_opportunity
from gemeinsinn.shifts.models import Requirement, Shift, ShiftPlan, Signup, Visibility
from gemeinsinn.shifts.services import signups as services
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin

API = "/api/v1"
Status = Signup.Status


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _post(client: Any, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(API + path, json.dumps(data or {}), content_type="application/json")


def _days(n: float, hour: int = 9) -> Any:
    return (timezone.localtime() + timedelta(days=n)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- the public list ------------------------------------------------------------------------


def test_the_list_shows_the_public_shifts_of_the_next_four_weeks(
    municipality: Any, make_shift: MakeShift, shift_plan: ShiftPlan
) -> None:
    soon = make_shift(starts_at=_days(3), capacity=4)
    later = make_shift(starts_at=_days(27))
    make_shift(starts_at=_days(30))
    make_shift(starts_at=_days(-1))
    make_shift(starts_at=_days(4), visibility=Visibility.MEMBERS)
    briefing = Requirement.objects.create(organisation=shift_plan.organisation, name="Hygiene")
    soon.requirements.add(briefing)
    Shift.objects.filter(pk=soon.pk).update(taken=1)

    response = client_for(None).get(f"{API}/shifts?municipality=musterstadt")

    assert _ids(response) == [str(soon.public_id), str(later.public_id)]
    first = response.json()["results"][0]
    assert first["task"] == "Ausgabe"
    assert first["plan"] == {"id": str(shift_plan.public_id), "title": "Lebensmittelausgabe"}
    assert first["organisation"]["slug"] == shift_plan.organisation.slug
    assert first["opportunity"] is None
    assert first["capacity"] == 4
    assert first["free"] == 3
    assert first["place"] == "Theke"
    assert first["visibility"] == "public"
    assert first["status"] == "scheduled"
    assert first["requirements"] == ["Hygiene"]
    assert first["url"].endswith(f"/musterstadt/engagement/schichten/plan/{shift_plan.public_id}/")
    assert response.json()["count"] == 2


def test_the_list_filters_by_organisation_opportunity_plan_and_days(
    organisation: Any, shift_plan: ShiftPlan, make_shift: MakeShift
) -> None:
    opportunity = make_opportunity(organisation)
    event_plan = ShiftPlan.objects.create(
        municipality=organisation.municipality,
        organisation=organisation,
        title="Sommerfest",
        opportunity=opportunity,
    )
    counter = make_shift(starts_at=_days(2))
    party = make_shift(starts_at=_days(40), plan=event_plan)
    base = f"{API}/shifts?municipality=musterstadt"
    client = client_for(None)
    day = _days(40).date().isoformat()
    assert _ids(client.get(f"{base}&plan={event_plan.public_id}&from={day}")) == [
        str(party.public_id)
    ]
    assert _ids(client.get(f"{base}&opportunity={opportunity.public_id}&from={day}&to={day}")) == [
        str(party.public_id)
    ]
    assert _ids(client.get(f"{base}&organisation={organisation.slug}")) == [str(counter.public_id)]
    assert _ids(client.get(f"{base}&organisation=somebody-else")) == []
    assert client.get(f"{base}&plan={event_plan.public_id}&from={day}").json()["results"][0][
        "opportunity"
    ] == str(opportunity.public_id)


def test_the_list_keeps_cancelled_shifts_with_their_status(make_shift: MakeShift) -> None:
    shift = make_shift()
    Shift.objects.filter(pk=shift.pk).update(status=Shift.Status.CANCELLED)
    response = client_for(None).get(f"{API}/shifts?municipality=musterstadt")
    assert response.json()["results"][0]["status"] == "cancelled"


def test_the_list_leaves_out_archived_plans_and_other_municipalities(
    organisation: Any, other_organisation: Any, make_shift: MakeShift
) -> None:
    archived = ShiftPlan.objects.create(
        municipality=organisation.municipality,
        organisation=organisation,
        title="Vorbei",
        is_archived=True,
    )
    make_shift(plan=archived)
    elsewhere = ShiftPlan.objects.create(
        municipality=other_organisation.municipality,
        organisation=other_organisation,
        title="Kleiderkammer",
    )
    foreign = make_shift(plan=elsewhere)
    client = client_for(None)
    assert _ids(client.get(f"{API}/shifts?municipality=musterstadt")) == []
    assert _ids(client.get(f"{API}/shifts?municipality=beispielhausen")) == [str(foreign.public_id)]


@pytest.mark.parametrize(
    ("query", "status", "reason"),
    [
        ("from=2030-03-10&to=2030-03-01", 400, "before the first"),
        ("from=2030-03-01&to=2030-06-02", 400, "at most 92 days"),
        ("from=2030-03-01&to=2030-06-01", 200, ""),
        ("from=2030-03-01", 200, ""),
        ("from=yesterday", 422, ""),
    ],
)
def test_a_bad_range_answers_with_the_reason(
    municipality: Any, query: str, status: int, reason: str
) -> None:
    response = client_for(None).get(f"{API}/shifts?municipality=musterstadt&{query}")
    assert response.status_code == status
    assert reason in response.content.decode()


def test_the_list_needs_a_known_municipality_with_the_exchange(municipality: Any) -> None:
    client = client_for(None)
    assert client.get(f"{API}/shifts").status_code == 422
    assert client.get(f"{API}/shifts?municipality=nowhere").status_code == 404
    municipality.enabled_modules = ["actors"]
    municipality.save(update_fields=["enabled_modules"])
    assert client.get(f"{API}/shifts?municipality=musterstadt").status_code == 404


def test_the_range_is_read_on_the_berlin_wall_clock(
    municipality: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(berlin(2030, 3, 1, 12), tick=False):
        late = make_shift(starts_at=berlin(2030, 3, 31, 23, 30), hours=1)
        early = make_shift(starts_at=berlin(2030, 4, 1, 0, 30), hours=1)
        client = client_for(None)
        base = f"{API}/shifts?municipality=musterstadt"
        assert _ids(client.get(f"{base}&from=2030-03-31&to=2030-03-31")) == [str(late.public_id)]
        assert _ids(client.get(f"{base}&from=2030-04-01&to=2030-04-01")) == [str(early.public_id)]


def test_the_list_pages_and_costs_the_same_queries_whatever_its_size(
    municipality: Any,
    shift_plan: ShiftPlan,
    make_shift: MakeShift,
    django_assert_num_queries: Any,
) -> None:
    briefing = Requirement.objects.create(organisation=shift_plan.organisation, name="Hygiene")
    for n in range(3):
        make_shift(starts_at=_days(2, hour=8 + n)).requirements.add(briefing)
    client = client_for(None)
    url = f"{API}/shifts?municipality=musterstadt"
    # The municipality, the count, the page, its requirements.
    with django_assert_num_queries(4):
        assert len(_ids(client.get(url))) == 3
    for n in range(60):
        make_shift(starts_at=_days(3 + n % 20, hour=8 + n % 10)).requirements.add(briefing)
    with django_assert_num_queries(4):
        first = client.get(url)
    assert len(_ids(first)) == 50
    assert first.json()["pages"] == 2
    assert len(_ids(client.get(url + "&page=2"))) == 13
    assert _ids(client.get(url + "&page=3")) == []


# --- signing up -----------------------------------------------------------------------------


def test_signing_up_for_several_shifts_in_one_step(volunteer: Any, make_shift: MakeShift) -> None:
    first = make_shift(starts_at=_days(2))
    full = make_shift(starts_at=_days(3), capacity=1)
    services.shifts_sign_up(volunteer=make_user("x@example.org"), shifts=[full])
    response = _post(
        client_for(volunteer),
        "/shifts/signups",
        {"shifts": [str(full.public_id), str(first.public_id)], "message": "Gern!"},
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert [s["shift"]["id"] for s in made] == [str(first.public_id), str(full.public_id)]
    assert [s["status"] for s in made] == ["confirmed", "waitlisted"]
    assert made[0]["message"] == "Gern!"
    assert Signup.objects.filter(volunteer=volunteer).count() == 2


def test_a_refused_sign_up_answers_400_with_the_reason_and_takes_nothing(
    volunteer: Any, make_shift: MakeShift
) -> None:
    free = make_shift(starts_at=_days(2))
    full = make_shift(starts_at=_days(3), capacity=1)
    services.shifts_sign_up(volunteer=make_user("x@example.org"), shifts=[full])
    client = client_for(volunteer)
    body = {"shifts": [str(free.public_id), str(full.public_id)], "waitlist": False}
    response = _post(client, "/shifts/signups", body)
    assert response.status_code == 400
    assert "is full. Join the waitlist" in response.json()["detail"]
    assert not Signup.objects.filter(volunteer=volunteer).exists()
    too_many = _post(client, "/shifts/signups", {"shifts": [str(free.public_id)], "party_size": 11})
    assert too_many.status_code == 400
    assert too_many.json()["detail"] == "You can bring up to 9 companions."
    unknown = _post(client, "/shifts/signups", {"shifts": [str(Shift().public_id)]})
    assert unknown.status_code == 400
    assert "no such shift" in unknown.json()["detail"]
    assert _post(client, "/shifts/signups", {"shifts": []}).status_code == 400


def test_a_members_only_shift_makes_a_request(volunteer: Any, make_shift: MakeShift) -> None:
    shift = make_shift(visibility=Visibility.MEMBERS)
    response = _post(client_for(volunteer), "/shifts/signups", {"shifts": [str(shift.public_id)]})
    assert response.status_code == 201
    assert response.json()[0]["status"] == "requested"


def test_signing_up_needs_a_session(shift: Shift) -> None:
    response = _post(client_for(None), "/shifts/signups", {"shifts": [str(shift.public_id)]})
    assert response.status_code == 401
    assert not Signup.objects.exists()


def test_signing_up_checks_the_csrf_token_like_the_applications_api(
    volunteer: Any, shift: Shift
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)
    response = _post(client, "/shifts/signups", {"shifts": [str(shift.public_id)]})
    assert response.status_code == 403
    assert not Signup.objects.exists()


def test_shifts_of_archived_plans_cannot_be_taken(
    volunteer: Any, organisation: Any, make_shift: MakeShift
) -> None:
    archived = ShiftPlan.objects.create(
        municipality=organisation.municipality,
        organisation=organisation,
        title="Vorbei",
        is_archived=True,
    )
    shift = make_shift(plan=archived)
    response = _post(client_for(volunteer), "/shifts/signups", {"shifts": [str(shift.public_id)]})
    assert response.status_code == 400
    assert not Signup.objects.exists()


# --- the person's own sign-ups --------------------------------------------------------------


def test_cancelling_ones_own_sign_up(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(starts_at=_days(5))
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    path = f"/me/shifts/{signup.public_id}/cancel"
    assert _post(client_for(second_volunteer), path).status_code == 404
    assert _post(client_for(None), path).status_code == 401
    done = _post(client_for(volunteer), path, {"message": "Krank"})
    assert done.status_code == 200
    assert done.json()["status"] == "cancelled"
    assert done.json()["reason"] == "Krank"
    shift.refresh_from_db()
    assert shift.taken == 0
    again = _post(client_for(volunteer), path)
    assert again.status_code == 400
    assert again.json()["detail"] == "This sign-up is not active any more."


def test_cancelling_late_needs_a_message(volunteer: Any, make_shift: MakeShift) -> None:
    shift = make_shift(starts_at=timezone.now() + timedelta(hours=3))
    [signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    path = f"/me/shifts/{signup.public_id}/cancel"
    refused = _post(client_for(volunteer), path)
    assert refused.status_code == 400
    assert "needs a short message from you" in refused.json()["detail"]
    assert _post(client_for(volunteer), path, {"message": "Zug fällt aus"}).status_code == 200


def test_confirming_a_place_offered_from_the_waitlist(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    shift = make_shift(starts_at=_days(5), capacity=1)
    [holder] = services.shifts_sign_up(volunteer=second_volunteer, shifts=[shift])
    [waiting] = services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    path = f"/me/shifts/{waiting.public_id}/confirm"
    too_early = _post(client_for(volunteer), path)
    assert too_early.status_code == 400
    services.signup_cancel(actor=second_volunteer, signup=holder)
    assert _post(client_for(second_volunteer), path).status_code == 404
    done = _post(client_for(volunteer), path)
    assert done.status_code == 200
    assert done.json()["status"] == "confirmed"
    assert done.json()["offer_expires_at"] is None


def test_my_shifts_lists_the_coming_ones_or_the_past_ones(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    with time_machine.travel(berlin(2030, 3, 1, 12), tick=False):
        done = make_shift(starts_at=berlin(2030, 3, 2, 9))
        coming = make_shift(starts_at=berlin(2030, 3, 20, 9))
        given_up = make_shift(starts_at=berlin(2030, 3, 21, 9))
        [done_signup] = services.shifts_sign_up(volunteer=volunteer, shifts=[done])
        services.shifts_sign_up(volunteer=volunteer, shifts=[coming, given_up])
        services.signup_cancel(
            actor=volunteer, signup=Signup.objects.get(volunteer=volunteer, shift=given_up)
        )
        services.shifts_sign_up(volunteer=second_volunteer, shifts=[coming])
    with time_machine.travel(berlin(2030, 3, 10, 12), tick=False):
        client = client_for(volunteer)
        upcoming = client.get(f"{API}/me/shifts?municipality=musterstadt")
        past = client.get(f"{API}/me/shifts?municipality=musterstadt&past=true")
    assert [s["shift"]["id"] for s in upcoming.json()["results"]] == [str(coming.public_id)]
    assert [s["id"] for s in past.json()["results"]] == [str(done_signup.public_id)]
    assert client_for(None).get(f"{API}/me/shifts?municipality=musterstadt").status_code == 401


def test_my_shifts_costs_the_same_queries_whatever_their_number(
    volunteer: Any, make_shift: MakeShift, django_assert_num_queries: Any
) -> None:
    def add(n: int, offset: int) -> None:
        for i in range(n):
            shift = make_shift(starts_at=_days(2 + offset + i))
            Signup.objects.create(shift=shift, volunteer=volunteer, status=Status.CONFIRMED)

    add(2, 0)
    client = client_for(volunteer)
    url = f"{API}/me/shifts?municipality=musterstadt"
    client.get(url)
    # Session and person, the municipality, the sign-ups, then the town, the opportunity and
    # the requirements of their shifts.
    with django_assert_num_queries(7):
        assert client.get(url).json()["count"] == 2
    add(12, 10)
    with django_assert_num_queries(7):
        assert client.get(url).json()["count"] == 14


# --- the document ---------------------------------------------------------------------------


def test_the_openapi_document_still_builds_and_lists_the_shift_endpoints(db: None) -> None:
    response = client_for(None).get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/shifts",
        "/api/v1/shifts/signups",
        "/api/v1/me/shifts",
        "/api/v1/me/shifts/{signup_id}/cancel",
        "/api/v1/me/shifts/{signup_id}/confirm",
    ):
        assert path in paths
    parameters = {p["name"] for p in paths["/api/v1/shifts"]["get"]["parameters"]}
    assert {"municipality", "organisation", "opportunity", "plan", "from", "to"} <= parameters
