"""The named demo people of `gemeinsinn demo --logins`, always through the services."""

from __future__ import annotations

from datetime import date

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from gemeinsinn.accounts import services as account_services
from gemeinsinn.accounts.models import Role, RoleGrant, User
from gemeinsinn.actors import services as actor_services
from gemeinsinn.actors.models import Membership, Organisation
from gemeinsinn.core.models import Municipality, State
from gemeinsinn.core.text import german_slugify
from gemeinsinn.demo.generate.run import DemoRun
from gemeinsinn.demo.logins import DEMO_LOGINS, DEMO_ORGANISATION, DEMO_TOTP_SECRET, DemoLogin


def generate(run: DemoRun) -> None:
    logins = present_logins(len(run.places))
    if not logins:
        return
    users = {u.email: u for u in User.objects.filter(email__in=[x.email for x in logins])}
    for login in logins:
        if login.email not in users:
            users[login.email] = account_services.user_create(
                email=login.email,
                password_hash=run.password_hash,
                first_name=login.first_name,
                last_name=login.last_name,
                date_of_birth=date.fromisoformat(login.born),
                home_municipality=run.places[login.place].municipality,
                verified=True,
            )
            run.created["people"] += 1
    by_key = {login.key: users[login.email] for login in logins}
    home = run.places[0].municipality

    organisation = _demo_organisation(run, home, by_key["org_admin"])
    _join(run, organisation, by_key["org_admin"], Membership.Role.ADMIN)
    _join(run, organisation, by_key["volunteer"], Membership.Role.MEMBER)

    _grant(run, by_key["coordinator"], Role.COORDINATOR, municipality=home)
    _grant(run, by_key["partner"], Role.PARTNER, municipality=home)
    _grant(run, by_key["card_operator"], Role.CARD_OPERATOR, state=home.state)
    if "other_coordinator" in by_key:
        _grant(
            run,
            by_key["other_coordinator"],
            Role.COORDINATOR,
            municipality=run.places[1].municipality,
        )
    admin = by_key["platform_admin"]
    if not admin.is_superuser:
        # accounts has no service that makes a platform admin; createsuperuser sets these too.
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    for login in logins:
        if (
            login.totp
            and not Authenticator.objects.filter(
                user=users[login.email], type=Authenticator.Type.TOTP
            ).exists()
        ):
            # Staff must sign in with a second factor; the demo secret is published in --logins.
            TOTP.activate(users[login.email], DEMO_TOTP_SECRET)
            run.created["authenticators"] += 1


def present_logins(places: int) -> list[DemoLogin]:
    """The demo logins whose municipality a load with `places` municipalities has."""
    return [login for login in DEMO_LOGINS if login.place < places]


def _demo_organisation(run: DemoRun, municipality: Municipality, admin: User) -> Organisation:
    existing = Organisation.objects.filter(
        municipality=municipality, slug=german_slugify(DEMO_ORGANISATION)
    ).first()
    if existing is not None:
        return existing
    run.created["organisations"] += 1
    run.created["memberships"] += 1
    return actor_services.organisation_create(
        actor="demo",
        municipality=municipality,
        name=DEMO_ORGANISATION,
        type="club",
        sector="civil_society",
        published=True,
        admin=admin,
        description=(
            "Wir retten Lebensmittel, die sonst im Müll landen würden, und geben sie jeden "
            "Dienstag und Freitag an rund 300 Haushalte mit wenig Geld weiter. Wir suchen "
            "Fahrerinnen und Fahrer für die Abholtouren und Helfende bei der Ausgabe."
        ),
        website="https://www.tafel-musterstadt.example",
        email="info@tafel-musterstadt.example",
        phone="08031 4711-0",
        street="Bahnhofstraße 12",
        postcode=run.places[0].place.postcode,
        city=municipality.name,
    )


def _join(run: DemoRun, organisation: Organisation, user: User, role: str) -> None:
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        return
    actor_services.membership_add(actor=None, organisation=organisation, user=user, role=role)
    run.created["memberships"] += 1


def _grant(
    run: DemoRun,
    user: User,
    role: str,
    *,
    municipality: Municipality | None = None,
    state: State | None = None,
) -> None:
    if RoleGrant.objects.filter(
        user=user, role=role, municipality=municipality, state=state
    ).exists():
        return
    account_services.role_grant(
        actor=None, user=user, role=role, municipality=municipality, state=state
    )
    run.created["roles"] += 1
