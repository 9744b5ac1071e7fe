"""matching.match: each hard constraint, each soft factor, and the explanation in words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import translation

from gemeinsinn.opportunities.geo import Point
from gemeinsinn.opportunities.matching import (
    REMOTE_DISTANCE_SCORE,
    Factors,
    Match,
    Names,
    OpportunityFacts,
    Reason,
    VolunteerFacts,
    Weights,
    explain,
    match,
    score_of,
)
from gemeinsinn.opportunities.models.slots import slot_bit, slots_from_keys

TODAY = date(2026, 5, 4)
HOME = Point(47.8560, 12.1280)
# About 1.2 km north of HOME (0.0108° of latitude).
NEAR = Point(47.8668, 12.1280)
# About 11 km north of HOME.
FAR = Point(47.9550, 12.1280)

VOLUNTEER = VolunteerFacts(
    age=30,
    slots=0,
    location=HOME,
    radius_km=10,
    remote_ok=True,
    accepts_conduct_certificate=False,
    german_level=3,
    interests=frozenset({1, 2}),
    skills=frozenset({10}),
)
OPPORTUNITY = OpportunityFacts(
    id=1,
    minimum_age=None,
    slots=0,
    location=NEAR,
    is_remote=False,
    needs_conduct_certificate=False,
    german_level=1,
    published_on=TODAY,
    fields=frozenset({1, 3}),
    skills=frozenset({10, 11}),
)
EVEN = Weights(fields=1, skills=1, distance=1, time=1, freshness=1)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def fit(volunteer: VolunteerFacts = VOLUNTEER, opportunity: OpportunityFacts = OPPORTUNITY,
        weights: Weights = EVEN, today: date = TODAY) -> Match | None:  # fmt: skip
    return match(volunteer, opportunity, weights, today=today)


# --- hard constraints -----------------------------------------------------------------------------


def test_a_person_younger_than_the_minimum_age_does_not_match() -> None:
    assert fit(replace(VOLUNTEER, age=15), replace(OPPORTUNITY, minimum_age=16)) is None
    assert fit(replace(VOLUNTEER, age=16), replace(OPPORTUNITY, minimum_age=16)) is not None


def test_an_unknown_age_passes_minimum_ages_up_to_sixteen_only() -> None:
    unknown = replace(VOLUNTEER, age=None)
    assert fit(unknown, replace(OPPORTUNITY, minimum_age=None)) is not None
    assert fit(unknown, replace(OPPORTUNITY, minimum_age=16)) is not None
    assert fit(unknown, replace(OPPORTUNITY, minimum_age=18)) is None


def test_times_must_overlap_unless_one_side_is_flexible() -> None:
    tuesday = slots_from_keys(["tue_evening"])
    thursday = slots_from_keys(["thu_morning"])
    assert fit(replace(VOLUNTEER, slots=tuesday), replace(OPPORTUNITY, slots=thursday)) is None
    assert fit(replace(VOLUNTEER, slots=tuesday), replace(OPPORTUNITY, slots=tuesday)) is not None
    assert fit(replace(VOLUNTEER, slots=0), replace(OPPORTUNITY, slots=thursday)) is not None
    assert fit(replace(VOLUNTEER, slots=tuesday), replace(OPPORTUNITY, slots=0)) is not None


def test_a_place_beyond_the_radius_does_not_match() -> None:
    assert fit(opportunity=replace(OPPORTUNITY, location=FAR)) is None
    assert fit(replace(VOLUNTEER, radius_km=12), replace(OPPORTUNITY, location=FAR)) is not None


def test_remote_work_matches_at_any_distance_for_people_who_help_remotely() -> None:
    remote_far = replace(OPPORTUNITY, location=FAR, is_remote=True)
    assert fit(opportunity=remote_far) is not None
    assert fit(replace(VOLUNTEER, remote_ok=False), remote_far) is None


def test_remote_only_work_does_not_match_people_who_do_not_help_remotely() -> None:
    remote_only = replace(OPPORTUNITY, location=None, is_remote=True)
    assert fit(replace(VOLUNTEER, remote_ok=False), remote_only) is None
    assert fit(replace(VOLUNTEER, remote_ok=True), remote_only) is not None


def test_an_unknown_place_passes_but_earns_nothing_for_distance() -> None:
    nowhere = fit(replace(VOLUNTEER, location=None))
    assert nowhere is not None
    assert nowhere.factors.distance == 0
    unplaced = fit(opportunity=replace(OPPORTUNITY, location=None))
    assert unplaced is not None
    assert unplaced.factors.distance == 0


def test_a_certificate_of_conduct_needs_the_persons_willingness() -> None:
    needs = replace(OPPORTUNITY, needs_conduct_certificate=True)
    assert fit(opportunity=needs) is None
    assert fit(replace(VOLUNTEER, accepts_conduct_certificate=True), needs) is not None


def test_german_below_the_needed_level_does_not_match() -> None:
    assert fit(replace(VOLUNTEER, german_level=1), replace(OPPORTUNITY, german_level=2)) is None
    assert fit(replace(VOLUNTEER, german_level=2), replace(OPPORTUNITY, german_level=2)) is not None


# --- soft factors ---------------------------------------------------------------------------------


def test_fields_count_the_share_of_the_opportunitys_fields_the_person_likes() -> None:
    result = fit()
    assert result is not None
    assert result.factors.fields == 0.5  # {1, 2} ∩ {1, 3} of 2 fields
    none_wanted = fit(opportunity=replace(OPPORTUNITY, fields=frozenset()))
    assert none_wanted is not None
    assert none_wanted.factors.fields == 0


def test_skills_count_the_share_of_the_wanted_skills_the_person_has() -> None:
    result = fit()
    assert result is not None
    assert result.factors.skills == 0.5


def test_distance_falls_linearly_to_zero_at_the_radius() -> None:
    result = fit(replace(VOLUNTEER, radius_km=2))
    assert result is not None
    assert result.distance_km == pytest.approx(1.2, abs=0.01)
    assert result.factors.distance == pytest.approx(1 - 1.2 / 2, abs=0.01)
    at_home = fit(opportunity=replace(OPPORTUNITY, location=HOME))
    assert at_home is not None
    assert at_home.factors.distance == 1


def test_remote_work_scores_half_for_distance() -> None:
    result = fit(opportunity=replace(OPPORTUNITY, is_remote=True))
    assert result is not None
    assert result.factors.distance == REMOTE_DISTANCE_SCORE
    assert result.distance_km is None


def test_time_fit_is_the_share_of_the_opportunitys_slots_the_person_has_free() -> None:
    needs = slots_from_keys(["tue_evening", "thu_evening"])
    result = fit(
        replace(VOLUNTEER, slots=slot_bit("tue", "evening")), replace(OPPORTUNITY, slots=needs)
    )
    assert result is not None
    assert result.factors.time == 0.5
    flexible = fit(opportunity=replace(OPPORTUNITY, slots=needs))
    assert flexible is not None
    assert flexible.factors.time == 1


def test_freshness_fades_over_sixty_days() -> None:
    assert fit().factors.freshness == 1  # type: ignore[union-attr]
    month = fit(today=TODAY + timedelta(days=30))
    assert month is not None
    assert month.factors.freshness == 0.5
    old = fit(today=TODAY + timedelta(days=90))
    assert old is not None
    assert old.factors.freshness == 0


def test_the_score_is_the_weighted_mean_of_the_factors() -> None:
    factors = Factors(fields=1, skills=0, distance=0.5, time=1, freshness=0)
    assert score_of(factors, Weights(fields=2, skills=0, distance=2, time=0, freshness=0)) == 0.75
    assert score_of(factors, Weights(0, 0, 0, 0, 0)) == 0
    assert score_of(factors, Weights(1, 1, 1, 1, 1)) == score_of(factors, Weights(7, 7, 7, 7, 7))


def test_weights_change_the_order_of_two_opportunities() -> None:
    liked_far = replace(OPPORTUNITY, fields=frozenset({1}), location=Point(47.92, 12.128))
    near_other = replace(OPPORTUNITY, id=2, fields=frozenset({9}), location=HOME)
    by_interest = Weights(fields=10, skills=0, distance=1, time=0, freshness=0)
    by_distance = Weights(fields=1, skills=0, distance=10, time=0, freshness=0)
    scores = {
        (name, weights): score(opportunity, weights)
        for name, opportunity in (("liked_far", liked_far), ("near_other", near_other))
        for weights in (by_interest, by_distance)
    }
    assert scores["liked_far", by_interest] > scores["near_other", by_interest]
    assert scores["liked_far", by_distance] < scores["near_other", by_distance]


def score(opportunity: OpportunityFacts, weights: Weights) -> float:
    result = fit(opportunity=opportunity, weights=weights)
    assert result is not None
    return result.score


# --- explanation ----------------------------------------------------------------------------------


NAMES = Names(fields={1: "Umwelt", 2: "Kinder", 3: "Sport"}, skills={10: "Kochen"})


def test_the_explanation_names_interests_distance_and_times() -> None:
    both = replace(OPPORTUNITY, fields=frozenset({1, 2}), slots=slot_bit("tue", "evening"))
    result = fit(opportunity=both, today=TODAY + timedelta(days=10))
    assert result is not None
    assert explain(result, names=NAMES) == (
        "fits your interests Umwelt and Kinder; uses your skill Kochen; 1.2 km away; "
        "Tuesday evenings"
    )


def test_the_explanation_speaks_about_the_person_to_organisations() -> None:
    result = fit(opportunity=replace(OPPORTUNITY, is_remote=True), today=TODAY)
    assert result is not None
    text = explain(result, names=NAMES, for_organisation=True)
    assert text == "interested in Umwelt; brings the skill Kochen; would help remotely; " \
        "the times are flexible"  # fmt: skip
    assert "new this week" in explain(result, names=NAMES)


def test_many_free_times_are_summarised_by_their_number() -> None:
    many = slots_from_keys(["mon_morning", "tue_morning", "wed_morning", "thu_morning"])
    result = Match(score=1, factors=Factors(1, 1, 1, 1, 1), reasons=(Reason("time", slots=many),))
    assert explain(result, names=NAMES) == "at 4 times that suit you"


def test_the_distance_is_written_in_german_with_a_decimal_comma() -> None:
    result = Match(score=1, factors=Factors(1, 1, 1, 1, 1), reasons=(Reason("distance", km=1.23),))
    with translation.override("de"):
        assert "1,2 km" in explain(result, names=NAMES)


def test_a_few_metres_are_never_written_as_zero_kilometres() -> None:
    result = Match(score=1, factors=Factors(1, 1, 1, 1, 1), reasons=(Reason("distance", km=0.01),))
    assert explain(result, names=NAMES) == "0.1 km away"
