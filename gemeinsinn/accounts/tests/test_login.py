"""Login, lockout after repeated failures, and MFA for staff roles."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from conftest import PASSWORD, client_for, make_user
from gemeinsinn.accounts import services
from gemeinsinn.accounts.models import Role


def _login(client: Any, email: str, password: str) -> Any:
    return client.post("/konto/login/", {"login": email, "password": password})


def test_a_verified_volunteer_logs_in_and_lands_on_the_profile(volunteer: Any) -> None:
    response = _login(client_for(None), volunteer.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/konto/profil/"


def test_a_wrong_password_gets_a_clear_message_in_german(volunteer: Any) -> None:
    response = _login(client_for(None), volunteer.email, "falsch")
    assert response.status_code == 200
    assert "E-Mail-Adresse und/oder das Passwort sind leider falsch" in response.content.decode()


def test_login_is_locked_after_five_failures_even_with_the_right_password(volunteer: Any) -> None:
    client = client_for(None)
    for _ in range(5):
        assert _login(client, volunteer.email, "falsch").status_code == 200
    response = _login(client, volunteer.email, PASSWORD)
    assert response.status_code in (200, 429)
    page = response.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_for_one_address_does_not_lock_out_another(
    volunteer: Any, org_admin: Any
) -> None:
    client = client_for(None)
    for _ in range(5):
        _login(client, volunteer.email, "falsch")
    assert _login(client, org_admin.email, PASSWORD).status_code == 302


def test_the_lockout_message_is_english_for_english_users(volunteer: Any) -> None:
    client = client_for(None)
    for _ in range(5):
        client.post(
            "/konto/login/", {"login": volunteer.email, "password": "x"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    response = client.post(
        "/konto/login/", {"login": volunteer.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Too many failed login attempts" in response.content.decode()


def test_a_coordinator_without_a_second_factor_is_sent_to_set_one_up(municipality: Any) -> None:
    person = make_user("neu@musterstadt.example")
    services.role_grant(actor=None, user=person, role=Role.COORDINATOR, municipality=municipality)
    client = client_for(person)
    response = client.get("/musterstadt/verwaltung/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"
    # The account area stays reachable so the person can set it up or log out.
    # (allauth may first ask for the password again: that too stays in the account area).
    setup = client.get("/konto/2fa/totp/activate/")
    assert setup.status_code == 200 or setup["Location"].startswith("/konto/")
    assert client.get("/konto/profil/").status_code == 200


def test_a_volunteer_needs_no_second_factor(volunteer: Any) -> None:
    assert client_for(volunteer).get("/musterstadt/").status_code == 200
    assert not Authenticator.objects.filter(user=volunteer).exists()


def test_a_platform_admin_without_a_second_factor_cannot_open_the_admin(db: None) -> None:
    from gemeinsinn.accounts.models import User

    admin = User.objects.create_superuser("root@example.org", PASSWORD)
    response = client_for(admin).get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"


def test_a_coordinator_with_totp_is_asked_for_the_code_at_login(coordinator: Any) -> None:
    client = client_for(None)
    response = _login(client, coordinator.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
