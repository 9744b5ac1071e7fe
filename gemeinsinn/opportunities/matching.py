"""Matching a volunteer with an opportunity: hard constraints, then a weighted score.

`match(volunteer, opportunity, weights, today=…)` is a pure function of plain values: no
database, no clock, no translation. Callers (selectors/recommendations.py) turn model rows into
`VolunteerFacts` and `OpportunityFacts`; the same function ranks opportunities for a volunteer
and volunteers for an opportunity, so both directions always agree.

Hard constraints. `match` returns None as soon as one of them fails:

* Age. An opportunity's minimum age (None or 0: none) must not exceed the volunteer's age. The
  age is the exact age where the date of birth is known, otherwise the lower bound of the age
  band the person chose (the band "under 16" counts as 0, as we cannot know how far under). With
  neither, the person passes minimum ages up to `UNKNOWN_AGE_ASSUMED` (16): sign-up asks for the
  date of birth and anyone under 16 needs a guardian's consent there, so a person without one is
  most likely an adult; limits above 16 usually have legal reasons (youth protection, driving,
  night work) and need a stated age.
* Time. The weekly slots (weekday × part of day, see models/slots.py) must overlap. 0 on either
  side means "any time / flexible" and overlaps with everything.
* Distance. A remote opportunity passes for a volunteer who would help remotely. Otherwise, when
  both places are known, the distance must not exceed the volunteer's radius. An unknown place on
  either side passes (we do not hide an opportunity because an address is missing) but earns
  nothing for distance. A remote-only opportunity (no place) fails for a volunteer who said they
  would not help remotely.
* Certificate of conduct. An opportunity that needs the extended certificate (§72a SGB VIII)
  fits only people willing to obtain one.
* German. The volunteer's German level must be at least the level the task needs.

Soft score. Five factors, each in [0, 1]:

* fields: |interests ∩ opportunity fields| / max(1, |opportunity fields|), the share of the
  opportunity's fields the volunteer cares about;
* skills: |skills ∩ wanted skills| / max(1, |wanted skills|), likewise;
* distance: 1 at the doorstep, falling linearly to 0 at the volunteer's radius; 0 when a place is
  unknown; `REMOTE_DISTANCE_SCORE` (0.5) for remote work, which costs no travel but is not
  "around the corner" either, so a nearby opportunity still ranks first;
* time: the share of the opportunity's slots the volunteer has free (1 when either side is
  flexible);
* freshness: 1 on the day of publication, falling linearly to 0 after `FRESHNESS_DAYS` (60).

The score is the weighted mean of the factors with the municipality's weights (0–10 each), so it
lies in [0, 1] whatever the weights are; with all weights 0 every score is 0 and the caller's
tie-break (newest first) decides. Every factor only grows when the volunteer states more
interests or skills, more free time, a larger radius or more willingness, so none of these ever
lowers a score or removes a match (tests/test_matching_properties.py checks this with
hypothesis).

Each `Match` carries structured `Reason`s (matched field and skill ids, kilometres, overlapping
slots); `explain` turns them into one line of plain language in the active language, e.g.
"fits your interests Umwelt and Kinder; 1.2 km away; Tuesday evenings".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gemeinsinn.opportunities.geo import Point, distance_km
from gemeinsinn.opportunities.models.slots import slots_to_keys

UNKNOWN_AGE_ASSUMED = 16
FRESHNESS_DAYS = 60
REMOTE_DISTANCE_SCORE = 0.5
# An opportunity published this recently is mentioned as new in the explanation.
NEW_DAYS = 7
# More overlapping slots than this are summarised by their number.
SLOTS_LISTED = 3


@dataclass(frozen=True)
class VolunteerFacts:
    age: int | None
    slots: int
    location: Point | None
    radius_km: float
    remote_ok: bool
    accepts_conduct_certificate: bool
    german_level: int
    interests: frozenset[int] = frozenset()
    skills: frozenset[int] = frozenset()


@dataclass(frozen=True)
class OpportunityFacts:
    id: int
    minimum_age: int | None
    slots: int
    location: Point | None
    is_remote: bool
    needs_conduct_certificate: bool
    german_level: int
    published_on: date
    fields: frozenset[int] = frozenset()
    skills: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Weights:
    fields: int = 5
    skills: int = 3
    distance: int = 3
    time: int = 2
    freshness: int = 1


@dataclass(frozen=True)
class Factors:
    """The five soft factors, each in [0, 1]."""

    fields: float
    skills: float
    distance: float
    time: float
    freshness: float


@dataclass(frozen=True)
class Reason:
    """One reason a match fits, as data; `explain` puts it into words.

    kind: "fields" and "skills" (ids: the matched ids), "distance" (km), "remote",
    "time" (slots: the overlapping slot mask), "flexible_time", "new".
    """

    kind: str
    ids: tuple[int, ...] = ()
    km: float | None = None
    slots: int = 0


@dataclass(frozen=True)
class Match:
    score: float
    factors: Factors
    reasons: tuple[Reason, ...] = ()
    distance_km: float | None = None


@dataclass(frozen=True)
class Names:
    """Names for the ids in reasons: fields of engagement and skills."""

    fields: Mapping[int, str] = field(default_factory=dict)
    skills: Mapping[int, str] = field(default_factory=dict)


# --- hard constraints -----------------------------------------------------------------------------


def age_fits(age: int | None, minimum_age: int | None) -> bool:
    """Whether a person of this age (None: unknown) meets the minimum age."""
    if not minimum_age:
        return True
    if age is None:
        return minimum_age <= UNKNOWN_AGE_ASSUMED
    return age >= minimum_age


def slots_overlap(a: int, b: int) -> bool:
    """Whether two slot masks share a slot; 0 (flexible) overlaps with everything."""
    return a == 0 or b == 0 or bool(a & b)


def _distance(
    volunteer: VolunteerFacts, opportunity: OpportunityFacts
) -> tuple[bool, float, Reason | None, float | None]:
    """(passes, factor, reason, km) of the distance constraint and factor."""
    if opportunity.is_remote and volunteer.remote_ok:
        return True, REMOTE_DISTANCE_SCORE, Reason("remote"), None
    if opportunity.location is None:
        # Remote-only work for somebody who does not want to help remotely.
        return not opportunity.is_remote, 0.0, None, None
    if volunteer.location is None:
        return True, 0.0, None, None
    km = distance_km(volunteer.location, opportunity.location)
    if km > volunteer.radius_km:
        return False, 0.0, None, km
    factor = 1.0 - km / volunteer.radius_km if volunteer.radius_km > 0 else 1.0
    return True, min(1.0, max(0.0, factor)), Reason("distance", km=km), km


# --- soft factors ---------------------------------------------------------------------------------


def _share(have: frozenset[int], wanted: frozenset[int]) -> tuple[float, tuple[int, ...]]:
    matched = have & wanted
    return len(matched) / max(1, len(wanted)), tuple(sorted(matched))


def _time(volunteer: VolunteerFacts, opportunity: OpportunityFacts) -> tuple[float, Reason]:
    if opportunity.slots == 0:
        return 1.0, Reason("flexible_time")
    if volunteer.slots == 0:
        return 1.0, Reason("time", slots=opportunity.slots)
    overlap = volunteer.slots & opportunity.slots
    return overlap.bit_count() / opportunity.slots.bit_count(), Reason("time", slots=overlap)


def _freshness(published_on: date, today: date) -> float:
    age_days = max(0, (today - published_on).days)
    return max(0.0, 1.0 - age_days / FRESHNESS_DAYS)


def match(
    volunteer: VolunteerFacts,
    opportunity: OpportunityFacts,
    weights: Weights,
    *,
    today: date,
) -> Match | None:
    """The match of a volunteer and an opportunity, or None if a hard constraint fails."""
    if not age_fits(volunteer.age, opportunity.minimum_age):
        return None
    if not slots_overlap(volunteer.slots, opportunity.slots):
        return None
    if opportunity.needs_conduct_certificate and not volunteer.accepts_conduct_certificate:
        return None
    if volunteer.german_level < opportunity.german_level:
        return None
    near, distance_factor, distance_reason, km = _distance(volunteer, opportunity)
    if not near:
        return None

    fields_factor, fields_matched = _share(volunteer.interests, opportunity.fields)
    skills_factor, skills_matched = _share(volunteer.skills, opportunity.skills)
    time_factor, time_reason = _time(volunteer, opportunity)
    factors = Factors(
        fields=fields_factor,
        skills=skills_factor,
        distance=distance_factor,
        time=time_factor,
        freshness=_freshness(opportunity.published_on, today),
    )
    reasons: list[Reason] = []
    if fields_matched:
        reasons.append(Reason("fields", ids=fields_matched))
    if skills_matched:
        reasons.append(Reason("skills", ids=skills_matched))
    if distance_reason is not None:
        reasons.append(distance_reason)
    reasons.append(time_reason)
    if (today - opportunity.published_on).days < NEW_DAYS:
        reasons.append(Reason("new"))
    return Match(
        score=score_of(factors, weights),
        factors=factors,
        reasons=tuple(reasons),
        distance_km=km,
    )


def score_of(factors: Factors, weights: Weights) -> float:
    """The weighted mean of the factors, in [0, 1]; 0 when every weight is 0."""
    pairs = (
        (weights.fields, factors.fields),
        (weights.skills, factors.skills),
        (weights.distance, factors.distance),
        (weights.time, factors.time),
        (weights.freshness, factors.freshness),
    )
    total = sum(max(0, w) for w, _f in pairs)
    if total == 0:
        return 0.0
    return min(1.0, sum(max(0, w) * f for w, f in pairs) / total)


# --- explanation ----------------------------------------------------------------------------------

# Whole phrases per slot, so a translation can say "dienstags abends" rather than gluing words.
SLOT_PHRASES: dict[str, object] = {
    "mon_morning": gettext_lazy("Monday mornings"),
    "mon_afternoon": gettext_lazy("Monday afternoons"),
    "mon_evening": gettext_lazy("Monday evenings"),
    "tue_morning": gettext_lazy("Tuesday mornings"),
    "tue_afternoon": gettext_lazy("Tuesday afternoons"),
    "tue_evening": gettext_lazy("Tuesday evenings"),
    "wed_morning": gettext_lazy("Wednesday mornings"),
    "wed_afternoon": gettext_lazy("Wednesday afternoons"),
    "wed_evening": gettext_lazy("Wednesday evenings"),
    "thu_morning": gettext_lazy("Thursday mornings"),
    "thu_afternoon": gettext_lazy("Thursday afternoons"),
    "thu_evening": gettext_lazy("Thursday evenings"),
    "fri_morning": gettext_lazy("Friday mornings"),
    "fri_afternoon": gettext_lazy("Friday afternoons"),
    "fri_evening": gettext_lazy("Friday evenings"),
    "sat_morning": gettext_lazy("Saturday mornings"),
    "sat_afternoon": gettext_lazy("Saturday afternoons"),
    "sat_evening": gettext_lazy("Saturday evenings"),
    "sun_morning": gettext_lazy("Sunday mornings"),
    "sun_afternoon": gettext_lazy("Sunday afternoons"),
    "sun_evening": gettext_lazy("Sunday evenings"),
}


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C" in the active language."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def _named(ids: tuple[int, ...], names: Mapping[int, str]) -> list[str]:
    return [names[i] for i in ids if i in names]


def _times(mask: int) -> str:
    keys = slots_to_keys(mask)
    if len(keys) > SLOTS_LISTED:
        return ngettext(
            "at %(count)d time that suits you",
            "at %(count)d times that suit you",
            len(keys),
        ) % {"count": len(keys)}
    return join_names([str(SLOT_PHRASES[key]) for key in keys])


def explain_parts(match: Match, *, names: Names, for_organisation: bool = False) -> list[str]:
    """The reasons of a match, each as a phrase in the active language.

    Volunteers read about themselves ("fits your interests …"), organisations about the person
    ("interested in …").
    """
    parts: list[str] = []
    for reason in match.reasons:
        if reason.kind == "fields":
            fields = _named(reason.ids, names.fields)
            if fields and for_organisation:
                parts.append(_("interested in %(names)s") % {"names": join_names(fields)})
            elif fields:
                parts.append(
                    ngettext(
                        "fits your interest %(names)s",
                        "fits your interests %(names)s",
                        len(fields),
                    )
                    % {"names": join_names(fields)}
                )
        elif reason.kind == "skills":
            skills = _named(reason.ids, names.skills)
            if skills and for_organisation:
                parts.append(
                    ngettext(
                        "brings the skill %(names)s", "brings the skills %(names)s", len(skills)
                    )
                    % {"names": join_names(skills)}
                )
            elif skills:
                parts.append(
                    ngettext("uses your skill %(names)s", "uses your skills %(names)s", len(skills))
                    % {"names": join_names(skills)}
                )
        elif reason.kind == "distance" and reason.km is not None:
            # Never "0.0 km": anything under 100 m reads as 0.1 km. (number_format cuts
            # digits off rather than rounding, so round first.)
            km = number_format(max(0.1, round(reason.km, 1)), 1)
            parts.append(_("%(km)s km away") % {"km": km})
        elif reason.kind == "remote":
            parts.append(
                _("would help remotely") if for_organisation else _("can be done remotely")
            )
        elif reason.kind == "time" and reason.slots:
            parts.append(_times(reason.slots))
        elif reason.kind == "flexible_time":
            parts.append(_("the times are flexible"))
        elif reason.kind == "new" and not for_organisation:
            parts.append(_("new this week"))
    return parts


def explain(match: Match, *, names: Names, for_organisation: bool = False) -> str:
    """The reasons of a match in one line of plain language, joined with "; "."""
    return "; ".join(explain_parts(match, names=names, for_organisation=for_organisation))
