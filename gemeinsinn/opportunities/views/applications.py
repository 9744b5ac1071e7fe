"""Placeholder: the helper who owns this area replaces the module, keeping these names."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("angebot/<uuid:public_id>/interesse/", _not_yet, name="apply"),
    path("meine-bewerbungen/", _not_yet, name="my_applications"),
    path("organisation/<slug:org_slug>/bewerbungen/", _not_yet, name="inbox"),
    path("meine-engagements/", _not_yet, name="my_engagements"),
    path("bewerbung/<uuid:public_id>/", _not_yet, name="application"),
]
