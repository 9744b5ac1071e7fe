"""The search of opportunities (the module's entry page), its feeds, saved searches, and the
open-data downloads: the bagfa CSV for the office and the JSON-LD list for everybody."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect, mreverse
from gemeinsinn.core.views import office_required
from gemeinsinn.opportunities.forms_search import SavedSearchForm, SaveSearchForm, SearchForm
from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.opportunities.opendata import opportunity_jsonld
from gemeinsinn.opportunities.selectors import search as selectors
from gemeinsinn.opportunities.services import exports
from gemeinsinn.opportunities.services import saved_searches as services

OFFICE = "core.manage_municipality"
PAGE_SIZE = 20
FEED_SIZE = 50


@dataclass(frozen=True)
class Result:
    """One row of the result list: what opportunities/_card.html needs."""

    opportunity: Opportunity
    distance_km: float | None


# The filters' vocabularies change when the office edits them; a minute's delay is fine, and
# four queries per search are saved.
OPTIONS_CACHE_SECONDS = 60


def _options(request: MunicipalRequest) -> selectors.SearchOptions:
    town = request.municipality
    if not settings.SEARCH_CACHE_SECONDS:
        return selectors.search_options(municipality=town)
    key = f"opportunities:search-options:{town.pk}"
    options: selectors.SearchOptions | None = cache.get(key)
    if options is None:
        options = selectors.search_options(municipality=town)
        cache.set(key, options, min(OPTIONS_CACHE_SECONDS, settings.SEARCH_CACHE_SECONDS))
    return options


def _form(request: MunicipalRequest) -> SearchForm:
    return SearchForm(request.GET, municipality=request.municipality, options=_options(request))


def _with_query(url: str, querystring: str) -> str:
    return f"{url}?{querystring}" if querystring else url


def _search_fragments(request: MunicipalRequest, form: SearchForm) -> dict[str, Any]:
    """The rendered search form and results for this query, from the cache when current.

    A popular search then costs a cache read instead of the full-text query and a few hundred
    form widgets; the key holds the town's generation token, so any change to one of its
    opportunities (or a new day) makes every cached rendering stale at once.
    """
    town = request.municipality
    if not settings.SEARCH_CACHE_SECONDS:
        return _render_fragments(request, form)
    key = (
        "opportunities:search:"
        + hashlib.sha256(
            "|".join(
                (
                    str(town.pk),
                    get_language() or "",
                    _generation(town),
                    "partial" if _wants_fragment(request) else "page",
                    urlencode(sorted(request.GET.lists()), doseq=True),
                )
            ).encode()
        ).hexdigest()
    )
    fragments: dict[str, Any] | None = cache.get(key)
    if fragments is None:
        fragments = _render_fragments(request, form)
        cache.set(key, fragments, settings.SEARCH_CACHE_SECONDS)
    return fragments


def _render_fragments(request: MunicipalRequest, form: SearchForm) -> dict[str, Any]:
    """Run the search and render the form and the results."""
    town = request.municipality
    params = form.params()
    found = selectors.opportunity_search(municipality=town, params=params)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("seite"))
    search_url = mreverse("opportunities:search", town)
    context = {
        "form": form,
        "page": page,
        "results": [Result(o, selectors.distance_km(o)) for o in page.object_list],
        "params": params,
        "sort": params.effective_sort(),
        "filtered": form.is_filtered(),
        "filters_open": any(
            bf.value() for _legend, fields in form.filter_groups() for bf in fields
        ),
        "querystring": form.querystring(),
        "search_url": search_url,
        "without_position": _with_query(search_url, form.querystring(keep_position=False)),
        "partial": _wants_fragment(request),
    }
    fragments = {
        "form_html": render_to_string("opportunities/search_form.html", context, request),
        "results_html": render_to_string("opportunities/search_results.html", context, request),
    }
    return fragments


@require_GET
def search(request: MunicipalRequest) -> HttpResponse:
    # A visitor without session or message cookies gets exactly what every such visitor gets
    # for this query, language and state of the town: the whole answer is reused (ADR 0016).
    key = _page_key(request) if _stateless(request) else None
    if key is not None and (stored := cache.get(key)) is not None:
        return _replay(stored)
    response = _search_response(request)
    if key is not None and response.status_code == 200:
        cache.set(
            key,
            {
                "content": response.content,
                "headers": {h: response[h] for h in _REPLAYED if response.has_header(h)},
            },
            settings.SEARCH_CACHE_SECONDS,
        )
    return response


# The headers a reused answer carries again (CSP and the like are added per response).
_REPLAYED = ("Content-Type", "Content-Language", "Vary")


def _stateless(request: MunicipalRequest) -> bool:
    """No cookie that could change the page (session, messages): only language or CSRF."""
    if not settings.SEARCH_CACHE_SECONDS:
        return False
    harmless = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return set(request.COOKIES) <= harmless


def _page_key(request: MunicipalRequest) -> str:
    town = request.municipality
    return (
        "opportunities:search-page:"
        + hashlib.sha256(
            "|".join(
                (
                    str(town.pk),
                    get_language() or "",
                    _generation(town),
                    "partial" if _wants_fragment(request) else "page",
                    urlencode(sorted(request.GET.lists()), doseq=True),
                )
            ).encode()
        ).hexdigest()
    )


# The generation token is read from the database at most once a second per town, so a stored
# page costs no query of its own; a change to an opportunity shows within that second.
GENERATION_CACHE_SECONDS = 1


def _generation(town: Any) -> str:
    key = f"opportunities:search-generation:{town.pk}"
    token: str | None = cache.get(key)
    if token is None:
        token = selectors.search_generation(municipality=town)
        cache.set(key, token, GENERATION_CACHE_SECONDS)
    return token


def _replay(stored: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(stored["content"])
    for header, value in stored["headers"].items():
        response[header] = value
    return response


def _search_response(request: MunicipalRequest) -> HttpResponse:
    form = _form(request)
    fragments = _search_fragments(request, form)
    if _wants_fragment(request):
        response = HttpResponse(fragments["results_html"])
        patch_vary_headers(response, ("HX-Request",))
        return response
    params = form.params()
    querystring = form.querystring()
    search_url = mreverse("opportunities:search", request.municipality)
    context = {
        **fragments,
        "querystring": querystring,
        "save_form": SaveSearchForm(
            initial={
                "name": params.q or _("My search"),
                "query": form.querystring(keep_position=False),
                "alert": True,
            }
        ),
        "login_url": _with_query(search_url, querystring),
    }
    response = render(request, "opportunities/search.html", context)
    # The same URL answers htmx with the results alone: caches must keep both apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _wants_fragment(request: MunicipalRequest) -> bool:
    """An htmx request for new results; htmx restoring history needs the whole page."""
    details = getattr(request, "htmx", None)
    return bool(details) and not getattr(details, "history_restore_request", False)


def _feed(request: MunicipalRequest, feed_class: type[SyndicationFeed]) -> HttpResponse:
    form = _form(request)
    # A feed reader shows the newest first, whatever order the page was sorted in.
    params = replace(form.params(), sort=selectors.SORT_NEWEST)
    town = request.municipality
    found = selectors.opportunity_search(municipality=town, params=params)[:FEED_SIZE]
    search_url = _with_query(mreverse("opportunities:search", town), form.querystring())
    feed = feed_class(
        title=_("Opportunities to get involved in %(town)s") % {"town": town.name},
        link=request.build_absolute_uri(search_url),
        description=_("New opportunities that match this search."),
        language=get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for opportunity in found:
        link = request.build_absolute_uri(
            mreverse("opportunities:detail", town, public_id=opportunity.public_id)
        )
        feed.add_item(
            title=opportunity.title,
            link=link,
            description=Truncator(opportunity.description).words(60),
            author_name=opportunity.organisation.name,
            pubdate=opportunity.published_at,
            updateddate=opportunity.updated_at,
            unique_id=f"urn:uuid:{opportunity.public_id}",
            categories=[f.name for f in opportunity.engagement_fields.all()],
        )
    response = HttpResponse(content_type=getattr(feed, "content_type", "application/xml"))
    feed.write(response, "utf-8")
    return response


@require_GET
def feed_rss(request: MunicipalRequest) -> HttpResponse:
    return _feed(request, Rss201rev2Feed)


@require_GET
def feed_atom(request: MunicipalRequest) -> HttpResponse:
    return _feed(request, Atom1Feed)


# --- saved searches ------------------------------------------------------------------------------


@require_GET
def saved_searches(request: MunicipalRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    searches = selectors.saved_searches_of(user=request.user, municipality=request.municipality)
    return render(
        request,
        "opportunities/saved_searches.html",
        {
            "searches": list(searches),
            "search_url": mreverse("opportunities:search", request.municipality),
        },
    )


@require_POST
def saved_search_create(request: MunicipalRequest) -> HttpResponse:
    form = SaveSearchForm(request.POST)
    search_url = mreverse("opportunities:search", request.municipality)
    back = _with_query(search_url, request.POST.get("query", ""))
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    if form.is_valid():
        try:
            services.saved_search_create(
                user=request.user,
                municipality=request.municipality,
                name=form.cleaned_data["name"],
                query_string=form.cleaned_data["query"],
                alert=form.cleaned_data["alert"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(back)
        messages.success(request, _("Your search has been saved."))
        return mredirect("opportunities:saved_searches", request.municipality)
    messages.error(request, _("Please give the search a name to save it."))
    return HttpResponseRedirect(back)


def _saved_or_404(request: MunicipalRequest, public_id: UUID) -> Any:
    saved = selectors.saved_search_of(
        user=request.user, municipality=request.municipality, public_id=public_id
    )
    if saved is None:
        raise Http404
    return saved


@require_http_methods(["GET", "POST"])
def saved_search_edit(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    saved = _saved_or_404(request, public_id)
    form = SavedSearchForm(request.POST or None, initial={"name": saved.name, "alert": saved.alert})
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_update(
                user=request.user,
                saved_search=saved,
                name=form.cleaned_data["name"],
                alert=form.cleaned_data["alert"],
            )
        except ValidationError as exc:
            for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The saved search has been changed."))
            return mredirect("opportunities:saved_searches", request.municipality)
    return render(
        request,
        "opportunities/saved_search_form.html",
        {"form": form, "saved": saved},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def saved_search_delete(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    saved = _saved_or_404(request, public_id)
    if request.method == "POST":
        try:
            services.saved_search_delete(user=request.user, saved_search=saved)
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            request, _("The saved search “%(name)s” has been deleted.") % {"name": saved.name}
        )
        return mredirect("opportunities:saved_searches", request.municipality)
    return render(request, "opportunities/saved_search_delete.html", {"saved": saved})


# --- open data -----------------------------------------------------------------------------------


@office_required(OFFICE)
@require_GET
def export_bagfa(request: MunicipalRequest) -> HttpResponse:
    municipality = request.municipality
    body = exports.opportunities_bagfa_csv(actor=request.user, municipality=municipality)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="engagementangebote-{municipality.slug}-bagfa-{stamp}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def opendata_jsonld(request: MunicipalRequest) -> HttpResponse:
    """All live opportunities of the municipality as a schema.org ItemList of JobPostings."""
    municipality = request.municipality
    items = []
    for position, opportunity in enumerate(
        selectors.opportunities_open_data(municipality=municipality).iterator(chunk_size=500),
        start=1,
    ):
        opportunity.municipality = municipality
        posting = opportunity_jsonld(opportunity)
        posting.pop("@context", None)  # once for the whole list
        items.append({"@type": "ListItem", "position": position, "item": posting})
    data = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": _("Opportunities to get involved in %(town)s") % {"town": municipality.name},
        "url": request.build_absolute_uri(mreverse("opportunities:search", municipality)),
        "numberOfItems": len(items),
        "itemListElement": items,
    }
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/ld+json; charset=utf-8",
    )


urlpatterns: list[URLPattern] = [
    path("", search, name="search"),
    path("feed/rss/", feed_rss, name="search_feed_rss"),
    path("feed/atom/", feed_atom, name="search_feed_atom"),
    path("gespeichert/", saved_searches, name="saved_searches"),
    path("gespeichert/neu/", saved_search_create, name="saved_search_create"),
    path("gespeichert/<uuid:public_id>/", saved_search_edit, name="saved_search_edit"),
    path(
        "gespeichert/<uuid:public_id>/loeschen/",
        saved_search_delete,
        name="saved_search_delete",
    ),
    path("verwaltung/export-bagfa.csv", export_bagfa, name="export_bagfa"),
    path("opendata.jsonld", opendata_jsonld, name="opendata_jsonld"),
]
