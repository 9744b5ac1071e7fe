from django.urls import path

from gemeinsinn.accounts import views, views_notifications

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("einwilligung/<slug:purpose>/", views.consent_change, name="consent"),
    path("meine-daten/", views.data_export, name="export"),
    path("loeschen/", views.account_delete, name="delete"),
    path(
        "benachrichtigungen/",
        views_notifications.notification_page,
        name="notifications",
    ),
]
