"""The answer page behind the reminder links: no login, GET changes nothing, POST answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.utils import translation

from conftest import client_for
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.models import Shift, Signup
from gemeinsinn.shifts.services import reminders
from gemeinsinn.shifts.services import signups as signup_services
from gemeinsinn.shifts.tests.conftest import MakeShift, berlin

START = berlin(2030, 3, 12, 9)
EARLY = START - timedelta(hours=40)  # before the cancellation deadline (24 h)
LATE = START - timedelta(hours=5)  # after it


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def signup(volunteer: Any, make_shift: MakeShift) -> Signup:
    shift = make_shift(starts_at=START, capacity=2)
    with time_machine.travel(berlin(2030, 3, 1), tick=False):
        [made] = signup_services.shifts_sign_up(volunteer=volunteer, shifts=[shift])
    return made


def answer_path(signup: Signup, answer: str = "", municipality: Any = None) -> str:
    path = mreverse(
        "shifts:respond",
        municipality or signup.shift.municipality,
        token=reminders.answer_token(signup=signup),
    )
    return path + (f"?antwort={answer}" if answer else "")


def at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def _fresh(signup: Signup) -> Signup:
    return Signup.objects.get(pk=signup.pk)


# --- GET shows, never changes ---------------------------------------------------------------


def test_the_page_opens_without_a_login_and_shows_only_the_shift_and_first_name(
    signup: Signup,
) -> None:
    with at(EARLY):
        response = client_for(None).get(answer_path(signup, "ja"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hello Vera, are you coming?" in body
    assert "Ausgabe" in body
    assert "Tafel Musterstadt e. V." in body
    assert "Theke" in body
    assert "09:00" in body
    assert "Vogel" not in body
    assert "vera.volunteer@example.org" not in body
    assert "noindex" in body
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_a_get_changes_nothing_even_for_the_no_link(signup: Signup) -> None:
    with at(EARLY):
        for answer in ("ja", "nein", ""):
            assert client_for(None).get(answer_path(signup, answer)).status_code == 200
    fresh = _fresh(signup)
    assert fresh.status == Signup.Status.CONFIRMED
    assert fresh.response == Signup.Response.NONE
    assert fresh.responded_at is None
    assert not AuditEvent.objects.filter(action__in=["signup.responded", "signup.cancelled"])


def test_the_yes_link_shows_one_yes_button(signup: Signup) -> None:
    with at(EARLY):
        body = client_for(None).get(answer_path(signup, "ja")).content.decode()
    assert "Yes, I&#x27;m coming" in body or "Yes, I'm coming" in body
    assert "give up my place</button>" not in body
    assert "?antwort=nein" in body


def test_the_no_link_shows_one_give_up_button(signup: Signup) -> None:
    with at(EARLY):
        body = client_for(None).get(answer_path(signup, "nein")).content.decode()
    assert "give up my place" in body
    assert "Yes, I" not in body
    assert "Message to the organisation (optional)" in body


# --- coming ---------------------------------------------------------------------------------


def test_coming_is_recorded_by_the_post(signup: Signup) -> None:
    client = client_for(None)
    with at(EARLY):
        response = client.post(answer_path(signup), {"antwort": "ja"})
        assert response.status_code == 302
        assert response["Location"] == answer_path(signup)
        page = client.get(response["Location"]).content.decode()
    fresh = _fresh(signup)
    assert fresh.response == Signup.Response.COMING
    assert fresh.responded_at == EARLY
    assert fresh.status == Signup.Status.CONFIRMED
    [event] = AuditEvent.objects.filter(action="signup.responded")
    assert event.actor == signup.volunteer
    assert event.data == {"response": "coming"}
    assert "The organisation knows that you are coming" in page
    assert "You told us that you are coming." in page


def test_answering_coming_twice_is_harmless(signup: Signup) -> None:
    client = client_for(None)
    with at(EARLY):
        client.post(answer_path(signup), {"antwort": "ja"})
    with at(EARLY + timedelta(hours=1)):
        assert client.post(answer_path(signup), {"antwort": "ja"}).status_code == 302
    assert AuditEvent.objects.filter(action="signup.responded").count() == 1
    assert _fresh(signup).responded_at == EARLY


def test_coming_first_and_then_cant_still_gives_the_place_up(signup: Signup) -> None:
    client = client_for(None)
    with at(EARLY):
        client.post(answer_path(signup), {"antwort": "ja"})
        client.post(answer_path(signup), {"antwort": "nein"})
    fresh = _fresh(signup)
    assert fresh.status == Signup.Status.CANCELLED
    assert fresh.response == Signup.Response.NOT_COMING


# --- can't come -----------------------------------------------------------------------------


def test_cant_come_before_the_deadline_gives_the_place_up(signup: Signup) -> None:
    with at(EARLY):
        response = client_for(None).post(answer_path(signup), {"antwort": "nein"})
    assert response.status_code == 302
    fresh = _fresh(signup)
    assert fresh.status == Signup.Status.CANCELLED
    assert fresh.response == Signup.Response.NOT_COMING
    assert fresh.responded_at == EARLY
    shift = Shift.objects.get(pk=signup.shift_id)
    assert shift.taken == 0
    [event] = AuditEvent.objects.filter(action="signup.cancelled")
    assert event.actor == signup.volunteer


def test_cant_come_after_the_deadline_asks_for_a_message(signup: Signup) -> None:
    with at(LATE):
        page = client_for(None).get(answer_path(signup, "nein")).content.decode()
        response = client_for(None).post(answer_path(signup), {"antwort": "nein", "message": ""})
    assert "please tell the organisation briefly why" in page
    assert response.status_code == 400
    assert "why can" in response.content.decode()
    assert _fresh(signup).status == Signup.Status.CONFIRMED


def test_a_message_with_an_error_is_kept_in_the_form(signup: Signup) -> None:
    typed = "Krank geworden, tut mir leid. " * 40  # too long
    with at(LATE):
        response = client_for(None).post(answer_path(signup), {"antwort": "nein", "message": typed})
    assert response.status_code == 400
    assert typed.strip() in response.content.decode()
    assert _fresh(signup).status == Signup.Status.CONFIRMED


def test_cant_come_after_the_deadline_with_a_message_reaches_the_organisation(
    signup: Signup, org_admin: Any
) -> None:
    with at(LATE):
        response = client_for(None).post(
            answer_path(signup), {"antwort": "nein", "message": "Ich bin krank."}
        )
    assert response.status_code == 302
    fresh = _fresh(signup)
    assert fresh.status == Signup.Status.CANCELLED
    assert fresh.cancel_reason == "Ich bin krank."
    assert fresh.response == Signup.Response.NOT_COMING
    assert AuditEvent.objects.filter(action="signup.cancelled_late").count() == 1
    from gemeinsinn.accounts.models import Notification

    [news] = Notification.objects.filter(user=org_admin, topic="shifts_cancelled")
    assert "Ich bin krank." in news.body


def test_answering_cant_twice_is_harmless(signup: Signup) -> None:
    client = client_for(None)
    with at(EARLY):
        client.post(answer_path(signup), {"antwort": "nein"})
        response = client.post(answer_path(signup), {"antwort": "nein"})
        page = client.get(answer_path(signup)).content.decode()
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="signup.cancelled").count() == 1
    assert "You told us that you can" in page
    assert "<button" not in page.split("<main", 1)[1]


def test_coming_after_giving_the_place_up_is_refused_clearly(signup: Signup) -> None:
    client = client_for(None)
    with at(EARLY):
        client.post(answer_path(signup), {"antwort": "nein"})
        response = client.post(answer_path(signup), {"antwort": "ja"}, follow=True)
    assert _fresh(signup).status == Signup.Status.CANCELLED
    assert _fresh(signup).response == Signup.Response.NOT_COMING
    assert response.status_code == 200


# --- closed shifts --------------------------------------------------------------------------


def test_a_cancelled_shift_takes_no_answer(signup: Signup) -> None:
    Shift.objects.filter(pk=signup.shift_id).update(status=Shift.Status.CANCELLED)
    client = client_for(None)
    with at(EARLY):
        page = client.get(answer_path(signup, "ja")).content.decode()
        response = client.post(answer_path(signup), {"antwort": "ja"}, follow=True)
    assert "This shift was cancelled, so there is nothing to answer." in page
    assert 'name="antwort"' not in page
    assert "This shift was cancelled" in response.content.decode()
    assert _fresh(signup).response == Signup.Response.NONE


def test_a_shift_that_has_begun_takes_no_answer(signup: Signup) -> None:
    client = client_for(None)
    with at(START + timedelta(minutes=5)):
        page = client.get(answer_path(signup, "nein")).content.decode()
        response = client.post(answer_path(signup), {"antwort": "nein"})
    assert "This shift has already begun" in page
    assert response.status_code == 400
    assert "already begun" in response.content.decode()
    assert _fresh(signup).status == Signup.Status.CONFIRMED


def test_a_post_without_an_answer_is_a_bad_request(signup: Signup) -> None:
    with at(EARLY):
        response = client_for(None).post(answer_path(signup), {"antwort": "vielleicht"})
    assert response.status_code == 400
    assert _fresh(signup).response == Signup.Response.NONE


# --- bad links ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["nonsense", "MQ:abc", "MQ:", ":", "ääää:öö", "1"],
)
def test_a_tampered_token_gets_a_clear_page(signup: Signup, token: str) -> None:
    path = mreverse("shifts:respond", signup.shift.municipality, token=token)
    response = client_for(None).get(path)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    response = client_for(None).post(path, {"antwort": "nein"})
    assert response.status_code == 400
    assert _fresh(signup).status == Signup.Status.CONFIRMED


def test_a_token_with_a_changed_sign_up_number_is_refused(signup: Signup) -> None:
    good = reminders.answer_token(signup=signup)
    other_number = signing.Signer(salt=reminders.ANSWER_SALT).sign_object(signup.pk + 1)
    forged = other_number.split(":")[0] + ":" + good.split(":", 1)[1]
    path = mreverse("shifts:respond", signup.shift.municipality, token=forged)
    assert client_for(None).get(path).status_code == 400


def test_a_token_signed_for_something_else_is_refused(signup: Signup) -> None:
    token = signing.Signer().sign_object(signup.pk)  # no salt: e.g. another feature's token
    path = mreverse("shifts:respond", signup.shift.municipality, token=token)
    assert client_for(None).get(path).status_code == 400


def test_a_token_of_a_deleted_sign_up_is_not_found(signup: Signup) -> None:
    path = answer_path(signup)
    Signup.objects.filter(pk=signup.pk).delete()
    response = client_for(None).get(path)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_a_token_under_another_town_is_not_found(signup: Signup, other_municipality: Any) -> None:
    response = client_for(None).get(answer_path(signup, "ja", municipality=other_municipality))
    assert response.status_code == 404
