"""The consent to share contact data names everybody who will see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from conftest import client_for
from gemeinsinn.opportunities.services import opportunities as posting
from gemeinsinn.opportunities.tests.test_posting_support import (
    agency_fixture,
    agency_worker_fixture,
    opportunity_data,
)
from gemeinsinn.opportunities.tests.test_search_support import url

__all__ = ["agency_fixture", "agency_worker_fixture"]


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_the_consent_names_the_agency_that_handles_the_opportunity(
    organisation: Any, agency: Any, agency_worker: Any, volunteer: Any
) -> None:
    opportunity = posting.opportunity_create(
        organisation=organisation,
        actor=agency_worker,
        data=opportunity_data(),
        agency=agency,
        submit=True,
    )
    page = client_for(volunteer).get(
        url("apply", organisation.municipality, public_id=opportunity.public_id)
    )
    text = page.content.decode()
    assert "Freiwilligenagentur Musterstadt" in text
    assert "which handles this opportunity for it" in text


def test_the_consent_names_only_the_organisation_when_it_posted_itself(
    organisation: Any, org_admin: Any, volunteer: Any
) -> None:
    opportunity = posting.opportunity_create(
        organisation=organisation, actor=org_admin, data=opportunity_data(), submit=True
    )
    page = client_for(volunteer).get(
        url("apply", organisation.municipality, public_id=opportunity.public_id)
    )
    text = page.content.decode()
    assert f"phone number with {organisation.name}" in text
    assert "which handles this opportunity" not in text
