"""organiser views of the shifts app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
