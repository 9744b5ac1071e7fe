"""Properties of matching.match that must hold for every volunteer and opportunity (hypothesis)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gemeinsinn.opportunities.geo import Point, distance_km
from gemeinsinn.opportunities.matching import (
    UNKNOWN_AGE_ASSUMED,
    Match,
    OpportunityFacts,
    VolunteerFacts,
    Weights,
    match,
)
from gemeinsinn.opportunities.models.slots import ALL_SLOTS

TODAY = date(2026, 5, 4)

ids = st.frozensets(st.integers(min_value=1, max_value=12), max_size=6)
# Around Rosenheim, up to ~60 km apart: inside and beyond typical radii.
points = st.builds(
    Point,
    latitude=st.floats(min_value=47.6, max_value=48.1),
    longitude=st.floats(min_value=11.8, max_value=12.5),
)
slot_masks = st.one_of(st.just(0), st.integers(min_value=0, max_value=ALL_SLOTS))
volunteers = st.builds(
    VolunteerFacts,
    age=st.one_of(st.none(), st.integers(min_value=0, max_value=99)),
    slots=slot_masks,
    location=st.one_of(st.none(), points),
    radius_km=st.floats(min_value=1, max_value=200),
    remote_ok=st.booleans(),
    accepts_conduct_certificate=st.booleans(),
    german_level=st.integers(min_value=0, max_value=3),
    interests=ids,
    skills=ids,
)
opportunities = st.builds(
    OpportunityFacts,
    id=st.integers(min_value=1),
    minimum_age=st.one_of(st.none(), st.integers(min_value=0, max_value=99)),
    slots=slot_masks,
    location=st.one_of(st.none(), points),
    is_remote=st.booleans(),
    needs_conduct_certificate=st.booleans(),
    german_level=st.integers(min_value=0, max_value=3),
    published_on=st.dates(min_value=TODAY - timedelta(days=400), max_value=TODAY),
    fields=ids,
    skills=ids,
)
weights = st.builds(
    Weights,
    fields=st.integers(0, 10),
    skills=st.integers(0, 10),
    distance=st.integers(0, 10),
    time=st.integers(0, 10),
    freshness=st.integers(0, 10),
)


def fit(v: VolunteerFacts, o: OpportunityFacts, w: Weights) -> Match | None:
    return match(v, o, w, today=TODAY)


@settings(max_examples=400)
@given(volunteers, opportunities, weights)
def test_a_returned_match_never_violates_a_hard_constraint(
    v: VolunteerFacts, o: OpportunityFacts, w: Weights
) -> None:
    result = fit(v, o, w)
    if result is None:
        return
    if o.minimum_age:
        assert (v.age if v.age is not None else UNKNOWN_AGE_ASSUMED) >= o.minimum_age
    assert v.slots == 0 or o.slots == 0 or v.slots & o.slots
    assert not o.needs_conduct_certificate or v.accepts_conduct_certificate
    assert v.german_level >= o.german_level
    if not (o.is_remote and v.remote_ok):
        assert not (o.is_remote and o.location is None)
        if v.location is not None and o.location is not None:
            assert distance_km(v.location, o.location) <= v.radius_km


@settings(max_examples=400)
@given(volunteers, opportunities, weights)
def test_the_score_and_every_factor_lie_between_zero_and_one(
    v: VolunteerFacts, o: OpportunityFacts, w: Weights
) -> None:
    result = fit(v, o, w)
    if result is None:
        return
    assert 0 <= result.score <= 1
    factors = result.factors
    for value in (factors.fields, factors.skills, factors.distance, factors.time):
        assert 0 <= value <= 1
    assert 0 <= factors.freshness <= 1


@settings(max_examples=400)
@given(volunteers, opportunities, weights, st.data())
def test_adding_a_matching_interest_never_lowers_the_score(
    v: VolunteerFacts, o: OpportunityFacts, w: Weights, data: st.DataObject
) -> None:
    before = fit(v, o, w)
    candidates = sorted(o.fields | o.skills | {99})
    extra = data.draw(st.sampled_from(candidates))
    after = fit(replace(v, interests=v.interests | {extra}, skills=v.skills | {extra}), o, w)
    # Interests and skills are no hard constraint: the match neither appears nor vanishes.
    assert (before is None) == (after is None)
    if before is not None and after is not None:
        assert after.score >= before.score
        assert after.factors.fields >= before.factors.fields


@settings(max_examples=400)
@given(volunteers, opportunities, weights, st.floats(min_value=0, max_value=500))
def test_a_larger_radius_never_removes_a_match_or_lowers_its_score(
    v: VolunteerFacts, o: OpportunityFacts, w: Weights, more: float
) -> None:
    before = fit(v, o, w)
    wider = fit(replace(v, radius_km=v.radius_km + more), o, w)
    unlimited = fit(replace(v, radius_km=math.inf), o, w)
    if before is not None:
        assert wider is not None
        assert unlimited is not None
        assert wider.score >= before.score


@settings(max_examples=400)
@given(volunteers, opportunities, weights)
def test_more_willingness_and_more_free_time_never_remove_a_match(
    v: VolunteerFacts, o: OpportunityFacts, w: Weights
) -> None:
    if fit(v, o, w) is None:
        return
    assert fit(replace(v, accepts_conduct_certificate=True), o, w) is not None
    assert fit(replace(v, german_level=3), o, w) is not None
    assert fit(replace(v, remote_ok=True), o, w) is not None
    assert fit(replace(v, slots=0), o, w) is not None
    if v.slots:
        assert fit(replace(v, slots=v.slots | (o.slots or 1)), o, w) is not None


@settings(max_examples=200)
@given(volunteers, opportunities, weights, st.integers(min_value=2, max_value=5))
def test_only_the_ratio_of_the_weights_matters(
    v: VolunteerFacts, o: OpportunityFacts, w: Weights, k: int
) -> None:
    result = fit(v, o, w)
    if result is None:
        return
    scaled = Weights(w.fields * k, w.skills * k, w.distance * k, w.time * k, w.freshness * k)
    again = fit(v, o, scaled)
    assert again is not None
    assert math.isclose(again.score, result.score, abs_tol=1e-9)


@settings(max_examples=200)
@given(volunteers, opportunities, weights)
def test_reasons_name_only_what_both_sides_share(
    v: VolunteerFacts, o: OpportunityFacts, w: Weights
) -> None:
    result = fit(v, o, w)
    if result is None:
        return
    for reason in result.reasons:
        if reason.kind == "fields":
            assert set(reason.ids) <= v.interests & o.fields
        elif reason.kind == "skills":
            assert set(reason.ids) <= v.skills & o.skills
        elif reason.kind == "time" and v.slots and o.slots:
            assert reason.slots == v.slots & o.slots
        elif reason.kind == "distance":
            assert reason.km is not None
            assert reason.km <= v.radius_km
