"""Self-registration of organisations and claims of imported entries."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
