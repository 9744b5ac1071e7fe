"""/api/v1/me/recommendations and /api/v1/me/profile: matching over the API.

The same selector and service as the pages "Recommended for you" and "Your volunteer profile".
Authentication is the browser session (django-ninja's `django_auth`, which checks the CSRF token
on writes); without a session the answer is 401. Fields, skills and Stadtteile are given by slug,
times by slot key ("tue_evening"); anything unknown answers 400 with the reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from gemeinsinn.core.models import Municipality
from gemeinsinn.core.routing import mreverse
from gemeinsinn.opportunities.api import router
from gemeinsinn.opportunities.models import VolunteerProfile
from gemeinsinn.opportunities.models.slots import slots_from_keys, slots_to_keys
from gemeinsinn.opportunities.selectors import recommendations as selectors
from gemeinsinn.opportunities.selectors.common import municipality_with_exchange
from gemeinsinn.opportunities.services import profiles as services

TAGS = ["matching"]


class RecommendedOpportunity(Schema):
    public_id: UUID
    title: str
    organisation: str = Field(description="Name of the organisation.")
    kind: str
    district: str | None = Field(description="Name of the Stadtteil, if any.")
    is_remote: bool
    url: str


class RecommendationOut(Schema):
    opportunity: RecommendedOpportunity
    score: float = Field(description="How well it fits, 0–1 (the weighted mean of the factors).")
    explanation: str = Field(description="Why it fits, in the request's language.")
    distance_km: float | None = Field(description="Null for remote work or unknown places.")


class ProfileIn(Schema):
    interests: list[str] = Field(default_factory=list, description="Slugs of fields.")
    skills: list[str] = Field(default_factory=list, description="Slugs of skills.")
    time_slots: list[str] = Field(
        default_factory=list, description='Slot keys like "tue_evening"; empty: any time.'
    )
    district: str | None = Field(default=None, description="Slug of the Stadtteil.")
    postcode: str = ""
    radius_km: int = 10
    remote_ok: bool = True
    languages: str = ""
    german_level: int = Field(default=3, description="0 none, 1 basic, 2 good, 3 fluent.")
    age_band: str = Field(default="", description="Only used without a date of birth.")
    accepts_conduct_certificate: bool = False
    suggest_to_organisations: bool = False


class ProfileOut(ProfileIn):
    municipality: str = Field(description="Slug of the municipality the profile belongs to.")
    located: bool = Field(description="Whether distances can be measured from the profile.")
    onboarded_at: datetime | None


def _town(slug: str) -> Municipality:
    town = municipality_with_exchange(slug=slug)
    if town is None:
        raise Http404
    return town


@router.get("/me/recommendations", response=list[RecommendationOut], auth=django_auth, tags=TAGS)
def my_recommendations(
    request: HttpRequest,
    municipality: str,
    limit: int = Query(20, ge=1, le=50),
) -> list[RecommendationOut]:
    """The live opportunities that fit the signed-in person's profile, best first."""
    town = _town(municipality)
    return [
        RecommendationOut(
            opportunity=RecommendedOpportunity(
                public_id=r.opportunity.public_id,
                title=r.opportunity.title,
                organisation=r.opportunity.organisation.name,
                kind=r.opportunity.kind,
                district=r.opportunity.district.name if r.opportunity.district else None,
                is_remote=r.opportunity.is_remote,
                url=request.build_absolute_uri(
                    mreverse("opportunities:detail", town, public_id=r.opportunity.public_id)
                ),
            ),
            score=round(r.score, 4),
            explanation=r.explanation,
            distance_km=round(r.distance_km, 2) if r.distance_km is not None else None,
        )
        for r in selectors.recommendations_for(user=request.user, municipality=town, limit=limit)
    ]


def _profile_out(profile: VolunteerProfile) -> ProfileOut:
    return ProfileOut(
        municipality=profile.municipality.slug,
        interests=[f.slug for f in profile.interests.all()],
        skills=[s.slug for s in profile.skills.all()],
        time_slots=slots_to_keys(profile.time_slots),
        district=profile.district.slug if profile.district else None,
        postcode=profile.postcode,
        radius_km=profile.radius_km,
        remote_ok=profile.remote_ok,
        languages=profile.languages,
        german_level=profile.german_level,
        age_band=profile.age_band,
        accepts_conduct_certificate=profile.accepts_conduct_certificate,
        suggest_to_organisations=profile.suggest_to_organisations,
        located=profile.latitude is not None,
        onboarded_at=profile.onboarded_at,
    )


@router.get("/me/profile", response=ProfileOut, auth=django_auth, tags=TAGS)
def my_profile(request: HttpRequest) -> ProfileOut:
    """The signed-in person's volunteer profile; 404 while they have none."""
    profile = selectors.profile_of(user=request.user)
    if profile is None:
        raise Http404
    return _profile_out(profile)


def _ids(slugs: list[str], choices: Any, what: str) -> frozenset[int]:
    known = dict(choices.filter(slug__in=slugs).values_list("slug", "pk"))
    unknown = sorted(set(slugs) - set(known))
    if unknown:
        raise HttpError(400, f"Unknown {what}: {', '.join(unknown)}")
    return frozenset(known.values())


@router.put("/me/profile", response=ProfileOut, auth=django_auth, tags=TAGS)
def my_profile_put(request: HttpRequest, municipality: str, payload: ProfileIn) -> ProfileOut:
    """Create or replace the signed-in person's profile, kept in the given municipality."""
    town = _town(municipality)
    fields, skills, districts = selectors.profile_choices(municipality=town)
    district_id = None
    if payload.district:
        (district_id,) = _ids([payload.district], districts, "Stadtteil")
    try:
        slots = slots_from_keys(payload.time_slots)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None
    try:
        services.profile_save(
            user=request.user,
            municipality=town,
            data=services.ProfileInput(
                interest_ids=_ids(payload.interests, fields, "interests"),
                skill_ids=_ids(payload.skills, skills, "skills"),
                time_slots=slots,
                district_id=district_id,
                postcode=payload.postcode,
                radius_km=payload.radius_km,
                remote_ok=payload.remote_ok,
                languages=payload.languages,
                german_level=payload.german_level,
                age_band=payload.age_band,
                accepts_conduct_certificate=payload.accepts_conduct_certificate,
                suggest_to_organisations=payload.suggest_to_organisations,
            ),
        )
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return my_profile(request)
