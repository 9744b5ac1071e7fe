"""signup views of the shifts app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []


def opportunity_panel(request: object, opportunity: object) -> str:
    """The opportunity's upcoming shifts (filled in with the sign-up pages)."""
    return ""
