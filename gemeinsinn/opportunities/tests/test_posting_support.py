"""Fixtures and helpers shared by the posting, detail and offers tests (this module has no tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from conftest import make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.opportunities.models import ExchangeSettings, Opportunity
from gemeinsinn.opportunities.services import opportunities as services

BASE = "/musterstadt/engagement"


@pytest.fixture(name="english")
def english_fixture(settings: Any) -> Iterator[None]:
    """For tests that read the English wording; the installation's default is German."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def opportunity_data(**extra: Any) -> dict[str, Any]:
    """What a service needs for a valid opportunity in Musterstadt."""
    data: dict[str, Any] = {
        "title": "Lesepatin oder Lesepate gesucht",
        "description": "Sie lesen Kindern in der Stadtbibliothek vor.",
        "kind": "regular",
        "postcode": "83022",
        "city": "Musterstadt",
    }
    data.update(extra)
    return data


def form_data(**extra: Any) -> dict[str, Any]:
    """What the opportunity form posts for a valid opportunity."""
    data: dict[str, Any] = {
        "title": "Lesepatin oder Lesepate gesucht",
        "description": "Sie lesen Kindern in der Stadtbibliothek vor.",
        "kind": "regular",
        "postcode": "83022",
        "city": "Musterstadt",
        "german_level": "1",
        "place_accessibility": "unknown",
        "people_wanted": "2",
    }
    data.update(extra)
    return data


def post(
    organisation: Organisation, actor: Any, *, publish: bool = True, **extra: Any
) -> Opportunity:
    """An opportunity of the organisation, published unless `publish` is False."""
    return services.opportunity_create(
        organisation=organisation, actor=actor, data=opportunity_data(**extra), submit=publish
    )


def moderate(municipality: Municipality, on: bool = True) -> None:
    ExchangeSettings.objects.update_or_create(
        municipality=municipality, defaults={"moderate_opportunities": on}
    )


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture(name="district")
def district_fixture(municipality: Municipality) -> TownDistrict:
    return TownDistrict.objects.create(municipality=municipality, name="Altstadt", slug="altstadt")


@pytest.fixture(name="member")
def member_fixture(organisation: Organisation) -> Any:
    """An ordinary (non-admin) member of the Tafel."""
    user = make_user("mia.member@example.org", first_name="Mia", last_name="Maier")
    actor_services.membership_add(actor=None, organisation=organisation, user=user, role="member")
    return user


@pytest.fixture(name="other_organisation")
def other_organisation_fixture(municipality: Municipality) -> Organisation:
    return actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Sportverein Musterstadt",
        type="club",
        sector="civil_society",
        published=True,
    )


@pytest.fixture(name="other_member")
def other_member_fixture(other_organisation: Organisation) -> Any:
    """An admin of another organisation of the same town."""
    user = make_user("sven.sport@example.org", first_name="Sven", last_name="Sport")
    actor_services.membership_add(
        actor=None, organisation=other_organisation, user=user, role="admin"
    )
    return user


@pytest.fixture(name="agency")
def agency_fixture(municipality: Municipality) -> Organisation:
    return actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Freiwilligenagentur Musterstadt",
        type="volunteer_agency",
        sector="civil_society",
        published=True,
    )


@pytest.fixture(name="agency_worker")
def agency_worker_fixture(agency: Organisation) -> Any:
    user = make_user("ada.agentur@example.org", first_name="Ada", last_name="Agentur")
    actor_services.membership_add(actor=None, organisation=agency, user=user, role="member")
    return user


@pytest.fixture(name="far_organisation")
def far_organisation_fixture(other_municipality: Municipality) -> Organisation:
    return actor_services.organisation_create(
        actor="test",
        municipality=other_municipality,
        name="Tafel Beispielhausen",
        type="club",
        sector="civil_society",
        published=True,
    )


@pytest.fixture(name="far_admin")
def far_admin_fixture(far_organisation: Organisation) -> Any:
    user = make_user("bea.beispiel@example.org", first_name="Bea", last_name="Beispiel")
    actor_services.membership_add(
        actor=None, organisation=far_organisation, user=user, role="admin"
    )
    return user
