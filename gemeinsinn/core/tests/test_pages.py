"""Pages of the shell: landing, branding, legal texts, feedback, audit filters, error pages,
no third-party hosts, single-municipality mode, API document."""

from __future__ import annotations

import re
import sys
import types
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import clear_url_caches

from conftest import client_for
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import AccessibilityFeedback, AuditEvent
from gemeinsinn.core.routing import mreverse

THIRD_PARTY = re.compile(
    r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//(?!testserver|localhost|127\.0\.0\.1)"""
)


def test_the_landing_page_lists_every_active_municipality(
    municipality: Any, other_municipality: Any
) -> None:
    page = client_for(None).get("/").content.decode()
    assert 'href="/musterstadt/"' in page
    assert 'href="/beispielhausen/"' in page


def test_the_landing_page_says_what_to_do_when_there_is_no_municipality(db: None) -> None:
    page = client_for(None).get("/").content.decode()
    assert "gemeinsinn demo" in page


def test_an_installation_with_one_municipality_goes_straight_to_it(municipality: Any) -> None:
    response = client_for(None).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/musterstadt/"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/musterstadt/",
        "/musterstadt/impressum/",
        "/musterstadt/barrierefreiheit/",
        "/musterstadt/leichte-sprache/",
        "/musterstadt/akteure/",
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/gibt-es-nicht/",
    ],
)
def test_rendered_pages_reference_no_third_party_host(
    municipality: Any, other_municipality: Any, url: str
) -> None:
    response = client_for(None).get(url)
    assert response.status_code in (200, 404)
    page = response.content.decode()
    assert not THIRD_PARTY.search(page), THIRD_PARTY.search(page)


def test_office_pages_reference_no_third_party_host(coordinator: Any) -> None:
    client = client_for(coordinator)
    for url in [
        "/musterstadt/verwaltung/",
        "/musterstadt/verwaltung/einstellungen/",
        "/konto/profil/",
    ]:
        assert not THIRD_PARTY.search(client.get(url).content.decode()), url


def test_the_content_security_policy_allows_only_our_own_origin(municipality: Any) -> None:
    response = client_for(None).get("/musterstadt/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "http" not in policy.replace("'self'", "")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_branding_colours_are_served_as_same_origin_css(
    municipality: Any, coordinator: Any
) -> None:
    client_for(coordinator).post(
        "/musterstadt/verwaltung/einstellungen/",
        {
            "display_name": "Engagiert in Musterstadt",
            "primary_colour": "#123456",
            "accent_colour": "#654321",
        },
    )
    css = client_for(None).get("/musterstadt/theme.css")
    assert css["Content-Type"].startswith("text/css")
    assert "--brand:#123456" in css.content.decode()
    assert "Engagiert in Musterstadt" in client_for(None).get("/musterstadt/").content.decode()


def test_a_bad_colour_gets_a_clear_message_and_nothing_is_saved(
    municipality: Any, coordinator: Any
) -> None:
    response = client_for(coordinator).post(
        "/musterstadt/verwaltung/einstellungen/",
        {"display_name": "Neu", "primary_colour": "#12345g", "accent_colour": "#654321"},
    )
    assert response.status_code == 200
    assert "#RRGGBB" in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.display_name == ""
    assert municipality.primary_colour == "#0b5394"


def test_legal_texts_set_by_the_office_appear_on_their_pages(
    municipality: Any, coordinator: Any
) -> None:
    client_for(coordinator).post(
        "/musterstadt/verwaltung/einstellungen/",
        {
            "primary_colour": "#0b5394",
            "accent_colour": "#7a3e00",
            "contact_email": "engagement@musterstadt.example",
            "imprint": "Stadt Musterstadt, Rathausplatz 1",
            "privacy_notice": "Verantwortlich ist die Stadt.",
        },
    )
    assert "Rathausplatz 1" in client_for(None).get("/musterstadt/impressum/").content.decode()
    assert (
        "Verantwortlich ist die Stadt."
        in client_for(None).get("/musterstadt/datenschutz/").content.decode()
    )
    event = AuditEvent.objects.get(action="municipality.settings_changed")
    assert set(event.data["fields"]) == {"imprint", "privacy_notice"}


def test_the_accessibility_feedback_form_stores_the_report_and_tells_the_office(
    municipality: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(
            "/musterstadt/barrierefreiheit/",
            {
                "message": "Der Kontrast der Knöpfe ist zu schwach.",
                "page_url": "/musterstadt/",
                "email": "a@b.de",
            },
        )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.municipality == municipality
    assert mail.outbox[0].to == ["engagement@musterstadt.example"]
    assert "Kontrast" in mail.outbox[0].body
    assert mail.outbox[0].reply_to == ["a@b.de"]


def test_an_empty_feedback_gets_a_clear_message_and_keeps_the_other_input(
    municipality: Any,
) -> None:
    response = client_for(None).post(
        "/musterstadt/barrierefreiheit/", {"message": "", "name": "Anna", "email": "kein-mail"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Anna"' in page
    assert not AccessibilityFeedback.objects.exists()


def test_the_audit_log_filters_by_action_person_and_date(
    municipality: Any, coordinator: Any
) -> None:
    audit_record(actor="Fritz Filter", action="organisation.created", municipality=municipality)
    audit_record(actor="Anna Andere", action="consent.granted", municipality=municipality)
    client = client_for(coordinator)
    page = client.get("/musterstadt/verwaltung/protokoll/?action=organisation").content.decode()
    assert "Fritz Filter" in page
    assert "Anna Andere" not in page
    page = client.get("/musterstadt/verwaltung/protokoll/?actor=anna").content.decode()
    assert "Anna Andere" in page
    assert "Fritz Filter" not in page
    page = client.get("/musterstadt/verwaltung/protokoll/?since=2099-01-01").content.decode()
    assert "Fritz Filter" not in page


def test_an_impossible_date_range_in_the_audit_filter_gets_a_message(coordinator: Any) -> None:
    page = (
        client_for(coordinator)
        .get("/musterstadt/verwaltung/protokoll/?since=2026-12-01&until=2026-01-01")
        .content.decode()
    )
    assert (
        "The end date lies before the start date." in page
        or "Das Enddatum liegt vor dem Anfangsdatum." in page
    )


def test_a_missing_page_shows_a_friendly_404_with_a_way_back(municipality: Any) -> None:
    response = client_for(None).get("/musterstadt/gibt-es-nicht/")
    assert response.status_code == 404
    assert 'href="/musterstadt/"' in response.content.decode()


def test_a_server_error_shows_a_friendly_500_page(municipality: Any) -> None:
    client = Client(raise_request_exception=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gemeinsinn.core.views.render", _explode)
        response = client.get("/musterstadt/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Ein Fehler ist aufgetreten" in page
    assert "An error occurred" in page


def _explode(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("boom")


def test_the_openapi_document_is_served(municipality: Any) -> None:
    document = client_for(None).get("/api/v1/openapi.json").json()
    assert "/api/v1/municipalities" in document["paths"]
    data = client_for(None).get("/api/v1/municipalities").json()
    assert data[0]["ags"] == "09187999"
    assert "actors" in data[0]["modules"]


def test_a_single_municipality_installation_hides_the_slug(municipality: Any) -> None:
    from gemeinsinn.urls import build_urlpatterns

    module = types.ModuleType("single_urls")
    module.urlpatterns = build_urlpatterns("musterstadt")  # type: ignore[attr-defined]
    module.handler404 = "gemeinsinn.core.views.error_404"  # type: ignore[attr-defined]
    sys.modules["single_urls"] = module
    try:
        with override_settings(ROOT_URLCONF="single_urls", SINGLE_MUNICIPALITY="musterstadt"):
            clear_url_caches()
            assert mreverse("core:home", municipality) == "/"
            assert mreverse("actors:directory", municipality) == "/akteure/"
            page = client_for(None).get("/").content.decode()
            assert "Musterstadt" in page
            assert 'href="/akteure/"' in page
            assert client_for(None).get("/impressum/").status_code == 200
    finally:
        clear_url_caches()
        del sys.modules["single_urls"]


def _png(size: int = 8) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (size, size), "#0b5394").save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_office_uploads_a_logo_that_appears_in_the_header(
    municipality: Any, coordinator: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    logo = SimpleUploadedFile("wappen.png", _png(), content_type="image/png")
    response = client_for(coordinator).post(
        "/musterstadt/verwaltung/einstellungen/",
        {"primary_colour": "#0b5394", "accent_colour": "#7a3e00", "logo": logo},
    )
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.logo.name.startswith("logos/wappen")
    page = client_for(None).get("/musterstadt/").content.decode()
    assert f'src="/media/{municipality.logo.name}"' in page
    assert client_for(None).get(f"/media/{municipality.logo.name}").status_code == 200


def test_a_file_that_is_not_an_image_is_refused_as_logo(
    municipality: Any, coordinator: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client_for(coordinator).post(
        "/musterstadt/verwaltung/einstellungen/",
        {"primary_colour": "#0b5394", "accent_colour": "#7a3e00", "logo": fake},
    )
    assert response.status_code == 200
    municipality.refresh_from_db()
    assert not municipality.logo


def test_the_audit_log_names_actions_in_words(municipality: Any, coordinator: Any) -> None:
    audit_record(actor="Fritz Filter", action="district.created", municipality=municipality)
    page = client_for(coordinator).get("/musterstadt/verwaltung/protokoll/").content.decode()
    assert "Stadtteil hinzugefügt" in page or "Stadtteil added" in page
