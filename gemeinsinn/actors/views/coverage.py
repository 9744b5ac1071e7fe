"""Coverage analysis: fields × districts, sector balance, administration departments."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
