"""Shift preferences: the reminder choice and the private calendar address (create, renew,
switch off)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import client_for
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.models import ReminderChoice, ShiftPreferences
from gemeinsinn.shifts.services import preferences as services


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    settings.BASE_URL = "https://engagement.example"
    with translation.override("en"):
        yield


def url(name: str, municipality: Any, **kwargs: Any) -> str:
    return mreverse(f"shifts:{name}", municipality, **kwargs)


def token_of(user: Any) -> str:
    return ShiftPreferences.objects.get(user=user).feed_token


# --- services -------------------------------------------------------------------------------


def test_the_reminder_choice_is_saved(volunteer: Any) -> None:
    services.preferences_update(user=volunteer, reminders=ReminderChoice.LAST)
    assert ShiftPreferences.objects.get(user=volunteer).reminders == ReminderChoice.LAST


def test_an_unknown_reminder_choice_is_refused(volunteer: Any) -> None:
    with pytest.raises(ValidationError, match="reminder options"):
        services.preferences_update(user=volunteer, reminders="hourly")
    assert not ShiftPreferences.objects.exists()


def test_renewing_the_feed_replaces_the_token_and_is_audited(
    volunteer: Any, municipality: Any
) -> None:
    first = services.feed_token_renew(user=volunteer, municipality=municipality).feed_token
    second = services.feed_token_renew(user=volunteer, municipality=municipality).feed_token
    assert first
    assert second
    assert first != second
    assert token_of(volunteer) == second
    events = AuditEvent.objects.filter(action="shift_feed.renewed").order_by("pk")
    assert [e.data["replaced"] for e in events] == [False, True]
    assert {e.municipality_id for e in events} == {municipality.pk}


def test_switching_the_feed_off_empties_the_token_and_is_audited(
    volunteer: Any, municipality: Any
) -> None:
    services.feed_token_renew(user=volunteer, municipality=municipality)
    services.feed_revoke(user=volunteer, municipality=municipality)
    preferences = ShiftPreferences.objects.get(user=volunteer)
    assert preferences.feed_token == ""
    assert preferences.feed_created_at is None
    assert AuditEvent.objects.filter(action="shift_feed.revoked").count() == 1
    with pytest.raises(ValidationError, match="already switched off"):
        services.feed_revoke(user=volunteer, municipality=municipality)


# --- the page -------------------------------------------------------------------------------


def test_the_preferences_need_a_login(municipality: Any) -> None:
    response = client_for(None).get(url("preferences", municipality))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_the_reminder_choice_is_changed_on_the_page(municipality: Any, volunteer: Any) -> None:
    client = client_for(volunteer)
    services.preferences_update(user=volunteer, reminders=ReminderChoice.LAST)
    page = client.get(url("preferences", municipality)).content.decode()
    assert 'value="last" required id="id_reminders_1" checked' in page
    assert 'value="all" required id="id_reminders_0" checked' not in page
    response = client.post(
        url("preferences", municipality), {"action": "reminders", "reminders": "none"}
    )
    assert response.status_code == 302
    assert ShiftPreferences.objects.get(user=volunteer).reminders == ReminderChoice.NONE


def test_a_bad_reminder_choice_is_shown_and_changes_nothing(
    municipality: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).post(
        url("preferences", municipality), {"action": "reminders", "reminders": "hourly"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ShiftPreferences.objects.exists()


def test_creating_the_feed_shows_its_address_with_a_warning(
    municipality: Any, volunteer: Any
) -> None:
    client = client_for(volunteer)
    before = client.get(url("preferences", municipality)).content.decode()
    assert "Create my calendar address" in before
    response = client.post(url("preferences", municipality), {"action": "renew"})
    assert response.status_code == 302
    token = token_of(volunteer)
    page = client.get(url("preferences", municipality)).content.decode()
    address = "https://engagement.example" + url("user_feed", municipality, token=token)
    assert f'value="{address}" readonly' in page
    assert "Whoever knows this address sees your shifts." in page
    assert address.replace("https://", "webcal://") in page
    assert client_for(None).get(url("user_feed", municipality, token=token)).status_code == 200


def test_renewing_the_feed_asks_first_and_then_stops_the_old_address(
    municipality: Any, volunteer: Any
) -> None:
    services.feed_token_renew(user=volunteer, municipality=municipality)
    old = token_of(volunteer)
    client = client_for(volunteer)
    asked = client.post(url("preferences", municipality), {"action": "renew"})
    assert asked.status_code == 200
    assert "Renew your calendar address?" in asked.content.decode()
    assert token_of(volunteer) == old
    done = client.post(url("preferences", municipality), {"action": "renew", "confirmed": "yes"})
    assert done.status_code == 302
    new = token_of(volunteer)
    assert new != old
    anonymous = client_for(None)
    assert anonymous.get(url("user_feed", municipality, token=old)).status_code == 404
    assert anonymous.get(url("user_feed", municipality, token=new)).status_code == 200


def test_switching_the_feed_off_asks_first(municipality: Any, volunteer: Any) -> None:
    services.feed_token_renew(user=volunteer, municipality=municipality)
    old = token_of(volunteer)
    client = client_for(volunteer)
    asked = client.post(url("preferences", municipality), {"action": "revoke"})
    assert "Switch your calendar address off?" in asked.content.decode()
    assert token_of(volunteer) == old
    client.post(url("preferences", municipality), {"action": "revoke", "confirmed": "yes"})
    assert token_of(volunteer) == ""
    assert client_for(None).get(url("user_feed", municipality, token=old)).status_code == 404
    page = client.get(url("preferences", municipality)).content.decode()
    assert "Your private calendar address is switched off." in page
    assert "Create my calendar address" in page


def test_switching_off_a_feed_that_is_off_says_so(municipality: Any, volunteer: Any) -> None:
    client = client_for(volunteer)
    client.post(url("preferences", municipality), {"action": "revoke", "confirmed": "yes"})
    page = client.get(url("preferences", municipality)).content.decode()
    assert "already switched off" in page
