"""Placeholder: the helper who owns this area replaces the module, keeping these names."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("profil/", _not_yet, name="profile"),
    path("einstieg/", _not_yet, name="onboarding"),
    path("fuer-sie/", _not_yet, name="recommendations"),
    path("angebot/<uuid:public_id>/vorschlaege/", _not_yet, name="suggestions"),
    path("verwaltung/einstellungen/", _not_yet, name="office_settings"),
]
