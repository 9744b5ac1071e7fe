"""Role × page access: who gets which answer, and that municipalities stay apart."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import client_for
from gemeinsinn.core.audit import audit_record

PEOPLE = [
    "anonymous",
    "volunteer",
    "org_admin",
    "coordinator",
    "other_coordinator",
    "platform_admin",
]

PUBLIC = dict.fromkeys(PEOPLE, 200)
LOGGED_IN = {"anonymous": 302, **dict.fromkeys(PEOPLE[1:], 200)}
OFFICE = {
    "anonymous": 302,
    "volunteer": 403,
    "org_admin": 403,
    "coordinator": 200,
    "other_coordinator": 403,
    "platform_admin": 200,
}
ORG_EDIT = {**OFFICE, "org_admin": 200}
ADMIN = {
    "anonymous": 302,
    "volunteer": 302,
    "org_admin": 302,
    "coordinator": 302,
    "other_coordinator": 302,
    "platform_admin": 200,
}

PAGES = [
    ("/", dict.fromkeys(PEOPLE, 200)),
    ("/musterstadt/", PUBLIC),
    ("/musterstadt/impressum/", PUBLIC),
    ("/musterstadt/datenschutz/", PUBLIC),
    ("/musterstadt/nutzungsbedingungen/", PUBLIC),
    ("/musterstadt/barrierefreiheit/", PUBLIC),
    ("/musterstadt/leichte-sprache/", PUBLIC),
    ("/musterstadt/akteure/", PUBLIC),
    ("/musterstadt/akteure/tafel-musterstadt-e-v/", PUBLIC),
    ("/musterstadt/akteure/tafel-musterstadt-e-v/bearbeiten/", ORG_EDIT),
    ("/musterstadt/verwaltung/", OFFICE),
    ("/musterstadt/verwaltung/module/", OFFICE),
    ("/musterstadt/verwaltung/einstellungen/", OFFICE),
    ("/musterstadt/verwaltung/protokoll/", OFFICE),
    ("/musterstadt/verwaltung/postausgang/", OFFICE),
    ("/musterstadt/verwaltung/rueckmeldungen/", OFFICE),
    ("/musterstadt/verwaltung/stadtteile/", OFFICE),
    ("/musterstadt/verwaltung/team/", OFFICE),
    ("/konto/profil/", LOGGED_IN),
    ("/konto/meine-daten/", LOGGED_IN),
    ("/konto/loeschen/", LOGGED_IN),
    ("/admin/", ADMIN),
]


@pytest.fixture
def people(
    volunteer: Any, org_admin: Any, coordinator: Any, other_coordinator: Any, platform_admin: Any
) -> dict[str, Any]:
    return {
        "anonymous": None,
        "volunteer": volunteer,
        "org_admin": org_admin,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "platform_admin": platform_admin,
    }


@pytest.mark.parametrize(("url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_each_role_gets_the_expected_answer_on_each_page(
    people: dict[str, Any], url: str, expected: dict[str, int]
) -> None:
    answers = {name: client_for(user).get(url).status_code for name, user in people.items()}
    assert answers == expected


def test_anonymous_visitors_are_sent_to_the_login_page(municipality: Any) -> None:
    response = client_for(None).get("/musterstadt/verwaltung/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=/musterstadt/verwaltung/")


def test_the_office_of_one_municipality_cannot_open_the_office_of_another(
    coordinator: Any, other_coordinator: Any
) -> None:
    assert client_for(coordinator).get("/beispielhausen/verwaltung/").status_code == 403
    assert client_for(other_coordinator).get("/beispielhausen/verwaltung/").status_code == 200


def test_the_audit_log_shows_only_events_of_its_own_municipality(
    coordinator: Any, municipality: Any, other_municipality: Any
) -> None:
    audit_record(actor="system", action="test.visible_here", municipality=municipality)
    audit_record(actor="system", action="test.secret_elsewhere", municipality=other_municipality)
    page = client_for(coordinator).get("/musterstadt/verwaltung/protokoll/").content.decode()
    assert "test.visible_here" in page
    assert "test.secret_elsewhere" not in page


def test_an_unknown_municipality_answers_404(db: None) -> None:
    assert client_for(None).get("/nirgendwo/").status_code == 404


def test_an_inactive_municipality_answers_404(municipality: Any) -> None:
    municipality.is_active = False
    municipality.save()
    assert client_for(None).get("/musterstadt/").status_code == 404


def test_an_unpublished_organisation_is_not_found_for_outsiders_but_visible_to_its_admin(
    organisation: Any, org_admin: Any, volunteer: Any
) -> None:
    organisation.status = "pending"
    organisation.save()
    url = f"/musterstadt/akteure/{organisation.slug}/"
    assert client_for(volunteer).get(url).status_code == 404
    assert client_for(org_admin).get(url).status_code == 200


def test_an_organisation_of_another_municipality_is_not_found_under_this_one(
    organisation: Any, other_coordinator: Any
) -> None:
    assert (
        client_for(other_coordinator)
        .get(f"/beispielhausen/akteure/{organisation.slug}/")
        .status_code
        == 404
    )


def test_the_administration_link_appears_only_for_the_office(
    coordinator: Any, volunteer: Any
) -> None:
    assert (
        "/musterstadt/verwaltung/" in client_for(coordinator).get("/musterstadt/").content.decode()
    )
    assert (
        "/musterstadt/verwaltung/"
        not in client_for(volunteer).get("/musterstadt/").content.decode()
    )
