"""Check-in by QR code: the window, the tap, walk-ins, and the printable code itself."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import segno
import time_machine
import zxingcpp
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image, ImageDraw

from conftest import client_for, make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.models import (
    AttendanceEvent,
    Requirement,
    Shift,
    ShiftSettings,
    Signup,
    Visibility,
)
from gemeinsinn.shifts.services import attendance as services
from gemeinsinn.shifts.services import signups as signup_services
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin
from gemeinsinn.shifts.views.checkin import checkin_url

START = berlin(2030, 3, 12, 9)  # 09:00–12:00, check-in from 08:00


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def checkin_shift(make_shift: MakeShift) -> Shift:
    return make_shift(starts_at=START, capacity=3)


@pytest.fixture
def signup(volunteer: Any, checkin_shift: Shift) -> Signup:
    with time_machine.travel(berlin(2030, 3, 1), tick=False):
        [made] = signup_services.shifts_sign_up(volunteer=volunteer, shifts=[checkin_shift])
    return made


def at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def path_of(shift: Shift, municipality: Any = None) -> str:
    return mreverse("shifts:checkin", municipality or shift.municipality, token=shift.checkin_token)


def _fresh(signup: Signup) -> Signup:
    return Signup.objects.get(pk=signup.pk)


# --- the window -----------------------------------------------------------------------------


def test_check_in_is_not_open_an_hour_and_a_minute_before(
    signup: Signup, volunteer: Any, checkin_shift: Shift
) -> None:
    with at(START - timedelta(minutes=61)):
        client = client_for(volunteer)
        page = client.get(path_of(checkin_shift)).content.decode()
        response = client.post(path_of(checkin_shift), {"action": "check_in"}, follow=True)
    assert "Check-in opens at 12 March 2030, 08:00." in page
    assert "Check in now" not in page
    assert "Check-in opens at" in response.content.decode()
    assert _fresh(signup).attendance == Signup.Attendance.UNKNOWN
    assert not AttendanceEvent.objects.exists()


def test_checking_in_an_hour_before_records_attendance_and_the_hours_hand_over(
    signup: Signup, volunteer: Any, checkin_shift: Shift
) -> None:
    moment = START - timedelta(minutes=60)
    with at(moment):
        client = client_for(volunteer)
        page = client.get(path_of(checkin_shift)).content.decode()
        response = client.post(path_of(checkin_shift), {"action": "check_in"})
    assert "Check in now" in page
    assert response.status_code == 302
    fresh = _fresh(signup)
    assert fresh.attendance == Signup.Attendance.ATTENDED
    assert fresh.checked_in_at == moment
    [event] = AttendanceEvent.objects.all()
    assert (event.signup, event.volunteer, event.shift) == (fresh, volunteer, checkin_shift)
    assert event.organisation == checkin_shift.organisation
    assert event.started_at == START
    assert event.duration_minutes == 180
    assert event.recorded_at == moment
    assert event.revoked_at is None
    assert AuditEvent.objects.filter(action="signup.checked_in").count() == 1


def test_the_town_decides_when_check_in_opens(
    signup: Signup, volunteer: Any, checkin_shift: Shift, municipality: Any
) -> None:
    ShiftSettings.objects.create(municipality=municipality, checkin_opens_minutes=15)
    with at(START - timedelta(minutes=20)), pytest.raises(ValidationError, match="08:45"):
        services.signup_check_in(actor=volunteer, shift=checkin_shift)
    with at(START - timedelta(minutes=15)):
        services.signup_check_in(actor=volunteer, shift=checkin_shift)
    assert _fresh(signup).attendance == Signup.Attendance.ATTENDED


def test_check_in_stays_open_until_the_end(
    signup: Signup, volunteer: Any, checkin_shift: Shift
) -> None:
    with at(START + timedelta(hours=2, minutes=59)):
        services.signup_check_in(actor=volunteer, shift=checkin_shift)
    assert _fresh(signup).attendance == Signup.Attendance.ATTENDED


def test_check_in_closes_at_the_end(signup: Signup, volunteer: Any, checkin_shift: Shift) -> None:
    with at(START + timedelta(hours=3)):
        page = client_for(volunteer).get(path_of(checkin_shift)).content.decode()
        with pytest.raises(ValidationError, match="over"):
            services.signup_check_in(actor=volunteer, shift=checkin_shift)
    assert "check-in has closed" in page
    assert _fresh(signup).attendance == Signup.Attendance.UNKNOWN


def test_checking_in_twice_keeps_one_event_and_the_first_time(
    signup: Signup, volunteer: Any, checkin_shift: Shift
) -> None:
    with at(START - timedelta(minutes=5)):
        client = client_for(volunteer)
        client.post(path_of(checkin_shift), {"action": "check_in"})
    with at(START + timedelta(minutes=5)):
        client = client_for(volunteer)
        client.post(path_of(checkin_shift), {"action": "check_in"})
        page = client.get(path_of(checkin_shift)).content.decode()
    assert AttendanceEvent.objects.count() == 1
    assert _fresh(signup).checked_in_at == START - timedelta(minutes=5)
    assert AuditEvent.objects.filter(action="signup.checked_in").count() == 1
    assert "You are checked in (since 08:55)." in page


def test_opening_the_code_never_checks_in(
    signup: Signup, volunteer: Any, checkin_shift: Shift
) -> None:
    with at(START):
        assert client_for(volunteer).get(path_of(checkin_shift)).status_code == 200
    assert _fresh(signup).attendance == Signup.Attendance.UNKNOWN
    assert not AttendanceEvent.objects.exists()


def test_a_cancelled_shift_takes_no_check_in(
    signup: Signup, volunteer: Any, checkin_shift: Shift
) -> None:
    Shift.objects.filter(pk=checkin_shift.pk).update(status=Shift.Status.CANCELLED)
    with at(START):
        page = client_for(volunteer).get(path_of(checkin_shift)).content.decode()
        with pytest.raises(ValidationError):
            services.signup_check_in(actor=volunteer, shift=Shift.objects.get(pk=checkin_shift.pk))
    assert "This shift was cancelled." in page


# --- who may open the code ------------------------------------------------------------------


def test_the_code_needs_a_login_and_comes_back_after_it(checkin_shift: Shift) -> None:
    response = client_for(None).get(path_of(checkin_shift))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert "einchecken" in response["Location"]


def test_an_unknown_code_is_not_found(volunteer: Any, checkin_shift: Shift) -> None:
    path = mreverse("shifts:checkin", checkin_shift.municipality, token="x" * 32)
    assert client_for(volunteer).get(path).status_code == 404


def test_a_code_under_another_town_is_not_found(
    volunteer: Any, checkin_shift: Shift, other_municipality: Any
) -> None:
    response = client_for(volunteer).get(path_of(checkin_shift, other_municipality))
    assert response.status_code == 404


def test_a_waitlisted_person_cannot_check_in(
    volunteer: Any, second_volunteer: Any, make_shift: MakeShift
) -> None:
    full = make_shift(starts_at=START, capacity=1)
    with time_machine.travel(berlin(2030, 3, 1), tick=False):
        signup_services.shifts_sign_up(volunteer=volunteer, shifts=[full])
        [waiting] = signup_services.shifts_sign_up(volunteer=second_volunteer, shifts=[full])
    with at(START):
        client = client_for(second_volunteer)
        page = client.get(path_of(full)).content.decode()
        client.post(path_of(full), {"action": "check_in"})
    assert "You are on the waitlist" in page
    assert _fresh(waiting).attendance == Signup.Attendance.UNKNOWN


# --- walk-ins -------------------------------------------------------------------------------


def test_a_person_without_a_place_signs_up_and_checks_in_in_one_step(
    second_volunteer: Any, checkin_shift: Shift
) -> None:
    with at(START - timedelta(minutes=30)):
        client = client_for(second_volunteer)
        page = client.get(path_of(checkin_shift)).content.decode()
        response = client.post(path_of(checkin_shift), {"action": "walk_in"}, follow=True)
    assert "Sign up and check in" in page
    [signup] = Signup.objects.filter(volunteer=second_volunteer)
    assert signup.status == Signup.Status.CONFIRMED
    assert signup.attendance == Signup.Attendance.ATTENDED
    assert Shift.objects.get(pk=checkin_shift.pk).taken == 1
    assert AttendanceEvent.objects.filter(signup=signup).count() == 1
    assert "You are signed up and checked in" in response.content.decode()


def test_no_walk_in_on_a_full_shift(
    second_volunteer: Any, volunteer: Any, make_shift: MakeShift
) -> None:
    full = make_shift(starts_at=START, capacity=1)
    with time_machine.travel(berlin(2030, 3, 1), tick=False):
        signup_services.shifts_sign_up(volunteer=volunteer, shifts=[full])
    with at(START - timedelta(minutes=30)):
        client = client_for(second_volunteer)
        page = client.get(path_of(full)).content.decode()
        response = client.post(path_of(full), {"action": "walk_in"}, follow=True)
    assert "Sign up and check in" not in page
    assert "cannot take a place here" in page
    assert "is full" in response.content.decode()
    assert not Signup.objects.filter(volunteer=second_volunteer).exists()


def test_no_walk_in_on_a_members_only_shift(second_volunteer: Any, make_shift: MakeShift) -> None:
    members = make_shift(starts_at=START, visibility=Visibility.MEMBERS)
    with at(START - timedelta(minutes=30)):
        page = client_for(second_volunteer).get(path_of(members)).content.decode()
        with pytest.raises(ValidationError, match="members only"):
            services.shift_walk_in(actor=second_volunteer, shift=members)
    assert "Sign up and check in" not in page
    assert not Signup.objects.exists()


def test_no_walk_in_before_check_in_opens(second_volunteer: Any, checkin_shift: Shift) -> None:
    with at(START - timedelta(hours=2)), pytest.raises(ValidationError, match="opens at"):
        services.shift_walk_in(actor=second_volunteer, shift=checkin_shift)
    assert not Signup.objects.exists()


def test_a_walk_in_still_needs_the_requirements(
    second_volunteer: Any, checkin_shift: Shift, organisation: Any
) -> None:
    briefing = Requirement.objects.create(organisation=organisation, name="Hygieneschulung")
    checkin_shift.requirements.add(briefing)
    with at(START - timedelta(minutes=30)), pytest.raises(ValidationError, match="Hygiene"):
        services.shift_walk_in(actor=second_volunteer, shift=checkin_shift)
    assert not Signup.objects.exists()
    assert Shift.objects.get(pk=checkin_shift.pk).taken == 0


# --- the QR code ----------------------------------------------------------------------------


def _rasterise(svg: str, pixels: int = 10) -> Image.Image:
    """Draw segno's SVG (one path of horizontal module runs) as an image a scanner can read."""
    box = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    factor = re.search(r"scale\((\d+)\)", svg)
    path = re.search(r'<path[^>]*class="qrline"[^>]*\sd="([^"]+)"', svg)
    assert box
    assert factor
    assert path
    modules = int(box.group(1)) // int(factor.group(1))
    image = Image.new("L", (modules * pixels, modules * pixels), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path.group(1)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:  # h: a dark run one module high, centred on y
            end = x + float(a)
            top = (y - 0.5) * pixels
            draw.rectangle([x * pixels, top, end * pixels - 1, top + pixels - 1], fill=0)
            x = end
    return image


def test_the_qr_page_shows_a_code_that_decodes_to_the_checkin_address(
    org_admin: Any, checkin_shift: Shift, settings: Any
) -> None:
    settings.BASE_URL = "https://engagement.musterstadt.example"
    response = client_for(org_admin).get(
        mreverse("shifts:shift_qr", checkin_shift.municipality, public_id=checkin_shift.public_id)
    )
    body = response.content.decode()
    assert response.status_code == 200
    expected = (
        "https://engagement.musterstadt.example"
        + f"/musterstadt/engagement/schichten/einchecken/{checkin_shift.checkin_token}/"
    )
    assert checkin_url(checkin_shift) == expected
    svg = body[body.index("<svg") : body.index("</svg>") + 6]
    assert "<title>Check-in code for Ausgabe</title>" in svg
    assert "http" not in svg.split("<title>")[0]  # nothing fetched: no external reference
    [found] = zxingcpp.read_barcodes(_rasterise(svg))
    assert found.text == expected
    assert "Ausgabe" in body
    assert "09:00–12:00" in body
    assert expected in body  # the address in writing, for those who type it


def test_the_same_code_as_a_png_decodes_too(checkin_shift: Shift) -> None:
    code = segno.make(checkin_url(checkin_shift), error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=6)
    buffer.seek(0)
    [found] = zxingcpp.read_barcodes(Image.open(buffer))
    assert found.text == checkin_url(checkin_shift)


def test_checking_in_by_the_address_in_the_code(
    signup: Signup, volunteer: Any, checkin_shift: Shift
) -> None:
    address = checkin_url(checkin_shift)
    path = "/" + address.split("://", 1)[1].split("/", 1)[1]
    with at(START - timedelta(minutes=10)):
        client = client_for(volunteer)
        assert client.get(path).status_code == 200
        client.post(path, {"action": "check_in"})
    assert _fresh(signup).attendance == Signup.Attendance.ATTENDED


@pytest.mark.parametrize(
    "who", ["anonymous", "volunteer", "coordinator", "other_coordinator", "other_org_admin"]
)
def test_only_the_organisations_members_see_the_qr_page(
    who: str, request: pytest.FixtureRequest, checkin_shift: Shift
) -> None:
    user = _person(request, who)
    response = client_for(user).get(
        mreverse("shifts:shift_qr", checkin_shift.municipality, public_id=checkin_shift.public_id)
    )
    if user is None:
        assert response.status_code == 302
    else:
        # The town's office organises shifts, so it learns it may not print the code (403).
        assert response.status_code == (403 if who == "coordinator" else 404)
    assert checkin_shift.checkin_token not in response.content.decode()


def test_a_plain_member_may_print_the_qr_page(org_member: Any, checkin_shift: Shift) -> None:
    response = client_for(org_member).get(
        mreverse("shifts:shift_qr", checkin_shift.municipality, public_id=checkin_shift.public_id)
    )
    assert response.status_code == 200


def _person(request: pytest.FixtureRequest, who: str) -> Any:
    if who == "anonymous":
        return None
    if who == "other_org_admin":
        other = request.getfixturevalue("other_organisation")
        user = make_user("olga.other@example.org", first_name="Olga")
        actor_services.membership_add(actor=None, organisation=other, user=user, role="admin")
        return user
    return request.getfixturevalue(who)
