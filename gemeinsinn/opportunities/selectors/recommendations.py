"""Reads for matching: a person's profile, recommendations for them, and suggested volunteers.

Both lists narrow the candidates in SQL with the hard constraints that are cheap there (German
level, certificate, age, time overlap, bounding box), cap them, and then let the pure
`matching.match` decide and score in Python. The SQL filter may only let through more than
`match` accepts, never less: `match` stays the one definition of a fit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any, cast
from uuid import UUID

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from gemeinsinn.actors.models import FieldOfEngagement
from gemeinsinn.core.models import AuditEvent, Municipality, TownDistrict
from gemeinsinn.opportunities import matching
from gemeinsinn.opportunities.geo import Point, bounding_box
from gemeinsinn.opportunities.matching import (
    Match,
    Names,
    OpportunityFacts,
    VolunteerFacts,
    Weights,
)
from gemeinsinn.opportunities.models import (
    AgeBand,
    Application,
    ExchangeSettings,
    Opportunity,
    Skill,
    VolunteerProfile,
)
from gemeinsinn.opportunities.selectors.common import (
    exchange_settings,
    opportunities_live,
)

# Newest candidates scored per request: the box and the hard constraints have already narrowed
# them, so 400 keeps a page well under the 50 ms target while reaching far enough back.
CANDIDATE_CAP = 400
# The columns opportunity_facts reads.
FACT_COLUMNS = (
    "pk",
    "minimum_age",
    "time_slots",
    "latitude",
    "longitude",
    "is_remote",
    "needs_conduct_certificate",
    "german_level",
    "published_at",
    "created_at",
)
# Opted-in profiles scored per opportunity, the most recently updated first.
SUGGESTION_CAP = 500
# The lowest age in each band; "under 16" cannot say how far under, so it counts as 0.
AGE_BAND_MINIMUM = {
    AgeBand.UNDER_16: 0,
    AgeBand.FROM_16: 16,
    AgeBand.FROM_18: 18,
    AgeBand.FROM_27: 27,
    AgeBand.FROM_65: 65,
}
INVITE_ACTION = "opportunity.volunteer_invited"
# Applications that still stand: their opportunity is no longer recommended to the person.
LIVE_APPLICATION_STATUSES = ("submitted", "question", "on_hold", "accepted")


@dataclass(frozen=True)
class Recommendation:
    opportunity: Opportunity
    score: float
    explanation: str
    distance_km: float | None
    match: Match


@dataclass(frozen=True)
class SuggestedVolunteer:
    """What an organisation may see of an opted-in person: never the e-mail or the surname."""

    public_id: UUID
    first_name: str
    district: str
    explanation: str
    score: float
    invited: bool
    # The same reasons addressed to the person, for the invitation e-mail.
    explanation_for_volunteer: str = ""


# --- facts from rows ------------------------------------------------------------------------------


def weights_of(settings: ExchangeSettings) -> Weights:
    return Weights(
        fields=settings.weight_fields,
        skills=settings.weight_skills,
        distance=settings.weight_distance,
        time=settings.weight_time,
        freshness=settings.weight_freshness,
    )


def age_of(*, date_of_birth: date | None, age_band: str, today: date) -> int | None:
    """The age matching uses: exact from the date of birth, else the band's lowest age."""
    if date_of_birth is not None:
        return (
            today.year
            - date_of_birth.year
            - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
        )
    return AGE_BAND_MINIMUM.get(AgeBand(age_band)) if age_band in AgeBand.values else None


def _point(latitude: float | None, longitude: float | None) -> Point | None:
    if latitude is None or longitude is None:
        return None
    return Point(float(latitude), float(longitude))


def volunteer_facts(
    profile: VolunteerProfile,
    *,
    today: date,
    interest_ids: Iterable[int],
    skill_ids: Iterable[int],
) -> VolunteerFacts:
    return VolunteerFacts(
        age=age_of(
            date_of_birth=profile.user.date_of_birth, age_band=profile.age_band, today=today
        ),
        slots=profile.time_slots,
        location=_point(profile.latitude, profile.longitude),
        radius_km=float(profile.radius_km),
        remote_ok=profile.remote_ok,
        accepts_conduct_certificate=profile.accepts_conduct_certificate,
        german_level=profile.german_level,
        interests=frozenset(interest_ids),
        skills=frozenset(skill_ids),
    )


def opportunity_facts(
    opportunity: Opportunity,
    *,
    field_ids: Iterable[int],
    skill_ids: Iterable[int],
    today: date,
) -> OpportunityFacts:
    published = opportunity.published_at or opportunity.created_at
    return OpportunityFacts(
        id=opportunity.pk,
        minimum_age=opportunity.minimum_age,
        slots=opportunity.time_slots,
        location=_point(opportunity.latitude, opportunity.longitude),
        is_remote=opportunity.is_remote,
        needs_conduct_certificate=opportunity.needs_conduct_certificate,
        german_level=opportunity.german_level,
        published_on=timezone.localdate(published) if published else today,
        fields=frozenset(field_ids),
        skills=frozenset(skill_ids),
    )


def _ids_by(rows: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for owner, item in rows:
        grouped[owner].append(item)
    return grouped


# --- the volunteer's side -------------------------------------------------------------------------


def profile_of(*, user: Any) -> VolunteerProfile | None:
    """The person's volunteer profile with interests, skills and district, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        VolunteerProfile.objects.filter(user=user)
        .select_related("district", "user")
        .prefetch_related("interests", "skills")
        .first()
    )


def profile_choices(
    *, municipality: Municipality
) -> tuple[QuerySet[FieldOfEngagement], QuerySet[Skill], QuerySet[TownDistrict]]:
    """What a profile in this municipality chooses from: active fields, active skills, districts."""
    return (
        FieldOfEngagement.objects.filter(municipality=municipality, is_active=True),
        Skill.objects.filter(municipality=municipality, is_active=True),
        TownDistrict.objects.filter(municipality=municipality),
    )


def _candidates(
    *, facts: VolunteerFacts, municipality: Municipality, user: Any, today: date
) -> QuerySet[Opportunity]:
    """Live opportunities that can pass the hard constraints, newest first (uncapped)."""
    live_application = Application.objects.filter(
        opportunity=OuterRef("pk"), volunteer=user, status__in=LIVE_APPLICATION_STATUSES
    )
    candidates = (
        opportunities_live(municipality=municipality, today=today)
        .filter(german_level__lte=facts.german_level)
        .exclude(Exists(live_application))
    )
    if not facts.accepts_conduct_certificate:
        candidates = candidates.filter(needs_conduct_certificate=False)
    limit = facts.age if facts.age is not None else matching.UNKNOWN_AGE_ASSUMED
    candidates = candidates.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=limit))
    if facts.slots:
        candidates = candidates.annotate(slot_overlap=F("time_slots").bitand(facts.slots)).filter(
            Q(time_slots=0) | Q(slot_overlap__gt=0)
        )
    if facts.location is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(facts.location, facts.radius_km)
        place = Q(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        ) | Q(latitude__isnull=True, is_remote=False)
        if facts.remote_ok:
            place |= Q(is_remote=True)
        candidates = candidates.filter(place)
    elif not facts.remote_ok:
        candidates = candidates.exclude(is_remote=True, latitude__isnull=True)
    return candidates.order_by("-published_at", "-pk")


def recommendations_for(
    *,
    user: Any,
    municipality: Municipality,
    limit: int = 20,
    today: date | None = None,
) -> list[Recommendation]:
    """The live opportunities that fit the person's profile, best first, each with its reasons."""
    today = today or timezone.localdate()
    profile = profile_of(user=user)
    if profile is None:
        return []
    interests = {f.pk: f.name for f in profile.interests.all()}
    skills = {s.pk: s.name for s in profile.skills.all()}
    facts = volunteer_facts(profile, today=today, interest_ids=interests, skill_ids=skills)
    weights = weights_of(exchange_settings(municipality=municipality))

    # Only what matching reads, as plain rows: building 400 model instances with their
    # organisation took most of the time. The page's few winners are loaded whole below.
    candidates = [
        SimpleNamespace(**row)
        for row in _candidates(
            facts=facts, municipality=municipality, user=user, today=today
        ).values(*FACT_COLUMNS)[:CANDIDATE_CAP]
    ]
    ids = [o.pk for o in candidates]
    fields_of = _ids_by(
        Opportunity.engagement_fields.through.objects.filter(opportunity_id__in=ids).values_list(
            "opportunity_id", "fieldofengagement_id"
        )
    )
    skills_of = _ids_by(
        Opportunity.skills.through.objects.filter(opportunity_id__in=ids).values_list(
            "opportunity_id", "skill_id"
        )
    )
    fits: list[tuple[int, matching.Match]] = []
    for candidate in candidates:
        fit = matching.match(
            facts,
            opportunity_facts(
                cast(Opportunity, candidate),
                field_ids=fields_of.get(candidate.pk, ()),
                skill_ids=skills_of.get(candidate.pk, ()),
                today=today,
            ),
            weights,
            today=today,
        )
        if fit is not None:
            fits.append((candidate.pk, fit))
    # Stable sort: equal scores keep the candidates' newest-first order.
    fits.sort(key=lambda pair: -pair[1].score)
    fits = fits[:limit]
    loaded = Opportunity.objects.select_related("organisation", "district").in_bulk(
        [pk for pk, _fit in fits]
    )
    names = Names(fields=interests, skills=skills)
    best = [
        Recommendation(
            opportunity=loaded[pk],
            score=fit.score,
            explanation=matching.explain(fit, names=names),
            distance_km=fit.distance_km,
            match=fit,
        )
        for pk, fit in fits
        if pk in loaded
    ]
    # The result card (opportunities/_card.html) lists the fields: one query for the page.
    prefetch_related_objects(
        [r.opportunity for r in best],
        Prefetch("engagement_fields", queryset=FieldOfEngagement.objects.order_by("position")),
    )
    return best


# --- the organisation's side ----------------------------------------------------------------------


def _suggestable(
    *, opportunity: Opportunity, facts: OpportunityFacts
) -> QuerySet[VolunteerProfile]:
    """Opted-in, active people who can pass the hard constraints and share a field or skill."""
    live_application = Application.objects.filter(
        opportunity=opportunity, volunteer=OuterRef("user"), status__in=LIVE_APPLICATION_STATUSES
    )
    profiles = VolunteerProfile.objects.filter(
        municipality=opportunity.municipality,
        suggest_to_organisations=True,
        user__is_active=True,
        user__deleted_at__isnull=True,
        german_level__gte=facts.german_level,
    ).exclude(Exists(live_application))
    if facts.needs_conduct_certificate:
        profiles = profiles.filter(accepts_conduct_certificate=True)
    if facts.slots:
        profiles = profiles.annotate(slot_overlap=F("time_slots").bitand(facts.slots)).filter(
            Q(time_slots=0) | Q(slot_overlap__gt=0)
        )
    if facts.is_remote and facts.location is None:
        profiles = profiles.filter(remote_ok=True)
    # Suggesting means "this person cares about what you do": a shared field or skill.
    interest = Q(
        Exists(
            VolunteerProfile.interests.through.objects.filter(
                volunteerprofile_id=OuterRef("pk"), fieldofengagement_id__in=facts.fields
            )
        )
    ) | Q(
        Exists(
            VolunteerProfile.skills.through.objects.filter(
                volunteerprofile_id=OuterRef("pk"), skill_id__in=facts.skills
            )
        )
    )
    return profiles.filter(interest).order_by("-updated_at", "-pk")


def is_live(*, opportunity: Opportunity, today: date | None = None) -> bool:
    """Whether the opportunity is published and listed today."""
    return opportunities_live(today=today).filter(pk=opportunity.pk).exists()


def suggested_volunteers(
    *, opportunity: Opportunity, limit: int = 20, today: date | None = None
) -> list[SuggestedVolunteer]:
    """Opted-in volunteers who fit a live opportunity, best first: first name, Stadtteil, why."""
    today = today or timezone.localdate()
    if not is_live(opportunity=opportunity, today=today):
        return []
    field_names = dict(opportunity.engagement_fields.values_list("pk", "name"))
    skill_names = dict(opportunity.skills.values_list("pk", "name"))
    facts = opportunity_facts(
        opportunity, field_ids=field_names, skill_ids=skill_names, today=today
    )
    if not facts.fields and not facts.skills:
        return []
    weights = weights_of(exchange_settings(municipality=opportunity.municipality))
    profiles = list(
        _suggestable(opportunity=opportunity, facts=facts).select_related("user", "district")[
            :SUGGESTION_CAP
        ]
    )
    ids = [p.pk for p in profiles]
    interests_of = _ids_by(
        VolunteerProfile.interests.through.objects.filter(volunteerprofile_id__in=ids).values_list(
            "volunteerprofile_id", "fieldofengagement_id"
        )
    )
    skills_of = _ids_by(
        VolunteerProfile.skills.through.objects.filter(volunteerprofile_id__in=ids).values_list(
            "volunteerprofile_id", "skill_id"
        )
    )
    invited = invited_volunteers(opportunity=opportunity)
    names = Names(fields=field_names, skills=skill_names)
    scored: list[tuple[float, SuggestedVolunteer]] = []
    for profile in profiles:
        fit = matching.match(
            volunteer_facts(
                profile,
                today=today,
                interest_ids=interests_of.get(profile.pk, ()),
                skill_ids=skills_of.get(profile.pk, ()),
            ),
            facts,
            weights,
            today=today,
        )
        if fit is None:
            continue
        public_id = profile.user.public_id
        scored.append(
            (
                fit.score,
                SuggestedVolunteer(
                    public_id=public_id,
                    first_name=profile.user.first_name,
                    district=profile.district.name if profile.district else "",
                    explanation=matching.explain(fit, names=names, for_organisation=True),
                    score=fit.score,
                    invited=str(public_id) in invited,
                    explanation_for_volunteer=matching.explain(fit, names=names),
                ),
            )
        )
    scored.sort(key=lambda pair: -pair[0])
    return [suggestion for _score, suggestion in scored[:limit]]


def suggested_volunteer(
    *, opportunity: Opportunity, public_id: UUID, today: date | None = None
) -> SuggestedVolunteer | None:
    """One person among the opportunity's suggestions (the invite button's target), or None."""
    return next(
        (
            s
            for s in suggested_volunteers(
                opportunity=opportunity, limit=SUGGESTION_CAP, today=today
            )
            if s.public_id == public_id
        ),
        None,
    )


def invited_volunteers(*, opportunity: Opportunity) -> set[str]:
    """The public ids of people already invited to this opportunity."""
    return {
        str(data.get("volunteer", ""))
        for data in AuditEvent.objects.filter(
            action=INVITE_ACTION,
            target_type=Opportunity._meta.label_lower,
            target_id=str(opportunity.pk),
        ).values_list("data", flat=True)
        if isinstance(data, dict)
    }


def opportunity_of_municipality(
    *, municipality: Municipality, public_id: UUID
) -> Opportunity | None:
    """One opportunity of the municipality in any status, with its organisation, or None."""
    return (
        Opportunity.objects.filter(municipality=municipality, public_id=public_id)
        .select_related("organisation", "municipality", "posted_by_agency")
        .first()
    )
