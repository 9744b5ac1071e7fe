from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gemeinsinn.core import selectors, services
from gemeinsinn.core.forms import (
    AuditFilterForm,
    BrandingForm,
    DistrictForm,
    FeedbackForm,
    ModulesForm,
)
from gemeinsinn.core.models import Municipality, OutgoingMail, TownDistrict
from gemeinsinn.core.modules import MODULES
from gemeinsinn.core.outbox import mail_retry
from gemeinsinn.core.routing import mredirect

logger = logging.getLogger(__name__)

V = TypeVar("V", bound=Callable[..., HttpResponse])


def _municipality(request: HttpRequest) -> Municipality:
    municipality = getattr(request, "municipality", None)
    assert isinstance(municipality, Municipality), "view is not mounted under /<municipality>/"
    return municipality


def office_required(perm: str) -> Callable[[V], V]:
    """Let only people with `perm` on the request's municipality in; others see 403."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm, _municipality(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


# --- installation-wide pages --------------------------------------------------------------------


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    municipalities = list(selectors.municipalities_public())
    if len(municipalities) == 1 and not request.GET.get("alle"):
        return mredirect("core:home", municipalities[0])
    return render(request, "core/landing.html", {"municipalities": municipalities})


@require_GET
def platform_page(request: HttpRequest, page: str) -> HttpResponse:
    return render(
        request,
        f"core/platform_{page}.html",
        {
            "operator_name": settings.OPERATOR_NAME,
            "operator_address": settings.OPERATOR_ADDRESS,
            "operator_email": settings.OPERATOR_EMAIL,
            "municipalities": selectors.municipalities_public(),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# --- municipality pages ---------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    modules = [m for m in MODULES if m.entry and municipality.has_module(m.key)]
    return render(request, "core/home.html", {"modules": modules})


LEGAL_FIELDS = {"imprint": "imprint", "privacy": "privacy_notice", "terms": "terms"}


@require_GET
def legal_page(request: HttpRequest, page: str) -> HttpResponse:
    municipality = _municipality(request)
    return render(
        request,
        "core/legal.html",
        {"page": page, "text": getattr(municipality, LEGAL_FIELDS[page])},
    )


@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = FeedbackForm(request.POST or None, initial={"page_url": request.GET.get("seite", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                municipality=municipality, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error("message", exc)
        else:
            messages.success(
                request,
                _("Thank you! The coordination office will look into the barrier you reported."),
            )
            return mredirect("core:accessibility", municipality)
    return render(request, "core/accessibility.html", {"form": form})


@require_GET
def theme(request: HttpRequest) -> HttpResponse:
    """The municipality's colours as CSS, served from our own origin so the CSP stays strict."""
    municipality = _municipality(request)
    css = f":root{{--brand:{municipality.primary_colour};--accent:{municipality.accent_colour}}}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def easy_language(request: HttpRequest) -> HttpResponse:
    return render(request, "core/easy_language.html")


# --- coordination office ------------------------------------------------------------------------


@office_required("core.manage_municipality")
@require_GET
def office(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    return render(
        request,
        "core/office.html",
        {
            "failed_mails": selectors.outbox_for(
                municipality=municipality, status=OutgoingMail.Status.FAILED
            ).count(),
            "open_feedback": selectors.feedback_for(municipality=municipality)
            .filter(handled=False)
            .count(),
        },
    )


@office_required("core.manage_municipality")
@require_http_methods(["GET", "POST"])
def office_modules(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    if request.method == "POST":
        form = ModulesForm(request.POST)
        if form.is_valid():
            services.municipality_modules_set(
                actor=request.user, municipality=municipality, enabled=form.cleaned_data["modules"]
            )
            messages.success(request, _("The module settings have been saved."))
            return mredirect("core:office_modules", municipality)
    else:
        form = ModulesForm(initial={"modules": municipality.enabled_modules})
    return render(request, "core/office_modules.html", {"form": form, "modules": MODULES})


@office_required("core.manage_municipality")
@require_http_methods(["GET", "POST"])
def office_settings(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = BrandingForm(
        request.POST or None,
        request.FILES or None,
        instance=Municipality.objects.get(pk=municipality.pk),
    )
    if request.method == "POST" and form.is_valid():
        values = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services.municipality_branding_update(
                actor=request.user, municipality=municipality, values=values
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The settings have been saved."))
            return mredirect("core:office_settings", municipality)
    return render(request, "core/office_settings.html", {"form": form})


@office_required("core.view_audit_log")
@require_GET
def office_audit(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_events(municipality=municipality)
    if form.is_bound and form.is_valid():
        events = selectors.audit_events(municipality=municipality, **form.cleaned_data)
    page = Paginator(events.select_related(None), 50).get_page(request.GET.get("seite"))
    return render(
        request,
        "core/office_audit.html",
        {"form": form, "page": page, "actions": selectors.audit_actions(municipality=municipality)},
    )


@office_required("core.view_outbox")
@require_GET
def office_outbox(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    status = request.GET.get("status", "")
    if status not in OutgoingMail.Status.values:
        status = ""
    page = Paginator(selectors.outbox_for(municipality=municipality, status=status), 50).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "core/office_outbox.html",
        {"page": page, "status": status, "statuses": OutgoingMail.Status.choices},
    )


@office_required("core.view_outbox")
@require_POST
def office_outbox_retry(request: HttpRequest, public_id: str) -> HttpResponse:
    municipality = _municipality(request)
    mail = get_object_or_404(OutgoingMail, public_id=public_id, municipality=municipality)
    mail_retry(mail=mail)
    messages.success(request, _("The e-mail will be sent again."))
    return mredirect("core:office_outbox", municipality)


@office_required("core.view_feedback")
@require_GET
def office_feedback(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    page = Paginator(selectors.feedback_for(municipality=municipality), 50).get_page(
        request.GET.get("seite")
    )
    return render(request, "core/office_feedback.html", {"page": page})


@office_required("core.manage_municipality")
@require_http_methods(["GET", "POST"])
def office_districts(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = DistrictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.district_create(
                actor=request.user, municipality=municipality, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            messages.success(request, _("The Stadtteil has been added."))
            return mredirect("core:office_districts", municipality)
    return render(
        request,
        "core/office_districts.html",
        {"form": form, "districts": selectors.districts_of(municipality=municipality)},
    )


@office_required("core.manage_municipality")
@require_POST
def office_district_change(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = _municipality(request)
    district = get_object_or_404(TownDistrict, municipality=municipality, slug=slug)
    if request.POST.get("action") == "delete" and request.POST.get("confirmed") != "1":
        return render(request, "core/office_district_delete.html", {"district": district})
    try:
        if request.POST.get("action") == "delete":
            services.district_delete(actor=request.user, district=district)
            messages.success(request, _("The Stadtteil has been removed."))
        else:
            services.district_rename(
                actor=request.user, district=district, name=request.POST.get("name", "")
            )
            messages.success(request, _("The Stadtteil has been renamed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return mredirect("core:office_districts", municipality)


# --- error pages ----------------------------------------------------------------------------------


def _guess_municipality(request: HttpRequest) -> None:
    """On a URL that did not resolve, keep the municipality's branding if the slug is known."""
    if getattr(request, "municipality", None) is not None:
        return
    slug = settings.SINGLE_MUNICIPALITY or request.path.strip("/").split("/", 1)[0]
    if slug:
        request.municipality = Municipality.objects.filter(slug=slug, is_active=True).first()  # type: ignore[attr-defined]


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    _guess_municipality(request)
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    _guess_municipality(request)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: the database may be what failed.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
