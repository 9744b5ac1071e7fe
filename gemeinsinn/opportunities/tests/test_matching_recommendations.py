"""Recommended for you: live opportunities that fit the profile, best first, with their reasons."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from conftest import client_for, make_user
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import FieldOfEngagement
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models import (
    Application,
    ExchangeSettings,
    Opportunity,
    Skill,
    VolunteerProfile,
)
from gemeinsinn.opportunities.models.slots import slots_from_keys
from gemeinsinn.opportunities.selectors.recommendations import recommendations_for
from gemeinsinn.opportunities.services.taxonomy import skills_ensure

URL = "/musterstadt/engagement/fuer-sie/"
HOME = (47.8560, 12.1280)
# 0.0108° of latitude ≈ 1.2 km.
KM = 1 / 111.32


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    """These tests read the English wording; the installation's default is German."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def field(municipality: Municipality, slug: str) -> FieldOfEngagement:
    actor_services.taxonomies_ensure(municipality=municipality)
    return FieldOfEngagement.objects.get(municipality=municipality, slug=slug)


def skill(municipality: Municipality, slug: str) -> Skill:
    skills_ensure(municipality=municipality)
    return Skill.objects.get(municipality=municipality, slug=slug)


def make_opportunity(
    organisation: Any,
    title: str,
    *,
    fields: Iterable[str] = (),
    skills: Iterable[str] = (),
    km_north: float | None = 1.0,
    days_old: int = 0,
    **extra: Any,
) -> Opportunity:
    """A published opportunity of the organisation, `km_north` of HOME (None: no place)."""
    municipality = organisation.municipality
    values: dict[str, Any] = {
        "municipality": municipality,
        "organisation": organisation,
        "title": title,
        "description": f"{title}: Beschreibung",
        "status": Opportunity.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(days=days_old),
        "expires_on": timezone.localdate() + timedelta(days=30),
        "german_level": 1,
    }
    if km_north is not None:
        values["latitude"] = HOME[0] + km_north * KM
        values["longitude"] = HOME[1]
    values.update(extra)
    opportunity = Opportunity.objects.create(**values)
    opportunity.engagement_fields.set([field(municipality, slug) for slug in fields])
    opportunity.skills.set([skill(municipality, slug) for slug in skills])
    return opportunity


def make_profile(
    user: Any,
    municipality: Municipality,
    *,
    interests: Iterable[str] = (),
    skills: Iterable[str] = (),
    located: bool = True,
    slots: Iterable[str] = (),
    **extra: Any,
) -> VolunteerProfile:
    values: dict[str, Any] = {
        "user": user,
        "municipality": municipality,
        "radius_km": 10,
        "time_slots": slots_from_keys(slots),
    }
    if located:
        values["latitude"], values["longitude"] = HOME
    values.update(extra)
    profile = VolunteerProfile.objects.create(**values)
    profile.interests.set([field(municipality, slug) for slug in interests])
    profile.skills.set([skill(municipality, slug) for slug in skills])
    return profile


@pytest.fixture
def town(municipality: Municipality, organisation: Any, volunteer: Any) -> Municipality:
    make_profile(
        volunteer,
        municipality,
        interests=["umwelt-natur-tierschutz", "soziales"],
        skills=["kochen"],
    )
    return municipality


def titles(found: Iterable[Any]) -> list[str]:
    return [r.opportunity.title for r in found]


def test_recommendations_are_ordered_by_how_well_they_fit(
    town: Municipality, organisation: Any, volunteer: Any
) -> None:
    make_opportunity(organisation, "Kein Bezug", fields=["sport-bewegung"])
    make_opportunity(organisation, "Halb", fields=["soziales", "sport-bewegung"])
    make_opportunity(
        organisation,
        "Ganz",
        fields=["umwelt-natur-tierschutz", "soziales"],
        skills=["kochen"],
    )

    found = recommendations_for(user=volunteer, municipality=town)

    assert titles(found) == ["Ganz", "Halb", "Kein Bezug"]
    assert found[0].score > found[1].score > found[2].score
    assert found[0].distance_km == pytest.approx(1.0, abs=0.01)


def test_each_recommendation_says_why_it_fits(
    town: Municipality, organisation: Any, volunteer: Any
) -> None:
    make_opportunity(
        organisation,
        "Tafel",
        fields=["umwelt-natur-tierschutz", "soziales"],
        skills=["kochen"],
        km_north=1.2,
        time_slots=slots_from_keys(["tue_evening"]),
        days_old=20,
    )

    (found,) = recommendations_for(user=volunteer, municipality=town)

    assert found.explanation == (
        "fits your interests Sozialer Bereich and Umwelt, Naturschutz oder Tierschutz; "
        "uses your skill Kochen und Bewirtung; 1.2 km away; Tuesday evenings"
    )


def test_what_cannot_fit_is_never_recommended(
    town: Municipality,
    organisation: Any,
    volunteer: Any,
    other_municipality: Municipality,
) -> None:
    make_opportunity(organisation, "Passt", fields=["soziales"])
    make_opportunity(organisation, "Zu weit", fields=["soziales"], km_north=25)
    make_opportunity(organisation, "Führungszeugnis", needs_conduct_certificate=True)
    make_opportunity(organisation, "Deutsch C1", german_level=3)
    make_opportunity(organisation, "Entwurf", status=Opportunity.Status.DRAFT)
    make_opportunity(
        organisation, "Abgelaufen", expires_on=timezone.localdate() - timedelta(days=1)
    )
    make_opportunity(organisation, "Ab 18", minimum_age=18)
    applied = make_opportunity(organisation, "Schon beworben", fields=["soziales"])
    Application.objects.create(municipality=town, opportunity=applied, volunteer=volunteer)
    elsewhere = actor_services.organisation_create(
        actor="test",
        municipality=other_municipality,
        name="Verein anderswo",
        type="club",
        sector="civil_society",
        published=True,
    )
    make_opportunity(elsewhere, "Andere Gemeinde")
    VolunteerProfile.objects.filter(user=volunteer).update(german_level=2)

    assert titles(recommendations_for(user=volunteer, municipality=town)) == ["Passt"]


def test_remote_and_unplaced_opportunities_are_recommended_however_far(
    town: Municipality, organisation: Any, volunteer: Any
) -> None:
    make_opportunity(organisation, "Online", km_north=80, is_remote=True)
    make_opportunity(organisation, "Ohne Ort", km_north=None)
    make_opportunity(organisation, "Nur online", km_north=None, is_remote=True)

    assert sorted(titles(recommendations_for(user=volunteer, municipality=town))) == [
        "Nur online",
        "Ohne Ort",
        "Online",
    ]
    VolunteerProfile.objects.filter(user=volunteer).update(remote_ok=False)
    assert titles(recommendations_for(user=volunteer, municipality=town)) == ["Ohne Ort"]


def test_times_must_overlap_with_the_persons_free_times(
    town: Municipality, organisation: Any, volunteer: Any
) -> None:
    VolunteerProfile.objects.filter(user=volunteer).update(
        time_slots=slots_from_keys(["tue_evening", "sat_morning"])
    )
    make_opportunity(organisation, "Dienstag", time_slots=slots_from_keys(["tue_evening"]))
    make_opportunity(organisation, "Montag", time_slots=slots_from_keys(["mon_morning"]))
    make_opportunity(organisation, "Flexibel", time_slots=0)

    assert sorted(titles(recommendations_for(user=volunteer, municipality=town))) == [
        "Dienstag",
        "Flexibel",
    ]


def test_the_offices_weights_decide_between_interest_and_distance(
    town: Municipality, organisation: Any, volunteer: Any
) -> None:
    make_opportunity(organisation, "Passend, weiter weg", fields=["soziales"], km_north=8)
    make_opportunity(organisation, "Nah, anderes Thema", fields=["sport-bewegung"], km_north=0)
    ExchangeSettings.objects.create(
        municipality=town,
        weight_fields=10,
        weight_skills=0,
        weight_distance=1,
        weight_time=0,
        weight_freshness=0,
    )
    assert titles(recommendations_for(user=volunteer, municipality=town))[0] == (
        "Passend, weiter weg"
    )
    ExchangeSettings.objects.filter(municipality=town).update(weight_fields=1, weight_distance=10)
    assert titles(recommendations_for(user=volunteer, municipality=town))[0] == (
        "Nah, anderes Thema"
    )


def test_a_person_without_profile_gets_no_recommendations(
    municipality: Municipality, organisation: Any
) -> None:
    make_opportunity(organisation, "Tafel")
    nobody = make_user("neu@example.org")
    assert recommendations_for(user=nobody, municipality=municipality) == []


# --- the page -------------------------------------------------------------------------------------


def test_the_page_lists_recommendations_with_their_reasons(
    town: Municipality, organisation: Any, volunteer: Any
) -> None:
    opportunity = make_opportunity(organisation, "Lebensmittel retten", fields=["soziales"])

    response = client_for(volunteer).get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Lebensmittel retten" in page
    assert f"/musterstadt/engagement/angebot/{opportunity.public_id}/" in page
    assert "fits your interest Sozialer Bereich" in page


def test_without_a_profile_the_page_invites_to_the_questionnaire(municipality: Any) -> None:
    response = client_for(make_user("neu@example.org")).get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tell us what you like" in page
    assert "/musterstadt/engagement/einstieg/" in page


def test_with_a_profile_but_no_fit_the_page_says_what_to_change(
    town: Municipality, volunteer: Any
) -> None:
    page = client_for(volunteer).get(URL).content.decode()
    assert "No opportunity fits all your wishes right now." in page
    assert "/musterstadt/engagement/profil/" in page


def test_the_page_asks_anonymous_visitors_to_log_in(municipality: Any) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_page_needs_the_same_queries_for_few_and_many_opportunities(
    town: Municipality,
    organisation: Any,
    volunteer: Any,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(volunteer)
    for n in range(3):
        make_opportunity(organisation, f"Angebot {n}", fields=["soziales"], skills=["kochen"])
    client.get(URL)  # warm the session and taxonomy caches
    with django_assert_num_queries(QUERIES_PAGE):
        assert client.get(URL).status_code == 200
    for n in range(3, 12):
        make_opportunity(
            organisation, f"Angebot {n}", fields=["soziales", "kultur-musik"], skills=["kochen"]
        )
    with django_assert_num_queries(QUERIES_PAGE):
        page = client.get(URL).content.decode()
    assert page.count("fits your interest") == 12


# Session, user, role grants (header), municipality (middleware); the profile with its
# interests and skills; the weights; the candidates' facts; their fields; their skills; the
# recommended ones with organisation and Stadtteil; their fields for the cards; the
# sub-navigation's organisations.
QUERIES_PAGE = 14
