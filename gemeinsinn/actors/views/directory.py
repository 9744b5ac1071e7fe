"""The public directory: list with search and filters, map, organisation profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.forms import DirectoryFilterForm, OrganisationForm
from gemeinsinn.actors.models import OrganisationType
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect, mreverse

PAGE_SIZE = 20
# The list beside the map repeats the map's points, page by page.
MAP_LIST_PAGE_SIZE = 50


def _filter_form(request: MunicipalRequest) -> DirectoryFilterForm:
    # A municipality that has never shaped its taxonomies gets the defaults on the first visit
    # (one cheap query afterwards), so the filters are never empty.
    services.taxonomies_ensure(municipality=request.municipality)
    options = selectors.directory_filter_options(municipality=request.municipality)
    return DirectoryFilterForm(request.GET or None, options=options)


@require_GET
def directory(request: MunicipalRequest) -> HttpResponse:
    form = _filter_form(request)
    filters = form.filters()
    organisations = selectors.organisations_public(municipality=request.municipality, **filters)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "actors/directory.html",
        {
            "form": form,
            "page": page,
            "query": filters["query"],
            "filtered": any(filters.values()),
            "querystring": form.querystring(),
        },
    )


@require_GET
def organisation_map(request: MunicipalRequest) -> HttpResponse:
    form = _filter_form(request)
    filters = form.filters()
    organisations = selectors.organisations_public(
        municipality=request.municipality, located=True, **filters
    )
    page = Paginator(organisations, MAP_LIST_PAGE_SIZE).get_page(request.GET.get("seite"))
    querystring = form.querystring()
    points_url = mreverse("actors:map_points", request.municipality)
    return render(
        request,
        "actors/map.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "querystring": querystring,
            "points_url": f"{points_url}?{querystring}" if querystring else points_url,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@require_GET
def map_points(request: MunicipalRequest) -> JsonResponse:
    """The map's markers as GeoJSON, filtered like the directory."""
    form = _filter_form(request)
    points = selectors.organisations_on_map(municipality=request.municipality, **form.filters())
    types = dict(OrganisationType.choices)
    # A profile's URL is the directory's plus the slug (see urlpatterns below); reversing it
    # once instead of for each of thousands of points halves the time of this answer.
    directory_url = mreverse("actors:directory", request.municipality)
    features = [
        {
            "type": "Feature",
            # GeoJSON puts the longitude first.
            "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
            "properties": {
                "name": p.name,
                "type": str(types.get(p.type, p.type)),
                "url": f"{directory_url}{p.slug}/",
            },
        }
        for p in points
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
def detail(request: MunicipalRequest, slug: str) -> HttpResponse:
    profile = selectors.organisation_profile(
        municipality=request.municipality, slug=slug, user=request.user
    )
    if profile is None:
        raise Http404
    return render(
        request,
        "actors/detail.html",
        {
            "profile": profile,
            "organisation": profile.organisation,
            "can_edit": profile.can_edit,
            "can_moderate": request.user.has_perm(
                "actors.moderate_organisation", profile.organisation
            ),
            # Every member plans shifts, not only those who may edit the profile.
            "can_organise_shifts": request.user.has_perm("shifts.organise", profile.organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def edit(request: MunicipalRequest, slug: str) -> HttpResponse:
    """Admins and the office edit every profile field; the home office also the listings."""
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
    if organisation.municipality_id != request.municipality.pk:
        # The taxonomies and Stadtteile belong to the home municipality; a form built from the
        # listing municipality's choices would clear them on save.
        return mredirect("actors:edit", organisation.municipality, slug=organisation.slug)
    status_before = organisation.status
    form = OrganisationForm(
        request.POST or None,
        request.FILES or None,
        instance=organisation,
        municipality=request.municipality,
        can_change_listing=request.user.has_perm("actors.change_listing", organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organisation_update(
                actor=request.user, organisation=organisation, values=form.values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved.status != status_before:
                messages.success(
                    request,
                    _(
                        "Thank you! The entry has been saved and goes back to the coordination office."
                    ),
                )
            else:
                messages.success(request, _("The organisation profile has been saved."))
            return mredirect("actors:detail", organisation.municipality, slug=organisation.slug)
    return render(
        request,
        "actors/edit.html",
        {
            "organisation": organisation,
            "form": form,
            "status": status_before,
            "stale": selectors.organisation_is_stale(organisation=organisation),
            "can_manage_members": request.user.has_perm("actors.manage_members", organisation),
        },
    )


# The catch-all <slug>/ comes last in actors/urls.py, after every other area's fixed paths;
# "karte" is a reserved slug for that reason.
urlpatterns = [
    path("", directory, name="directory"),
    path("karte/", organisation_map, name="map"),
    path("karte/punkte/", map_points, name="map_points"),
    path("<slug:slug>/", detail, name="detail"),
    path("<slug:slug>/bearbeiten/", edit, name="edit"),
]
