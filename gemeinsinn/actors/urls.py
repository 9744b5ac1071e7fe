"""URLs of the actors module under /<municipality>/akteure/.

Each area's views module owns its patterns; fixed paths first, the directory's <slug>/ last.
"""

from gemeinsinn.actors.views import (
    alliances,
    coverage,
    directory,
    imports,
    members,
    network,
    office,
    registration,
)

app_name = "actors"

urlpatterns = [
    *registration.urlpatterns,
    *office.urlpatterns,
    *alliances.urlpatterns,
    *network.urlpatterns,
    *imports.urlpatterns,
    *coverage.urlpatterns,
    *members.urlpatterns,
    *directory.urlpatterns,
]
