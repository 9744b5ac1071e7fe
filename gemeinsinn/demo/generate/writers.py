"""Two ways to write the same demo rows: through the services one by one, or in bulk.

The small demo goes through the services, so it is exactly what people clicking through the
site would leave behind, audit trail included. At city and state scale one service call per row
means more than a million single-row queries and savepoints, far too slow for a demo or a
benchmark set-up, so the bulk writer inserts the same rows the services would write (user,
verified primary e-mail address, consent records; organisation and admin membership) with
bulk_create in batches and leaves one audit event summarising the load instead of one per row.
Both skip what already exists, keyed by e-mail address and by municipality and slug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from allauth.account.models import EmailAddress
from django.db import transaction

from gemeinsinn.accounts import services as account_services
from gemeinsinn.accounts.consent import PURPOSES
from gemeinsinn.accounts.models import ConsentRecord, RoleGrant, User
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import FieldOfEngagement, Membership, Organisation, TargetGroup
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.demo.generate.run import BATCH, DemoRun


@dataclass(frozen=True)
class PersonSpec:
    email: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    municipality: Municipality
    guardian_name: str = ""
    consents: tuple[str, ...] = ("account", "terms")


@dataclass(frozen=True)
class OrganisationSpec:
    municipality: Municipality
    name: str
    # slugify(name): the slug organisation_create gives a name that is unique in its town.
    slug: str
    type: str
    sector: str
    published: bool
    admin: int | None
    fields: dict[str, Any] = field(default_factory=dict)
    # Slugs of the home town's fields of engagement and target groups; names of its Stadtteile.
    engagement_fields: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[int, str]:
        return (self.municipality.pk, self.slug)


# (organisation pk, user pk, membership role) and (user pk, role, municipality pk)
MembershipRow = tuple[int, int, str]
RoleRow = tuple[int, str, int]


class Writer(Protocol):
    def people(self, specs: list[PersonSpec]) -> dict[str, int]: ...

    def organisations(self, specs: list[OrganisationSpec]) -> dict[tuple[int, str], int]: ...

    def memberships(self, rows: list[MembershipRow]) -> None: ...

    def roles(self, rows: list[RoleRow]) -> None: ...


def writer_for(run: DemoRun) -> Writer:
    return BulkWriter(run) if run.scale.bulk else ServiceWriter(run)


def _existing_people(specs: list[PersonSpec]) -> dict[str, int]:
    emails = [s.email for s in specs]
    return dict(User.objects.filter(email__in=emails).values_list("email", "pk"))


def _existing_organisations(specs: list[OrganisationSpec]) -> dict[tuple[int, str], int]:
    wanted = {s.key for s in specs}
    rows = Organisation.objects.filter(
        municipality_id__in={m for m, _ in wanted}, slug__in={s for _, s in wanted}
    ).values_list("municipality_id", "slug", "pk")
    return {(m, s): pk for m, s, pk in rows if (m, s) in wanted}


def _existing_memberships(rows: list[MembershipRow]) -> set[tuple[int, int]]:
    wanted = {(o, u) for o, u, _ in rows}
    # By person only: a person has a few memberships, an organisation in a city thousands.
    found = Membership.objects.filter(user_id__in={u for _, u in wanted}).values_list(
        "organisation_id", "user_id"
    )
    return {pair for pair in found if pair in wanted}


def _existing_roles(rows: list[RoleRow]) -> set[tuple[int, str, int]]:
    wanted = set(rows)
    found = RoleGrant.objects.filter(
        user_id__in={u for u, _, _ in rows},
        role__in={r for _, r, _ in rows},
        municipality_id__isnull=False,
    ).values_list("user_id", "role", "municipality_id")
    return {row for row in found if row in wanted}


def _assign_terms(specs: list[OrganisationSpec], ids: dict[tuple[int, str], int]) -> None:
    """Fields of engagement, target groups and Stadtteile of new organisations.

    Written as rows of the many-to-many tables by both writers: organisation_create takes no
    relations and organisation_update needs a person with the right to edit.
    """
    towns = {s.municipality.pk for s in specs}
    fields = {
        (m, slug): pk
        for m, slug, pk in FieldOfEngagement.objects.filter(municipality_id__in=towns).values_list(
            "municipality_id", "slug", "pk"
        )
    }
    groups = {
        (m, slug): pk
        for m, slug, pk in TargetGroup.objects.filter(municipality_id__in=towns).values_list(
            "municipality_id", "slug", "pk"
        )
    }
    districts = {
        (m, name): pk
        for m, name, pk in TownDistrict.objects.filter(municipality_id__in=towns).values_list(
            "municipality_id", "name", "pk"
        )
    }
    through_fields = Organisation.engagement_fields.through
    through_groups = Organisation.target_groups.through
    through_districts = Organisation.districts.through
    rows_fields, rows_groups, rows_districts = [], [], []
    for spec in specs:
        organisation, town = ids[spec.key], spec.municipality.pk
        rows_fields += [
            through_fields(organisation_id=organisation, fieldofengagement_id=fields[(town, s)])
            for s in spec.engagement_fields
            if (town, s) in fields
        ]
        rows_groups += [
            through_groups(organisation_id=organisation, targetgroup_id=groups[(town, s)])
            for s in spec.target_groups
            if (town, s) in groups
        ]
        rows_districts += [
            through_districts(organisation_id=organisation, towndistrict_id=districts[(town, n)])
            for n in spec.districts
            if (town, n) in districts
        ]
    through_fields.objects.bulk_create(rows_fields, batch_size=BATCH, ignore_conflicts=True)
    through_groups.objects.bulk_create(rows_groups, batch_size=BATCH, ignore_conflicts=True)
    through_districts.objects.bulk_create(rows_districts, batch_size=BATCH, ignore_conflicts=True)


class ServiceWriter:
    """One service call per row, with the audit trail the services write."""

    def __init__(self, run: DemoRun) -> None:
        self.run = run

    def people(self, specs: list[PersonSpec]) -> dict[str, int]:
        known = _existing_people(specs)
        for spec in specs:
            if spec.email in known:
                continue
            user = account_services.user_create(
                email=spec.email,
                password_hash=self.run.password_hash,
                first_name=spec.first_name,
                last_name=spec.last_name,
                date_of_birth=spec.date_of_birth,
                home_municipality=spec.municipality,
                guardian_name=spec.guardian_name,
                consents=spec.consents,
                verified=True,
            )
            known[spec.email] = user.pk
            self.run.created["people"] += 1
        return known

    def organisations(self, specs: list[OrganisationSpec]) -> dict[tuple[int, str], int]:
        known = _existing_organisations(specs)
        admins = User.objects.in_bulk([s.admin for s in specs if s.admin is not None])
        new: list[OrganisationSpec] = []
        for spec in specs:
            if spec.key in known:
                continue
            organisation = actor_services.organisation_create(
                actor="demo",
                municipality=spec.municipality,
                name=spec.name,
                type=spec.type,
                sector=spec.sector,
                published=spec.published,
                admin=admins.get(spec.admin) if spec.admin is not None else None,
                **spec.fields,
            )
            assert organisation.slug == spec.slug, (organisation.slug, spec.slug)
            known[spec.key] = organisation.pk
            new.append(spec)
            self.run.created["organisations"] += 1
            self.run.created["memberships"] += spec.admin is not None
        _assign_terms(new, known)
        return known

    def memberships(self, rows: list[MembershipRow]) -> None:
        existing = _existing_memberships(rows)
        todo = [row for row in rows if (row[0], row[1]) not in existing]
        organisations = Organisation.objects.select_related("municipality").in_bulk(
            [o for o, _, _ in todo]
        )
        users = User.objects.in_bulk([u for _, u, _ in todo])
        for organisation_pk, user_pk, role in todo:
            # membership_add would turn a second call into a "changed" event; skip instead.
            actor_services.membership_add(
                actor=None,
                organisation=organisations[organisation_pk],
                user=users[user_pk],
                role=role,
            )
            self.run.created["memberships"] += 1

    def roles(self, rows: list[RoleRow]) -> None:
        existing = _existing_roles(rows)
        municipalities = Municipality.objects.in_bulk([m for _, _, m in rows])
        users = User.objects.in_bulk([u for u, _, _ in rows])
        for user_pk, role, municipality_pk in rows:
            if (user_pk, role, municipality_pk) in existing:
                continue
            account_services.role_grant(
                actor=None,
                user=users[user_pk],
                role=role,
                municipality=municipalities[municipality_pk],
            )
            self.run.created["roles"] += 1


class BulkWriter:
    """The rows the services would write, in batches; one summary audit event for the load."""

    def __init__(self, run: DemoRun) -> None:
        self.run = run
        self.consent_texts = {key: str(p.text) for key, p in PURPOSES.items()}

    def people(self, specs: list[PersonSpec]) -> dict[str, int]:
        known = _existing_people(specs)
        new = [s for s in specs if s.email not in known]
        if not new:
            return known
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=s.email,
                        password=self.run.password_hash,
                        first_name=s.first_name,
                        last_name=s.last_name,
                        date_of_birth=s.date_of_birth,
                        home_municipality=s.municipality,
                        guardian_name=s.guardian_name,
                    )
                    for s in new
                ],
                batch_size=BATCH,
            )
            ids = {u.email: u.pk for u in users}
            if any(pk is None for pk in ids.values()):  # a database without RETURNING
                ids = dict(User.objects.filter(email__in=list(ids)).values_list("email", "pk"))
            EmailAddress.objects.bulk_create(
                [
                    EmailAddress(user_id=ids[s.email], email=s.email, primary=True, verified=True)
                    for s in new
                ],
                batch_size=BATCH,
            )
            ConsentRecord.objects.bulk_create(
                [
                    ConsentRecord(
                        user_id=ids[s.email],
                        purpose=purpose,
                        version=PURPOSES[purpose].version,
                        text=self.consent_texts[purpose],
                        granted=True,
                    )
                    for s in new
                    for purpose in s.consents
                ],
                batch_size=BATCH,
            )
        self.run.created["people"] += len(new)
        known.update(ids)
        return known

    def organisations(self, specs: list[OrganisationSpec]) -> dict[tuple[int, str], int]:
        known = _existing_organisations(specs)
        new = [s for s in specs if s.key not in known]
        if not new:
            return known
        objects = []
        for s in new:
            organisation = Organisation(
                municipality=s.municipality,
                name=s.name,
                slug=s.slug,
                type=s.type,
                sector=s.sector,
                status=Organisation.Status.PUBLISHED
                if s.published
                else Organisation.Status.PENDING,
                **s.fields,
            )
            # Field checks only: uniqueness is what the existence check above is for.
            organisation.full_clean(validate_unique=False, validate_constraints=False)
            objects.append(organisation)
        with transaction.atomic():
            created = Organisation.objects.bulk_create(objects, batch_size=BATCH)
            ids = {(o.municipality_id, o.slug): o.pk for o in created}
            if any(pk is None for pk in ids.values()):
                ids = _existing_organisations(new)
            Membership.objects.bulk_create(
                [
                    Membership(organisation_id=ids[s.key], user_id=s.admin, role="admin")
                    for s in new
                    if s.admin is not None
                ],
                batch_size=BATCH,
            )
            _assign_terms(new, ids)
        self.run.created["organisations"] += len(new)
        self.run.created["memberships"] += sum(s.admin is not None for s in new)
        known.update(ids)
        return known

    def memberships(self, rows: list[MembershipRow]) -> None:
        existing = _existing_memberships(rows)
        new = [row for row in rows if (row[0], row[1]) not in existing]
        with transaction.atomic():
            Membership.objects.bulk_create(
                [Membership(organisation_id=o, user_id=u, role=r) for o, u, r in new],
                batch_size=BATCH,
            )
        self.run.created["memberships"] += len(new)

    def roles(self, rows: list[RoleRow]) -> None:
        existing = _existing_roles(rows)
        new = [row for row in rows if row not in existing]
        with transaction.atomic():
            RoleGrant.objects.bulk_create(
                [RoleGrant(user_id=u, role=r, municipality_id=m) for u, r, m in new],
                batch_size=BATCH,
            )
        self.run.created["roles"] += len(new)
