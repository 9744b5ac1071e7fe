"""Installation-wide pages: the landing page listing municipalities and the operator's legal pages."""

from django.urls import path

from gemeinsinn.core import views

app_name = "platform"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("impressum/", views.platform_page, {"page": "imprint"}, name="imprint"),
    path("datenschutz/", views.platform_page, {"page": "privacy"}, name="privacy"),
    path("barrierefreiheit/", views.platform_page, {"page": "accessibility"}, name="accessibility"),
]
