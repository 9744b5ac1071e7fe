"""CSV import with preview and export as CSV and Open Referral HSDS JSON."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
