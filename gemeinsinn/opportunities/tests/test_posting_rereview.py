"""Where the office reviews, a live listing's changed text is reviewed again."""

from __future__ import annotations

from typing import Any

from gemeinsinn.core.models import AuditEvent
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.opportunities.services import opportunities as services
from gemeinsinn.opportunities.tests.test_posting_support import moderate, post


def test_a_changed_text_of_a_live_listing_goes_back_to_review(
    organisation: Any, org_admin: Any, coordinator: Any
) -> None:
    opportunity = post(organisation, org_admin)
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED
    moderate(organisation.municipality)

    services.opportunity_update(
        opportunity=opportunity, actor=org_admin, data={"title": "Ganz etwas anderes"}
    )

    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.REVIEW
    assert AuditEvent.objects.filter(action="opportunity.resubmitted").count() == 1


def test_a_new_contact_phone_keeps_the_listing_live(organisation: Any, org_admin: Any) -> None:
    opportunity = post(organisation, org_admin)
    moderate(organisation.municipality)
    services.opportunity_update(
        opportunity=opportunity, actor=org_admin, data={"contact_phone": "0861 12345"}
    )
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED


def test_the_office_changing_the_text_publishes_it_directly(
    organisation: Any, org_admin: Any, coordinator: Any
) -> None:
    opportunity = post(organisation, org_admin)
    moderate(organisation.municipality)
    services.opportunity_update(
        opportunity=opportunity, actor=coordinator, data={"title": "Korrigierter Titel"}
    )
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED


def test_without_review_a_changed_text_stays_live(organisation: Any, org_admin: Any) -> None:
    opportunity = post(organisation, org_admin)
    services.opportunity_update(
        opportunity=opportunity, actor=org_admin, data={"title": "Ganz etwas anderes"}
    )
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED
