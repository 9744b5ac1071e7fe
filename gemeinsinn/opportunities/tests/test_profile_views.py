"""The volunteer profile page and the onboarding questionnaire that fills it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import client_for, make_user
from gemeinsinn.actors.models import FieldOfEngagement
from gemeinsinn.core.models import AuditEvent, TownDistrict
from gemeinsinn.opportunities.models import PostcodeLocation, Skill, VolunteerProfile
from gemeinsinn.opportunities.models.slots import slots_from_keys
from gemeinsinn.opportunities.services.profiles import ProfileInput, profile_save
from gemeinsinn.opportunities.tests.test_matching_recommendations import field, make_opportunity

PROFILE = "/musterstadt/engagement/profil/"
ONBOARDING = "/musterstadt/engagement/einstieg/"


@pytest.fixture(autouse=True)
def _english_site(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def town(municipality: Any) -> Any:
    # Both vocabularies are created on the first visit; tests that post need their ids first.
    client_for(make_user("first.visit@example.org")).get(PROFILE)
    PostcodeLocation.objects.create(postcode="83022", latitude=47.856, longitude=12.128)
    return municipality


def ids(model: Any, municipality: Any, *slugs: str) -> list[str]:
    return [str(model.objects.get(municipality=municipality, slug=s).pk) for s in slugs]


def full_form(town: Any, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "interests": ids(FieldOfEngagement, town, "soziales", "umwelt-natur-tierschutz"),
        "skills": ids(Skill, town, "kochen"),
        "german_level": "2",
        "languages": "Englisch, Arabisch",
        "time_slots": ["tue_evening", "sat_morning"],
        "postcode": "83022",
        "radius_km": "15",
        "remote_ok": "on",
        "age_band": "27-64",
        "suggest_to_organisations": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- profile page ---------------------------------------------------------------------------------


def test_the_profile_page_offers_the_towns_fields_skills_and_a_time_table(
    town: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).get(PROFILE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sozialer Bereich" in page
    assert "Kochen und Bewirtung" in page
    assert '<th scope="row">Tuesday</th>' in page
    assert 'value="tue_evening"' in page
    assert "Tuesday evenings" in page  # the checkbox's label
    assert 'name="age_band"' in page  # no date of birth known


def test_saving_the_profile_stores_everything_and_places_the_postcode(
    town: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).post(PROFILE, full_form(town))
    assert response.status_code == 302

    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.municipality == town
    assert sorted(profile.interests.values_list("slug", flat=True)) == [
        "soziales",
        "umwelt-natur-tierschutz",
    ]
    assert list(profile.skills.values_list("slug", flat=True)) == ["kochen"]
    assert profile.time_slots == slots_from_keys(["tue_evening", "sat_morning"])
    assert (profile.latitude, profile.longitude) == (47.856, 12.128)
    assert profile.radius_km == 15
    assert profile.german_level == 2
    assert profile.age_band == "27-64"
    assert profile.suggest_to_organisations is True
    assert profile.accepts_conduct_certificate is False
    event = AuditEvent.objects.get(action="volunteer_profile.created")
    assert "83022" not in str(event.data)


def test_the_saved_profile_shows_its_answers_again(town: Any, volunteer: Any) -> None:
    client = client_for(volunteer)
    client.post(PROFILE, full_form(town))
    page = client.get(PROFILE).content.decode()
    assert 'value="tue_evening" id="id_time_slots_5" checked' in page
    assert 'value="83022"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"radius_km": "0"}, "greater than or equal to 1"),
        ({"radius_km": "500"}, "less than or equal to 200"),
        ({"time_slots": ["tue_evening", "tue_midnight"]}, "Select a valid choice"),
        ({"postcode": "8302"}, "A postcode has five digits"),
        ({"interests": ["999999"]}, "Select a valid choice"),
        ({"german_level": "7"}, "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_the_saved_profile(
    town: Any, volunteer: Any, changes: dict[str, Any], message: str
) -> None:
    client = client_for(volunteer)
    client.post(PROFILE, full_form(town))

    response = client.post(PROFILE, full_form(town, languages="Französisch", **changes))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "error-summary" in page
    assert 'value="Französisch"' in page  # the typed input stays
    assert VolunteerProfile.objects.get(user=volunteer).languages == "Englisch, Arabisch"


def test_a_field_of_another_municipality_cannot_be_chosen(
    town: Any, volunteer: Any, other_municipality: Any
) -> None:
    foreign = field(other_municipality, "soziales")
    response = client_for(volunteer).post(PROFILE, full_form(town, interests=[str(foreign.pk)]))
    assert response.status_code == 400
    assert not VolunteerProfile.objects.filter(user=volunteer).exists()


def test_an_unknown_postcode_is_kept_and_distances_are_left_out(town: Any, volunteer: Any) -> None:
    response = client_for(volunteer).post(PROFILE, full_form(town, postcode="99999"), follow=True)
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.postcode == "99999"
    assert profile.latitude is None
    assert "distances are not taken into account" in response.content.decode()


def test_a_postcode_is_placed_at_the_centre_of_the_opportunities_there(
    municipality: Any, organisation: Any, volunteer: Any
) -> None:
    make_opportunity(organisation, "A", km_north=0, postcode="83026")
    make_opportunity(organisation, "B", km_north=2, postcode="83026")
    profile = profile_save(
        user=volunteer, municipality=municipality, data=ProfileInput(postcode="83026")
    )
    assert profile.latitude == pytest.approx(47.856 + 1 / 111.32)


def test_the_age_band_is_only_asked_without_a_date_of_birth(town: Any) -> None:
    born = make_user("born@example.org", date_of_birth=date(1990, 1, 1))
    page = client_for(born).get(PROFILE).content.decode()
    assert 'name="age_band"' not in page
    profile_save(user=born, municipality=town, data=ProfileInput(age_band="65+"))
    assert VolunteerProfile.objects.get(user=born).age_band == ""


def test_the_service_names_the_field_of_each_problem(town: Any, volunteer: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        profile_save(
            user=volunteer,
            municipality=town,
            data=ProfileInput(radius_km=0, time_slots=1 << 30, district_id=424242),
        )
    assert set(caught.value.error_dict) == {"radius_km", "time_slots", "district"}
    with pytest.raises(PermissionDenied):
        profile_save(user=AnonymousUser(), municipality=town, data=ProfileInput())


def test_a_stadtteil_without_postcode_places_the_profile_there(
    municipality: Any, organisation: Any, volunteer: Any
) -> None:
    altstadt = TownDistrict.objects.create(municipality=municipality, name="Altstadt", slug="alt")
    make_opportunity(organisation, "In der Altstadt", km_north=3, district=altstadt)
    profile = profile_save(
        user=volunteer, municipality=municipality, data=ProfileInput(district_id=altstadt.pk)
    )
    assert profile.latitude == pytest.approx(47.856 + 3 / 111.32)


def test_the_profile_page_asks_anonymous_visitors_to_log_in(municipality: Any) -> None:
    for url in (PROFILE, ONBOARDING):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


# --- onboarding -----------------------------------------------------------------------------------


def step(client: Any, number: int, data: dict[str, Any], go: str = "next") -> Any:
    return client.post(ONBOARDING, {"step": str(number), "go": go, **data})


def test_the_questionnaire_takes_four_steps_and_ends_on_the_recommendations(
    town: Any, volunteer: Any
) -> None:
    client = client_for(volunteer)
    first = client.get(ONBOARDING)
    assert "Step 1 of 4" in first.content.decode()

    answers = full_form(town)
    response = step(client, 1, {"interests": answers["interests"]})
    assert response["Location"].endswith("?schritt=2")
    assert "Step 2 of 4" in client.get(response["Location"]).content.decode()
    step(client, 2, {"skills": answers["skills"], "german_level": "1", "languages": ""})
    step(client, 3, {"time_slots": ["wed_afternoon"]})
    assert not VolunteerProfile.objects.filter(user=volunteer).exists()  # nothing saved yet
    response = step(client, 4, {"postcode": "83022", "radius_km": "5", "remote_ok": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/musterstadt/engagement/fuer-sie/"
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.interests.count() == 2
    assert profile.german_level == 1
    assert profile.time_slots == slots_from_keys(["wed_afternoon"])
    assert profile.radius_km == 5
    assert profile.onboarded_at is not None
    assert "opportunities.onboarding" not in client.session


def test_going_back_shows_the_answers_given_before(town: Any, volunteer: Any) -> None:
    client = client_for(volunteer)
    step(client, 1, {"interests": ids(FieldOfEngagement, town, "soziales")})
    response = step(client, 2, {"german_level": "2"}, go="back")
    assert response["Location"].endswith("?schritt=1")
    page = client.get(response["Location"]).content.decode()
    soziales = ids(FieldOfEngagement, town, "soziales")[0]
    assert re.search(rf'name="interests" value="{soziales}"[^>]*checked', page)
    assert len(re.findall(r'name="interests"[^>]*checked', page)) == 1
    page = client.get(ONBOARDING + "?schritt=2").content.decode()
    assert re.search(r'value="2"[^>]*id="id_german_level_2"\s+checked', page)


def test_a_bad_answer_keeps_the_step_with_an_error(town: Any, volunteer: Any) -> None:
    client = client_for(volunteer)
    response = step(client, 3, {"time_slots": ["someday"]})
    assert response.status_code == 400
    assert "Step 3 of 4" in response.content.decode()
    assert "Select a valid choice" in response.content.decode()


def test_a_lost_session_asks_the_missing_question_again_and_keeps_the_last_answers(
    town: Any, volunteer: Any
) -> None:
    client = client_for(volunteer)
    response = step(client, 4, {"postcode": "83022", "radius_km": "7"})
    assert response["Location"].endswith("?schritt=1")
    assert not VolunteerProfile.objects.filter(user=volunteer).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Some of your answers were not kept" in page

    step(client, 1, {})
    step(client, 2, {"german_level": "3"})
    step(client, 3, {})
    page = client.get(ONBOARDING + "?schritt=4").content.decode()
    assert 'value="83022"' in page
    response = step(client, 4, {"postcode": "83022", "radius_km": "7"})
    assert response["Location"] == "/musterstadt/engagement/fuer-sie/"
    assert VolunteerProfile.objects.get(user=volunteer).radius_km == 7


def test_a_step_number_out_of_range_shows_a_real_step(town: Any, volunteer: Any) -> None:
    client = client_for(volunteer)
    assert "Step 4 of 4" in client.get(ONBOARDING + "?schritt=9").content.decode()
    assert "Step 1 of 4" in client.get(ONBOARDING + "?schritt=x").content.decode()


def test_answers_of_another_municipality_are_not_carried_over(
    town: Any, volunteer: Any, other_municipality: Any
) -> None:
    client = client_for(volunteer)
    step(client, 1, {"interests": ids(FieldOfEngagement, town, "soziales")})
    response = client.post(
        "/beispielhausen/engagement/einstieg/", {"step": "4", "go": "next", "radius_km": "5"}
    )
    assert response["Location"].endswith("/beispielhausen/engagement/einstieg/?schritt=1")
