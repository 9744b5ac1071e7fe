"""The coordination office's tools: moderation queue, stale entries, taxonomies."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
