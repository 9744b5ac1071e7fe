"""Cooperation links of an organisation and the office's network graph."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gemeinsinn.actors import charts, selectors, services
from gemeinsinn.actors.forms_network import CooperationLinkForm, NetworkFilterForm
from gemeinsinn.actors.models import Organisation
from gemeinsinn.actors.selectors.network import (
    LINK_PHRASES,
    cooperation_proposal_to,
    sector_counts,
)
from gemeinsinn.actors.services.network import cooperation_link_confirm, cooperation_link_decline
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect, mreverse
from gemeinsinn.core.views import office_required

NETWORK_TABLE_PAGE = 50


def _posted(request: MunicipalRequest) -> QueryDict | None:
    """The submitted data, also when a form was sent empty (an empty QueryDict is falsy)."""
    return request.POST if request.method == "POST" else None


def _may_link(request: MunicipalRequest, organisation: Organisation) -> bool:
    return bool(
        request.user.has_perm("actors.add_cooperation", organisation)
        or request.user.has_perm("core.manage_municipality", request.municipality)
    )


def _linkable(request: MunicipalRequest, slug: str) -> Organisation:
    """The organisation whose links the person manages; 404 unless visible, 403 unless allowed."""
    organisation = selectors.organisation_in_scope(municipality=request.municipality, slug=slug)
    if organisation is None:
        raise Http404
    if not _may_link(request, organisation):
        if organisation.status != Organisation.Status.PUBLISHED:
            raise Http404
        raise PermissionDenied
    return organisation


@require_http_methods(["GET", "POST"])
def cooperations(request: MunicipalRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _linkable(request, slug)
    form = CooperationLinkForm(
        _posted(request),
        partners=selectors.cooperation_partners_eligible(
            municipality=request.municipality, source=organisation
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            link = services.cooperation_link_create(
                actor=request.user,
                municipality=request.municipality,
                source=organisation,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if link.confirmed_at is not None:
                messages.success(request, _("The cooperation has been recorded."))
            else:
                messages.success(
                    request,
                    _(
                        "The cooperation has been proposed. It appears in public once "
                        "%(partner)s has confirmed it."
                    )
                    % {"partner": link.target.name},
                )
            return mredirect("actors:cooperations", request.municipality, slug=organisation.slug)
    links = selectors.cooperations_of(
        municipality=request.municipality, organisation=organisation, include_proposals=True
    )
    user = request.user
    return render(
        request,
        "actors/cooperations.html",
        {
            "organisation": organisation,
            "cooperations": [
                (c, user.has_perm("actors.delete_cooperation", c.link))
                for c in links
                if c.confirmed
            ],
            "proposals_to_us": [
                c
                for c in links
                if not c.confirmed
                and not c.outgoing
                and user.has_perm("actors.confirm_cooperation", c.link)
            ],
            "proposals_by_us": [
                (c, user.has_perm("actors.delete_cooperation", c.link))
                for c in links
                if not c.confirmed and c.outgoing
            ],
            "form": form,
        },
    )


def _proposal(request: MunicipalRequest, slug: str, link_id: int) -> tuple[Organisation, Any]:
    """The organisation and a link proposed to it; 404 unless it exists, 403 unless allowed."""
    organisation = selectors.organisation_in_scope(municipality=request.municipality, slug=slug)
    if organisation is None:
        raise Http404
    link = cooperation_proposal_to(organisation=organisation, pk=link_id)
    if link is None:
        raise Http404
    if not request.user.has_perm("actors.confirm_cooperation", link):
        if organisation.status != Organisation.Status.PUBLISHED:
            raise Http404
        raise PermissionDenied
    return organisation, link


@require_POST
def cooperation_confirm(request: MunicipalRequest, slug: str, link_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation, link = _proposal(request, slug, link_id)
    try:
        cooperation_link_confirm(actor=request.user, link=link)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The cooperation with %(partner)s has been confirmed.")
            % {"partner": link.source.name},
        )
    return mredirect("actors:cooperations", request.municipality, slug=organisation.slug)


@require_http_methods(["GET", "POST"])
def cooperation_decline(request: MunicipalRequest, slug: str, link_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation, link = _proposal(request, slug, link_id)
    if request.method == "POST" and request.POST.get("confirmed"):
        try:
            cooperation_link_decline(actor=request.user, link=link)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The proposal of %(partner)s has been declined.") % {"partner": link.source.name},
            )
        return mredirect("actors:cooperations", request.municipality, slug=organisation.slug)
    phrase = str(LINK_PHRASES[link.kind][1])
    return render(
        request,
        "actors/cooperation_decline.html",
        {"organisation": organisation, "link": link, "phrase": phrase},
    )


@require_http_methods(["GET", "POST"])
def cooperation_delete(request: MunicipalRequest, slug: str, link_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = selectors.organisation_in_scope(municipality=request.municipality, slug=slug)
    if organisation is None:
        raise Http404
    link = selectors.cooperation_link_of(
        municipality=request.municipality, organisation=organisation, pk=link_id
    )
    if link is None:
        raise Http404
    if not request.user.has_perm("actors.delete_cooperation", link):
        if organisation.status != Organisation.Status.PUBLISHED:
            raise Http404
        raise PermissionDenied
    if request.method == "POST":
        services.cooperation_link_delete(actor=request.user, link=link)
        messages.success(request, _("The cooperation has been removed."))
        return mredirect("actors:cooperations", request.municipality, slug=organisation.slug)
    cooperation = next(
        c
        for c in selectors.cooperations_of(
            municipality=request.municipality, organisation=organisation, include_proposals=True
        )
        if c.link.pk == link.pk
    )
    return render(
        request,
        "actors/cooperation_delete.html",
        {"organisation": organisation, "cooperation": cooperation},
    )


@office_required("core.manage_municipality")
@require_GET
def office_network(request: MunicipalRequest) -> HttpResponse:
    fields = selectors.network_fields(municipality=request.municipality)
    form = NetworkFilterForm(request.GET or None, fields=[(f.slug, f.name) for f in fields])
    field, sector = "", ""
    if form.is_valid():
        field, sector = form.cleaned_data["field"], form.cleaned_data["sector"]
    graph = selectors.network_graph(municipality=request.municipality, field=field, sector=sector)
    drawing = charts.network_chart(graph)
    page = Paginator(graph.rows(), NETWORK_TABLE_PAGE).get_page(request.GET.get("seite"))
    # An organisation listed here from another town has its profile in its home town.
    here = request.municipality.slug
    rows = [
        (
            row,
            mreverse("actors:detail", SimpleNamespace(slug=row.node.home_slug), slug=row.node.slug),
            [
                (
                    partner,
                    mreverse(
                        "actors:detail", SimpleNamespace(slug=partner.home_slug), slug=partner.slug
                    ),
                    labels,
                )
                for partner, labels in row.partners
            ],
            row.node.home_slug == here,
        )
        for row in page.object_list
    ]
    return render(
        request,
        "actors/office_network.html",
        {
            "form": form,
            "graph": graph,
            "drawing": drawing,
            "page": page,
            "rows": rows,
            "legend": [
                (sector, label, count, charts.sector_symbol(sector))
                for sector, label, count in sector_counts(graph.nodes)
            ],
            "filtered": bool(field or sector),
        },
    )


urlpatterns = [
    path("verwaltung/netzwerk/", office_network, name="office_network"),
    path("<slug:slug>/kooperationen/", cooperations, name="cooperations"),
    path(
        "<slug:slug>/kooperationen/<int:link_id>/entfernen/",
        cooperation_delete,
        name="cooperation_delete",
    ),
    path(
        "<slug:slug>/kooperationen/<int:link_id>/bestaetigen/",
        cooperation_confirm,
        name="cooperation_confirm",
    ),
    path(
        "<slug:slug>/kooperationen/<int:link_id>/ablehnen/",
        cooperation_decline,
        name="cooperation_decline",
    ),
]
