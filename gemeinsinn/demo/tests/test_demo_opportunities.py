"""The demo's engagement exchange: opportunities with coordinates, profiles, applications,
engagements and the agencies' referrals, the same from the same seed and never twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from gemeinsinn.accounts.models import User
from gemeinsinn.core.models import AuditEvent, Municipality
from gemeinsinn.core.search import fulltext_search
from gemeinsinn.demo.generate.exchange_offers import offer_cap
from gemeinsinn.demo.generate.profiles import NAMED_CENTRES
from gemeinsinn.demo.scales import SCALES, Scale
from gemeinsinn.demo.tests.test_demo import TINY, load, wipe
from gemeinsinn.opportunities.geo import Point, distance_km
from gemeinsinn.opportunities.models import (
    AdviceConversation,
    Application,
    ApplicationMessage,
    Engagement,
    Offer,
    Opportunity,
    Referral,
    Skill,
    VolunteerProfile,
)
from gemeinsinn.opportunities.models.opportunities import DEFAULT_SKILLS
from gemeinsinn.opportunities.selectors.common import opportunities_live

pytestmark = pytest.mark.django_db

TINY_EXCHANGE = Scale(
    "tiny-exchange",
    municipalities=2,
    districts=3,
    volunteers=90,
    organisations=30,
    opportunities=60,
)
DEMO_VOLUNTEER = "ehrenamt@musterstadt.example"
DEMO_ORG_ADMIN = "verein@musterstadt.example"
TAFEL = "tafel-musterstadt-e-v"


def exchange() -> dict[str, Any]:
    """The exchange as a person would see it, without database ids or moments of the load."""
    return {
        "opportunities": sorted(
            Opportunity.objects.values_list(
                "organisation__slug",
                "title",
                "description",
                "kind",
                "status",
                "expires_on",
                "latitude",
                "longitude",
                "district__name",
                "time_slots",
                "minimum_age",
                "needs_conduct_certificate",
                "posted_by_agency__slug",
            )
        ),
        "opportunity terms": sorted(
            Opportunity.engagement_fields.through.objects.values_list(
                "opportunity__title", "opportunity__organisation__slug", "fieldofengagement__slug"
            )
        ),
        "profiles": sorted(
            VolunteerProfile.objects.values_list(
                "user__email",
                "time_slots",
                "latitude",
                "longitude",
                "radius_km",
                "suggest_to_organisations",
                "german_level",
            )
        ),
        "applications": sorted(
            Application.objects.values_list(
                "opportunity__title",
                "opportunity__organisation__slug",
                "volunteer__email",
                "status",
                "message",
                "contact_name",
                "contact_email",
                "decline_reason",
                "referral__agency__slug",
                "created_at",
            )
        ),
        "questions": sorted(
            ApplicationMessage.objects.values_list(
                "application__volunteer__email", "from_organisation", "body", "author__email"
            )
        ),
        "engagements": sorted(
            Engagement.objects.values_list(
                "volunteer__email",
                "organisation__slug",
                "title",
                "status",
                "starts_on",
                "ends_on",
                "placed_by__slug",
            ),
            key=str,
        ),
        "offers": sorted(
            Offer.objects.values_list(
                "public_id",
                "municipality__slug",
                "user__email",
                "title",
                "description",
                "district__name",
                "time_slots",
                "is_remote",
                "status",
                "expires_on",
            )
        ),
        "offer terms": sorted(
            [
                *Offer.engagement_fields.through.objects.values_list(
                    "offer__user__email", "offer__title", "fieldofengagement__slug"
                ),
                *Offer.skills.through.objects.values_list(
                    "offer__user__email", "offer__title", "skill__slug"
                ),
            ]
        ),
        "conversations": sorted(
            AdviceConversation.objects.values_list(
                "agency__slug", "held_on", "volunteer__email", "person_reference", "notes"
            ),
            key=str,
        ),
    }


def test_a_demo_without_opportunities_still_gets_the_skills_and_nothing_else() -> None:
    load(TINY)

    for municipality in Municipality.objects.all():
        assert Skill.objects.filter(municipality=municipality).count() == len(DEFAULT_SKILLS)
    assert not Opportunity.objects.exists()
    assert not VolunteerProfile.objects.exists()
    assert not Offer.objects.exists()


def test_the_demo_posts_the_scales_number_of_opportunities_mostly_live() -> None:
    created = load(TINY_EXCHANGE)

    assert created["opportunities"] == TINY_EXCHANGE.opportunities
    assert Opportunity.objects.count() == TINY_EXCHANGE.opportunities
    statuses = Counter(Opportunity.objects.values_list("status", flat=True))
    assert statuses["published"] > TINY_EXCHANGE.opportunities * 0.7
    assert opportunities_live().count() > TINY_EXCHANGE.opportunities * 0.6
    for opportunity in Opportunity.objects.prefetch_related("engagement_fields", "skills"):
        opportunity.full_clean(validate_unique=False)
        assert opportunity.engagement_fields.all()
        assert opportunity.organisation.municipality_id == opportunity.municipality_id
        assert opportunity.description.count("\n\n") >= 3


def test_every_demo_opportunity_has_coordinates_in_its_town_unless_remote() -> None:
    load(TINY_EXCHANGE)
    centre = Point(*NAMED_CENTRES["musterstadt"])

    for opportunity in Opportunity.objects.select_related("municipality"):
        if opportunity.is_remote:
            assert opportunity.latitude is None
            continue
        assert opportunity.latitude is not None
        assert opportunity.longitude is not None
        assert opportunity.postcode
        if opportunity.municipality.slug == "musterstadt":
            where = Point(opportunity.latitude, opportunity.longitude)
            assert distance_km(centre, where) < 10


def test_demo_titles_vary_and_a_german_word_finds_its_forms() -> None:
    load(replace(TINY_EXCHANGE, opportunities=150))

    titles = set(Opportunity.objects.values_list("title", flat=True))
    assert len(titles) > 60
    assert any(":in" in t or "/" in t for t in titles)
    found = fulltext_search(Opportunity.objects.all(), "Senioren", fields=("title", "description"))
    assert found.exists()


def test_a_share_of_the_volunteers_has_a_profile_and_a_third_of_them_opts_in() -> None:
    load(TINY_EXCHANGE)

    profiles = VolunteerProfile.objects.all()
    share = profiles.count() / TINY_EXCHANGE.volunteers
    assert 0.4 < share < 0.8
    opted_in = profiles.filter(suggest_to_organisations=True).count() / profiles.count()
    assert 0.15 < opted_in < 0.55
    assert not profiles.filter(latitude__isnull=True).exists()
    assert profiles.filter(interests__isnull=False).distinct().count() == profiles.count()
    for profile in profiles.select_related("user"):
        assert profile.municipality_id == profile.user.home_municipality_id


def test_each_demo_role_sees_something_of_the_exchange() -> None:
    load(TINY_EXCHANGE)
    volunteer = User.objects.get(email=DEMO_VOLUNTEER)
    org_admin = User.objects.get(email=DEMO_ORG_ADMIN)

    profile = volunteer.volunteer_profile
    assert profile.suggest_to_organisations
    assert set(profile.interests.values_list("slug", flat=True)) == {
        "soziales",
        "umwelt-natur-tierschutz",
    }
    statuses = set(volunteer.applications.values_list("status", flat=True))
    assert {"accepted", "question", "submitted"} <= statuses
    assert volunteer.engagements.filter(status=Engagement.Status.ACTIVE).exists()
    # The demo Tafel's inbox has open applications the admin may handle.
    inbox = Application.objects.filter(opportunity__organisation__slug=TAFEL)
    assert inbox.filter(status__in=Application.OPEN).count() >= 3
    first = inbox.first()
    assert first is not None
    assert org_admin.has_perm("opportunities.handle_applications", first.opportunity)
    assert not inbox.filter(volunteer=volunteer).exists()


def test_applications_follow_the_rules_of_the_exchange() -> None:
    load(TINY_EXCHANGE)

    for application in Application.objects.select_related("opportunity", "volunteer"):
        opportunity, person = application.opportunity, application.volunteer
        assert person is not None
        assert not person.memberships.filter(
            organisation=opportunity.organisation, status="active"
        ).exists()
        if opportunity.minimum_age:
            assert (person.age_on(date.today()) or 0) >= opportunity.minimum_age
        if application.contact_shared_at:
            assert application.contact_email == person.email
        else:
            assert application.contact_email == ""
        assert application.created_at.date() < date.today()
    accepted = Application.objects.filter(status="accepted")
    assert accepted.count() == Engagement.objects.count()
    assert all(a.engagement.volunteer_id == a.volunteer_id for a in accepted)
    questions = Application.objects.filter(status="question")
    assert (
        ApplicationMessage.objects.filter(application__in=questions, from_organisation=True).count()
        == questions.count()
    )


def test_the_volunteer_agency_has_conversations_referrals_and_placements() -> None:
    load(TINY_EXCHANGE)

    conversations = AdviceConversation.objects.filter(agency__type="volunteer_agency")
    assert conversations.count() >= 6
    assert conversations.filter(volunteer__isnull=True).exclude(person_reference="").exists()
    referrals = Referral.objects.select_related("application", "opportunity")
    assert referrals.exists()
    for referral in referrals:
        assert referral.application.referral_id == referral.pk
        assert referral.opportunity.organisation_id != referral.agency_id
        assert referral.application.contact_shared_at is not None
    placements = Engagement.objects.filter(placed_by__isnull=False)
    assert placements.exists()
    assert set(placements.values_list("placed_by__type", flat=True)) == {"volunteer_agency"}


def test_some_volunteers_with_a_profile_offer_their_help() -> None:
    created = load(replace(TINY_EXCHANGE, volunteers=300))

    offers = Offer.objects.select_related("user", "district")
    assert created["offers"] == offers.count()
    # About 8 % of the people with a profile, and the demo volunteer.
    assert 4 <= offers.count() <= offer_cap("tiny-exchange") + 1
    assert offers.filter(status=Offer.Status.PUBLISHED).count() > offers.count() * 0.6
    assert offers.filter(expires_on__gte=date.today()).count() > offers.count() * 0.6
    for offer in offers.prefetch_related("engagement_fields", "skills"):
        offer.full_clean(validate_unique=False)
        assert offer.title.startswith("Ich ")
        assert offer.description.count("\n\n") >= 2
        profile = offer.user.volunteer_profile
        assert offer.municipality_id == profile.municipality_id
        assert offer.district_id == profile.district_id
        assert offer.time_slots & ~profile.time_slots == 0
        assert offer.engagement_fields.exists()
        towns = {
            *offer.engagement_fields.values_list("municipality_id", flat=True),
            *offer.skills.values_list("municipality_id", flat=True),
        }
        assert towns == {offer.municipality_id}
    assert len({o.title for o in offers}) > offers.count() * 0.6


def test_the_demo_volunteer_offers_her_help() -> None:
    load(TINY_EXCHANGE)

    (offer,) = Offer.objects.filter(user__email=DEMO_VOLUNTEER)
    assert offer.title == "Ich kann Fahrdienste übernehmen"
    assert offer.status == Offer.Status.PUBLISHED
    assert offer.expires_on > date.today()
    assert offer.municipality.slug == "musterstadt"
    assert set(offer.skills.values_list("slug", flat=True)) == {"fahren", "organisation"}


def test_the_offers_are_capped_by_scale() -> None:
    assert offer_cap("small") == 20
    assert offer_cap("city") == 300
    assert offer_cap("state") == 2_000


def test_a_second_demo_load_adds_nothing_to_the_exchange() -> None:
    load(TINY_EXCHANGE)
    before = exchange()
    events = AuditEvent.objects.count()

    assert load(TINY_EXCHANGE) == {}

    assert exchange() == before
    assert AuditEvent.objects.count() == events


def test_the_same_seed_gives_the_same_exchange() -> None:
    load(TINY_EXCHANGE, seed=7)
    first = exchange()
    wipe()

    load(TINY_EXCHANGE, seed=7)

    assert exchange() == first
    assert first["applications"]
    assert len(first["offers"]) > 1


def test_the_bulk_writer_leaves_the_same_exchange_as_the_services() -> None:
    created = load(TINY_EXCHANGE)
    through_services = exchange()
    audited = AuditEvent.objects.filter(action="application.submitted").count()
    wipe()

    load(replace(TINY_EXCHANGE, bulk=True))

    assert exchange() == through_services
    # The services audit each application; the bulk load leaves one summary event.
    assert audited == created["applications"]
    assert not AuditEvent.objects.filter(action="application.submitted").exists()


def test_the_small_scale_names_its_volume_of_opportunities() -> None:
    assert SCALES["small"].opportunities == 150
    assert SCALES["city"].opportunities == 5_000
    assert SCALES["state"].opportunities == 50_000
