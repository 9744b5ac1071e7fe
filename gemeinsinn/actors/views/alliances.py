"""Alliances (Bündnisse) with steering group, projects and target agreements."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
