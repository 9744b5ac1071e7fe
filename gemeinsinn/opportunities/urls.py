"""URLs of the engagement exchange under /<municipality>/engagement/.

Each area's views module owns its patterns.
"""

from gemeinsinn.opportunities.views import (
    agency,
    applications,
    detail,
    manage,
    offers,
    profile,
    search,
)

app_name = "opportunities"

urlpatterns = [
    *search.urlpatterns,
    *profile.urlpatterns,
    *applications.urlpatterns,
    *manage.urlpatterns,
    *offers.urlpatterns,
    *agency.urlpatterns,
    *detail.urlpatterns,
]
