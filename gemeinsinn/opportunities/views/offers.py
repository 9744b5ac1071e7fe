"""Citizens' offers of help: posting and managing one's own, and the list organisations read."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gemeinsinn.actors import services as actor_services
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect
from gemeinsinn.opportunities.forms_posting import ContactForm, OfferForm
from gemeinsinn.opportunities.selectors import manage as selectors
from gemeinsinn.opportunities.services import offers as services
from gemeinsinn.opportunities.services.taxonomy import skills_ensure
from gemeinsinn.opportunities.views.detail import slots_by_day

PAGE_SIZE = 30


def _may_view(request: MunicipalRequest) -> None:
    if not selectors.may_view_offers(municipality=request.municipality, user=request.user):
        raise PermissionDenied


@require_GET
def offer_list(request: MunicipalRequest) -> HttpResponse:
    """Offers are people's data: only organisations of the municipality and its office read them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _may_view(request)
    page = Paginator(
        selectors.offers_for_organisations(municipality=request.municipality), PAGE_SIZE
    ).get_page(request.GET.get("seite"))
    entries = [(offer, slots_by_day(offer.time_slots)) for offer in page.object_list]
    return render(request, "opportunities/offer_list.html", {"page": page, "entries": entries})


@require_http_methods(["GET", "POST"])
def offer_contact(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _may_view(request)
    offer = selectors.offer_visible(municipality=request.municipality, public_id=public_id)
    if offer is None:
        raise Http404
    organisations = selectors.contact_organisations(
        municipality=request.municipality, user=request.user
    )
    form = ContactForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and organisations and form.is_valid():
        try:
            services.offer_contact(
                offer=offer,
                actor=request.user,
                organisation=form.organisation(),
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your message is on its way. If the person wants to get in touch, they will answer you by e-mail."
                ),
            )
            return mredirect("opportunities:offer_list", request.municipality)
    return render(
        request,
        "opportunities/offer_contact.html",
        {"offer": offer, "form": form, "organisations": organisations},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def offer_create(request: MunicipalRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "GET":
        actor_services.taxonomies_ensure(municipality=request.municipality, actor=request.user)
        skills_ensure(municipality=request.municipality)
    form = OfferForm(
        request.POST if request.method == "POST" else None, municipality=request.municipality
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_create(
                municipality=request.municipality, actor=request.user, data=form.values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you! Organisations in town can now see your offer. If one writes to you, you get an e-mail."
                ),
            )
            return mredirect("opportunities:my_offers", request.municipality)
    return render(
        request,
        "opportunities/offer_form.html",
        {"form": form, "offer": None},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def offer_edit(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    offer = selectors.offer_of_user(
        municipality=request.municipality, public_id=public_id, user=request.user
    )
    if offer is None:
        raise Http404
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        municipality=request.municipality,
        instance=offer,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(offer=offer, actor=request.user, data=form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your offer is saved."))
            return mredirect("opportunities:my_offers", request.municipality)
    return render(
        request,
        "opportunities/offer_form.html",
        {"form": form, "offer": offer},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def my_offers(request: MunicipalRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    offers = list(selectors.offers_of_user(municipality=request.municipality, user=request.user))
    return render(
        request,
        "opportunities/offer_my.html",
        {"offers": offers, "today": timezone.localdate()},
    )


@require_POST
def offer_status(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """Pause, show again or withdraw (after confirmation) one's own offer."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    offer = selectors.offer_of_user(
        municipality=request.municipality, public_id=public_id, user=request.user
    )
    if offer is None:
        raise Http404
    action = request.POST.get("action", "")
    if action == "withdraw" and not request.POST.get("confirmed"):
        return render(request, "opportunities/offer_confirm.html", {"offer": offer})
    try:
        if action == "pause":
            services.offer_pause(offer=offer, actor=request.user)
            done = _("Your offer is paused. Organisations no longer see it.")
        elif action == "resume":
            services.offer_resume(offer=offer, actor=request.user)
            done = _("Organisations see your offer again.")
        elif action == "withdraw":
            services.offer_withdraw(offer=offer, actor=request.user)
            done = _("Your offer is withdrawn.")
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return mredirect("opportunities:my_offers", request.municipality)


urlpatterns: list[URLPattern] = [
    path("hilfsangebote/", offer_list, name="offer_list"),
    path("hilfsangebote/neu/", offer_create, name="offer_create"),
    path("meine-hilfsangebote/", my_offers, name="my_offers"),
    path("hilfsangebot/<uuid:public_id>/bearbeiten/", offer_edit, name="offer_edit"),
    path("hilfsangebot/<uuid:public_id>/status/", offer_status, name="offer_status"),
    path("hilfsangebot/<uuid:public_id>/kontakt/", offer_contact, name="offer_contact"),
]
