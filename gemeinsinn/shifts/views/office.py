"""The coordination office's page for the municipality's shift settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect
from gemeinsinn.core.views import office_required
from gemeinsinn.shifts.forms_office import ShiftSettingsForm
from gemeinsinn.shifts.selectors.common import shift_settings
from gemeinsinn.shifts.services.settings import SETTINGS_FIELDS, shift_settings_update


@office_required("shifts.change_settings")
@require_http_methods(["GET", "POST"])
def settings(request: MunicipalRequest) -> HttpResponse:
    """Grace time for overlapping shifts, reminder times and deadlines of the municipality."""
    current = shift_settings(municipality=request.municipality)
    form = ShiftSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            shift_settings_update(
                actor=request.user,
                municipality=request.municipality,
                values={name: form.cleaned_data[name] for name in SETTINGS_FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The shift settings have been saved."))
            return mredirect("shifts:settings", request.municipality)
    return render(
        request,
        "shifts/office_settings.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


urlpatterns: list[URLPattern] = [
    path("verwaltung/einstellungen/", settings, name="settings"),
]
