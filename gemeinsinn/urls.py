"""Root URLs: installation-wide pages, then every municipality's site under its slug.

With GEMEINSINN_SINGLE_MUNICIPALITY set, the municipality's site is served at the root and the
slug disappears from every URL (reverse() fills it in from the default kwargs).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from gemeinsinn.api.urls import api
from gemeinsinn.core import views as core_views
from gemeinsinn.core.modules import BY_KEY

admin.site.site_header = _("gemeinsinn platform administration")
admin.site.site_title = _("gemeinsinn administration")

handler403 = "gemeinsinn.core.views.error_403"
handler404 = "gemeinsinn.core.views.error_404"
handler500 = "gemeinsinn.core.views.error_500"


def municipal_patterns() -> list[URLPattern | URLResolver]:
    return [
        path("", include("gemeinsinn.core.urls")),
        path("verwaltung/team/", include("gemeinsinn.accounts.office_urls")),
        path(f"{BY_KEY['actors'].path}/", include("gemeinsinn.actors.urls")),
        # Shifts belong to the exchange module (core.modules) but are an app of their own.
        path(f"{BY_KEY['opportunities'].path}/schichten/", include("gemeinsinn.shifts.urls")),
        path(f"{BY_KEY['opportunities'].path}/", include("gemeinsinn.opportunities.urls")),
    ]


def build_urlpatterns(single_municipality: str = "") -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = [
        path("healthz", core_views.healthz, name="healthz"),
        path("konto/", include("allauth.urls")),
        path("konto/", include("gemeinsinn.accounts.urls")),
        path("admin/", admin.site.urls),
        path("api/v1/", api.urls),
        # The language switch needs no CSRF token (ADR 0016): the worst a forged request can do
        # is change a visitor's language, and without a token anonymous pages can be cached.
        path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    ]
    if single_municipality:
        patterns.append(
            path("", include(municipal_patterns()), {"municipality_slug": single_municipality})
        )
        patterns.append(path("", include("gemeinsinn.core.platform_urls")))
    else:
        patterns.append(path("", include("gemeinsinn.core.platform_urls")))
        patterns.append(path("<slug:municipality_slug>/", include(municipal_patterns())))
    return patterns


urlpatterns = build_urlpatterns(settings.SINGLE_MUNICIPALITY)

if settings.DEV or settings.DEBUG:
    # In production the reverse proxy serves /media/ (see README); locally Django does.
    def media(request: HttpRequest, path: str) -> HttpResponseBase:
        return serve(request, path, document_root=str(settings.MEDIA_ROOT))

    urlpatterns.insert(0, path("media/<path:path>", media))
