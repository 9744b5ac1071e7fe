"""The application services: state machine, audit, double submit, consent gate, engagements."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gemeinsinn.accounts.models import Notification
from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.opportunities.models import (
    Application,
    ApplicationMessage,
    Engagement,
    Opportunity,
    Referral,
)
from gemeinsinn.opportunities.services import applications as services
from gemeinsinn.opportunities.tests.test_applications_support import (  # noqa: F401 - fixtures
    agency_fixture,
    application_fixture,
    make_application,
    make_opportunity,
    opportunity_fixture,
    other_org_admin_fixture,
    other_organisation_fixture,
    other_volunteer_fixture,
)

S = Application.Status

# The table of the issue, written out here independently of services.TRANSITIONS.
ALLOWED: dict[str, set[str]] = {
    S.SUBMITTED: {"ask", "hold", "accept", "decline", "withdraw"},
    S.QUESTION: {"answer", "hold", "accept", "decline", "withdraw"},
    S.ON_HOLD: {"ask", "accept", "decline", "withdraw"},
    S.ACCEPTED: set(),
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
}
RESULT = {
    "ask": S.QUESTION,
    "answer": S.SUBMITTED,
    "hold": S.ON_HOLD,
    "accept": S.ACCEPTED,
    "decline": S.DECLINED,
    "withdraw": S.WITHDRAWN,
}


def _run(action: str, application: Application, volunteer: Any, handler: Any) -> Any:
    calls: dict[str, Callable[[], Any]] = {
        "ask": lambda: services.application_ask(
            application=application, actor=handler, question="Haben Sie einen Führerschein?"
        ),
        "answer": lambda: services.application_answer(
            application=application, actor=volunteer, answer="Ja."
        ),
        "hold": lambda: services.application_hold(application=application, actor=handler),
        "accept": lambda: services.application_accept(application=application, actor=handler),
        "decline": lambda: services.application_decline(
            application=application, actor=handler, reason="Alle Plätze sind vergeben."
        ),
        "withdraw": lambda: services.application_withdraw(application=application, actor=volunteer),
    }
    return calls[action]()


@pytest.mark.parametrize("status", list(ALLOWED))
@pytest.mark.parametrize("action", list(RESULT))
def test_every_state_and_action_follows_the_table_and_audits_each_success_once(
    status: str, action: str, opportunity: Opportunity, volunteer: Any, org_admin: Any
) -> None:
    target = make_application(opportunity, volunteer, status=status)
    before = AuditEvent.objects.count()
    if action in ALLOWED[status]:
        _run(action, target, volunteer, org_admin)
        target.refresh_from_db()
        assert target.status == RESULT[action]
        assert AuditEvent.objects.count() == before + 1
        assert AuditEvent.objects.latest("pk").target_id == str(target.pk)
    else:
        with pytest.raises(ValidationError):
            _run(action, target, volunteer, org_admin)
        target.refresh_from_db()
        assert target.status == status
        assert AuditEvent.objects.count() == before


def test_the_services_table_is_the_issues_table() -> None:
    for status, actions in ALLOWED.items():
        assert services.TRANSITIONS[status] == {RESULT[a] for a in actions}


@pytest.mark.parametrize("action", ["ask", "hold", "accept", "decline"])
def test_the_volunteer_cannot_take_the_organisations_steps(
    action: str, application: Application, volunteer: Any
) -> None:
    with pytest.raises(PermissionDenied):
        _run(action, application, volunteer, volunteer)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


@pytest.mark.parametrize("action", ["ask", "hold", "accept", "decline"])
def test_another_organisations_admin_and_the_office_cannot_handle_the_application(
    action: str,
    application: Application,
    volunteer: Any,
    other_org_admin: Any,
    coordinator: Any,
) -> None:
    for outsider in (other_org_admin, coordinator):
        with pytest.raises(PermissionDenied):
            _run(action, application, volunteer, outsider)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_only_the_applicant_can_withdraw_or_share(
    application: Application, other_volunteer: Any, org_admin: Any
) -> None:
    for somebody in (other_volunteer, org_admin):
        with pytest.raises(PermissionDenied):
            services.application_withdraw(application=application, actor=somebody)
        with pytest.raises(PermissionDenied):
            services.application_share_contact(application=application, actor=somebody)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.contact_email == ""


def test_submitting_twice_keeps_one_application(
    opportunity: Opportunity, volunteer: Any, org_admin: Any
) -> None:
    first = services.application_submit(
        opportunity=opportunity, volunteer=volunteer, message="Hallo", share_contact=False
    )
    second = services.application_submit(
        opportunity=opportunity, volunteer=volunteer, message="Noch mal", share_contact=True
    )
    assert first.pk == second.pk
    assert Application.objects.count() == 1
    assert AuditEvent.objects.filter(action="application.submitted").count() == 1
    # The second submit changed nothing, not even the consent.
    second.refresh_from_db()
    assert second.message == "Hallo"
    assert second.contact_shared_at is None


def test_the_database_refuses_a_second_live_application(
    application: Application, opportunity: Opportunity, volunteer: Any
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_application(opportunity, volunteer)


def test_after_a_withdrawal_the_person_can_apply_again(
    application: Application, opportunity: Opportunity, volunteer: Any
) -> None:
    services.application_withdraw(application=application, actor=volunteer)
    again = services.application_submit(
        opportunity=opportunity, volunteer=volunteer, message="", share_contact=False
    )
    assert again.pk != application.pk
    assert again.status == S.SUBMITTED


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Opportunity.Status.DRAFT},
        {"status": Opportunity.Status.PAUSED},
        {"expires_on": date(2020, 1, 1)},
    ],
)
def test_only_live_opportunities_take_applications(
    changes: dict[str, Any], organisation: Any, volunteer: Any
) -> None:
    closed = make_opportunity(organisation, **changes)
    with pytest.raises(ValidationError):
        services.application_submit(
            opportunity=closed, volunteer=volunteer, message="", share_contact=False
        )
    assert not Application.objects.exists()


def test_members_of_the_organisation_cannot_apply_to_it(
    opportunity: Opportunity, org_admin: Any
) -> None:
    with pytest.raises(ValidationError, match=r"member|Mitglied"):
        services.application_submit(
            opportunity=opportunity, volunteer=org_admin, message="", share_contact=True
        )


def test_contact_data_stays_empty_without_consent(application: Application) -> None:
    application.refresh_from_db()
    assert application.contact_shared_at is None
    assert (application.contact_name, application.contact_email, application.contact_phone) == (
        "",
        "",
        "",
    )


def test_contact_data_is_copied_when_shared_on_submit(
    opportunity: Opportunity, volunteer: Any
) -> None:
    shared = services.application_submit(
        opportunity=opportunity,
        volunteer=volunteer,
        message="",
        share_contact=True,
        phone="0151 123 456",
    )
    shared.refresh_from_db()
    assert shared.contact_shared_at is not None
    assert shared.contact_name == "Vera Vogel"
    assert shared.contact_email == "vera.volunteer@example.org"
    assert shared.contact_phone == "0151 123 456"


def test_a_phone_number_without_consent_is_not_stored(
    opportunity: Opportunity, volunteer: Any
) -> None:
    found = services.application_submit(
        opportunity=opportunity,
        volunteer=volunteer,
        message="",
        share_contact=False,
        phone="0151 123 456",
    )
    found.refresh_from_db()
    assert found.contact_phone == ""


def test_sharing_later_copies_the_data_once_and_audits_it(
    application: Application, volunteer: Any
) -> None:
    services.application_share_contact(application=application, actor=volunteer, phone="0800 1")
    application.refresh_from_db()
    assert application.contact_email == volunteer.email
    assert application.contact_phone == "0800 1"
    assert AuditEvent.objects.filter(action="application.contact_shared").count() == 1
    with pytest.raises(ValidationError):
        services.application_share_contact(application=application, actor=volunteer)


def test_answering_can_share_the_contact_data(
    application: Application, volunteer: Any, org_admin: Any
) -> None:
    services.application_ask(application=application, actor=org_admin, question="Wann?")
    services.application_answer(
        application=application, actor=volunteer, answer="Dienstags.", share_contact=True
    )
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.contact_email == volunteer.email
    bodies = list(application.messages.values_list("from_organisation", "body"))
    assert bodies == [(True, "Wann?"), (False, "Dienstags.")]


def test_a_closed_application_cannot_share_contact_data(
    application: Application, volunteer: Any
) -> None:
    services.application_withdraw(application=application, actor=volunteer)
    with pytest.raises(ValidationError):
        services.application_share_contact(application=application, actor=volunteer)


def test_declining_needs_a_reason(application: Application, org_admin: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.application_decline(application=application, actor=org_admin, reason="  ")
    assert "reason" in caught.value.message_dict
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_asking_needs_a_question(application: Application, org_admin: Any) -> None:
    with pytest.raises(ValidationError):
        services.application_ask(application=application, actor=org_admin, question="")
    assert not ApplicationMessage.objects.exists()


def test_accepting_creates_exactly_one_engagement(
    application: Application, volunteer: Any, org_admin: Any, organisation: Any
) -> None:
    engagement = services.application_accept(
        application=application, actor=org_admin, starts_on=date(2030, 3, 1)
    )
    assert Engagement.objects.count() == 1
    assert engagement.volunteer == volunteer
    assert engagement.organisation == organisation
    assert engagement.opportunity == application.opportunity
    assert engagement.application == application
    assert engagement.starts_on == date(2030, 3, 1)
    assert engagement.placed_by is None
    with pytest.raises(ValidationError):
        services.application_accept(application=application, actor=org_admin)
    assert Engagement.objects.count() == 1


def test_accepting_without_a_date_starts_today(application: Application, org_admin: Any) -> None:
    engagement = services.application_accept(application=application, actor=org_admin)
    assert engagement.starts_on == timezone.localdate()


def test_an_application_through_a_referral_is_placed_by_the_agency(
    opportunity: Opportunity, volunteer: Any, org_admin: Any, agency: Any
) -> None:
    referral = Referral.objects.create(
        municipality=opportunity.municipality,
        agency=agency,
        opportunity=opportunity,
        volunteer=volunteer,
        consent_recorded_at=timezone.now(),
    )
    applied = services.application_submit(
        opportunity=opportunity,
        volunteer=volunteer,
        message="",
        share_contact=True,
        referral=referral,
    )
    engagement = services.application_accept(application=applied, actor=org_admin)
    assert engagement.placed_by == agency


def test_a_referral_for_somebody_else_is_refused(
    opportunity: Opportunity, volunteer: Any, other_volunteer: Any, agency: Any
) -> None:
    referral = Referral.objects.create(
        municipality=opportunity.municipality,
        agency=agency,
        opportunity=opportunity,
        volunteer=other_volunteer,
        consent_recorded_at=timezone.now(),
    )
    with pytest.raises(ValidationError):
        services.application_submit(
            opportunity=opportunity,
            volunteer=volunteer,
            message="",
            share_contact=False,
            referral=referral,
        )


def test_accepting_without_shared_contact_asks_the_volunteer_to_share(
    application: Application, volunteer: Any, org_admin: Any, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        services.application_accept(application=application, actor=org_admin)
    news = Notification.objects.filter(user=volunteer).latest("pk")
    assert news.topic == "application.accepted"
    assert "share your contact data" in news.body


def test_a_submit_notifies_the_organisations_admins_and_its_contact_person(
    organisation: Any, org_admin: Any, volunteer: Any
) -> None:
    from conftest import make_user

    contact = make_user("kim.kontakt@example.org", first_name="Kim")
    actor_services.membership_add(actor=None, organisation=organisation, user=contact)
    outsider = make_user("fremd@example.org")
    listed = make_opportunity(organisation, contact_email="KIM.kontakt@example.org")
    services.application_submit(
        opportunity=listed, volunteer=volunteer, message="", share_contact=False
    )
    told = set(Notification.objects.values_list("user__email", flat=True))
    assert told == {org_admin.email, contact.email}
    assert outsider.email not in told


def test_the_organisation_is_not_told_the_volunteers_surname_before_consent(
    application: Application, org_admin: Any
) -> None:
    news = Notification.objects.get(user=org_admin)
    assert "Vera" in news.body
    assert "Vogel" not in news.body + news.subject
    assert "vera.volunteer@example.org" not in news.body


def test_the_volunteer_can_end_the_engagement_and_outsiders_cannot(
    application: Application, volunteer: Any, other_volunteer: Any, org_admin: Any
) -> None:
    engagement = services.application_accept(
        application=application, actor=org_admin, starts_on=date(2030, 3, 1)
    )
    with pytest.raises(PermissionDenied):
        services.engagement_end(
            engagement=engagement, actor=other_volunteer, ends_on=date(2030, 6, 1)
        )
    with pytest.raises(ValidationError):
        services.engagement_end(engagement=engagement, actor=volunteer, ends_on=date(2030, 2, 1))
    services.engagement_end(engagement=engagement, actor=volunteer, ends_on=date(2030, 6, 1))
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ENDED
    assert engagement.ends_on == date(2030, 6, 1)
    assert AuditEvent.objects.filter(action="engagement.ended").count() == 1
    assert Notification.objects.filter(user=org_admin, topic="engagement.ended").exists()


def test_the_organisation_can_end_an_engagement(
    application: Application, volunteer: Any, org_admin: Any
) -> None:
    engagement = services.application_accept(application=application, actor=org_admin)
    services.engagement_end(
        engagement=engagement, actor=org_admin, ends_on=timezone.localdate() + timedelta(days=1)
    )
    assert Notification.objects.filter(user=volunteer, topic="engagement.ended").exists()
