"""Saved searches: save from the search page, list, rename, alert on/off, delete with
confirmation; who may see which (only the owner, only in its town)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import client_for, make_user
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.opportunities.models import SavedSearch
from gemeinsinn.opportunities.services import saved_searches as services
from gemeinsinn.opportunities.tests.test_search_support import (
    english_fixture,
    town_fixture,
    url,
)

__all__ = ["english_fixture", "town_fixture"]

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def saved(town: Any, volunteer: Any) -> SavedSearch:
    return services.saved_search_create(
        user=volunteer,
        municipality=town,
        name="Soziales am Dienstag",
        query_string="field=soziales&day=tue",
    )


def test_a_logged_in_person_saves_the_search_without_the_position(
    town: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).post(
        url("saved_search_create", town),
        {
            "name": "In meiner Nähe",
            "query": "q=Garten&lat=47.856&lon=12.128&radius_km=5&field=soziales&seite=3&x=1",
            "alert": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("saved_searches", town)
    saved = SavedSearch.objects.get()
    assert saved.user == volunteer
    assert saved.municipality == town
    assert saved.name == "In meiner Nähe"
    # The position is never stored; the page number and unknown parameters are dropped.
    assert saved.query_string == "q=Garten&field=soziales"
    assert saved.alert is True
    assert saved.alerted_until is not None
    assert AuditEvent.objects.filter(action="saved_search.created").count() == 1


def test_the_search_page_offers_saving_to_logged_in_people_and_login_to_others(
    town: Any, volunteer: Any
) -> None:
    page = client_for(volunteer).get(url("search", town), {"q": "Garten"}).content.decode()
    assert "Save this search" in page
    assert 'name="query" value="q=Garten"' in page
    anonymous = client_for(None).get(url("search", town), {"q": "Garten"}).content.decode()
    assert "Save this search" not in anonymous
    assert "/konto/login/?next=/musterstadt/engagement/%3Fq%3DGarten" in anonymous


def test_saving_anonymously_leads_to_the_login(town: Any) -> None:
    response = client_for(None).post(
        url("saved_search_create", town), {"name": "x", "query": "q=Garten"}
    )
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert not SavedSearch.objects.exists()


def test_saving_without_a_name_goes_back_to_the_search_with_a_message(
    town: Any, volunteer: Any
) -> None:
    response = client_for(volunteer).post(
        url("saved_search_create", town), {"name": "", "query": "q=Garten"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{url('search', town)}?q=Garten"
    assert "Please give the search a name to save it." in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_there_is_a_limit_of_saved_searches(town: Any, volunteer: Any) -> None:
    for n in range(services.MAX_SAVED_SEARCHES):
        SavedSearch.objects.create(user=volunteer, municipality=town, name=f"S{n}")
    with pytest.raises(ValidationError, match="the most possible"):
        services.saved_search_create(
            user=volunteer, municipality=town, name="Noch eine", query_string=""
        )


def test_the_list_shows_the_person_s_searches_of_this_town_with_links(
    saved: SavedSearch, town: Any, volunteer: Any, other_municipality: Any
) -> None:
    SavedSearch.objects.create(user=volunteer, municipality=other_municipality, name="Drüben")
    SavedSearch.objects.create(
        user=make_user("someone@example.org"), municipality=town, name="Fremd"
    )
    response = client_for(volunteer).get(url("saved_searches", town))
    assert [s.name for s in response.context["searches"]] == ["Soziales am Dienstag"]
    page = response.content.decode()
    assert f'href="{url("search", town)}?field=soziales&amp;day=tue"' in page
    assert '<th scope="col">Daily e-mail</th>' in page


def test_an_empty_list_says_how_to_save_a_search(town: Any, volunteer: Any) -> None:
    page = client_for(volunteer).get(url("saved_searches", town)).content.decode()
    assert "You have not saved a search yet." in page


def test_the_owner_renames_and_switches_the_alert_off(
    saved: SavedSearch, town: Any, volunteer: Any
) -> None:
    edit = url("saved_search_edit", town, public_id=saved.public_id)
    assert client_for(volunteer).get(edit).status_code == 200
    response = client_for(volunteer).post(edit, {"name": "Dienstags helfen"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.alert) == ("Dienstags helfen", False)
    assert AuditEvent.objects.filter(action="saved_search.updated").count() == 1


def test_an_empty_name_is_a_form_error(saved: SavedSearch, town: Any, volunteer: Any) -> None:
    response = client_for(volunteer).post(
        url("saved_search_edit", town, public_id=saved.public_id), {"name": " ", "alert": "on"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    saved.refresh_from_db()
    assert saved.name == "Soziales am Dienstag"


def test_delete_asks_first_then_deletes(saved: SavedSearch, town: Any, volunteer: Any) -> None:
    delete = url("saved_search_delete", town, public_id=saved.public_id)
    page = client_for(volunteer).get(delete)
    assert page.status_code == 200
    assert "This cannot be undone." in page.content.decode()
    assert SavedSearch.objects.exists()
    response = client_for(volunteer).post(delete)
    assert response.status_code == 302
    assert not SavedSearch.objects.exists()
    assert AuditEvent.objects.filter(action="saved_search.deleted").count() == 1


@pytest.mark.parametrize("who", ["org_admin", "coordinator", "platform_admin", "other_coordinator"])
@pytest.mark.parametrize("page", ["saved_search_edit", "saved_search_delete"])
def test_nobody_but_the_owner_sees_or_changes_a_saved_search(
    saved: SavedSearch, town: Any, who: str, page: str, request: Any
) -> None:
    person = request.getfixturevalue(who)
    address = url(page, town, public_id=saved.public_id)
    assert client_for(person).get(address).status_code == 404
    assert client_for(person).post(address, {"name": "Übernommen"}).status_code == 404
    saved.refresh_from_db()
    assert saved.name == "Soziales am Dienstag"


@pytest.mark.parametrize("page", ["saved_searches", "saved_search_edit", "saved_search_delete"])
def test_anonymous_visitors_are_asked_to_log_in(saved: SavedSearch, town: Any, page: str) -> None:
    kwargs = {} if page == "saved_searches" else {"public_id": saved.public_id}
    response = client_for(None).get(url(page, town, **kwargs))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_a_saved_search_is_not_found_under_another_town(
    saved: SavedSearch, volunteer: Any, other_municipality: Any
) -> None:
    address = url("saved_search_edit", other_municipality, public_id=saved.public_id)
    assert client_for(volunteer).get(address).status_code == 404


def test_the_services_refuse_another_person(saved: SavedSearch, org_admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.saved_search_update(user=org_admin, saved_search=saved, name="x", alert=True)
    with pytest.raises(PermissionDenied):
        services.saved_search_delete(user=org_admin, saved_search=saved)
    assert SavedSearch.objects.filter(name="Soziales am Dienstag").exists()
