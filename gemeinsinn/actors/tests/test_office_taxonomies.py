"""The office edits fields of engagement and target groups: add, rename, reorder, switch off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import client_for
from gemeinsinn.actors import services
from gemeinsinn.actors.models import FREIWILLIGENSURVEY_FIELDS, FieldOfEngagement, TargetGroup
from gemeinsinn.core.models import AuditEvent

URL = "/musterstadt/akteure/verwaltung/bereiche/"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def names(municipality: Any) -> list[str]:
    return list(
        FieldOfEngagement.objects.filter(municipality=municipality)
        .order_by("position", "name", "pk")
        .values_list("name", flat=True)
    )


def test_the_page_starts_with_the_freiwilligensurvey_areas_and_default_groups(
    municipality: Any, coordinator: Any
) -> None:
    page = client_for(coordinator).get(URL).content.decode()
    assert FieldOfEngagement.objects.filter(municipality=municipality).count() == len(
        FREIWILLIGENSURVEY_FIELDS
    )
    assert TargetGroup.objects.filter(municipality=municipality).exists()
    assert "Sport und Bewegung" in page
    assert "Seniorinnen und Senioren" in page


def test_the_office_adds_a_field_and_a_target_group_at_the_end(
    municipality: Any, coordinator: Any
) -> None:
    client = client_for(coordinator)
    client.get(URL)
    client.post(URL, {"kind": "field", "bereich-name": "Digitales Ehrenamt"})
    client.post(URL, {"kind": "target_group", "zielgruppe-name": "Alleinerziehende"})
    assert names(municipality)[-1] == "Digitales Ehrenamt"
    group = TargetGroup.objects.get(municipality=municipality, name="Alleinerziehende")
    assert group.slug == "alleinerziehende"
    assert AuditEvent.objects.filter(action="taxonomy.term_added").count() == 2


def test_a_duplicate_or_empty_name_gets_a_clear_message_and_keeps_the_input(
    municipality: Any, coordinator: Any
) -> None:
    client = client_for(coordinator)
    client.get(URL)
    response = client.post(
        URL, {"kind": "field", "bereich-name": "Sport und Bewegung"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "exists already" in response.content.decode()
    response = client.post(URL, {"kind": "field", "bereich-name": " "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert len(names(municipality)) == len(FREIWILLIGENSURVEY_FIELDS)


def test_renaming_keeps_the_address_in_urls(municipality: Any, coordinator: Any) -> None:
    services.taxonomies_ensure(municipality=municipality)
    sport = FieldOfEngagement.objects.get(municipality=municipality, slug="sport-bewegung")
    client_for(coordinator).post(
        f"{URL}bereich/{sport.pk}/", {"action": "rename", "name": "Sport, Spiel und Bewegung"}
    )
    sport.refresh_from_db()
    assert (sport.name, sport.slug) == ("Sport, Spiel und Bewegung", "sport-bewegung")
    event = AuditEvent.objects.get(action="taxonomy.term_renamed")
    assert event.data["before"] == "Sport und Bewegung"


def test_terms_move_up_and_down(municipality: Any, coordinator: Any) -> None:
    services.taxonomies_ensure(municipality=municipality)
    first, second = names(municipality)[:2]
    term = FieldOfEngagement.objects.get(municipality=municipality, name=second)
    client = client_for(coordinator)
    client.post(f"{URL}bereich/{term.pk}/", {"action": "up"})
    assert names(municipality)[:2] == [second, first]
    client.post(f"{URL}bereich/{term.pk}/", {"action": "down"})
    assert names(municipality)[:2] == [first, second]
    # The first one cannot go further up; nothing breaks.
    top = FieldOfEngagement.objects.get(municipality=municipality, name=first)
    client.post(f"{URL}bereich/{top.pk}/", {"action": "up"})
    assert names(municipality)[:2] == [first, second]


def test_a_term_in_use_is_switched_off_but_never_deleted(
    municipality: Any, coordinator: Any, organisation: Any
) -> None:
    services.taxonomies_ensure(municipality=municipality)
    sport = FieldOfEngagement.objects.get(municipality=municipality, slug="sport-bewegung")
    organisation.engagement_fields.add(sport)
    client = client_for(coordinator)
    response = client.post(
        f"{URL}bereich/{sport.pk}/",
        {"action": "delete", "confirmed": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "Switch it off instead" in response.content.decode()
    assert FieldOfEngagement.objects.filter(pk=sport.pk).exists()
    client.post(f"{URL}bereich/{sport.pk}/", {"action": "deactivate"})
    sport.refresh_from_db()
    assert not sport.is_active
    assert list(organisation.engagement_fields.all()) == [sport]
    client.post(f"{URL}bereich/{sport.pk}/", {"action": "activate"})
    sport.refresh_from_db()
    assert sport.is_active


def test_an_unused_term_is_deleted_after_confirmation(municipality: Any, coordinator: Any) -> None:
    services.taxonomies_ensure(municipality=municipality)
    group = TargetGroup.objects.get(municipality=municipality, slug="familien")
    client = client_for(coordinator)
    confirm = client.post(f"{URL}zielgruppe/{group.pk}/", {"action": "delete"})
    assert confirm.status_code == 200
    assert TargetGroup.objects.filter(pk=group.pk).exists()
    client.post(f"{URL}zielgruppe/{group.pk}/", {"action": "delete", "confirmed": "1"})
    assert not TargetGroup.objects.filter(pk=group.pk).exists()
    assert AuditEvent.objects.filter(action="taxonomy.term_deleted").exists()


def test_a_switched_off_name_cannot_be_added_again_but_is_pointed_out(
    municipality: Any, coordinator: Any
) -> None:
    services.taxonomies_ensure(municipality=municipality)
    term = FieldOfEngagement.objects.get(municipality=municipality, slug="gesundheit")
    services.taxonomy_term_set_active(actor=coordinator, term=term, active=False)
    with pytest.raises(ValidationError, match="switched off"):
        services.taxonomy_term_add(
            actor=coordinator, municipality=municipality, kind="field", name="Gesundheit"
        )


def test_only_the_own_office_edits_the_taxonomies(
    municipality: Any,
    coordinator: Any,
    volunteer: Any,
    org_admin: Any,
    other_coordinator: Any,
    other_municipality: Any,
) -> None:
    services.taxonomies_ensure(municipality=municipality)
    sport = FieldOfEngagement.objects.get(municipality=municipality, slug="sport-bewegung")
    assert client_for(None).get(URL).status_code == 302
    for outsider in (volunteer, org_admin, other_coordinator):
        assert client_for(outsider).get(URL).status_code == 403
        response = client_for(outsider).post(
            f"{URL}bereich/{sport.pk}/", {"action": "rename", "name": "Gekapert"}
        )
        assert response.status_code == 403
    response = client_for(other_coordinator).post(
        f"/beispielhausen/akteure/verwaltung/bereiche/bereich/{sport.pk}/",
        {"action": "delete", "confirmed": "1"},
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.taxonomy_term_rename(actor=other_coordinator, term=sport, name="Gekapert")
    sport.refresh_from_db()
    assert sport.name == "Sport und Bewegung"
    # Their own page lists only their own terms.
    page = client_for(other_coordinator).get("/beispielhausen/akteure/verwaltung/bereiche/")
    assert f"bereich/{sport.pk}/" not in page.content.decode()


def test_the_taxonomy_page_costs_the_same_queries_for_few_and_many_terms(
    municipality: Any, coordinator: Any
) -> None:
    client = client_for(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    client.get(URL)  # seeds the defaults
    few = queries()
    for n in range(15):
        services.taxonomy_term_add(
            actor=coordinator, municipality=municipality, kind="field", name=f"Bereich {n}"
        )
    assert queries() == few
