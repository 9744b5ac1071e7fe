"""Consent records, self-service data export and deletion that anonymises but keeps aggregates."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError

from conftest import PASSWORD, client_for, give_totp
from gemeinsinn.accounts import selectors, services
from gemeinsinn.accounts.consent import PURPOSES
from gemeinsinn.accounts.models import ConsentRecord, User
from gemeinsinn.actors.models import Membership
from gemeinsinn.core.models import AuditEvent


def test_consent_records_keep_purpose_text_version_and_time(volunteer: Any) -> None:
    record = services.consent_set(user=volunteer, purpose="newsletter", granted=True)
    assert record.purpose == "newsletter"
    assert record.version == "2026-11"
    assert record.text == str(PURPOSES["newsletter"].text)  # the exact wording agreed to
    assert record.created_at is not None


def test_withdrawing_consent_appends_a_record_and_the_latest_one_counts(volunteer: Any) -> None:
    client = client_for(volunteer)
    client.post("/konto/einwilligung/newsletter/", {"granted": "1"})
    client.post("/konto/einwilligung/newsletter/", {"granted": "0"})
    records = ConsentRecord.objects.filter(user=volunteer, purpose="newsletter").order_by(
        "created_at", "id"
    )
    assert [r.granted for r in records] == [True, False]
    current = selectors.consents_current(user=volunteer)["newsletter"]
    assert current is not None
    assert current.granted is False
    assert AuditEvent.objects.filter(actor=volunteer, action="consent.withdrawn").exists()


def test_required_consent_cannot_be_withdrawn_without_deleting_the_account(volunteer: Any) -> None:
    with pytest.raises(ValidationError):
        services.consent_set(user=volunteer, purpose="account", granted=False)
    assert (
        client_for(volunteer).post("/konto/einwilligung/account/", {"granted": "0"}).status_code
        == 400
    )


def test_the_profile_lists_consents_with_their_state(volunteer: Any) -> None:
    services.consent_set(user=volunteer, purpose="matching", granted=True)
    page = client_for(volunteer).get("/konto/profil/").content.decode()
    assert "Suggestions to organisations" in page or "Vorschläge an Organisationen" in page
    assert "2026-11" in page


def test_under_16_sign_up_needs_parental_consent(municipality: Any) -> None:
    user = User.objects.create_user("kid@example.org", PASSWORD)
    today = date(2026, 11, 25)
    with pytest.raises(ValidationError, match="16"):
        services.signup_complete(
            user=user,
            first_name="Kim",
            last_name="K",
            date_of_birth=date(2012, 1, 1),
            guardian_name="",
            parental_consent=False,
            newsletter=False,
            home_municipality=None,
            today=today,
        )
    services.signup_complete(
        user=user,
        first_name="Kim",
        last_name="K",
        date_of_birth=date(2012, 1, 1),
        guardian_name="Karla K",
        parental_consent=True,
        newsletter=False,
        home_municipality=municipality,
        today=today,
    )
    purposes = set(ConsentRecord.objects.filter(user=user).values_list("purpose", flat=True))
    assert purposes == {"account", "terms", "parental"}
    user.refresh_from_db()
    assert user.guardian_name == "Karla K"


def test_the_sign_up_form_refuses_under_16_without_parental_consent_and_keeps_the_input(
    municipality: Any,
) -> None:
    response = client_for(None).post(
        "/konto/signup/",
        {
            "email": "kid@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Kim",
            "date_of_birth": "2015-05-05",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "kid@example.org" in page  # nothing typed is lost
    assert not User.objects.filter(email="kid@example.org").exists()
    assert "16" in page


def test_the_export_contains_all_personal_data_as_json(volunteer: Any, organisation: Any) -> None:
    services.consent_set(user=volunteer, purpose="newsletter", granted=True)
    Membership.objects.create(organisation=organisation, user=volunteer, role="member")
    response = client_for(volunteer).post("/konto/meine-daten/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["account"]["email"] == "vera.volunteer@example.org"
    assert document["account"]["first_name"] == "Vera"
    assert {c["purpose"] for c in document["consents"]} >= {"account", "terms", "newsletter"}
    assert document["memberships"] == [
        {"organisation": "Tafel Musterstadt e. V.", "municipality": "Musterstadt", "role": "member"}
    ]
    assert any(a["action"] == "account.created" for a in document["activity"])


def test_the_export_of_one_person_contains_nothing_of_another(
    volunteer: Any, org_admin: Any
) -> None:
    document = client_for(volunteer).post("/konto/meine-daten/").content.decode()
    assert "otto.org@example.org" not in document
    assert "Ortmann" not in document


def test_deleting_the_account_anonymises_it_but_keeps_the_statistics(
    volunteer: Any, organisation: Any, municipality: Any
) -> None:
    Membership.objects.create(organisation=organisation, user=volunteer, role="member")
    give_totp(volunteer)
    users_before = User.objects.filter(home_municipality=municipality).count()
    client = client_for(volunteer)
    response = client.post("/konto/loeschen/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    volunteer.refresh_from_db()
    assert volunteer.deleted_at is not None
    assert volunteer.is_active is False
    assert "vera" not in volunteer.email
    assert volunteer.first_name == volunteer.last_name == ""
    assert volunteer.date_of_birth is None or volunteer.date_of_birth.month == 1
    assert not volunteer.has_usable_password()
    assert not EmailAddress.objects.filter(user=volunteer).exists()
    assert not Authenticator.objects.filter(user=volunteer).exists()
    assert not Membership.objects.filter(user=volunteer).exists()
    # Aggregates stay: the person still counts for the municipality's statistics.
    assert User.objects.filter(home_municipality=municipality).count() == users_before
    # The audit log no longer names the person.
    assert not AuditEvent.objects.filter(actor_label__icontains="vera").exists()
    assert AuditEvent.objects.filter(action="account.deleted").exists()
    # The session ended and the old credentials no longer work.
    assert client.get("/konto/profil/").status_code == 302
    login = client_for(None).post(
        "/konto/login/", {"login": "vera.volunteer@example.org", "password": PASSWORD}
    )
    assert login.status_code == 200  # the form again, with an error; no redirect into the account


def test_deletion_keeps_the_birth_year_only(municipality: Any) -> None:
    user = services.user_create(
        email="b@example.org", password=PASSWORD, date_of_birth=date(1980, 7, 14)
    )
    services.user_delete(user=user, actor=user)
    user.refresh_from_db()
    assert user.date_of_birth == date(1980, 1, 1)


def test_a_wrong_password_deletes_nothing(volunteer: Any) -> None:
    response = client_for(volunteer).post(
        "/konto/loeschen/", {"password": "wrong", "confirm": "on"}
    )
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.deleted_at is None
    assert volunteer.email == "vera.volunteer@example.org"


def test_deletion_without_confirmation_deletes_nothing(volunteer: Any) -> None:
    response = client_for(volunteer).post("/konto/loeschen/", {"password": PASSWORD})
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.deleted_at is None


def test_nobody_can_delete_someone_else(volunteer: Any, org_admin: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.user_delete(user=volunteer, actor=org_admin)
