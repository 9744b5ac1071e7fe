from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.core.management.base import CommandError

from gemeinsinn.accounts.models import ConsentRecord, Role, RoleGrant, User
from gemeinsinn.actors.models import Membership, Organisation, OrganisationType
from gemeinsinn.core.models import AuditEvent, County, Municipality, State, TownDistrict
from gemeinsinn.demo.generate import demo_load
from gemeinsinn.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from gemeinsinn.demo.progress import Progress
from gemeinsinn.demo.scales import SCALES, Scale

pytestmark = pytest.mark.django_db

TINY = Scale("tiny", municipalities=3, districts=2, volunteers=40, organisations=40)
TINY_CITY = Scale("tiny-city", municipalities=1, districts=9, volunteers=60, organisations=25)
TINY_STATE = Scale(
    "tiny-state", municipalities=6, districts=1, volunteers=80, organisations=80, bulk=True
)


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def load(scale: Scale, seed: int = 2026) -> dict[str, int]:
    return dict(demo_load(scale=scale, seed=seed, sink=io.StringIO()))


def counts() -> dict[str, int]:
    models: list[Any] = [
        State,
        County,
        Municipality,
        TownDistrict,
        User,
        EmailAddress,
        ConsentRecord,
        RoleGrant,
        Authenticator,
        Organisation,
        Membership,
        AuditEvent,
    ]
    return {model.__name__: model.objects.count() for model in models}


def wipe() -> None:
    User.objects.all().delete()
    Municipality.objects.all().delete()
    County.objects.all().delete()
    State.objects.all().delete()
    AuditEvent.objects.all().delete()


def snapshot() -> dict[str, Any]:
    """What a person would see of the data, without database ids."""
    return {
        "people": sorted(
            User.objects.values_list(
                "email", "first_name", "last_name", "date_of_birth", "home_municipality__slug"
            )
        ),
        "addresses": sorted(EmailAddress.objects.values_list("email", "primary", "verified")),
        "consents": sorted(ConsentRecord.objects.values_list("user__email", "purpose", "granted")),
        "towns": sorted(Municipality.objects.values_list("ags", "slug", "name", "imprint")),
        "districts": sorted(TownDistrict.objects.values_list("municipality__slug", "name")),
        "organisations": sorted(
            Organisation.objects.values_list(
                "municipality__slug", "slug", "name", "type", "sector", "status", "street"
            )
        ),
        "memberships": sorted(
            Membership.objects.values_list("organisation__slug", "user__email", "role")
        ),
        "roles": sorted(RoleGrant.objects.values_list("user__email", "role")),
    }


def test_the_small_demo_has_every_role_and_every_organisation_type() -> None:
    output = demo()

    assert "Demo data (small, seed 2026) loaded" in output
    assert State.objects.count() == 16
    assert set(State.objects.values_list("code", flat=True)) >= {"BY", "NW", "BE", "SN"}
    for municipality in Municipality.objects.select_related("state"):
        municipality.full_clean()
        assert municipality.ags.startswith(municipality.state.ags_prefix)
        assert municipality.imprint
        assert municipality.privacy_notice
        assert municipality.terms
        assert municipality.accessibility_statement
        assert municipality.welcome_text
        assert municipality.districts.count() == SCALES["small"].districts
        types = set(municipality.organisations.values_list("type", flat=True))
        assert types == set(OrganisationType.values)
    assert Organisation.objects.count() == SCALES["small"].organisations
    assert Organisation.objects.filter(status=Organisation.Status.PUBLISHED).count() > 45
    assert User.objects.filter(role_grants=None, is_superuser=False).count() >= 300
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(is_superuser=True).count() == 1
    assert Membership.objects.filter(role=Membership.Role.ADMIN).exists()


def test_every_demo_login_can_sign_in_with_the_demo_password() -> None:
    demo()

    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        assert has_totp is login.totp
    admin = User.objects.get(email="verein@musterstadt.example")
    assert admin.memberships.get().role == Membership.Role.ADMIN
    operator = RoleGrant.objects.get(user__email="ehrenamtskarte@bayern.example")
    assert operator.role == Role.CARD_OPERATOR
    assert operator.state is not None
    assert operator.state.code == "BY"


def test_running_the_demo_twice_creates_nothing_new() -> None:
    demo()
    before = counts()

    output = demo()

    assert counts() == before
    assert "nothing to add" in output


def test_the_same_seed_gives_the_same_data() -> None:
    load(TINY, seed=7)
    first = snapshot()
    wipe()

    load(TINY, seed=7)

    assert snapshot() == first


def test_another_seed_gives_other_people_and_organisations() -> None:
    load(TINY, seed=7)
    first = snapshot()
    wipe()

    load(TINY, seed=8)

    second = snapshot()
    assert second["people"] != first["people"]
    assert second["organisations"] != first["organisations"]
    assert second["towns"] != first["towns"]

    # The named towns and the logins stay where the documentation says they are.
    def named(towns: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        return [t for t in towns if t[1] in ("musterstadt", "beispielhausen")]

    assert len(named(second["towns"])) == 2
    assert named(second["towns"]) == named(first["towns"])


def test_if_empty_leaves_an_existing_installation_untouched(municipality: Municipality) -> None:
    output = demo("--if-empty")

    assert "already has municipalities" in output
    assert Municipality.objects.count() == 1
    assert not User.objects.exists()


def test_logins_prints_every_role_with_password_and_second_factor_hint() -> None:
    load(TINY)

    output = demo("--logins")

    for login in DEMO_LOGINS:
        assert login.email in output
    for role in ("Volunteer", "Organisation admin", "Coordination office", "Acceptance partner"):
        assert role in output
    assert "Card programme operator" in output
    assert "Platform admin" in output
    assert DEMO_PASSWORD in output
    assert "demo --totp" in output
    assert DEMO_TOTP_SECRET in output


def test_logins_without_demo_data_says_how_to_load_it() -> None:
    assert "No demo logins" in demo("--logins")


def test_totp_prints_a_code_that_allauth_accepts() -> None:
    load(TINY)
    user = User.objects.get(email="koordination@musterstadt.example")
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)

    with time_machine.travel("2026-11-25 10:00:05+00:00", tick=False):
        code = demo("--totp", user.email).strip()
        assert TOTP(authenticator).validate_code(code)
    assert len(code) == 6
    assert code.isdigit()


def test_totp_refuses_a_login_without_second_factor() -> None:
    with pytest.raises(CommandError, match="not a demo staff login"):
        demo("--totp", "ehrenamt@musterstadt.example")


def test_the_bulk_writer_leaves_the_same_rows_as_the_services() -> None:
    load(TINY)
    through_services = snapshot()
    wipe()

    created = load(replace(TINY, bulk=True))

    assert snapshot() == through_services
    # The volunteers, the seven demo logins and the coordinator of the third town.
    assert created["people"] == TINY.volunteers + 7 + 1
    # One event summarises the bulk load; the named demo people still go through the services.
    assert AuditEvent.objects.filter(action="demo.loaded").count() == 1
    assert AuditEvent.objects.filter(action="account.created").count() == 7


def test_a_city_has_its_stadtteile_and_no_second_municipality() -> None:
    load(replace(TINY_CITY, bulk=True))

    assert Municipality.objects.get().districts.count() == 9
    assert not User.objects.filter(email="koordination@beispielhausen.example").exists()
    assert "Beispielhausen" not in demo("--logins")


def test_a_state_spreads_fictional_towns_over_bavarian_landkreise() -> None:
    load(TINY_STATE)

    towns = Municipality.objects.exclude(slug__in=["musterstadt", "beispielhausen"])
    assert towns.count() == TINY_STATE.municipalities - 2
    for town in towns.select_related("state", "county"):
        assert town.state.code == "BY"
        assert town.county is not None
        assert town.ags.startswith(town.county.key)
        assert len(town.ags) == 8
        assert town.ags.isdigit()
        assert RoleGrant.objects.filter(municipality=town, role=Role.COORDINATOR).exists()
        assert town.organisations.exists()
        assert town.residents.exists()
    before = counts()
    assert load(TINY_STATE) == {}
    assert counts() == before


def test_progress_prints_one_line_per_tenth_when_not_on_a_terminal() -> None:
    sink = io.StringIO()
    with Progress("People", 200, sink=sink) as progress:
        for _ in range(200):
            progress.advance()

    lines = sink.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("People")
    assert "200/200" in lines[-1]
    assert "100.0 %" in lines[-1]


def test_progress_redraws_in_place_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    sink = Terminal()
    ticks = iter(range(100))
    with Progress("People", 50, sink=sink, clock=lambda: float(next(ticks))) as progress:
        for _ in range(50):
            progress.advance()

    text = sink.getvalue()
    assert text.count("\n") == 1
    assert text.count("\r") > 10
    assert "50/50" in text.rsplit("\r", 1)[-1]
