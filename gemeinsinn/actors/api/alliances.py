"""/api/v1/alliances: public alliances and their target agreements over the API.

Only public alliances of active municipalities with the actors module switched on are served;
anything else answers 404, exactly like an id that does not exist. Individual citizens in an
alliance are counted, never named: the API is open to everybody.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Schema

from gemeinsinn.actors import selectors
from gemeinsinn.actors.api import router
from gemeinsinn.actors.models import Alliance, AllianceMember, Organisation, TargetAgreement
from gemeinsinn.core.models import Municipality


class AllianceOrganisationRef(Schema):
    public_id: UUID
    name: str
    slug: str
    municipality: str = Field(description="Slug of the organisation's home municipality.")


class AllianceSummary(Schema):
    public_id: UUID
    name: str
    slug: str
    municipality: str
    mission: str
    status: str = Field(description="active or closed")
    founded_on: date | None
    organisation_count: int
    person_count: int = Field(description="Citizens who take part as individuals.")
    target_agreement_count: int


class AllianceMemberOut(Schema):
    organisation: AllianceOrganisationRef
    steering: bool
    joined_on: date | None


class AllianceProgressUpdateOut(Schema):
    date: date
    value: float
    note: str


class AllianceProgressOut(Schema):
    percent: int = Field(description="Share of the way from starting value to target, 0–100.")
    expected_percent: int = Field(description="Share of the time to the deadline that has passed.")
    status: str = Field(description="on_track, behind, reached or overdue")
    latest_value: float
    latest_on: date | None


class AllianceTargetAgreementOut(Schema):
    goal: str
    indicator: str
    unit: str
    baseline: float
    target_value: float
    deadline: date
    responsible: list[AllianceOrganisationRef]
    progress: AllianceProgressOut
    updates: list[AllianceProgressUpdateOut]


class AllianceProjectOut(Schema):
    title: str
    description: str
    starts_on: date | None
    ends_on: date | None


class AllianceOut(AllianceSummary):
    members: list[AllianceMemberOut]
    steering_group: list[AllianceOrganisationRef]
    steering_person_count: int = Field(description="Citizens in the steering group as individuals.")
    projects: list[AllianceProjectOut]
    target_agreements: list[AllianceTargetAgreementOut]


def _ref(organisation: Any) -> AllianceOrganisationRef:
    return AllianceOrganisationRef(
        public_id=organisation.public_id,
        name=organisation.name,
        slug=organisation.slug,
        municipality=organisation.municipality.slug,
    )


def _agreement(agreement: TargetAgreement) -> AllianceTargetAgreementOut:
    progress = selectors.agreement_progress(agreement)
    return AllianceTargetAgreementOut(
        goal=agreement.goal,
        indicator=agreement.indicator,
        unit=agreement.unit,
        baseline=float(agreement.baseline),
        target_value=float(agreement.target_value),
        deadline=agreement.deadline,
        responsible=[
            _ref(o)
            for o in agreement.responsible.all()
            if o.status == Organisation.Status.PUBLISHED
        ],
        progress=AllianceProgressOut(
            percent=progress.percent,
            expected_percent=progress.expected_percent,
            status=progress.status,
            latest_value=float(progress.latest),
            latest_on=progress.latest_on,
        ),
        updates=[
            AllianceProgressUpdateOut(date=u.reported_on, value=float(u.value), note=u.note)
            for u in agreement.updates.all()
        ],
    )


def _summary_fields(
    alliance: Alliance, organisations: int, people: int, agreements: int
) -> dict[str, Any]:
    return {
        "public_id": alliance.public_id,
        "name": alliance.name,
        "slug": alliance.slug,
        "municipality": alliance.municipality.slug,
        "mission": alliance.mission,
        "status": alliance.status,
        "founded_on": alliance.founded_on,
        "organisation_count": organisations,
        "person_count": people,
        "target_agreement_count": agreements,
    }


@router.get("/alliances", response=list[AllianceSummary], tags=["alliances"])
def alliance_list(request: HttpRequest, municipality: str) -> list[AllianceSummary]:
    """The public alliances (Bündnisse) of a municipality, given by its slug."""
    town = _municipality(municipality)
    return [
        AllianceSummary(
            **_summary_fields(
                alliance,
                alliance.organisation_count,  # type: ignore[attr-defined]
                alliance.person_count,  # type: ignore[attr-defined]
                alliance.agreement_count,  # type: ignore[attr-defined]
            )
        )
        for alliance in selectors.alliances_public(municipality=town).select_related("municipality")
    ]


def _municipality(slug: str) -> Municipality:
    town = selectors.municipality_with_actors(slug=slug)
    if town is None:
        raise Http404
    return town


@router.get("/alliances/{public_id}", response=AllianceOut, tags=["alliances"])
def alliance_detail(request: HttpRequest, public_id: str) -> AllianceOut:
    """One public alliance with members, steering group, projects and target agreements."""
    try:
        key = UUID(public_id)
    except ValueError:
        raise Http404 from None
    alliance = selectors.alliance_public(public_id=key)
    if alliance is None:
        raise Http404
    members: list[AllianceMember] = list(alliance.members.all())
    # An organisation that is no longer published stays out of the open API.
    organisations = [
        m
        for m in members
        if m.organisation is not None and m.organisation.status == Organisation.Status.PUBLISHED
    ]
    people = [m for m in members if m.user_id is not None]
    agreements = list(alliance.target_agreements.all())
    return AllianceOut(
        **_summary_fields(alliance, len(organisations), len(people), len(agreements)),
        members=[
            AllianceMemberOut(
                organisation=_ref(m.organisation), steering=m.is_steering, joined_on=m.joined_on
            )
            for m in organisations
        ],
        steering_group=[_ref(m.organisation) for m in organisations if m.is_steering],
        steering_person_count=sum(1 for m in people if m.is_steering),
        projects=[
            AllianceProjectOut(
                title=p.title, description=p.description, starts_on=p.starts_on, ends_on=p.ends_on
            )
            for p in alliance.projects.all()
        ],
        target_agreements=[_agreement(a) for a in agreements],
    )
