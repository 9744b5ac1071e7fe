"""Placeholder: the helper who owns this area replaces the module, keeping these names."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("", _not_yet, name="search"),
]
