"""Claims of imported entries: a code to the entry's e-mail address, or the office decides."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from conftest import client_for, make_user
from gemeinsinn.actors import services
from gemeinsinn.actors.models import Claim, Membership, Organisation
from gemeinsinn.core.models import AuditEvent, OutgoingMail

CLAIM_URL = "/musterstadt/akteure/sportverein-blau-weiss/beanspruchen/"
CODE_URL = CLAIM_URL + "code/"
OFFICE_URL = "/musterstadt/akteure/verwaltung/ansprueche/"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    """These tests read the English wording; the installation's default is German."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def imported(municipality: Any) -> Organisation:
    return services.organisation_create(
        actor="import",
        municipality=municipality,
        name="Sportverein Blau-Weiß",
        type="club",
        sector="civil_society",
        published=True,
        source="import",
        email="vorstand@blau-weiss.example",
    )


@pytest.fixture
def imported_without_email(municipality: Any) -> Organisation:
    return services.organisation_create(
        actor="import",
        municipality=municipality,
        name="Kleingartenverein Sonnenschein",
        type="club",
        sector="civil_society",
        published=True,
        source="import",
    )


@pytest.fixture
def second_person(municipality: Any) -> Any:
    return make_user("sam.second@example.org", first_name="Sam", last_name="Zweiter")


def last_code(address: str = "vorstand@blau-weiss.example") -> str:
    mail = OutgoingMail.objects.filter(recipient=address).order_by("-pk").first()
    assert mail is not None
    match = re.search(r"\b(\d{6})\b", mail.body_text)
    assert match is not None
    return match.group(1)


def is_admin(user: Any, organisation: Organisation) -> bool:
    return Membership.objects.filter(
        organisation=organisation, user=user, role="admin", status="active"
    ).exists()


# --- with a code to the entry's e-mail address ---------------------------------------------------


def test_the_code_goes_to_the_address_on_record_and_makes_the_person_admin(
    imported: Organisation, volunteer: Any
) -> None:
    client = client_for(volunteer)
    page = client.get(CLAIM_URL).content.decode()
    assert "Send the code" in page
    response = client.post(CLAIM_URL, {"message": "Ich bin Kassenwart."})
    assert response.status_code == 302
    assert response["Location"].endswith(CODE_URL)
    mail = OutgoingMail.objects.get(purpose="actors_claim_code")
    assert mail.recipient == "vorstand@blau-weiss.example"
    assert "vera.volunteer@example.org" in mail.body_text
    code = last_code()
    claim = Claim.objects.get(user=volunteer)
    assert claim.code_sent_to == "vorstand@blau-weiss.example"
    assert code not in claim.code_hash
    assert code not in str(list(AuditEvent.objects.values_list("data", flat=True)))
    # The page shows where the code went without giving the address away.
    assert "v***@blau-weiss.example" in client.get(CODE_URL).content.decode()

    response = client.post(CODE_URL, {"code": code})
    assert response.status_code == 302
    assert response["Location"].endswith("/sportverein-blau-weiss/bearbeiten/")
    imported.refresh_from_db()
    assert imported.claimed_at is not None
    assert is_admin(volunteer, imported)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert claim.code_hash == ""
    assert AuditEvent.objects.filter(action="claim.verified", actor=volunteer).exists()


def test_a_wrong_code_counts_an_attempt_and_says_how_many_are_left(
    imported: Organisation, volunteer: Any
) -> None:
    client = client_for(volunteer)
    client.post(CLAIM_URL, {})
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(CODE_URL, {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "4 attempts left" in response.content.decode()
    assert Claim.objects.get(user=volunteer).attempts == 1
    assert not is_admin(volunteer, imported)


def test_after_five_wrong_codes_even_the_right_one_is_refused_until_a_new_code_is_sent(
    imported: Organisation, volunteer: Any
) -> None:
    services.claim_start(actor=volunteer, organisation=imported)
    claim = Claim.objects.get(user=volunteer)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(5):
        with pytest.raises(ValidationError):
            services.claim_verify(actor=volunteer, claim=claim, code=wrong)
    with pytest.raises(ValidationError, match="too often"):
        services.claim_verify(actor=volunteer, claim=claim, code=code)
    assert not is_admin(volunteer, imported)
    # A fresh code (after the one-minute pause) works again.
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        services.claim_code_resend(actor=volunteer, claim=claim)
        services.claim_verify(actor=volunteer, claim=claim, code=last_code())
    assert is_admin(volunteer, imported)


def test_an_expired_code_is_refused(imported: Organisation, volunteer: Any) -> None:
    services.claim_start(actor=volunteer, organisation=imported)
    claim = Claim.objects.get(user=volunteer)
    code = last_code()
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        with pytest.raises(ValidationError, match="expired"):
            services.claim_verify(actor=volunteer, claim=claim, code=code)
        response = client_for(volunteer).post(CODE_URL, {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
        assert "expired" in response.content.decode()
    assert not is_admin(volunteer, imported)


def test_a_new_code_is_sent_at_most_once_a_minute(imported: Organisation, volunteer: Any) -> None:
    client = client_for(volunteer)
    client.post(CLAIM_URL, {})
    first = last_code()
    response = client.post(CODE_URL, {"action": "resend"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "a moment ago" in response.content.decode()
    assert OutgoingMail.objects.filter(purpose="actors_claim_code").count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        client.post(CODE_URL, {"action": "resend"})
        assert OutgoingMail.objects.filter(purpose="actors_claim_code").count() == 2
        second = last_code()
        # The old code is replaced by the new one.
        claim = Claim.objects.get(user=volunteer)
        if first != second:
            with pytest.raises(ValidationError):
                services.claim_verify(actor=volunteer, claim=claim, code=first)
        services.claim_verify(actor=volunteer, claim=claim, code=second)
    assert is_admin(volunteer, imported)


def test_asking_twice_does_not_send_a_second_code(imported: Organisation, volunteer: Any) -> None:
    first = services.claim_start(actor=volunteer, organisation=imported)
    again = services.claim_start(actor=volunteer, organisation=imported)
    assert first.pk == again.pk
    assert OutgoingMail.objects.filter(purpose="actors_claim_code").count() == 1


def test_a_second_persons_pending_claim_is_closed_when_the_first_one_verifies(
    imported: Organisation, volunteer: Any, second_person: Any
) -> None:
    services.claim_start(actor=volunteer, organisation=imported)
    code_first = last_code()
    services.claim_start(actor=second_person, organisation=imported)
    code_second = last_code()
    first = Claim.objects.get(user=volunteer)
    second = Claim.objects.get(user=second_person)
    assert first.pk != second.pk
    # Nobody can use somebody else's claim, and each claim has its own code.
    with pytest.raises(PermissionDenied):
        services.claim_verify(actor=second_person, claim=first, code=code_first)
    if code_first != code_second:
        with pytest.raises(ValidationError):
            services.claim_verify(actor=second_person, claim=second, code=code_first)
    services.claim_verify(actor=volunteer, claim=first, code=code_first)
    second.refresh_from_db()
    assert second.status == Claim.Status.REJECTED
    with pytest.raises(ValidationError, match="already been decided"):
        services.claim_verify(actor=second_person, claim=second, code=code_second)
    assert not is_admin(second_person, imported)
    # The entry is taken: the page now offers joining instead.
    page = client_for(second_person).get(CLAIM_URL).content.decode()
    assert "already managed" in page


def test_a_claimed_or_self_registered_entry_cannot_be_claimed(
    organisation: Organisation, volunteer: Any
) -> None:
    with pytest.raises(ValidationError, match="cannot be claimed"):
        services.claim_start(actor=volunteer, organisation=organisation)
    response = client_for(volunteer).post(
        "/musterstadt/akteure/tafel-musterstadt-e-v/beanspruchen/", {}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "already managed" in response.content.decode()
    assert not Claim.objects.exists()


def test_claiming_needs_a_login_and_an_entry_of_this_municipality(
    imported: Organisation, other_coordinator: Any
) -> None:
    response = client_for(None).get(CLAIM_URL)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    response = client_for(other_coordinator).get(
        "/beispielhausen/akteure/sportverein-blau-weiss/beanspruchen/"
    )
    assert response.status_code == 404


def test_the_code_page_without_a_claim_leads_back_to_the_claim_page(
    imported: Organisation, volunteer: Any
) -> None:
    response = client_for(volunteer).get(CODE_URL)
    assert response.status_code == 302
    assert response["Location"].endswith(CLAIM_URL)


# --- decided by the office -----------------------------------------------------------------------


def test_without_an_email_the_office_approves_the_claim_from_its_list(
    imported_without_email: Organisation, volunteer: Any, coordinator: Any
) -> None:
    url = "/musterstadt/akteure/kleingartenverein-sonnenschein/beanspruchen/"
    client_for(volunteer).post(url, {"message": "Ich bin die Vorsitzende."})
    claim = Claim.objects.get(user=volunteer)
    assert claim.code_hash == ""
    office_mail = OutgoingMail.objects.get(recipient="engagement@musterstadt.example")
    assert "Ich bin die Vorsitzende." in office_mail.body_text
    assert "waiting for the coordination office" in client_for(volunteer).get(url).content.decode()

    client = client_for(coordinator)
    page = client.get(OFFICE_URL).content.decode()
    assert "Kleingartenverein Sonnenschein" in page
    assert "Ich bin die Vorsitzende." in page
    client.post(f"{OFFICE_URL}{claim.pk}/", {"decision": "approve", "note": ""})
    imported_without_email.refresh_from_db()
    assert imported_without_email.claimed_at is not None
    assert is_admin(volunteer, imported_without_email)
    assert OutgoingMail.objects.filter(recipient=volunteer.email, purpose="actors_claim").exists()
    assert AuditEvent.objects.filter(action="claim.approved", actor=coordinator).exists()


def test_the_office_rejects_a_claim_only_with_a_reason(
    imported_without_email: Organisation, volunteer: Any, coordinator: Any
) -> None:
    claim = services.claim_start(actor=volunteer, organisation=imported_without_email)
    client = client_for(coordinator)
    client.post(f"{OFFICE_URL}{claim.pk}/", {"decision": "reject", "note": ""})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING
    client.post(f"{OFFICE_URL}{claim.pk}/", {"decision": "reject", "note": "Nicht im Vorstand."})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert claim.decided_by == coordinator
    mail = OutgoingMail.objects.get(recipient=volunteer.email)
    assert "Nicht im Vorstand." in mail.body_text
    assert not is_admin(volunteer, imported_without_email)


def test_a_person_cannot_verify_a_claim_the_office_decides(
    imported_without_email: Organisation, volunteer: Any
) -> None:
    claim = services.claim_start(actor=volunteer, organisation=imported_without_email)
    with pytest.raises(ValidationError, match="coordination office decides"):
        services.claim_verify(actor=volunteer, claim=claim, code="123456")


def test_only_the_own_office_sees_and_decides_claims(
    imported_without_email: Organisation,
    volunteer: Any,
    second_person: Any,
    other_coordinator: Any,
) -> None:
    claim = services.claim_start(actor=volunteer, organisation=imported_without_email)
    assert client_for(None).get(OFFICE_URL).status_code == 302
    assert client_for(second_person).get(OFFICE_URL).status_code == 403
    assert client_for(other_coordinator).get(OFFICE_URL).status_code == 403
    response = client_for(other_coordinator).post(
        f"/beispielhausen/akteure/verwaltung/ansprueche/{claim.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 404
    assert (
        "Kleingartenverein"
        not in client_for(other_coordinator)
        .get("/beispielhausen/akteure/verwaltung/ansprueche/")
        .content.decode()
    )
    with pytest.raises(PermissionDenied):
        services.claim_decide(actor=other_coordinator, claim=claim, approve=True)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING


def test_no_more_than_ten_codes_a_day_are_sent_for_one_claim(
    imported: Organisation, volunteer: Any
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        claim = services.claim_start(actor=volunteer, organisation=imported)
    for n in range(1, 10):
        with time_machine.travel(start + timedelta(minutes=2 * n), tick=False):
            services.claim_code_resend(actor=volunteer, claim=claim)
    with (
        time_machine.travel(start + timedelta(minutes=30), tick=False),
        pytest.raises(ValidationError, match="Too many codes"),
    ):
        services.claim_code_resend(actor=volunteer, claim=claim)
    assert OutgoingMail.objects.filter(purpose="actors_claim_code").count() == 10
    with time_machine.travel(start + timedelta(days=1, minutes=1), tick=False):
        services.claim_code_resend(actor=volunteer, claim=claim)
    assert OutgoingMail.objects.filter(purpose="actors_claim_code").count() == 11


def test_the_claims_list_costs_the_same_queries_for_2_and_10_claims(
    municipality: Any, coordinator: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def claims(start: int, count: int) -> None:
        for n in range(start, start + count):
            entry = services.organisation_create(
                actor="import",
                municipality=municipality,
                name=f"Verein {n}",
                type="club",
                sector="civil_society",
                published=True,
                source="import",
            )
            services.claim_start(actor=make_user(f"person{n}@example.org"), organisation=entry)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_for(coordinator).get(OFFICE_URL).status_code == 200
        return len(captured.captured_queries)

    claims(0, 2)
    few = queries()
    claims(2, 8)
    assert queries() == few
