"""Coverage analysis: fields × Stadtteile, sector balance, administration units, infrastructure."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from gemeinsinn.actors import selectors
from gemeinsinn.actors.forms_imports import CoverageFilterForm
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.views import office_required


@office_required("core.manage_municipality")
@require_GET
def office_coverage(request: MunicipalRequest) -> HttpResponse:
    measures = [(m.key, m.label) for m in selectors.MEASURES.values()]
    form = CoverageFilterForm(request.GET or None, measures=measures)
    filters = {"type": "", "sector": "", "measure": "organisations"}
    if form.is_valid():
        filters.update({k: v for k, v in form.cleaned_data.items() if v})
    report = selectors.coverage_report(municipality=request.municipality, **filters)
    return render(
        request,
        "actors/office_coverage.html",
        {"form": form, "report": report, "filtered": bool(filters["type"] or filters["sector"])},
    )


urlpatterns = [
    path("verwaltung/abdeckung/", office_coverage, name="office_coverage"),
]
