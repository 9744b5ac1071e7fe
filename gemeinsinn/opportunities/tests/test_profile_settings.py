"""The office's settings of the engagement exchange, the matching weights among them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import client_for
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.opportunities.models import ExchangeSettings
from gemeinsinn.opportunities.services.profiles import exchange_settings_update

URL = "/musterstadt/engagement/verwaltung/einstellungen/"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "default_listing_days": "90",
        "expiry_reminder_days": "7",
        "application_retention_days": "180",
        "weight_fields": "5",
        "weight_skills": "3",
        "weight_distance": "3",
        "weight_time": "2",
        "weight_freshness": "1",
    }
    data.update(changes)
    return data


def test_the_page_shows_the_defaults_and_explains_each_weight(
    municipality: Any, coordinator: Any
) -> None:
    response = client_for(coordinator).get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="weight_fields" value="5"' in page
    assert "lies in a field the person likes" in page
    assert "only the ratio between the weights matters" in page
    assert not ExchangeSettings.objects.exists()  # looking changes nothing


def test_saving_records_old_and_new_values(municipality: Any, coordinator: Any) -> None:
    response = client_for(coordinator).post(
        URL, form(moderate_opportunities="on", weight_distance="8")
    )
    assert response.status_code == 302
    saved = ExchangeSettings.objects.get(municipality=municipality)
    assert saved.moderate_opportunities is True
    assert saved.weight_distance == 8
    event = AuditEvent.objects.get(action="exchange_settings.updated")
    assert event.data == {
        "changes": {"moderate_opportunities": [False, True], "weight_distance": [3, 8]}
    }
    assert event.municipality == municipality


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_fields": "11"}, "less than or equal to 10"),
        ({"weight_time": "-1"}, "greater than or equal to 0"),
        ({"default_listing_days": "3"}, "greater than or equal to 7"),
        ({"expiry_reminder_days": "30", "default_listing_days": "30"}, "The reminder must come"),
        ({"application_retention_days": ""}, "This field is required"),
    ],
)
def test_bad_values_get_a_clear_error_and_nothing_is_saved(
    municipality: Any, coordinator: Any, changes: dict[str, Any], message: str
) -> None:
    response = client_for(coordinator).post(URL, form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExchangeSettings.objects.exists()
    assert not AuditEvent.objects.filter(action="exchange_settings.updated").exists()


def test_the_service_checks_the_role_and_the_values(
    municipality: Any, coordinator: Any, org_admin: Any
) -> None:
    with pytest.raises(PermissionDenied):
        exchange_settings_update(actor=org_admin, municipality=municipality, values={})
    with pytest.raises(ValidationError):
        exchange_settings_update(
            actor=coordinator, municipality=municipality, values={"municipality": None}
        )
    with pytest.raises(ValidationError):
        exchange_settings_update(
            actor=coordinator, municipality=municipality, values={"weight_skills": 42}
        )
    assert not ExchangeSettings.objects.exists()  # nothing half-saved


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
def test_only_the_office_of_the_municipality_edits_the_settings(
    request: pytest.FixtureRequest, municipality: Any, who: str, status: int
) -> None:
    user = None if who == "anonymous" else request.getfixturevalue(who)
    assert client_for(user).get(URL).status_code == status
    client_for(user).post(URL, form(weight_fields="9"))
    saved = ExchangeSettings.objects.filter(municipality=municipality, weight_fields=9).exists()
    assert saved == (status == 200)
