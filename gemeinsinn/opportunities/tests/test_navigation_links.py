"""Every page of the exchange can be reached from another page, by the people it is for."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from conftest import client_for
from gemeinsinn.opportunities.tests.test_posting_support import post
from gemeinsinn.opportunities.tests.test_search_support import url


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_members_find_inbox_and_suggestions_from_the_opportunity(
    organisation: Any, org_admin: Any
) -> None:
    opportunity = post(organisation, org_admin)
    town = organisation.municipality
    page = client_for(org_admin).get(url("detail", town, public_id=opportunity.public_id))
    text = page.content.decode()
    assert url("inbox", town, org_slug=organisation.slug) in text
    assert url("suggestions", town, public_id=opportunity.public_id) in text


def test_the_office_gets_no_link_to_applications_it_may_not_read(
    organisation: Any, org_admin: Any, coordinator: Any
) -> None:
    opportunity = post(organisation, org_admin)
    town = organisation.municipality
    text = client_for(coordinator).get(url("manage_list", town, org_slug=organisation.slug))
    assert url("suggestions", town, public_id=opportunity.public_id) not in text.content.decode()


def test_the_exchange_navigation_leads_members_to_their_organisation(
    organisation: Any, org_admin: Any
) -> None:
    town = organisation.municipality
    text = client_for(org_admin).get(url("my_applications", town)).content.decode()
    assert url("manage_list", town, org_slug=organisation.slug) in text
    assert url("recommendations", town) in text
    assert url("saved_searches", town) in text


def test_the_organisation_list_links_inbox_engagements_and_offers(
    organisation: Any, org_admin: Any
) -> None:
    town = organisation.municipality
    text = client_for(org_admin).get(url("manage_list", town, org_slug=organisation.slug))
    body = text.content.decode()
    assert url("inbox", town, org_slug=organisation.slug) in body
    assert url("org_engagements", town, org_slug=organisation.slug) in body
    assert url("offer_list", town) in body
