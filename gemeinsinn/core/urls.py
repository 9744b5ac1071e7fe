"""Pages of a municipality's site, mounted under /<municipality-slug>/."""

from django.urls import path

from gemeinsinn.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("impressum/", views.legal_page, {"page": "imprint"}, name="imprint"),
    path("datenschutz/", views.legal_page, {"page": "privacy"}, name="privacy"),
    path("nutzungsbedingungen/", views.legal_page, {"page": "terms"}, name="terms"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("theme.css", views.theme, name="theme"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("verwaltung/", views.office, name="office"),
    path("verwaltung/module/", views.office_modules, name="office_modules"),
    path("verwaltung/einstellungen/", views.office_settings, name="office_settings"),
    path("verwaltung/protokoll/", views.office_audit, name="office_audit"),
    path("verwaltung/postausgang/", views.office_outbox, name="office_outbox"),
    path(
        "verwaltung/postausgang/<uuid:public_id>/erneut/",
        views.office_outbox_retry,
        name="office_outbox_retry",
    ),
    path("verwaltung/stadtteile/", views.office_districts, name="office_districts"),
    path(
        "verwaltung/stadtteile/<slug:slug>/",
        views.office_district_change,
        name="office_district_change",
    ),
    path("verwaltung/rueckmeldungen/", views.office_feedback, name="office_feedback"),
]
