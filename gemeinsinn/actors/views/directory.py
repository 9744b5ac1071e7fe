from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.forms import DirectoryFilterForm, OrganisationForm
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect


@require_GET
def directory(request: MunicipalRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    query, org_type = "", ""
    if form.is_valid():
        query, org_type = form.cleaned_data["q"], form.cleaned_data["type"]
    organisations = selectors.organisations_public(
        municipality=request.municipality,
        query=query,
        type=org_type,
    )
    page = Paginator(organisations, 30).get_page(request.GET.get("seite"))
    return render(request, "actors/directory.html", {"form": form, "page": page, "query": query})


@require_GET
def detail(request: MunicipalRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_visible(
        municipality=request.municipality,
        slug=slug,
        user=request.user,
    )
    if organisation is None:
        raise Http404
    can_edit = request.user.has_perm("actors.change_organisation", organisation)
    return render(
        request, "actors/detail.html", {"organisation": organisation, "can_edit": can_edit}
    )


@require_http_methods(["GET", "POST"])
def edit(request: MunicipalRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = selectors.organisation_visible(
        municipality=request.municipality,
        slug=slug,
        user=request.user,
    )
    if organisation is None:
        raise Http404
    if not request.user.has_perm("actors.change_organisation", organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                values={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The organisation profile has been saved."))
            return mredirect("actors:detail", organisation.municipality, slug=organisation.slug)
    return render(request, "actors/edit.html", {"organisation": organisation, "form": form})


# The catch-all <slug>/ comes last in actors/urls.py, after every other area's fixed paths.
urlpatterns = [
    path("", directory, name="directory"),
    path("<slug:slug>/", detail, name="detail"),
    path("<slug:slug>/bearbeiten/", edit, name="edit"),
]
