"""List pages cost a fixed number of queries, however many rows they show."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import client_for
from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import OutgoingMail


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _organisations(municipality: Any, count: int, start: int) -> None:
    for n in range(start, start + count):
        actor_services.organisation_create(
            actor="test",
            municipality=municipality,
            name=f"Verein {n}",
            type="club",
            sector="civil_society",
            published=True,
        )


def test_the_directory_costs_the_same_queries_for_3_and_25_organisations(
    municipality: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(None)
    _organisations(municipality, 3, 0)
    client.get("/musterstadt/akteure/")  # the first visit seeds the default taxonomies
    few = _queries(client, "/musterstadt/akteure/")
    _organisations(municipality, 22, 3)
    assert _queries(client, "/musterstadt/akteure/") == few
    with django_assert_max_num_queries(10):
        client.get("/musterstadt/akteure/")


def test_the_audit_log_costs_the_same_queries_for_3_and_40_events(
    municipality: Any, coordinator: Any
) -> None:
    client = client_for(coordinator)
    for n in range(3):
        audit_record(actor=coordinator, action=f"test.{n}", municipality=municipality)
    few = _queries(client, "/musterstadt/verwaltung/protokoll/")
    for n in range(37):
        audit_record(actor=coordinator, action=f"test.more{n}", municipality=municipality)
    assert _queries(client, "/musterstadt/verwaltung/protokoll/") == few


def test_the_outbox_costs_the_same_queries_for_2_and_30_mails(
    municipality: Any, coordinator: Any
) -> None:
    client = client_for(coordinator)

    def add(count: int) -> None:
        OutgoingMail.objects.bulk_create(
            OutgoingMail(
                municipality=municipality, recipient=f"p{n}@example.org", subject="S", body_text="B"
            )
            for n in range(count)
        )

    add(2)
    few = _queries(client, "/musterstadt/verwaltung/postausgang/")
    add(28)
    assert _queries(client, "/musterstadt/verwaltung/postausgang/") == few


def test_the_municipality_home_page_stays_cheap(
    municipality: Any, volunteer: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(volunteer)
    with django_assert_max_num_queries(8):
        client.get("/musterstadt/")
