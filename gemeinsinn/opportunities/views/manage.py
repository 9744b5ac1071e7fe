"""Placeholder: the helper who owns this area replaces the module, keeping these names."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("organisation/<slug:org_slug>/angebote/", _not_yet, name="manage_list"),
    path("organisation/<slug:org_slug>/angebote/neu/", _not_yet, name="create"),
    path("angebot/<uuid:public_id>/bearbeiten/", _not_yet, name="edit"),
    path("verwaltung/pruefung/", _not_yet, name="review_queue"),
]
