"""Posting opportunities: the life cycle table, moderation, posting on behalf, validation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import AuditEvent, OutgoingMail
from gemeinsinn.opportunities.models import Opportunity, Skill
from gemeinsinn.opportunities.selectors.common import opportunities_live
from gemeinsinn.opportunities.services import opportunities as services
from gemeinsinn.opportunities.services.taxonomy import skills_ensure
from gemeinsinn.opportunities.tests.test_posting_support import (  # noqa: F401 - fixtures
    agency_fixture,
    agency_worker_fixture,
    district_fixture,
    english_fixture,
    far_admin_fixture,
    far_organisation_fixture,
    in_days,
    member_fixture,
    moderate,
    opportunity_data,
    other_member_fixture,
    other_organisation_fixture,
    post,
)

S = Opportunity.Status

pytestmark = pytest.mark.usefixtures("english")

# The table of the issue, written out here independently of services.TRANSITIONS:
# which person step is allowed from which status, and where it leads.
ALLOWED: dict[str, dict[str, str]] = {
    "submit": {S.DRAFT: S.PUBLISHED},
    "pause": {S.PUBLISHED: S.PAUSED},
    "resume": {S.PAUSED: S.PUBLISHED},
    "mark_filled": {S.PUBLISHED: S.FILLED, S.PAUSED: S.FILLED},
    "archive": {
        S.DRAFT: S.ARCHIVED,
        S.REVIEW: S.ARCHIVED,
        S.PUBLISHED: S.ARCHIVED,
        S.PAUSED: S.ARCHIVED,
        S.FILLED: S.ARCHIVED,
        S.EXPIRED: S.ARCHIVED,
    },
    "extend": {S.PUBLISHED: S.PUBLISHED, S.PAUSED: S.PAUSED, S.EXPIRED: S.PUBLISHED},
    "approve": {S.REVIEW: S.PUBLISHED},
    "return": {S.REVIEW: S.DRAFT},
}


def _run(step: str, opportunity: Opportunity, actor: Any) -> Opportunity:
    calls: dict[str, Callable[[], Opportunity]] = {
        "submit": lambda: services.opportunity_submit(opportunity=opportunity, actor=actor),
        "pause": lambda: services.opportunity_pause(opportunity=opportunity, actor=actor),
        "resume": lambda: services.opportunity_resume(opportunity=opportunity, actor=actor),
        "mark_filled": lambda: services.opportunity_mark_filled(
            opportunity=opportunity, actor=actor
        ),
        "archive": lambda: services.opportunity_archive(opportunity=opportunity, actor=actor),
        "extend": lambda: services.opportunity_extend(
            opportunity=opportunity, actor=actor, expires_on=in_days(60)
        ),
        "approve": lambda: services.opportunity_approve(opportunity=opportunity, actor=actor),
        "return": lambda: services.opportunity_return(
            opportunity=opportunity, actor=actor, note="Bitte die Zeiten ergänzen."
        ),
    }
    return calls[step]()


@pytest.mark.parametrize("status", list(S.values))
@pytest.mark.parametrize("step", list(ALLOWED))
def test_every_step_from_every_status_does_exactly_what_the_table_allows(
    organisation: Organisation, coordinator: Any, status: str, step: str
) -> None:
    opportunity = post(organisation, coordinator, publish=False)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=status)
    opportunity.refresh_from_db()
    audits_before = AuditEvent.objects.count()
    expected = ALLOWED[step].get(status)
    if expected is None:
        with pytest.raises(ValidationError) as caught:
            _run(step, opportunity, coordinator)
        assert "not possible while the opportunity is" in caught.value.messages[0]
        opportunity.refresh_from_db()
        assert opportunity.status == status
        assert AuditEvent.objects.count() == audits_before
    else:
        changed = _run(step, opportunity, coordinator)
        assert changed.status == expected
        opportunity.refresh_from_db()
        assert opportunity.status == expected
        (event,) = AuditEvent.objects.order_by("pk")[audits_before:]
        assert (event.target_id, event.actor) == (str(opportunity.pk), coordinator)
        assert event.data["status"] == {"before": status, "after": expected}


def test_each_step_writes_an_audit_row_with_the_status_before_and_after(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = post(organisation, org_admin)
    services.opportunity_pause(opportunity=opportunity, actor=org_admin)
    services.opportunity_resume(opportunity=opportunity, actor=org_admin)
    services.opportunity_mark_filled(opportunity=opportunity, actor=org_admin)
    services.opportunity_archive(opportunity=opportunity, actor=org_admin)
    rows = list(
        AuditEvent.objects.filter(
            target_type="opportunities.opportunity", target_id=str(opportunity.pk)
        )
        .order_by("pk")
        .values_list("action", "data__status__before", "data__status__after")
    )
    assert rows == [
        ("opportunity.created", None, None),
        ("opportunity.published", "draft", "published"),
        ("opportunity.paused", "published", "paused"),
        ("opportunity.resumed", "paused", "published"),
        ("opportunity.filled", "published", "filled"),
        ("opportunity.archived", "filled", "archived"),
    ]
    assert all(
        e.actor == org_admin
        for e in AuditEvent.objects.filter(
            target_type="opportunities.opportunity", target_id=str(opportunity.pk)
        )
    )


def test_an_archived_opportunity_can_no_longer_be_edited(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = post(organisation, org_admin)
    services.opportunity_archive(opportunity=opportunity, actor=org_admin)
    with pytest.raises(ValidationError, match="archived opportunity can no longer be changed"):
        services.opportunity_update(opportunity=opportunity, actor=org_admin, data={"title": "Neu"})


# --- moderation ------------------------------------------------------------------------------------


def test_without_moderation_submitting_publishes_at_once(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = post(organisation, org_admin)
    assert opportunity.status == S.PUBLISHED
    assert opportunity.published_at is not None
    assert list(opportunities_live(municipality=organisation.municipality)) == [opportunity]
    assert not OutgoingMail.objects.filter(purpose="opportunities_review").exists()


def test_with_moderation_a_submitted_opportunity_waits_for_the_office_which_is_told(
    organisation: Organisation, org_admin: Any
) -> None:
    moderate(organisation.municipality)
    opportunity = post(organisation, org_admin)
    assert opportunity.status == S.REVIEW
    assert opportunity.published_at is None
    assert list(opportunities_live(municipality=organisation.municipality)) == []
    mail = OutgoingMail.objects.get(purpose="opportunities_review")
    assert mail.recipient == "engagement@musterstadt.example"
    assert "/musterstadt/engagement/verwaltung/pruefung/" in mail.body_text


def test_the_office_approves_and_the_organisation_is_told_with_the_public_link(
    organisation: Organisation, org_admin: Any, coordinator: Any
) -> None:
    moderate(organisation.municipality)
    opportunity = post(organisation, org_admin)
    OutgoingMail.objects.all().delete()
    approved = services.opportunity_approve(opportunity=opportunity, actor=coordinator)
    assert approved.status == S.PUBLISHED
    assert approved.published_at is not None
    (mail,) = OutgoingMail.objects.filter(purpose="opportunities_review")
    assert mail.recipient == "otto.org@example.org"
    assert f"/musterstadt/engagement/angebot/{opportunity.public_id}/" in mail.body_text
    assert AuditEvent.objects.filter(action="opportunity.approved", actor=coordinator).exists()


def test_the_office_returns_with_a_note_the_organisation_reads_and_can_submit_again(
    organisation: Organisation, org_admin: Any, coordinator: Any
) -> None:
    moderate(organisation.municipality)
    opportunity = post(organisation, org_admin)
    OutgoingMail.objects.all().delete()
    returned = services.opportunity_return(
        opportunity=opportunity, actor=coordinator, note="Bitte die Zeiten ergänzen."
    )
    assert (returned.status, returned.moderation_note) == (S.DRAFT, "Bitte die Zeiten ergänzen.")
    (mail,) = OutgoingMail.objects.filter(purpose="opportunities_review")
    assert mail.recipient == "otto.org@example.org"
    assert "Bitte die Zeiten ergänzen." in mail.body_text
    assert f"/angebot/{opportunity.public_id}/bearbeiten/" in mail.body_text
    again = services.opportunity_update(
        opportunity=opportunity,
        actor=org_admin,
        data={"times_note": "dienstags 15 bis 17 Uhr"},
        submit=True,
    )
    assert again.status == S.REVIEW


def test_returning_needs_a_note(
    organisation: Organisation, org_admin: Any, coordinator: Any
) -> None:
    moderate(organisation.municipality)
    opportunity = post(organisation, org_admin)
    with pytest.raises(ValidationError) as caught:
        services.opportunity_return(opportunity=opportunity, actor=coordinator, note="  ")
    assert caught.value.message_dict == {"note": ["Please say what should be changed."]}
    opportunity.refresh_from_db()
    assert opportunity.status == S.REVIEW


def test_only_the_office_of_the_municipality_reviews(
    organisation: Organisation, org_admin: Any, other_coordinator: Any
) -> None:
    moderate(organisation.municipality)
    opportunity = post(organisation, org_admin)
    for person in (org_admin, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.opportunity_approve(opportunity=opportunity, actor=person)
    opportunity.refresh_from_db()
    assert opportunity.status == S.REVIEW


def test_the_office_posting_itself_needs_no_review(
    organisation: Organisation, coordinator: Any
) -> None:
    moderate(organisation.municipality)
    assert post(organisation, coordinator).status == S.PUBLISHED


def test_an_unpublished_organisation_keeps_drafts_but_cannot_publish(
    municipality: Any, volunteer: Any
) -> None:
    from gemeinsinn.actors import services as actor_services

    pending = actor_services.organisation_register(
        actor=volunteer,
        municipality=municipality,
        values={"name": "Neue Initiative", "type": "initiative", "sector": "civil_society"},
    )
    draft = post(pending, volunteer, publish=False)
    assert draft.status == S.DRAFT
    with pytest.raises(ValidationError, match="not published yet"):
        services.opportunity_submit(opportunity=draft, actor=volunteer)
    with pytest.raises(ValidationError, match="not published yet"):
        post(pending, volunteer, title="Zweiter Versuch")
    assert not Opportunity.objects.filter(title="Zweiter Versuch").exists()


def test_resuming_after_the_listing_date_asks_to_extend_first(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = post(organisation, org_admin)
    services.opportunity_pause(opportunity=opportunity, actor=org_admin)
    Opportunity.objects.filter(pk=opportunity.pk).update(expires_on=in_days(-1))
    with pytest.raises(ValidationError, match="extend the listing first"):
        services.opportunity_resume(opportunity=opportunity, actor=org_admin)
    services.opportunity_extend(opportunity=opportunity, actor=org_admin, expires_on=in_days(30))
    assert services.opportunity_resume(opportunity=opportunity, actor=org_admin).status == (
        S.PUBLISHED
    )


# --- who may post ---------------------------------------------------------------------------------


def test_members_admins_and_the_office_post_for_the_organisation(
    organisation: Organisation, org_admin: Any, member: Any, coordinator: Any
) -> None:
    for person in (org_admin, member, coordinator):
        created = post(organisation, person, title=f"Angebot von {person.first_name}")
        assert created.created_by == person
        assert created.posted_by_agency is None
    office = AuditEvent.objects.get(action="opportunity.created", actor=coordinator)
    assert office.data["on_behalf"] == "office"
    own = AuditEvent.objects.get(action="opportunity.created", actor=org_admin)
    assert own.data["on_behalf"] == ""


def test_outsiders_cannot_post_for_an_organisation(
    organisation: Organisation,
    volunteer: Any,
    other_member: Any,
    other_coordinator: Any,
    far_admin: Any,
) -> None:
    for person in (volunteer, other_member, other_coordinator, far_admin):
        with pytest.raises(PermissionDenied):
            post(organisation, person)
    with pytest.raises(PermissionDenied):
        services.opportunity_create(organisation=organisation, actor=None, data=opportunity_data())
    assert not Opportunity.objects.exists()


def test_a_volunteer_agency_posts_on_behalf_and_manages_what_it_posted(
    organisation: Organisation, agency: Organisation, agency_worker: Any
) -> None:
    created = services.opportunity_create(
        organisation=organisation,
        actor=agency_worker,
        data=opportunity_data(),
        agency=agency,
        submit=True,
    )
    assert (created.organisation, created.posted_by_agency) == (organisation, agency)
    assert created.status == S.PUBLISHED
    assert AuditEvent.objects.get(action="opportunity.created").data["on_behalf"] == "agency"
    assert services.opportunity_pause(opportunity=created, actor=agency_worker).status == S.PAUSED


def test_an_agency_post_needs_membership_of_an_agency_of_the_same_town(
    organisation: Organisation,
    agency: Organisation,
    other_organisation: Organisation,
    other_member: Any,
    far_organisation: Organisation,
    far_admin: Any,
) -> None:
    # A member of an ordinary organisation is no agency.
    with pytest.raises(PermissionDenied):
        services.opportunity_create(
            organisation=organisation,
            actor=other_member,
            data=opportunity_data(),
            agency=other_organisation,
        )
    # Nor does naming an agency one does not belong to help.
    with pytest.raises(PermissionDenied):
        services.opportunity_create(
            organisation=organisation, actor=other_member, data=opportunity_data(), agency=agency
        )
    # An agency of another municipality does not post here.
    Organisation.objects.filter(pk=far_organisation.pk).update(type="volunteer_agency")
    far_organisation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.opportunity_create(
            organisation=organisation,
            actor=far_admin,
            data=opportunity_data(),
            agency=far_organisation,
        )
    assert not Opportunity.objects.exists()


# --- validation ------------------------------------------------------------------------------------


def _errors(organisation: Organisation, actor: Any, **extra: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        post(organisation, actor, **extra)
    return caught.value.message_dict


def test_the_listing_date_must_be_from_today_and_within_two_years(
    organisation: Organisation, org_admin: Any
) -> None:
    past = _errors(organisation, org_admin, expires_on=in_days(-1))
    assert past["expires_on"] == [
        "The listing cannot end in the past. Please choose today or a later date."
    ]
    far = _errors(organisation, org_admin, expires_on=in_days(2 * 366 + 1))
    assert "at most two years" in far["expires_on"][0]
    assert post(organisation, org_admin, expires_on=in_days(0)).status == S.PUBLISHED
    assert not Opportunity.objects.filter(expires_on=in_days(-1)).exists()


def test_without_a_date_the_listing_lasts_the_towns_default(
    organisation: Organisation, org_admin: Any
) -> None:
    from gemeinsinn.opportunities.models import ExchangeSettings

    assert post(organisation, org_admin).expires_on == in_days(90)
    ExchangeSettings.objects.create(municipality=organisation.municipality, default_listing_days=30)
    assert post(organisation, org_admin, title="Zweites").expires_on == in_days(30)


def test_the_end_cannot_be_before_the_start(organisation: Organisation, org_admin: Any) -> None:
    errors = _errors(organisation, org_admin, starts_on=in_days(10), ends_on=in_days(9))
    assert errors == {"ends_on": ["The end cannot be before the start."]}


def test_coordinates_come_in_pairs_and_lie_in_germany(
    organisation: Organisation, org_admin: Any
) -> None:
    assert (
        "both latitude and longitude"
        in _errors(organisation, org_admin, latitude=47.85)["longitude"][0]
    )
    swapped = _errors(organisation, org_admin, latitude=12.1, longitude=47.85)
    assert "not in Germany" in swapped["latitude"][0]
    fine = post(organisation, org_admin, latitude=47.85, longitude=12.12)
    assert (fine.latitude, fine.longitude) == (47.85, 12.12)


def test_an_opportunity_needs_a_place_or_must_be_remote(
    organisation: Organisation, org_admin: Any, district: Any
) -> None:
    errors = _errors(organisation, org_admin, postcode="", city="")
    assert "where the engagement takes place" in errors["postcode"][0]
    assert post(organisation, org_admin, postcode="", is_remote=True).is_remote
    assert post(organisation, org_admin, postcode="", district=district).district == district


def test_the_minimum_age_lies_between_0_and_99_and_the_postcode_has_five_digits(
    organisation: Organisation, org_admin: Any
) -> None:
    errors = _errors(organisation, org_admin, minimum_age=120, postcode="8302")
    assert "between 0 and 99" in errors["minimum_age"][0]
    assert errors["postcode"] == ["A postcode has five digits."]
    assert post(organisation, org_admin, minimum_age=0).minimum_age == 0


def test_all_problems_are_reported_at_once_each_on_its_field(
    organisation: Organisation, org_admin: Any
) -> None:
    errors = _errors(
        organisation,
        org_admin,
        title=" ",
        expires_on=in_days(-3),
        starts_on=in_days(5),
        ends_on=in_days(1),
    )
    assert {"title", "expires_on", "ends_on"} <= set(errors)


def test_vocabularies_and_stadtteile_of_another_town_are_refused(
    organisation: Organisation, org_admin: Any, other_municipality: Any
) -> None:
    from gemeinsinn.core.models import TownDistrict

    skills_ensure(municipality=other_municipality)
    foreign_skill = Skill.objects.filter(municipality=other_municipality).first()
    foreign_district = TownDistrict.objects.create(
        municipality=other_municipality, name="Nord", slug="nord"
    )
    errors = _errors(organisation, org_admin, skills=[foreign_skill], district=foreign_district)
    assert errors["skills"] == ["Please choose only entries of this municipality."]
    assert errors["district"] == ["Please choose a Stadtteil of this municipality."]


def test_unknown_fields_are_refused(organisation: Organisation, org_admin: Any) -> None:
    with pytest.raises(ValidationError, match="Unknown fields: status"):
        post(organisation, org_admin, status="published")


def test_a_place_in_the_organisations_postcode_gets_its_public_coordinates(
    organisation: Organisation, org_admin: Any
) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(
        postcode="83022", latitude=Decimal("47.856"), longitude=Decimal("12.128")
    )
    organisation.refresh_from_db()
    same = post(organisation, org_admin)
    assert (same.latitude, same.longitude) == (47.856, 12.128)
    elsewhere = post(organisation, org_admin, postcode="83024", title="Anderswo")
    assert (elsewhere.latitude, elsewhere.longitude) == (None, None)
    # Moving the place to another postcode drops the borrowed coordinates.
    moved = services.opportunity_update(
        opportunity=same, actor=org_admin, data={"postcode": "83026"}
    )
    assert (moved.latitude, moved.longitude) == (None, None)


def test_a_hidden_organisation_address_lends_no_coordinates(
    organisation: Organisation, org_admin: Any
) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(
        postcode="83022",
        latitude=Decimal("47.856"),
        longitude=Decimal("12.128"),
        visibility={**organisation.visibility, "street": "members"},
    )
    organisation.refresh_from_db()
    hidden = post(organisation, org_admin)
    assert (hidden.latitude, hidden.longitude) == (None, None)


# --- editing ------------------------------------------------------------------------------------


def test_an_update_records_each_changed_field_before_and_after(
    organisation: Organisation, org_admin: Any
) -> None:
    skills_ensure(municipality=organisation.municipality)
    skill = Skill.objects.get(municipality=organisation.municipality, slug="kochen")
    opportunity = post(organisation, org_admin)
    services.opportunity_update(
        opportunity=opportunity,
        actor=org_admin,
        data={"title": "Kochen mit Kindern", "people_wanted": 1, "skills": [skill]},
    )
    event = AuditEvent.objects.get(action="opportunity.updated")
    assert event.data["fields"] == ["skills", "title"]
    assert event.data["changes"]["title"] == {
        "before": "Lesepatin oder Lesepate gesucht",
        "after": "Kochen mit Kindern",
    }
    opportunity.refresh_from_db()
    assert list(opportunity.skills.all()) == [skill]


def test_an_update_without_changes_writes_no_audit_row(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = post(organisation, org_admin)
    services.opportunity_update(opportunity=opportunity, actor=org_admin, data=opportunity_data())
    assert not AuditEvent.objects.filter(action="opportunity.updated").exists()


def test_a_new_date_for_an_expired_opportunity_lists_it_again(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = post(organisation, org_admin)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        status=S.EXPIRED, expires_on=in_days(-2), expiry_reminded_at=timezone.now()
    )
    updated = services.opportunity_update(
        opportunity=opportunity, actor=org_admin, data={"expires_on": in_days(20)}
    )
    assert updated.status == S.PUBLISHED
    assert updated.expiry_reminded_at is None
    assert AuditEvent.objects.filter(action="opportunity.extended").exists()


def test_other_peoples_opportunities_cannot_be_changed(
    organisation: Organisation,
    org_admin: Any,
    volunteer: Any,
    other_member: Any,
    other_coordinator: Any,
) -> None:
    opportunity = post(organisation, org_admin)
    for person in (volunteer, other_member, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.opportunity_update(
                opportunity=opportunity, actor=person, data={"title": "Gekapert"}
            )
        with pytest.raises(PermissionDenied):
            services.opportunity_pause(opportunity=opportunity, actor=person)
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.status) == (
        "Lesepatin oder Lesepate gesucht",
        S.PUBLISHED,
    )


def test_extending_refuses_past_and_too_far_dates(
    organisation: Organisation, org_admin: Any
) -> None:
    opportunity = post(organisation, org_admin)
    for bad in (in_days(-1), timezone.localdate() + timedelta(days=800)):
        with pytest.raises(ValidationError) as caught:
            services.opportunity_extend(opportunity=opportunity, actor=org_admin, expires_on=bad)
        assert "expires_on" in caught.value.message_dict


def test_steps_available_follow_the_status(organisation: Organisation, org_admin: Any) -> None:
    opportunity = post(organisation, org_admin, publish=False)
    assert services.steps_available(opportunity) == ["submit", "archive"]
    opportunity.status = S.PUBLISHED
    assert services.steps_available(opportunity) == ["pause", "mark_filled", "extend", "archive"]
    opportunity.status = S.REVIEW
    assert services.steps_available(opportunity, can_moderate=True) == [
        "approve",
        "return",
        "archive",
    ]
    opportunity.status = S.ARCHIVED
    assert services.steps_available(opportunity) == []
