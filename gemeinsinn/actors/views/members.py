"""Members of an organisation: invitations, requests, roles."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
