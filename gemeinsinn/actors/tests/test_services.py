from __future__ import annotations

from typing import Any

from gemeinsinn.actors import services
from gemeinsinn.core.models import AuditEvent
from gemeinsinn.core.text import german_slugify


def test_slugs_spell_out_umlauts_and_sharp_s() -> None:
    assert german_slugify("Seniorenbüro Groß-Gerau") == "seniorenbuero-gross-gerau"
    assert german_slugify("Ärzte für Ölberg") == "aerzte-fuer-oelberg"


def test_a_second_organisation_with_the_same_name_gets_its_own_slug(municipality: Any) -> None:
    first = services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Mehrgenerationenhaus Süd",
        type="multi_generation_house",
        sector="civil_society",
    )
    second = services.organisation_create(
        actor="test",
        municipality=municipality,
        name="Mehrgenerationenhaus Süd",
        type="multi_generation_house",
        sector="civil_society",
    )
    assert first.slug == "mehrgenerationenhaus-sued"
    assert second.slug == "mehrgenerationenhaus-sued-2"


def test_adding_a_member_twice_with_the_same_role_writes_one_audit_row(
    organisation: Any, volunteer: Any
) -> None:
    services.membership_add(actor=None, organisation=organisation, user=volunteer, role="member")
    services.membership_add(actor=None, organisation=organisation, user=volunteer, role="member")
    assert (
        AuditEvent.objects.filter(action__startswith="membership.", data__user=volunteer.pk).count()
        == 1
    )
    services.membership_add(actor=None, organisation=organisation, user=volunteer, role="admin")
    assert AuditEvent.objects.filter(action="membership.changed").count() == 1


def test_an_org_admin_edits_the_profile_and_the_change_is_audited(
    organisation: Any, org_admin: Any
) -> None:
    services.organisation_update(
        actor=org_admin, organisation=organisation, values={"phone": "08031 1"}
    )
    organisation.refresh_from_db()
    assert organisation.phone == "08031 1"
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.actor == org_admin
    assert event.data["fields"] == ["phone"]
    assert event.data["changes"] == {"phone": {"before": "", "after": "08031 1"}}
