"""The coordination office's shift settings: who may change them, the limits, the audit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import client_for
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.shifts.models import ShiftSettings
from gemeinsinn.shifts.selectors.common import shift_settings
from gemeinsinn.shifts.services.settings import shift_settings_update

URL = "/musterstadt/engagement/schichten/verwaltung/einstellungen/"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "conflict_grace_minutes": "15",
        "first_reminder_hours": "48",
        "second_reminder_hours": "24",
        "offer_confirm_hours": "12",
        "cancel_deadline_hours": "24",
        "checkin_opens_minutes": "60",
    }
    data.update(changes)
    return data


def test_the_page_shows_the_defaults_without_saving_them(
    municipality: Any, coordinator: Any
) -> None:
    response = client_for(coordinator).get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="conflict_grace_minutes"' in page
    assert 'value="15"' in page
    assert 'max="240"' in page
    assert 'min="1"' in page  # the hours to confirm an offered place
    assert not ShiftSettings.objects.exists()


def test_the_first_save_creates_the_settings_and_records_old_and_new_values(
    municipality: Any, coordinator: Any
) -> None:
    response = client_for(coordinator).post(
        URL, form(conflict_grace_minutes="30", second_reminder_hours="0")
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    saved = ShiftSettings.objects.get(municipality=municipality)
    assert saved.conflict_grace_minutes == 30
    assert saved.reminder_hours() == [48]
    event = AuditEvent.objects.get(action="shift_settings.updated")
    assert event.data == {
        "changes": {"conflict_grace_minutes": [15, 30], "second_reminder_hours": [24, 0]}
    }
    assert event.municipality == municipality
    assert shift_settings(municipality=municipality).conflict_grace_minutes == 30


def test_saving_the_same_values_again_writes_no_audit_row(
    municipality: Any, coordinator: Any
) -> None:
    client = client_for(coordinator)
    client.post(URL, form(cancel_deadline_hours="48"))
    client.post(URL, form(cancel_deadline_hours="48"))
    assert ShiftSettings.objects.count() == 1
    assert AuditEvent.objects.filter(action="shift_settings.updated").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"conflict_grace_minutes": "241"}, "Choose 0 to 240 minutes."),
        ({"conflict_grace_minutes": "-1"}, "Choose 0 to 240 minutes."),
        ({"first_reminder_hours": "169"}, "Choose 0 to 168 hours."),
        ({"offer_confirm_hours": "0"}, "Choose 1 to 72 hours."),
        ({"offer_confirm_hours": "73"}, "Choose 1 to 72 hours."),
        ({"cancel_deadline_hours": "200"}, "Choose 0 to 168 hours."),
        ({"checkin_opens_minutes": "300"}, "Choose 0 to 240 minutes."),
        ({"checkin_opens_minutes": "soon"}, "Choose 0 to 240 minutes."),
        ({"first_reminder_hours": "24", "second_reminder_hours": "48"}, "first reminder comes"),
        ({"first_reminder_hours": "24", "second_reminder_hours": "24"}, "first reminder comes"),
        ({"offer_confirm_hours": ""}, "This field is required"),
    ],
)
def test_bad_values_get_a_clear_error_and_nothing_is_saved(
    municipality: Any, coordinator: Any, changes: dict[str, Any], message: str
) -> None:
    response = client_for(coordinator).post(URL, form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ShiftSettings.objects.exists()
    assert not AuditEvent.objects.filter(action="shift_settings.updated").exists()


def test_one_reminder_alone_is_fine_either_way(municipality: Any, coordinator: Any) -> None:
    client = client_for(coordinator)
    assert client.post(URL, form(first_reminder_hours="0")).status_code == 302
    assert client.post(URL, form(second_reminder_hours="0")).status_code == 302


def test_a_mistake_keeps_what_was_typed(municipality: Any, coordinator: Any) -> None:
    response = client_for(coordinator).post(
        URL, form(conflict_grace_minutes="45", offer_confirm_hours="99")
    )
    assert 'name="conflict_grace_minutes" value="45"' in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("volunteer", 403),
        ("org_admin", 403),
        ("other_coordinator", 403),
        ("coordinator", 200),
        ("platform_admin", 200),
    ],
)
def test_only_the_office_of_the_municipality_changes_the_settings(
    request: pytest.FixtureRequest, municipality: Any, who: str, status: int
) -> None:
    user = None if who == "anonymous" else request.getfixturevalue(who)
    assert client_for(user).get(URL).status_code == status
    client_for(user).post(URL, form(conflict_grace_minutes="99"))
    saved = ShiftSettings.objects.filter(municipality=municipality, conflict_grace_minutes=99)
    assert saved.exists() == (status == 200)


def test_the_other_municipalitys_settings_stay_apart(
    municipality: Any, other_municipality: Any, other_coordinator: Any
) -> None:
    url = URL.replace("musterstadt", "beispielhausen")
    assert (
        client_for(other_coordinator).post(url, form(conflict_grace_minutes="5")).status_code == 302
    )
    assert ShiftSettings.objects.get().municipality == other_municipality
    assert shift_settings(municipality=municipality).conflict_grace_minutes == 15


def test_the_service_checks_the_role_the_names_and_the_values(
    municipality: Any, coordinator: Any, org_admin: Any, other_coordinator: Any
) -> None:
    with pytest.raises(PermissionDenied):
        shift_settings_update(actor=org_admin, municipality=municipality, values={})
    with pytest.raises(PermissionDenied):
        shift_settings_update(actor=other_coordinator, municipality=municipality, values={})
    with pytest.raises(ValidationError):
        shift_settings_update(actor=coordinator, municipality=municipality, values={"taken": 3})
    with pytest.raises(ValidationError) as raised:
        shift_settings_update(
            actor=coordinator, municipality=municipality, values={"second_reminder_hours": 72}
        )
    assert "second_reminder_hours" in raised.value.message_dict
    with pytest.raises(ValidationError):
        shift_settings_update(
            actor=coordinator, municipality=municipality, values={"offer_confirm_hours": 0}
        )
    assert not ShiftSettings.objects.exists()  # nothing half-saved
    saved = shift_settings_update(
        actor=coordinator, municipality=municipality, values={"checkin_opens_minutes": 30}
    )
    assert saved.checkin_opens_minutes == 30
    assert saved.first_reminder_hours == 48  # the others keep their values
