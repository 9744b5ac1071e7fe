"""The coordination office's tools: moderation queue, claims, stale entries, taxonomies."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gemeinsinn.actors import selectors, services
from gemeinsinn.actors.forms_lifecycle import ClaimDecisionForm, ModerationForm, TermForm
from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect
from gemeinsinn.core.views import office_required

OFFICE = "core.manage_municipality"
# The German URL segment of each taxonomy and the service's name for it.
TAXONOMY_SEGMENTS = {"bereich": "field", "zielgruppe": "target_group"}


def _moderation_page(
    request: MunicipalRequest, *, failed_slug: str = "", failed_form: Any = None, status: int = 200
) -> HttpResponse:
    queue = selectors.moderation_queue(municipality=request.municipality)
    entries = [
        (
            organisation,
            failed_form
            if organisation.slug == failed_slug
            else ModerationForm(prefix=organisation.slug),
        )
        for organisation in queue
    ]
    if failed_form is not None and all(o.slug != failed_slug for o, _form in entries):
        # The entry has left the queue meanwhile (decided by a colleague): say why nothing happened.
        messages.error(
            request, " ".join(str(e) for errors in failed_form.errors.values() for e in errors)
        )
    return render(request, "actors/office_moderation.html", {"entries": entries}, status=status)


@office_required(OFFICE)
@require_GET
def moderation(request: MunicipalRequest) -> HttpResponse:
    return _moderation_page(request)


@office_required(OFFICE)
@require_POST
def moderation_decide(request: MunicipalRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_of_municipality(
        municipality=request.municipality, slug=slug
    )
    if organisation is None:
        raise Http404
    form = ModerationForm(request.POST, prefix=slug)
    decision = request.POST.get("decision", "")
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if decision == "approve":
                services.organisation_approve(actor=request.user, organisation=organisation)
                done = _("%(name)s is published.")
            elif decision == "request_changes":
                services.organisation_request_changes(
                    actor=request.user, organisation=organisation, note=note
                )
                done = _("%(name)s has been sent back with your questions.")
            elif decision == "reject":
                services.organisation_reject(
                    actor=request.user, organisation=organisation, reason=note
                )
                done = _("%(name)s has been rejected.")
            else:
                raise ValidationError(_("Please choose a decision."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done % {"name": organisation.name})
            return mredirect("actors:moderation", request.municipality)
    # The typed note stays in its form, with the error beside it.
    return _moderation_page(request, failed_slug=slug, failed_form=form, status=400)


@office_required(OFFICE)
@require_GET
def claims(request: MunicipalRequest) -> HttpResponse:
    return render(
        request,
        "actors/office_claims.html",
        {
            "claims": selectors.claims_open(municipality=request.municipality),
            "form": ClaimDecisionForm(),
        },
    )


@office_required(OFFICE)
@require_POST
def claim_decide(request: MunicipalRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_of_municipality(municipality=request.municipality, claim_id=claim_id)
    if claim is None:
        raise Http404
    form = ClaimDecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            services.claim_decide(
                actor=request.user, claim=claim, approve=approve, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The claim has been approved.") if approve else _("The claim has been rejected."),
            )
    else:
        messages.error(request, _("Please check the note."))
    return mredirect("actors:claims", request.municipality)


@office_required(OFFICE)
@require_GET
def stale(request: MunicipalRequest) -> HttpResponse:
    page = Paginator(selectors.organisations_stale(municipality=request.municipality), 50).get_page(
        request.GET.get("seite")
    )
    return render(request, "actors/office_stale.html", {"page": page})


@office_required(OFFICE)
@require_http_methods(["GET", "POST"])
def taxonomies(request: MunicipalRequest) -> HttpResponse:
    """Both lists on one page; a form under each adds a term to that list."""
    kind = request.POST.get("kind", "")
    forms = {
        segment: TermForm(request.POST if kind == name else None, prefix=segment)
        for segment, name in TAXONOMY_SEGMENTS.items()
    }
    if request.method == "POST":
        segment = next((s for s, n in TAXONOMY_SEGMENTS.items() if n == kind), None)
        if segment is None:
            raise Http404
        form = forms[segment]
        if form.is_valid():
            try:
                services.taxonomy_term_add(
                    actor=request.user,
                    municipality=request.municipality,
                    kind=kind,
                    name=form.cleaned_data["name"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The entry has been added."))
                return mredirect("actors:taxonomies", request.municipality)
    else:
        # A town that has never shaped its lists starts with the Freiwilligensurvey's areas.
        services.taxonomies_ensure(municipality=request.municipality, actor=request.user)
    lists = [
        (
            segment,
            name,
            selectors.taxonomy_terms(municipality=request.municipality, kind=name),
            forms[segment],
        )
        for segment, name in TAXONOMY_SEGMENTS.items()
    ]
    status = 400 if request.method == "POST" else 200
    return render(request, "actors/office_taxonomies.html", {"lists": lists}, status=status)


@office_required(OFFICE)
@require_POST
def taxonomy_term_change(request: MunicipalRequest, segment: str, term_id: int) -> HttpResponse:
    """Rename, move, switch off/on or delete (after confirmation) one term."""
    kind = TAXONOMY_SEGMENTS.get(segment)
    if kind is None:
        raise Http404
    term = selectors.taxonomy_term(municipality=request.municipality, kind=kind, term_id=term_id)
    if term is None:
        raise Http404
    action = request.POST.get("action", "")
    if action == "delete" and not request.POST.get("confirmed"):
        return render(
            request, "actors/office_taxonomy_delete.html", {"term": term, "segment": segment}
        )
    try:
        if action == "rename":
            services.taxonomy_term_rename(
                actor=request.user, term=term, name=request.POST.get("name", "")
            )
        elif action in ("up", "down"):
            services.taxonomy_term_move(actor=request.user, term=term, direction=action)
        elif action in ("activate", "deactivate"):
            services.taxonomy_term_set_active(
                actor=request.user, term=term, active=action == "activate"
            )
        elif action == "delete":
            services.taxonomy_term_delete(actor=request.user, term=term)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The list has been saved."))
    return mredirect("actors:taxonomies", request.municipality)


@office_required(OFFICE)
@require_GET
def archive_list(request: MunicipalRequest) -> HttpResponse:
    return render(
        request,
        "actors/office_archive.html",
        {"entries": selectors.organisations_retired(municipality=request.municipality)},
    )


@office_required(OFFICE)
@require_http_methods(["GET", "POST"])
def archive(request: MunicipalRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_of_municipality(
        municipality=request.municipality, slug=slug
    )
    if organisation is None:
        raise Http404
    error = ""
    reason = request.POST.get("reason", "")
    if request.method == "POST":
        try:
            services.organisation_archive(
                actor=request.user, organisation=organisation, reason=reason
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(name)s is archived and no longer listed. You can restore it any time.")
                % {"name": organisation.name},
            )
            return mredirect("actors:archive_list", request.municipality)
    return render(
        request,
        "actors/office_archive_confirm.html",
        {"organisation": organisation, "error": error, "reason": reason},
        status=400 if error else 200,
    )


@office_required(OFFICE)
@require_POST
def restore(request: MunicipalRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_of_municipality(
        municipality=request.municipality, slug=slug
    )
    if organisation is None:
        raise Http404
    try:
        restored = services.organisation_restore(actor=request.user, organisation=organisation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if restored.status == "published":
            messages.success(request, _("%(name)s is listed again.") % {"name": restored.name})
        else:
            messages.success(
                request,
                _("%(name)s is back in the moderation queue.") % {"name": restored.name},
            )
    return mredirect("actors:archive_list", request.municipality)


urlpatterns = [
    path("verwaltung/archiv/", archive_list, name="archive_list"),
    path("verwaltung/archiv/<slug:slug>/", archive, name="archive"),
    path("verwaltung/archiv/<slug:slug>/wiederherstellen/", restore, name="restore"),
    path("verwaltung/moderation/", moderation, name="moderation"),
    path("verwaltung/moderation/<slug:slug>/", moderation_decide, name="moderation_decide"),
    path("verwaltung/ansprueche/", claims, name="claims"),
    path("verwaltung/ansprueche/<int:claim_id>/", claim_decide, name="claim_decide"),
    path("verwaltung/veraltet/", stale, name="stale"),
    path("verwaltung/bereiche/", taxonomies, name="taxonomies"),
    path(
        "verwaltung/bereiche/<str:segment>/<int:term_id>/",
        taxonomy_term_change,
        name="taxonomy_term_change",
    ),
]
