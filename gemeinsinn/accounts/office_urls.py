from django.urls import path

from gemeinsinn.accounts import office_views

app_name = "team"

urlpatterns = [
    path("", office_views.team, name="team"),
    path("<int:grant_id>/entfernen/", office_views.revoke, name="revoke"),
]
