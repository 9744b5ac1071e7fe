"""Reversing municipality URLs, with or without the slug (single-municipality installations)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse


def mreverse(name: str, municipality: Any, **kwargs: Any) -> str:
    """The URL of a municipality page; the slug is left out where the installation hides it.

    Django drops the default kwargs of a namespaced include when reversing, so single-municipality
    mode cannot rely on them and reverses without the slug instead.
    """
    if not settings.SINGLE_MUNICIPALITY:
        kwargs = {"municipality_slug": municipality.slug, **kwargs}
    return reverse(name, kwargs=kwargs or None)


def mredirect(name: str, municipality: Any, **kwargs: Any) -> HttpResponseRedirect:
    return HttpResponseRedirect(mreverse(name, municipality, **kwargs))
