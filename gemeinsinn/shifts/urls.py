"""URLs of shifts under /<municipality>/engagement/schichten/ (part of the exchange module).

Each area's views module owns its patterns.
"""

from gemeinsinn.shifts.views import (
    checkin,
    feeds,
    mine,
    office,
    organiser,
    plans,
    respond,
    signup,
)

app_name = "shifts"

urlpatterns = [
    *signup.urlpatterns,
    *mine.urlpatterns,
    *respond.urlpatterns,
    *checkin.urlpatterns,
    *feeds.urlpatterns,
    *organiser.urlpatterns,
    *plans.urlpatterns,
    *office.urlpatterns,
]
