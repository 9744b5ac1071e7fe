"""Citizens' offers of help: only organisations of the town and its office read them, and they
write through the outbox without learning the person's address."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import client_for, make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.models import AuditEvent, OutgoingMail
from gemeinsinn.opportunities.models import Offer, slot_bit
from gemeinsinn.opportunities.services import offers as services
from gemeinsinn.opportunities.tests.test_posting_support import (  # noqa: F401 - fixtures
    BASE,
    district_fixture,
    english_fixture,
    far_admin_fixture,
    far_organisation_fixture,
    in_days,
    member_fixture,
    other_member_fixture,
    other_organisation_fixture,
)

pytestmark = pytest.mark.usefixtures("english")
LIST = f"{BASE}/hilfsangebote/"
CREATE = f"{BASE}/hilfsangebote/neu/"
MINE = f"{BASE}/meine-hilfsangebote/"
EN = {"Accept-Language": "en"}


def offer_url(offer: Offer, suffix: str) -> str:
    return f"{BASE}/hilfsangebot/{offer.public_id}/{suffix}"


@pytest.fixture
def offer(municipality: Any, volunteer: Any, district: Any) -> Offer:
    return services.offer_create(
        municipality=municipality,
        actor=volunteer,
        data={
            "title": "Hilfe am Computer",
            "description": "Ich erkläre Smartphones und Computer.",
            "district": district,
            "time_slots": slot_bit("wed", "afternoon"),
        },
    )


def _status(response: Any) -> int | str:
    if response.status_code == 302 and "/konto/login/" in response["Location"]:
        return "login"
    return int(response.status_code)


def test_a_person_posts_an_offer_through_the_form(volunteer: Any, municipality: Any) -> None:
    client = client_for(volunteer)
    assert "Wednesday afternoons" in client.get(CREATE, headers=EN).content.decode()
    response = client.post(
        CREATE,
        {"title": "Vorlesen", "description": "Gern für Kinder.", "time_slots": ["sat_morning"]},
        headers=EN,
    )
    assert response.status_code == 302
    assert response["Location"] == MINE
    created = Offer.objects.get()
    assert (created.user, created.municipality, created.status) == (
        volunteer,
        municipality,
        Offer.Status.PUBLISHED,
    )
    assert created.time_slots == slot_bit("sat", "morning")
    assert created.expires_on == in_days(180)
    assert "Vorlesen" in client.get(MINE, headers=EN).content.decode()
    assert AuditEvent.objects.filter(action="offer.created", actor=volunteer).exists()


def test_an_offer_without_a_title_keeps_what_was_typed(volunteer: Any, municipality: Any) -> None:
    response = client_for(volunteer).post(
        CREATE,
        {"title": "", "description": "Gern für Kinder.", "expires_on": "2001-01-01"},
        headers=EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert "Gern für Kinder." in html
    assert 'value="2001-01-01"' in html
    assert not Offer.objects.exists()


def test_a_past_date_is_refused_by_the_service(volunteer: Any, municipality: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.offer_create(
            municipality=municipality,
            actor=volunteer,
            data={"title": "Kochen", "expires_on": in_days(-1)},
        )
    assert "expires_on" in caught.value.message_dict


# --- who sees offers ------------------------------------------------------------------------------

LIST_ACCESS = {
    "anonymous": "login",
    "volunteer": 403,
    "org_admin": 200,
    "member": 200,
    "other_member": 200,
    "coordinator": 200,
    "other_coordinator": 403,
    "far_admin": 403,
}


@pytest.mark.parametrize("role", list(LIST_ACCESS))
def test_only_organisations_of_the_town_and_its_office_see_the_offers(
    offer: Offer,
    volunteer: Any,
    org_admin: Any,
    member: Any,
    other_member: Any,
    coordinator: Any,
    other_coordinator: Any,
    far_admin: Any,
    role: str,
) -> None:
    person = {
        "anonymous": None,
        "volunteer": volunteer,
        "org_admin": org_admin,
        "member": member,
        "other_member": other_member,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "far_admin": far_admin,
    }[role]
    client = client_for(person)
    assert _status(client.get(LIST)) == LIST_ACCESS[role]
    assert _status(client.get(offer_url(offer, "kontakt/"))) == LIST_ACCESS[role]


def test_a_fresh_unmoderated_registration_does_not_open_the_offers(
    offer: Offer, municipality: Any
) -> None:
    newcomer = make_user("neu@example.org", first_name="Nina")
    actor_services.organisation_register(
        actor=newcomer,
        municipality=municipality,
        values={"name": "Ganz neu e. V.", "type": "club", "sector": "civil_society"},
    )
    assert client_for(newcomer).get(LIST).status_code == 403


def test_the_list_shows_first_name_and_stadtteil_but_never_the_address(
    offer: Offer, org_admin: Any
) -> None:
    html = client_for(org_admin).get(LIST, headers=EN).content.decode()
    assert "Hilfe am Computer" in html
    assert "Vera" in html
    assert "Altstadt" in html
    assert "Wednesday: afternoons" in html
    assert "vera.volunteer@example.org" not in html
    assert "Vogel" not in html


def test_paused_withdrawn_expired_and_other_towns_offers_are_not_listed(
    offer: Offer, org_admin: Any, volunteer: Any, other_municipality: Any
) -> None:
    def listed() -> str:
        return client_for(org_admin).get(LIST, headers=EN).content.decode()

    services.offer_create(
        municipality=other_municipality, actor=volunteer, data={"title": "Woanders helfen"}
    )
    assert "Woanders helfen" not in listed()
    services.offer_pause(offer=offer, actor=volunteer)
    assert "Hilfe am Computer" not in listed()
    services.offer_resume(offer=offer, actor=volunteer)
    Offer.objects.filter(pk=offer.pk).update(expires_on=in_days(-1))
    assert "Hilfe am Computer" not in listed()
    assert "Nobody has posted an offer of help yet." in listed()


def test_the_list_costs_the_same_queries_for_few_or_many_offers(
    municipality: Any, org_admin: Any, volunteer: Any, django_assert_num_queries: Any
) -> None:
    services.offer_create(municipality=municipality, actor=volunteer, data={"title": "Eins"})
    client = client_for(org_admin)
    client.get(LIST)
    with django_assert_num_queries(9) as few:
        client.get(LIST)
    for n in range(6):
        person = make_user(f"helfer{n}@example.org", first_name=f"Helfer{n}")
        services.offer_create(municipality=municipality, actor=person, data={"title": f"H{n}"})
    with django_assert_num_queries(len(few)):
        client.get(LIST)


# --- writing to the person -------------------------------------------------------------------------


def test_an_organisation_writes_through_the_outbox_without_seeing_the_address(
    offer: Offer, org_admin: Any, volunteer: Any
) -> None:
    client = client_for(org_admin)
    page = client.get(offer_url(offer, "kontakt/"), headers=EN).content.decode()
    assert volunteer.email not in page
    response = client.post(
        offer_url(offer, "kontakt/"), {"message": "Hätten Sie Lust, bei uns zu helfen?"}, headers=EN
    )
    assert response.status_code == 302
    (mail,) = OutgoingMail.objects.filter(purpose="opportunities_offer_contact")
    assert mail.recipient == "vera.volunteer@example.org"
    assert mail.reply_to == "otto.org@example.org"
    assert "Tafel Musterstadt e. V." in mail.subject
    assert "Hätten Sie Lust, bei uns zu helfen?" in mail.body_text
    assert f"{BASE}/meine-hilfsangebote/" in mail.body_text
    event = AuditEvent.objects.get(action="offer.contacted")
    assert event.data == {"organisation": offer.municipality.organisations.get().pk}
    assert volunteer.email not in str(event.data)


def test_an_organisation_writes_at_most_once_a_week_about_the_same_offer(
    offer: Offer, org_admin: Any, organisation: Any
) -> None:
    services.offer_contact(offer=offer, actor=org_admin, organisation=organisation, message="Hallo")
    with pytest.raises(ValidationError, match="in the last seven days"):
        services.offer_contact(
            offer=offer, actor=org_admin, organisation=organisation, message="Nochmal"
        )
    response = client_for(org_admin).post(offer_url(offer, "kontakt/"), {"message": "Drittens"})
    assert response.status_code == 400
    assert OutgoingMail.objects.filter(purpose="opportunities_offer_contact").count() == 1


def test_an_empty_message_is_refused_and_nothing_is_sent(offer: Offer, org_admin: Any) -> None:
    response = client_for(org_admin).post(
        offer_url(offer, "kontakt/"), {"message": " "}, headers=EN
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not OutgoingMail.objects.filter(purpose="opportunities_offer_contact").exists()


def test_the_office_reads_but_writes_only_from_an_organisation(
    offer: Offer, coordinator: Any
) -> None:
    client = client_for(coordinator)
    page = client.get(offer_url(offer, "kontakt/"), headers=EN).content.decode()
    assert "Only members of a listed organisation can write to people." in page
    client.post(offer_url(offer, "kontakt/"), {"message": "Hallo"}, headers=EN)
    assert not OutgoingMail.objects.filter(purpose="opportunities_offer_contact").exists()


def test_the_service_refuses_writers_outside_the_towns_listed_organisations(
    offer: Offer, volunteer: Any, far_admin: Any, far_organisation: Any, organisation: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.offer_contact(
            offer=offer, actor=volunteer, organisation=organisation, message="Hallo"
        )
    with pytest.raises(PermissionDenied):
        services.offer_contact(
            offer=offer, actor=far_admin, organisation=far_organisation, message="Hallo"
        )
    assert not OutgoingMail.objects.filter(purpose="opportunities_offer_contact").exists()


def test_a_paused_offer_cannot_be_written_about(
    offer: Offer, volunteer: Any, org_admin: Any
) -> None:
    services.offer_pause(offer=offer, actor=volunteer)
    assert client_for(org_admin).get(offer_url(offer, "kontakt/")).status_code == 404


# --- one's own offers ------------------------------------------------------------------------------


def test_the_person_pauses_shows_again_and_withdraws_after_confirmation(
    offer: Offer, volunteer: Any
) -> None:
    client = client_for(volunteer)
    client.post(offer_url(offer, "status/"), {"action": "pause"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PAUSED
    client.post(offer_url(offer, "status/"), {"action": "resume"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    asked = client.post(offer_url(offer, "status/"), {"action": "withdraw"}, headers=EN)
    assert asked.status_code == 200
    assert 'name="confirmed"' in asked.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    client.post(offer_url(offer, "status/"), {"action": "withdraw", "confirmed": "1"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.offer_resume(offer=offer, actor=volunteer)


def test_the_person_edits_their_offer(offer: Offer, volunteer: Any) -> None:
    client = client_for(volunteer)
    page = client.get(offer_url(offer, "bearbeiten/"), headers=EN).content.decode()
    assert 'value="wed_afternoon" id="id_time_slots_7" checked' in page
    response = client.post(
        offer_url(offer, "bearbeiten/"), {"title": "Hilfe mit dem Smartphone"}, headers=EN
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Hilfe mit dem Smartphone"
    assert offer.time_slots == 0
    assert AuditEvent.objects.filter(action="offer.updated").exists()


def test_nobody_else_changes_or_even_finds_a_persons_offer(
    offer: Offer, org_admin: Any, coordinator: Any
) -> None:
    for person in (org_admin, coordinator):
        client = client_for(person)
        assert client.get(offer_url(offer, "bearbeiten/")).status_code == 404
        assert client.post(offer_url(offer, "status/"), {"action": "pause"}).status_code == 404
        assert "Hilfe am Computer" not in client.get(MINE).content.decode()
        with pytest.raises(PermissionDenied):
            services.offer_withdraw(offer=offer, actor=person)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED


def test_offers_of_another_town_are_not_reached_through_this_town(
    volunteer: Any, other_municipality: Any
) -> None:
    elsewhere = services.offer_create(
        municipality=other_municipality, actor=volunteer, data={"title": "Woanders"}
    )
    client = client_for(volunteer)
    assert client.get(offer_url(elsewhere, "bearbeiten/")).status_code == 404
    assert "Woanders" not in client.get(MINE).content.decode()


def test_my_offers_needs_a_login_and_says_what_to_do_when_empty(volunteer: Any) -> None:
    assert _status(client_for(None).get(MINE)) == "login"
    html = client_for(volunteer).get(MINE, headers=EN).content.decode()
    assert "You have not offered your help yet." in html
