"""Shared people and objects of the application tests (imported by the test_applications_* files)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_user
from gemeinsinn.accounts.models import User
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.models import Application, Opportunity


def make_opportunity(organisation: Organisation, **extra: Any) -> Opportunity:
    values: dict[str, Any] = {
        "municipality": organisation.municipality,
        "organisation": organisation,
        "title": "Lebensmittel ausgeben",
        "description": "Dienstags Lebensmittel an Gäste ausgeben.",
        "status": Opportunity.Status.PUBLISHED,
        "published_at": timezone.now(),
        "expires_on": timezone.localdate() + timedelta(days=30),
    }
    values.update(extra)
    return Opportunity.objects.create(**values)


def make_application(opportunity: Opportunity, volunteer: User, **extra: Any) -> Application:
    """An application straight in the database, in any state (for the state-machine tests)."""
    values: dict[str, Any] = {
        "municipality": opportunity.municipality,
        "opportunity": opportunity,
        "volunteer": volunteer,
        "message": "Ich helfe gern dienstags.",
    }
    values.update(extra)
    if values.get("status") in Application.CLOSED and "closed_at" not in values:
        values["closed_at"] = timezone.now()
    return Application.objects.create(**values)


def url(name: str, municipality: Any, **kwargs: Any) -> str:
    return mreverse(f"opportunities:{name}", municipality, **kwargs)


@pytest.fixture(name="opportunity")
def opportunity_fixture(organisation: Organisation, org_admin: User) -> Opportunity:
    return make_opportunity(organisation)


@pytest.fixture(name="other_volunteer")
def other_volunteer_fixture(municipality: Any) -> User:
    return make_user("olga.other@example.org", first_name="Olga", last_name="Ott")


@pytest.fixture(name="other_organisation")
def other_organisation_fixture(municipality: Any) -> Organisation:
    return actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Sportverein Blau-Weiß",
        type="club",
        sector="civil_society",
        published=True,
        description="Sport für alle.",
    )


@pytest.fixture(name="other_org_admin")
def other_org_admin_fixture(other_organisation: Organisation) -> User:
    user = make_user("siggi.sport@example.org", first_name="Siggi", last_name="Sport")
    actor_services.membership_add(
        actor=None, organisation=other_organisation, user=user, role="admin"
    )
    return user


@pytest.fixture(name="agency")
def agency_fixture(municipality: Any) -> Organisation:
    return actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Freiwilligenagentur Musterstadt",
        type="volunteer_agency",
        sector="civil_society",
        published=True,
        description="Wir beraten.",
    )


@pytest.fixture(name="application")
def application_fixture(opportunity: Opportunity, volunteer: User) -> Application:
    from gemeinsinn.opportunities.services.applications import application_submit

    return application_submit(
        opportunity=opportunity, volunteer=volunteer, message="Ich helfe gern.", share_contact=False
    )
