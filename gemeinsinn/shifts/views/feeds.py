"""Calendar feeds (iCalendar): a person's private feed by secret address, the public feeds of
an organisation and of an opportunity, and one shift as a file to download.

The private feed has no login (calendar apps cannot log in): its address is the secret. An
unknown or revoked address answers the same 404 as any page that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from uuid import UUID

from django.http import Http404, HttpResponse
from django.urls import URLPattern, path
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.ical import CalendarEntry, calendar_bytes
from gemeinsinn.shifts.models import Shift, Visibility
from gemeinsinn.shifts.selectors import feeds as selectors

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Calendar apps fetch a feed again and again: a short cache spares the server and delays a
# change by minutes at most.
PUBLIC_MAX_AGE = 900
PRIVATE_MAX_AGE = 300


def _calendar(
    content: bytes, *, filename: str, private: bool, as_attachment: bool = False
) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or ""
    if private:
        patch_cache_control(response, private=True, max_age=PRIVATE_MAX_AGE)
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _plan_links(municipality: Municipality) -> Callable[[Shift], str]:
    """The page of each shift's plan, reversed once per plan (a feed holds thousands)."""
    known: dict[int, str] = {}

    def link(shift: Shift) -> str:
        if shift.plan_id not in known:
            known[shift.plan_id] = mreverse(
                "shifts:plan", municipality, public_id=shift.plan.public_id
            )
        return known[shift.plan_id]

    return link


def _entries(
    items: Iterable[selectors.FeedItem], link: Callable[[Shift], str]
) -> list[CalendarEntry]:
    return [
        CalendarEntry(
            shift=item.shift,
            cancelled=item.given_up,
            url=link(item.shift),
            tentative=item.tentative,
            revision=item.revision,
        )
        for item in items
    ]


def _filename(*parts: str) -> str:
    return "-".join(slugify(p)[:60] for p in parts if slugify(p)) + ".ics"


@require_safe
def user_feed(request: MunicipalRequest, token: str) -> HttpResponse:
    """The person's own shifts, for a calendar app to subscribe to."""
    owner = selectors.feed_owner(token=token)
    if owner is None:
        raise Http404
    # Each shift links to "my shifts" of its own town: a person may help in several.
    towns: dict[int, str] = {}

    def link(shift: Shift) -> str:
        if shift.municipality_id not in towns:
            towns[shift.municipality_id] = mreverse("shifts:mine", shift.municipality)
        return towns[shift.municipality_id]

    content = calendar_bytes(
        name=_("My shifts"), entries=_entries(selectors.person_feed_items(user=owner), link)
    )
    return _calendar(content, filename="meine-schichten.ics", private=True)


@require_safe
def org_feed(request: MunicipalRequest, org_slug: str) -> HttpResponse:
    """An organisation's public shifts."""
    organisation = selectors.feed_organisation(municipality=request.municipality, slug=org_slug)
    if organisation is None:
        raise Http404
    items = selectors.organisation_feed_items(
        municipality=request.municipality, organisation=organisation
    )
    content = calendar_bytes(
        name=_("Shifts: %(organisation)s") % {"organisation": organisation.name},
        entries=_entries(items, _plan_links(request.municipality)),
    )
    return _calendar(content, filename=_filename(organisation.slug, "schichten"), private=False)


@require_safe
def opportunity_feed(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """The public shifts of a live opportunity's plans."""
    opportunity = selectors.feed_opportunity(municipality=request.municipality, public_id=public_id)
    if opportunity is None:
        raise Http404
    items = selectors.opportunity_feed_items(
        municipality=request.municipality, opportunity=opportunity
    )
    content = calendar_bytes(
        name=_("Shifts: %(opportunity)s") % {"opportunity": opportunity.title},
        entries=_entries(items, _plan_links(request.municipality)),
    )
    return _calendar(content, filename=_filename("schichten", opportunity.title), private=False)


@require_safe
def shift_ics(request: MunicipalRequest, public_id: UUID) -> HttpResponse:
    """One shift as a calendar file to open or save."""
    shift = selectors.shift_for_download(
        municipality=request.municipality, user=request.user, public_id=public_id
    )
    if shift is None:
        raise Http404
    entry = CalendarEntry(shift=shift, url=_plan_links(request.municipality)(shift))
    content = calendar_bytes(name=shift.task, entries=[entry])
    day = localtime(shift.starts_at).date().isoformat()
    return _calendar(
        content,
        filename=_filename("schicht", day, shift.task),
        # A members-only shift is nobody else's business.
        private=shift.visibility != Visibility.PUBLIC,
        as_attachment=True,
    )


urlpatterns: list[URLPattern] = [
    path("kalender/organisation/<slug:org_slug>.ics", org_feed, name="org_feed"),
    path("kalender/engagement/<uuid:public_id>.ics", opportunity_feed, name="opportunity_feed"),
    path("kalender/schicht/<uuid:public_id>.ics", shift_ics, name="shift_ics"),
    path("kalender/<str:token>.ics", user_feed, name="user_feed"),
]
