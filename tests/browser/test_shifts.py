"""Shifts in Chromium: a volunteer's whole way on a phone, and every shift page axe clean.

The volunteer signs up on the plan's week, gets the reminder mail, answers "I'm coming" from
its link and checks in with the address behind the shift's QR code. My shifts, the preferences
and the organiser's pages pass axe-core and never scroll sideways on a 390 px phone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import make_user
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.models import AttendanceEvent, Reminder, Shift, ShiftPlan, Signup
from gemeinsinn.shifts.services import plans as plan_services
from gemeinsinn.shifts.services import reminders as reminder_services
from gemeinsinn.shifts.services import signups as signup_services
from tests.browser.conftest import PHONE, new_context

pytestmark = pytest.mark.browser

Status = Signup.Status


@pytest.fixture
def plan(municipality: Any, organisation: Any) -> ShiftPlan:
    """Musterstadt with the exchange on (shifts belong to it) and a plan of the Tafel."""
    municipality.enabled_modules = ["actors", "opportunities"]
    municipality.save(update_fields=["enabled_modules"])
    return ShiftPlan.objects.create(
        municipality=municipality,
        organisation=organisation,
        title="Lebensmittelausgabe",
        description="Wir geben Lebensmittel an unsere Gäste aus.",
        place="Tafel, Hauptstraße 1",
    )


def add_shift(
    plan: ShiftPlan, *, starts_at: datetime, task: str, capacity: int = 3, hours: int = 3
) -> Shift:
    return Shift.objects.create(
        municipality=plan.municipality,
        organisation=plan.organisation,
        plan=plan,
        task=task,
        place="Theke",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        capacity=capacity,
    )


def in_minutes(minutes: int) -> datetime:
    return (timezone.now() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def signed_up_days_ago(signup: Signup, days: int) -> None:
    """Move the sign-up back in time: reminders skip people who signed up after one was due."""
    Signup.objects.filter(pk=signup.pk).update(
        created_at=signup.shift.starts_at - timedelta(days=days)
    )


def url(live_server: Any, plan: ShiftPlan, name: str, **kwargs: Any) -> str:
    return live_server.url + mreverse(f"shifts:{name}", plan.municipality, **kwargs)


def assert_fits_the_screen(page: Page) -> None:
    """No sideways scrolling. A phone zooms out to show a page wider than the screen, which
    widens window.innerWidth with it: the page is measured against the screen's width."""
    assert page.viewport_size is not None
    screen = page.viewport_size["width"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= screen, f"{page.url} is {width} px wide on a {screen} px screen"


def test_a_volunteer_signs_up_on_a_phone_confirms_from_the_reminder_and_checks_in(
    browser: Browser,
    live_server: Any,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    settings: Any,
    mailoutbox: list[Any],
    plan: ShiftPlan,
    volunteer: Any,
) -> None:
    # The links in the mail point at this server.
    settings.BASE_URL = live_server.url
    # Sign-up is still open and check-in (from 60 minutes before) already is.
    shift = add_shift(plan, starts_at=in_minutes(30), task="Ausgabe an der Theke")
    phone = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, volunteer)
    page = phone.new_page()

    page.goto(url(live_server, plan, "plan", public_id=plan.public_id))
    page.locator(f"#shift-{shift.public_id}").check()
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.locator("form[action$='/anmelden/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/schichten/meine/$"))
    expect(page.locator(".my-shifts").first).to_contain_text(shift.task)
    signup = Signup.objects.get(shift=shift, volunteer=volunteer)
    assert signup.status == Status.CONFIRMED

    # Signed up two days ago: the 24-hour reminder is due now, once.
    signed_up_days_ago(signup, 2)
    assert reminder_services.reminders_send(now=timezone.now()) == 1
    assert reminder_services.reminders_send(now=timezone.now()) == 0
    assert Reminder.objects.get(signup=signup).hours_before == 24
    [reminder] = [mail for mail in mailoutbox if "antwort=ja" in mail.body]
    assert reminder.to == [volunteer.email]
    assert shift.task in reminder.subject
    found = re.search(r"(https?://\S+\?antwort=ja)", reminder.body)
    assert found is not None, reminder.body
    assert found[1].startswith(live_server.url)

    page.goto(found[1])
    expect(page.locator("h1")).to_contain_text(shift.task)
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.locator("form:has(input[name=antwort][value=ja]) button[type=submit]").click()
    expect(page.locator(".answer-state[role=status]")).to_be_visible()
    expect(page.locator("form:has(input[name=antwort][value=ja])")).to_have_count(0)
    signup.refresh_from_db()
    assert signup.response == Signup.Response.COMING

    page.goto(url(live_server, plan, "checkin", token=shift.checkin_token))
    assert_accessible(page)
    page.locator("form:has(input[name=action][value=check_in]) button[type=submit]").click()
    expect(page.locator(".answer-done")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    signup.refresh_from_db()
    assert signup.attendance == Signup.Attendance.ATTENDED
    assert signup.checked_in_at is not None
    event = AttendanceEvent.objects.get(signup=signup, revoked_at__isnull=True)
    assert event.duration_minutes == 180
    phone.close()


@pytest.fixture
def my_shifts(plan: ShiftPlan, volunteer: Any, org_admin: Any) -> dict[str, Shift]:
    """The volunteer's confirmed, waitlisted, offered and past shifts."""
    other = make_user("paul.helper@example.org", first_name="Paul", last_name="Peters")
    confirmed = add_shift(plan, starts_at=in_minutes(3 * 24 * 60), task="Theke")
    signup_services.shifts_sign_up(volunteer=volunteer, shifts=[confirmed], party_size=2)
    full = add_shift(plan, starts_at=in_minutes(4 * 24 * 60), task="Lager", capacity=1)
    signup_services.shifts_sign_up(volunteer=other, shifts=[full])
    [waiting] = signup_services.shifts_sign_up(volunteer=volunteer, shifts=[full])
    assert waiting.status == Status.WAITLISTED
    freed = add_shift(plan, starts_at=in_minutes(5 * 24 * 60), task="Kasse", capacity=1)
    [holder] = signup_services.shifts_sign_up(volunteer=org_admin, shifts=[freed])
    [offered] = signup_services.shifts_sign_up(volunteer=volunteer, shifts=[freed])
    signup_services.signup_cancel(actor=org_admin, signup=holder)
    offered.refresh_from_db()
    assert offered.status == Status.OFFERED
    past = add_shift(plan, starts_at=in_minutes(-5 * 24 * 60), task="Sortieren")
    Signup.objects.create(
        shift=past,
        volunteer=volunteer,
        status=Status.CONFIRMED,
        attendance=Signup.Attendance.ATTENDED,
    )
    return {"confirmed": confirmed, "waitlisted": full, "offered": freed, "past": past}


def test_my_shifts_and_the_preferences_are_accessible_on_a_phone(
    phone_page: Page,
    live_server: Any,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    plan: ShiftPlan,
    my_shifts: dict[str, Shift],
    volunteer: Any,
) -> None:
    log_in(phone_page.context, volunteer)
    phone_page.goto(url(live_server, plan, "mine"))
    main = phone_page.locator("main")
    for shift in my_shifts.values():
        expect(main).to_contain_text(shift.task)
    expect(phone_page.locator(".my-shift.is-offered form button")).to_be_visible()
    assert_accessible(phone_page)
    assert_fits_the_screen(phone_page)

    phone_page.goto(url(live_server, plan, "preferences"))
    expect(phone_page.locator("h1")).to_be_visible()
    assert_accessible(phone_page)
    assert_fits_the_screen(phone_page)
    # The private calendar address is long: it must not widen the page either.
    phone_page.locator("form:has(input[name=action][value=renew]) button").click()
    expect(phone_page.locator("#feed-url")).to_have_value(re.compile(r"/kalender/.+\.ics$"))
    assert_accessible(phone_page)
    assert_fits_the_screen(phone_page)


@pytest.fixture
def busy_plan(plan: ShiftPlan, org_admin: Any, volunteer: Any) -> dict[str, Any]:
    """A plan in full swing: a shift about to begin with its helpers reminded (one answered,
    one checked in), a full shift with a waitlist, a recurring series and a cancelled shift."""
    helpers = [
        make_user(f"helfer{n}@example.org", first_name="Helfer", last_name=f"Nummer {n}")
        for n in range(3)
    ]
    soon = add_shift(plan, starts_at=in_minutes(30), task="Ausgabe an der Theke", capacity=4)
    made = signup_services.shifts_sign_up(volunteer=volunteer, shifts=[soon], party_size=2)
    made += [signup_services.shifts_sign_up(volunteer=h, shifts=[soon])[0] for h in helpers[:2]]
    for signup in made:
        signed_up_days_ago(signup, 3)
    assert reminder_services.reminders_send(now=timezone.now()) == 3
    reminder_services.signup_respond(signup=made[0], coming=True)
    Signup.objects.filter(pk=made[1].pk).update(
        attendance=Signup.Attendance.ATTENDED, checked_in_at=timezone.now()
    )
    full = add_shift(plan, starts_at=soon.starts_at + timedelta(hours=4), task="Lager", capacity=1)
    signup_services.shifts_sign_up(volunteer=helpers[2], shifts=[full])
    signup_services.shifts_sign_up(volunteer=org_admin, shifts=[full])
    cancelled = add_shift(plan, starts_at=soon.starts_at + timedelta(hours=5), task="Abbau")
    Shift.objects.filter(pk=cancelled.pk).update(status=Shift.Status.CANCELLED)
    starts_on = timezone.localdate() + timedelta(days=14)
    plan_services.series_create(
        actor=org_admin,
        plan=plan,
        starts_on=starts_on,
        spec=plan_services.SeriesSpec(
            shift=plan_services.ShiftFields(task="Ausgabe", capacity=3, place="Theke"),
            start_time=time(9),
            duration_minutes=180,
            weekdays=0b0011111,  # Monday to Friday
            until=starts_on + timedelta(days=35),
        ),
    )
    return {"soon": soon, "day": timezone.localtime(soon.starts_at).date()}


def week_of(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_organiser_pages_are_accessible(
    page: Page,
    phone_page: Page,
    live_server: Any,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    plan: ShiftPlan,
    busy_plan: dict[str, Any],
    org_admin: Any,
    viewport: str,
) -> None:
    browser_page = phone_page if viewport == "phone" else page
    log_in(browser_page.context, org_admin)
    soon: Shift = busy_plan["soon"]
    org_slug = plan.organisation.slug
    week = url(live_server, plan, "week", org_slug=org_slug)
    for address in (
        f"{week}?woche={week_of(busy_plan['day'])}",
        f"{week}?tag={busy_plan['day']:%Y-%m-%d}",
        url(live_server, plan, "shift_helpers", public_id=soon.public_id),
        url(live_server, plan, "attendance", public_id=soon.public_id),
        url(live_server, plan, "plan_manage", public_id=plan.public_id),
        url(live_server, plan, "org_plans", org_slug=org_slug),
        url(live_server, plan, "plan", public_id=plan.public_id),
    ):
        browser_page.goto(address)
        expect(browser_page.locator("main")).to_contain_text(soon.task)
        assert_accessible(browser_page)
        if viewport == "phone":
            assert_fits_the_screen(browser_page)
