"""The people every test can use: a volunteer, an organisation admin, a coordinator and a
platform admin in Musterstadt, and a coordinator of another municipality (Beispielhausen)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from gemeinsinn.accounts import services as account_services
from gemeinsinn.accounts.models import Role, User
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import County, Municipality, State

PASSWORD = "Ehrenamt-2026!"


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests see every search fresh; test_search_cache.py turns the cache on.
    settings.SEARCH_CACHE_SECONDS = 0
    # Every request looks its municipality up afresh; core's test_middleware turns this on.
    settings.MUNICIPALITY_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def make_user(email: str, **extra: Any) -> User:
    return account_services.user_create(email=email, password=PASSWORD, verified=True, **extra)


def give_totp(user: User) -> str:
    secret: str = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def bavaria(db: None) -> State:
    return State.objects.create(code="BY", ags_prefix="09", name="Bayern")


@pytest.fixture
def nrw(db: None) -> State:
    return State.objects.create(code="NW", ags_prefix="05", name="Nordrhein-Westfalen")


@pytest.fixture
def municipality(bavaria: State) -> Municipality:
    county = County.objects.create(state=bavaria, key="09187", name="Landkreis Rosenheim")
    return Municipality.objects.create(
        state=bavaria,
        county=county,
        ags="09187999",
        name="Musterstadt",
        slug="musterstadt",
        contact_email="engagement@musterstadt.example",
    )


@pytest.fixture
def other_municipality(nrw: State) -> Municipality:
    return Municipality.objects.create(
        state=nrw, ags="05315000", name="Beispielhausen", slug="beispielhausen"
    )


@pytest.fixture
def volunteer(municipality: Municipality) -> User:
    return make_user(
        "vera.volunteer@example.org",
        first_name="Vera",
        last_name="Vogel",
        home_municipality=municipality,
    )


@pytest.fixture
def organisation(municipality: Municipality) -> Organisation:
    return actor_services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Tafel Musterstadt e. V.",
        type="club",
        sector="civil_society",
        published=True,
        description="Wir retten Lebensmittel.",
    )


@pytest.fixture
def org_admin(organisation: Organisation) -> User:
    user = make_user("otto.org@example.org", first_name="Otto", last_name="Ortmann")
    actor_services.membership_add(actor=None, organisation=organisation, user=user, role="admin")
    return user


@pytest.fixture
def coordinator(municipality: Municipality) -> User:
    user = make_user("clara.coord@musterstadt.example", first_name="Clara", last_name="Koch")
    account_services.role_grant(
        actor=None, user=user, role=Role.COORDINATOR, municipality=municipality
    )
    give_totp(user)
    return user


@pytest.fixture
def other_coordinator(other_municipality: Municipality) -> User:
    user = make_user("bernd.coord@beispielhausen.example", first_name="Bernd", last_name="Becker")
    account_services.role_grant(
        actor=None, user=user, role=Role.COORDINATOR, municipality=other_municipality
    )
    give_totp(user)
    return user


@pytest.fixture
def platform_admin(db: None) -> User:
    user = User.objects.create_superuser("admin@gemeinsinn.example", PASSWORD)
    give_totp(user)
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
