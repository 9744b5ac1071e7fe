"""The installation's URLs plus /bench/floor/: a plain templated page of 20 items.

The floor does what every page does (middleware, session, template engine, a list in a
template) and nothing a real page adds (queries, forms, the site's layout), so the gap between
it and a real page is the work of that page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path

from gemeinsinn.urls import urlpatterns as site_patterns

ITEMS = [
    {
        "title": f"Engagement {n}",
        "organisation": f"Verein {n} e. V.",
        "place": "Musterstadt",
        "text": "Wir suchen Helfende für die Ausgabe am Dienstag und Freitag.",
    }
    for n in range(1, 21)
]


def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/floor.html", {"items": ITEMS})


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/floor/", floor, name="bench_floor"),
    *site_patterns,
]
