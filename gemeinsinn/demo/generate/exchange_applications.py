"""Applications of the demo in every state, the engagements the accepted ones became, and each
town's volunteer agency with its advice conversations and referrals.

Applications go only to opportunities that are live now and never to a person's own
organisation or below an opportunity's minimum age, the rules the services enforce. At small scale through the services (applications.application_submit and the organisation's
answers, agency.advice_record and agency.referral_create), so the demo inbox, notifications and
audit trail are what people would leave behind; bulk rows above. The demo logins come first:
the demo volunteer has an engagement, an open question and a sent application, the demo Tafel's
inbox has applications in every state. Keyed by opportunity and person (an application) and by
agency, day and person (a conversation), so a second run adds nothing.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gemeinsinn.accounts.models import User
from gemeinsinn.actors.models import FieldOfEngagement, Membership, Organisation
from gemeinsinn.demo.generate.exchange import (
    AGENCY_TYPE,
    INTEREST_WEIGHTS,
    Listing,
    Org,
    Person,
    Town,
    demo_organisation,
    demo_volunteer,
    draw_public_id,
    terms,
)
from gemeinsinn.demo.generate.opportunity_texts import (
    ADVICE_NOTES,
    APPLICATION_MESSAGES,
    DECLINE_REASONS,
    QUESTIONS,
)
from gemeinsinn.demo.generate.run import BATCH, DemoRun, batches
from gemeinsinn.opportunities.models import (
    AdviceConversation,
    Application,
    ApplicationMessage,
    Engagement,
    Opportunity,
    Referral,
)

APPLICATIONS_PER_OPPORTUNITY = 0.8
APPLICATION_STATUSES = (
    ("submitted", 30),
    ("question", 8),
    ("on_hold", 7),
    ("accepted", 30),
    ("declined", 15),
    ("withdrawn", 10),
)

# agency, advisor, volunteer (or None), person reference, day, notes, interests
ConversationRow = tuple[int, int | None, int | None, str, date, str, tuple[str, ...]]


@dataclass(frozen=True)
class ApplicationSpec:
    public_id: uuid.UUID
    opportunity: Listing
    volunteer: int
    status: str
    message: str
    share_contact: bool
    sent_at: datetime
    # The organisation's question, the reason of a decline, the start of the engagement.
    question: str = ""
    reason: str = ""
    starts_on: date | None = None
    ended: bool = False
    referral: ReferralSpec | None = None


@dataclass(frozen=True)
class ReferralSpec:
    agency: int
    advisor: int | None
    held_on: date
    note: str


@dataclass
class Plan:
    """What this load wants, before anything is written; drawn from the seed alone."""

    applications: list[ApplicationSpec] = field(default_factory=list)
    conversations: list[tuple[int, int | None, int | None, date, str, tuple[str, ...]]] = field(
        default_factory=list
    )


def _members(people: Iterable[int]) -> set[tuple[int, int]]:
    """(organisation, user) of the active memberships of these people."""
    found: set[tuple[int, int]] = set()
    for batch in batches(sorted(set(people))):
        found.update(
            Membership.objects.filter(
                user_id__in=batch, status=Membership.Status.ACTIVE
            ).values_list("organisation_id", "user_id")
        )
    return found


def _sent_at(rng: random.Random, today: date, days: int = 90) -> datetime:
    day = today - timedelta(days=rng.randint(1, days))
    return timezone.make_aware(datetime.combine(day, time(rng.randint(7, 22), rng.randint(0, 59))))


def _plan(
    run: DemoRun,
    organisations: dict[int, list[Org]],
    listings: list[Listing],
    people: dict[int, list[Person]],
) -> Plan:
    rng = run.rng("applications")
    plan = Plan()
    today = run.today
    live: dict[int, list[Listing]] = {}
    for listing in listings:
        if listing.live_on(today):
            live.setdefault(listing.municipality_id, []).append(listing)
    members = _members(p.pk for persons in people.values() for p in persons)
    taken: set[tuple[int, int]] = set()

    def fits(person: Person, listing: Listing) -> bool:
        return (
            (listing.pk, person.pk) not in taken
            and (listing.organisation, person.pk) not in members
            and (listing.minimum_age is None or (person.age or 0) >= listing.minimum_age)
        )

    def add(
        listing: Listing,
        person: Person,
        status: str,
        referral: ReferralSpec | None = None,
    ) -> None:
        taken.add((listing.pk, person.pk))
        ended_before = today - timedelta(days=30)
        sent = _sent_at(rng, today, 60 if status in Application.OPEN else 90)
        message = rng.choice(APPLICATION_MESSAGES)
        plan.applications.append(
            ApplicationSpec(
                public_id=draw_public_id(rng),
                opportunity=listing,
                volunteer=person.pk,
                status=status,
                # A referral's note is the message the organisation reads.
                message=referral.note if referral else message,
                share_contact=rng.random() < 0.8 or referral is not None,
                sent_at=sent,
                question=rng.choice(QUESTIONS) if status == "question" else "",
                reason=rng.choice(DECLINE_REASONS) if status == "declined" else "",
                starts_on=sent.date() + timedelta(days=rng.randint(3, 21))
                if status == "accepted"
                else None,
                ended=status == "accepted" and rng.random() < 0.15 and sent.date() < ended_before,
                referral=referral,
            )
        )

    # The demo logins first: the volunteer has an engagement, an open question and a sent
    # application; the demo Tafel's inbox has applications in every open state.
    first_town = run.places[0].municipality.pk
    town_people = people.get(first_town, [])
    demo = demo_volunteer()
    demo_person = next((p for p in town_people if p.pk == demo), None)
    demo_org = demo_organisation(run)
    town_live = live.get(first_town, [])
    if demo_person is not None:
        others = [x for x in town_live if x.organisation != demo_org and fits(demo_person, x)]
        for status in ("accepted", "question", "submitted"):
            if others:
                add(others.pop(0), demo_person, status)
    tafel = [x for x in town_live if x.organisation == demo_org]
    applicants = [p for p in town_people if p.pk != demo]
    for status in ("submitted", "submitted", "question", "on_hold", "accepted", "declined"):
        if not tafel or not applicants:
            break
        listing = tafel[len(plan.applications) % len(tafel)]
        person = next(
            (p for p in rng.sample(applicants, len(applicants)) if fits(p, listing)), None
        )
        if person is not None:
            add(listing, person, status)

    # Everybody else.
    towns = [p.municipality.pk for p in run.places if live.get(p.municipality.pk)]
    total = round(run.scale.opportunities * APPLICATIONS_PER_OPPORTUNITY)
    weights = [len(live[t]) for t in towns]
    statuses, status_weights = zip(*APPLICATION_STATUSES, strict=True)
    for town in (
        rng.choices(towns, weights, k=max(0, total - len(plan.applications))) if towns else []
    ):
        candidates = people.get(town, [])
        if not candidates:
            continue
        for _attempt in range(5):
            listing, person = rng.choice(live[town]), rng.choice(candidates)
            if fits(person, listing):
                add(listing, person, rng.choices(statuses, status_weights)[0])
                break

    # Each town's volunteer agency: advice conversations, some of which led to a referral.
    for place in run.places:
        town = place.municipality.pk
        agency = next((o for o in organisations.get(town, []) if o.type == AGENCY_TYPE), None)
        candidates = people.get(town, [])
        if agency is None or not candidates:
            continue
        count = max(6, len(live.get(town, [])) // 40)
        for _n in range(count):
            person = rng.choice(candidates)
            held_on = today - timedelta(days=rng.randint(1, 120))
            note = rng.choice(ADVICE_NOTES)
            interests = tuple(sorted(set(rng.choices(list(INTEREST_WEIGHTS), k=rng.randint(1, 2)))))
            walk_in = rng.random() < 0.3
            plan.conversations.append(
                (
                    agency.pk,
                    agency.admin,
                    None if walk_in else person.pk,
                    held_on,
                    note,
                    interests,
                )
            )
            if walk_in or rng.random() < 0.3:
                continue
            options = [
                x for x in live.get(town, []) if x.organisation != agency.pk and fits(person, x)
            ]
            if options:
                status = "accepted" if rng.random() < 0.4 else "submitted"
                add(
                    rng.choice(options),
                    person,
                    status,
                    ReferralSpec(
                        agency=agency.pk, advisor=agency.admin, held_on=held_on, note=note
                    ),
                )
    return plan


def applications_generate(
    run: DemoRun,
    towns: dict[int, Town],
    organisations: dict[int, list[Org]],
    listings: list[Listing],
    people: dict[int, list[Person]],
) -> None:
    plan = _plan(run, organisations, listings, people)
    conversations = _write_conversations(run, plan)
    existing = _existing_applications(plan.applications)
    todo = [s for s in plan.applications if (s.opportunity.pk, s.volunteer) not in existing]
    admins = {o.pk: o.admin for orgs in organisations.values() for o in orgs}
    with run.progress("Applications", len(todo)) as progress:
        for batch in batches(todo, run.batch_size):
            if run.scale.bulk:
                _bulk_applications(run, batch, conversations, admins)
            else:
                _service_applications(run, batch, conversations, admins)
            progress.advance(len(batch))
    _backdate(plan.applications)


def _existing_applications(specs: list[ApplicationSpec]) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for batch in batches(specs):
        found.update(
            Application.objects.filter(
                opportunity_id__in={s.opportunity.pk for s in batch},
                volunteer_id__in={s.volunteer for s in batch},
            ).values_list("opportunity_id", "volunteer_id")
        )
    return found


def _write_conversations(run: DemoRun, plan: Plan) -> dict[tuple[int, date, int | None], int]:
    """The advice conversations (skipping those on record); their pks by agency, day, person."""
    agencies = {row[0] for row in plan.conversations}
    known: dict[tuple[int, date, int | None], int] = {}
    for batch in batches(sorted(agencies)):
        known.update(
            ((a, d, v), pk)
            for a, d, v, pk in AdviceConversation.objects.filter(agency_id__in=batch).values_list(
                "agency_id", "held_on", "volunteer_id", "pk"
            )
        )
    towns = (
        dict(Organisation.objects.filter(pk__in=agencies).values_list("pk", "municipality_id"))
        if agencies
        else {}
    )
    fields, _skills, _groups = terms(set(towns.values()))
    new: list[ConversationRow] = []
    seen: set[tuple[int, date, int | None]] = set()
    for agency, advisor, volunteer, held_on, note, interests in plan.conversations:
        key = (agency, held_on, volunteer)
        if key in known or key in seen or advisor is None:
            continue
        seen.add(key)
        reference = "" if volunteer else f"Gast {len(seen):03d}"
        new.append((agency, advisor, volunteer, reference, held_on, note, interests))
    if run.scale.bulk:
        _bulk_conversations(new, towns, fields, known)
    else:
        _service_conversations(new, known)
    run.created["advice conversations"] += len(new)
    return known


def _bulk_conversations(
    rows: list[ConversationRow],
    towns: dict[int, int],
    fields: dict[Any, int],
    known: dict[tuple[int, date, int | None], int],
) -> None:
    through = AdviceConversation.interests.through
    with transaction.atomic():
        for batch in batches(rows):
            created = AdviceConversation.objects.bulk_create(
                [
                    AdviceConversation(
                        municipality_id=towns[agency],
                        agency_id=agency,
                        advisor_id=advisor,
                        volunteer_id=volunteer,
                        person_reference=reference,
                        held_on=held_on,
                        notes=note,
                    )
                    for agency, advisor, volunteer, reference, held_on, note, _f in batch
                ]
            )
            if any(c.pk is None for c in created):
                created = [
                    AdviceConversation.objects.get(
                        agency_id=c.agency_id, held_on=c.held_on, volunteer_id=c.volunteer_id
                    )
                    for c in created
                ]
            through.objects.bulk_create(
                [
                    through(
                        adviceconversation_id=c.pk,
                        fieldofengagement_id=fields[(towns[row[0]], slug)],
                    )
                    for c, row in zip(created, batch, strict=True)
                    for slug in row[6]
                    if (towns[row[0]], slug) in fields
                ],
                batch_size=BATCH,
            )
            for c in created:
                known[(c.agency_id, c.held_on, c.volunteer_id)] = c.pk


def _service_conversations(
    rows: list[ConversationRow], known: dict[tuple[int, date, int | None], int]
) -> None:
    from gemeinsinn.opportunities.services import agency as agency_services

    agencies = Organisation.objects.select_related("municipality").in_bulk({r[0] for r in rows})
    users = User.objects.in_bulk({pk for r in rows for pk in (r[1], r[2]) if pk is not None})
    fields = {
        (f.municipality_id, f.slug): f
        for f in FieldOfEngagement.objects.filter(
            municipality_id__in={a.municipality_id for a in agencies.values()}
        )
    }
    for agency_pk, advisor, volunteer, reference, held_on, note, interests in rows:
        agency = agencies[agency_pk]
        conversation = agency_services.advice_record(
            agency=agency,
            actor=users[advisor] if advisor is not None else None,
            held_on=held_on,
            volunteer=users[volunteer] if volunteer is not None else None,
            person_reference=reference,
            interests=[
                fields[(agency.municipality_id, slug)]
                for slug in interests
                if (agency.municipality_id, slug) in fields
            ],
            notes=note,
        )
        known[(agency_pk, held_on, volunteer)] = conversation.pk


def _bulk_applications(
    run: DemoRun,
    specs: list[ApplicationSpec],
    conversations: dict[tuple[int, date, int | None], int],
    admins: dict[int, int | None],
) -> None:
    """The rows the services would write, in a few bulk inserts."""
    users = {
        pk: (first, last, email)
        for pk, first, last, email in User.objects.filter(
            pk__in={s.volunteer for s in specs}
        ).values_list("pk", "first_name", "last_name", "email")
    }
    with transaction.atomic():
        referrals = {
            s.public_id: Referral(
                municipality_id=s.opportunity.municipality_id,
                agency_id=s.referral.agency,
                conversation_id=conversations.get(
                    (s.referral.agency, s.referral.held_on, s.volunteer)
                ),
                opportunity_id=s.opportunity.pk,
                volunteer_id=s.volunteer,
                created_by_id=s.referral.advisor,
                consent_recorded_at=s.sent_at,
                note=s.referral.note,
            )
            for s in specs
            if s.referral is not None
        }
        Referral.objects.bulk_create(list(referrals.values()), batch_size=BATCH)
        applications = []
        for spec in specs:
            first, last, email = users[spec.volunteer]
            shared = spec.share_contact
            referral = referrals.get(spec.public_id)
            applications.append(
                Application(
                    public_id=spec.public_id,
                    municipality_id=spec.opportunity.municipality_id,
                    opportunity_id=spec.opportunity.pk,
                    volunteer_id=spec.volunteer,
                    message=spec.message,
                    status=spec.status,
                    decline_reason=spec.reason,
                    contact_shared_at=spec.sent_at if shared else None,
                    contact_name=(f"{first} {last}".strip() or email) if shared else "",
                    contact_email=email if shared else "",
                    referral_id=referral.pk if referral is not None else None,
                )
            )
        created = Application.objects.bulk_create(applications, batch_size=BATCH)
        ids = {a.public_id: a.pk for a in created}
        if any(pk is None for pk in ids.values()):
            ids = dict(
                Application.objects.filter(public_id__in=list(ids)).values_list("public_id", "pk")
            )
        ApplicationMessage.objects.bulk_create(
            [
                ApplicationMessage(
                    application_id=ids[s.public_id],
                    author_id=admins.get(s.opportunity.organisation),
                    from_organisation=True,
                    body=s.question,
                )
                for s in specs
                if s.status == "question"
            ],
            batch_size=BATCH,
        )
        Engagement.objects.bulk_create(
            [
                _engagement(s, ids[s.public_id], referrals.get(s.public_id), run.today)
                for s in specs
                if s.status == "accepted"
            ],
            batch_size=BATCH,
        )
    _count(run, specs)


def _engagement(
    spec: ApplicationSpec, application: int, referral: Referral | None, today: date
) -> Engagement:
    assert spec.starts_on is not None
    return Engagement(
        municipality_id=spec.opportunity.municipality_id,
        volunteer_id=spec.volunteer,
        organisation_id=spec.opportunity.organisation,
        opportunity_id=spec.opportunity.pk,
        application_id=application,
        placed_by_id=referral.agency_id if referral is not None else None,
        title=spec.opportunity.title,
        starts_on=spec.starts_on,
        ends_on=today if spec.ended else None,
        status=Engagement.Status.ENDED if spec.ended else Engagement.Status.ACTIVE,
    )


def _count(run: DemoRun, specs: list[ApplicationSpec]) -> None:
    run.created["applications"] += len(specs)
    run.created["engagements"] += sum(s.status == "accepted" for s in specs)
    run.created["referrals"] += sum(s.referral is not None for s in specs)


def _service_applications(
    run: DemoRun,
    specs: list[ApplicationSpec],
    conversations: dict[tuple[int, date, int | None], int],
    admins: dict[int, int | None],
) -> None:
    """Through the services of the exchange: submit (or refer), then the organisation's answer."""
    from gemeinsinn.opportunities.services import agency as agency_services
    from gemeinsinn.opportunities.services import applications as services

    opportunities = Opportunity.objects.select_related("organisation", "municipality").in_bulk(
        {s.opportunity.pk for s in specs}
    )
    users = User.objects.in_bulk(
        {s.volunteer for s in specs}
        | {pk for s in specs if (pk := admins.get(s.opportunity.organisation)) is not None}
        | {s.referral.advisor for s in specs if s.referral and s.referral.advisor}
    )
    agencies = Organisation.objects.in_bulk({s.referral.agency for s in specs if s.referral})
    conversation_rows = AdviceConversation.objects.in_bulk(list(conversations.values()))
    for spec in specs:
        opportunity = opportunities[spec.opportunity.pk]
        volunteer = users[spec.volunteer]
        if spec.referral is not None:
            conversation_pk = conversations.get(
                (spec.referral.agency, spec.referral.held_on, spec.volunteer)
            )
            referral = agency_services.referral_create(
                agency=agencies[spec.referral.agency],
                actor=users.get(spec.referral.advisor) if spec.referral.advisor else None,
                opportunity=opportunity,
                volunteer=volunteer,
                consent=True,
                conversation=conversation_rows.get(conversation_pk) if conversation_pk else None,
                note=spec.referral.note,
            )
            application = Application.objects.get(referral=referral)
            if spec.share_contact:
                # A referral passes on the interest; the person then shares their contact.
                application = services.application_share_contact(
                    application=application, actor=volunteer
                )
        else:
            application = services.application_submit(
                opportunity=opportunity,
                volunteer=volunteer,
                message=spec.message,
                share_contact=spec.share_contact,
            )
        handler = users.get(admins.get(spec.opportunity.organisation) or 0)
        if spec.status == "submitted" or (handler is None and spec.status != "withdrawn"):
            continue
        if spec.status == "withdrawn":
            services.application_withdraw(application=application, actor=volunteer)
        elif spec.status == "question":
            services.application_ask(application=application, actor=handler, question=spec.question)
        elif spec.status == "on_hold":
            services.application_hold(application=application, actor=handler)
        elif spec.status == "declined":
            services.application_decline(application=application, actor=handler, reason=spec.reason)
        elif spec.status == "accepted":
            engagement = services.application_accept(
                application=application, actor=handler, starts_on=spec.starts_on
            )
            if spec.ended:
                services.engagement_end(
                    engagement=engagement,
                    actor=handler,
                    ends_on=run.today,
                )
    _count(run, specs)


def _backdate(specs: list[ApplicationSpec]) -> None:
    """Applications were sent over the past weeks, not all in the second of the load."""
    for batch in batches(specs):
        found = {
            (a.opportunity_id, a.volunteer_id): a
            for a in Application.objects.filter(
                opportunity_id__in={s.opportunity.pk for s in batch},
                volunteer_id__in={s.volunteer for s in batch},
            ).only("pk", "opportunity_id", "volunteer_id", "status", "created_at", "closed_at")
        }
        changed = []
        for spec in batch:
            application = found.get((spec.opportunity.pk, spec.volunteer))
            if application is None or application.created_at == spec.sent_at:
                continue
            application.created_at = spec.sent_at
            if application.status in Application.CLOSED:
                application.closed_at = spec.sent_at + timedelta(days=3)
            changed.append(application)
        Application.objects.bulk_update(changed, ["created_at", "closed_at"], batch_size=500)
