"""Agency mode: a volunteer agency records advice conversations, refers people (with their
consent) to other organisations' opportunities and sees its placements."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect, mreverse
from gemeinsinn.opportunities.forms_agency import ConversationForm, ReferralForm
from gemeinsinn.opportunities.selectors import agency as selectors
from gemeinsinn.opportunities.services import agency as services

PAGE_SIZE = 30


def _agency(request: MunicipalRequest, org_slug: str) -> Organisation:
    """The agency if it is one of this town (404 otherwise) and the person brokers for it (403)."""
    agency = selectors.agency_of(municipality=request.municipality, slug=org_slug)
    if agency is None:
        raise Http404
    if not request.user.has_perm("opportunities.broker", agency):
        raise PermissionDenied
    return agency


@require_GET
def agency_home(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agency = _agency(request, org_slug)
    return render(
        request,
        "opportunities/agency_home.html",
        {"agency": agency, "overview": selectors.agency_overview(agency=agency)},
    )


@require_http_methods(["GET", "POST"])
def agency_conversation_new(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agency = _agency(request, org_slug)
    form = ConversationForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        volunteer = selectors.volunteer_by_email(email=data["email"])
        if data["email"] and volunteer is None:
            form.add_error(
                "email",
                _(
                    "No account uses this address. Leave the field empty and note initials "
                    "instead, or ask the person to sign up first."
                ),
            )
        else:
            try:
                conversation = services.advice_record(
                    agency=agency,
                    actor=request.user,
                    held_on=data["held_on"],
                    volunteer=volunteer,
                    person_reference=data["person_reference"],
                    interests=data["interests"],
                    notes=data["notes"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The conversation has been recorded."))
                if conversation.volunteer_id is not None and "refer" in request.POST:
                    url = mreverse(
                        "opportunities:agency_refer", request.municipality, org_slug=agency.slug
                    )
                    return HttpResponseRedirect(
                        f"{url}?{urlencode({'gespraech': conversation.public_id})}"
                    )
                return mredirect(
                    "opportunities:agency_home", request.municipality, org_slug=agency.slug
                )
    return render(
        request, "opportunities/agency_conversation_form.html", {"agency": agency, "form": form}
    )


@require_GET
def agency_conversations(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agency = _agency(request, org_slug)
    page = Paginator(selectors.agency_conversations(agency=agency), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    return render(
        request, "opportunities/agency_conversations.html", {"agency": agency, "page": page}
    )


@require_http_methods(["GET", "POST"])
def agency_refer(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    """Choose an opportunity (search), then name the person and confirm their consent."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agency = _agency(request, org_slug)
    query = request.GET.get("q", "").strip()[:200]
    conversation = None
    if request.GET.get("gespraech"):
        conversation = selectors.agency_conversation_of(
            agency=agency, public_id=request.GET["gespraech"]
        )
    opportunity = None
    chosen = request.GET.get("angebot", "")
    if chosen:
        opportunity = selectors.referral_opportunity(agency=agency, public_id=chosen)
        if opportunity is None:
            messages.error(
                request,
                _("This opportunity is not open for referrals any more. Please choose another."),
            )
    initial = {}
    if conversation is not None and conversation.volunteer is not None:
        initial["email"] = conversation.volunteer.email
    form = ReferralForm(request.POST or None, initial=initial)
    account_found: bool | None = None
    if request.method == "POST":
        if opportunity is None:
            raise Http404
        if form.is_valid():
            volunteer = selectors.volunteer_by_email(email=form.cleaned_data["email"])
            if request.POST.get("action") == "check":
                account_found = volunteer is not None
            elif volunteer is None:
                form.add_error(
                    "email",
                    _(
                        "No account uses this address. The person needs an account to be "
                        "referred: ask them to sign up, or check the address."
                    ),
                )
            else:
                try:
                    services.referral_create(
                        agency=agency,
                        actor=request.user,
                        opportunity=opportunity,
                        volunteer=volunteer,
                        consent=form.cleaned_data["consent"],
                        conversation=conversation,
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _(
                            "Done: %(organisation)s has received the application for “%(title)s”, "
                            "and the person has been told."
                        )
                        % {
                            "organisation": opportunity.organisation.name,
                            "title": opportunity.title,
                        },
                    )
                    return mredirect(
                        "opportunities:agency_referrals", request.municipality, org_slug=agency.slug
                    )
    candidates = (
        selectors.referral_candidates(agency=agency, query=query) if opportunity is None else []
    )
    return render(
        request,
        "opportunities/agency_refer.html",
        {
            "agency": agency,
            "form": form,
            "query": query,
            "candidates": candidates,
            "opportunity": opportunity,
            "conversation": conversation,
            "account_found": account_found,
        },
    )


@require_GET
def agency_referrals(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agency = _agency(request, org_slug)
    page = Paginator(selectors.agency_referrals(agency=agency), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    return render(request, "opportunities/agency_referrals.html", {"agency": agency, "page": page})


@require_GET
def agency_placements(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agency = _agency(request, org_slug)
    page = Paginator(selectors.agency_placements(agency=agency), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    return render(request, "opportunities/agency_placements.html", {"agency": agency, "page": page})


urlpatterns: list[URLPattern] = [
    path("agentur/<slug:org_slug>/", agency_home, name="agency_home"),
    path("agentur/<slug:org_slug>/gespraeche/", agency_conversations, name="agency_conversations"),
    path(
        "agentur/<slug:org_slug>/gespraeche/neu/",
        agency_conversation_new,
        name="agency_conversation_new",
    ),
    path("agentur/<slug:org_slug>/vermitteln/", agency_refer, name="agency_refer"),
    path("agentur/<slug:org_slug>/vermittlungen/", agency_referrals, name="agency_referrals"),
    path("agentur/<slug:org_slug>/einsaetze/", agency_placements, name="agency_placements"),
]
