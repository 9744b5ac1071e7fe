"""iCalendar (RFC 5545) for shifts: feeds, single downloads and mail attachments.

Every shift has one event UID for its whole life (its public id), so a calendar that already
holds it updates the entry; SEQUENCE rises with each change and a cancelled shift (or a
person's cancelled place) stays in the feed as STATUS:CANCELLED, so subscribed calendars remove
it instead of keeping a stale entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

import icalendar
from django.conf import settings
from django.utils import timezone

from gemeinsinn.core.outbox import MailAttachment
from gemeinsinn.shifts.models import Shift

PRODID = "-//gemeinsinn//Schichten//DE"


@dataclass(frozen=True)
class CalendarEntry:
    shift: Shift
    # The shift is off for this calendar: cancelled, or the person's place was given up.
    cancelled: bool = False
    url: str = ""
    # Not (yet) the person's place: a request, the waitlist, an offer to confirm.
    tentative: bool = False
    # The person's own changes (place taken, given up, taken again), added to the shift's
    # SEQUENCE so it keeps rising; None: one for a place given up.
    revision: int | None = None


def event_uid(shift: Shift) -> str:
    """The stable UID of the shift's event, independent of the installation's address."""
    return f"shift-{shift.public_id}@gemeinsinn"


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return str(settings.BASE_URL or "").rstrip("/") + url


def shift_event(entry: CalendarEntry) -> icalendar.Event:
    shift = entry.shift
    event = icalendar.Event()
    event.add("uid", event_uid(shift))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", shift.starts_at.astimezone(UTC))
    event.add("dtend", shift.ends_at.astimezone(UTC))
    event.add("last-modified", shift.updated_at.astimezone(UTC))
    cancelled = entry.cancelled or shift.status == Shift.Status.CANCELLED
    # A person's own cancellation is a change of the event too.
    own = entry.revision if entry.revision is not None else int(entry.cancelled)
    event.add("sequence", shift.sequence + own)
    event.add("summary", f"{shift.task} – {shift.organisation.name}")
    place = shift.place or shift.plan.place
    if place:
        event.add("location", place)
    description = shift.description or shift.plan.description
    url = _absolute(entry.url)
    if url:
        event.add("url", url)
        description = f"{description}\n\n{url}".strip()
    if description:
        event.add("description", description)
    event.add(
        "status", "CANCELLED" if cancelled else "TENTATIVE" if entry.tentative else "CONFIRMED"
    )
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def calendar_bytes(*, name: str, entries: Iterable[CalendarEntry]) -> bytes:
    """A whole calendar: a feed, or the entry of one shift."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for entry in entries:
        calendar.add_component(shift_event(entry))
    return calendar.to_ical()


def shift_attachment(
    shift: Shift, *, cancelled: bool = False, url: str = "", revision: int | None = None
) -> MailAttachment:
    """The shift's calendar entry as an e-mail attachment (`schicht.ics`).

    `revision` counts the person's own changes exactly as their private feed does, so a mailed
    update never carries a lower SEQUENCE than the feed already showed.
    """
    content = calendar_bytes(
        name=shift.task,
        entries=[CalendarEntry(shift=shift, cancelled=cancelled, url=url, revision=revision)],
    )
    return {
        "filename": "schicht.ics",
        # Django adds the charset; the method parameter tells mail clients what to do with it.
        "content_type": "text/calendar; method=PUBLISH",
        "content": content.decode("utf-8"),
    }
