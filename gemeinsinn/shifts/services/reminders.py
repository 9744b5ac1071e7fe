"""Reminders before a shift and the person's one-click answer to them.

`reminders_send` (run by the `shifts_tick` job every 10 minutes) mails the due reminder of
every confirmed sign-up. Decisions taken here:

- Of the town's reminder times (48 h and 24 h by default), the due one is the smallest time h
  with `starts_at - h <= now`: a run that comes late sends one reminder, never a burst of old
  ones, and a person who signed up after `starts_at - h` is not reminded at h (the
  confirmation has just reached them).
- Never twice, even when the worker dies: per sign-up one transaction inserts the `Reminder`
  row (unique per sign-up and reminder time) and queues the mail in the outbox. A crash before
  the commit leaves neither, after it both; a parallel run skips the sign-ups this one holds
  (`skip_locked` on PostgreSQL) and the unique constraint refuses whatever slips through.
- The answer links carry a signed token (the sign-up's primary key, own salt) instead of a
  login: the page they open shows that one shift and the person's first name, and only a POST
  changes anything, because mail scanners follow links.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gemeinsinn.accounts.notifications import news_language, notify
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.models import (
    Reminder,
    ReminderChoice,
    Shift,
    ShiftPreferences,
    Signup,
)
from gemeinsinn.shifts.selectors.common import shift_settings
from gemeinsinn.shifts.services.signups import cancel_deadline, signup_cancel, when

logger = logging.getLogger(__name__)

# Sign-ups handled per round of reads (existing reminders, preferences): a city's 48 hours
# hold a few thousand sign-ups, and each round costs the same few queries.
BATCH_SIZE = 200
ANSWER_SALT = "gemeinsinn.shifts.answer"
# The module the answer pages belong to: a town that switched it off gets no reminders whose
# links would answer 404.
MODULE = "opportunities"

YES = "ja"
NO = "nein"


# --- answer links ---------------------------------------------------------------------------


def answer_token(*, signup: Signup) -> str:
    """The signed token of a sign-up's answer links (the same for every reminder)."""
    return signing.Signer(salt=ANSWER_SALT).sign_object(signup.pk)


def answer_token_signup_id(*, token: str) -> int | None:
    """The sign-up a token stands for, or None for a tampered or foreign token."""
    try:
        value = signing.Signer(salt=ANSWER_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def answer_url(*, signup: Signup, answer: str = "") -> str:
    """The absolute address of the answer page, with the answer preselected (`ja`/`nein`)."""
    path = mreverse("shifts:respond", signup.shift.municipality, token=answer_token(signup=signup))
    query = f"?antwort={answer}" if answer else ""
    return str(settings.BASE_URL or "").rstrip("/") + path + query


# --- which reminder is due ------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    signup_id: int
    volunteer_id: int
    created_at: datetime
    starts_at: datetime


def due_hours(
    *,
    starts_at: datetime,
    signed_up_at: datetime,
    hours: Sequence[int],
    choice: str,
    now: datetime,
) -> int | None:
    """The reminder time due now for one sign-up, or None.

    `hours` are the town's reminder times; "last only" keeps the smallest, "none" none.
    """
    if choice == ReminderChoice.NONE or not hours or not now < starts_at:
        return None
    wanted = [min(hours)] if choice == ReminderChoice.LAST else list(hours)
    reached = [h for h in wanted if starts_at - timedelta(hours=h) <= now]
    if not reached:
        return None
    due = min(reached)
    if signed_up_at > starts_at - timedelta(hours=due):
        return None
    return due


def _candidates(town: Municipality, hours: Sequence[int], moment: datetime) -> list[Candidate]:
    """Confirmed sign-ups of scheduled shifts that start within the largest reminder time."""
    rows = (
        Signup.objects.filter(
            shift__municipality=town,
            shift__status=Shift.Status.SCHEDULED,
            shift__starts_at__gt=moment,
            shift__starts_at__lte=moment + timedelta(hours=max(hours)),
            status=Signup.Status.CONFIRMED,
            volunteer__is_active=True,
        )
        .order_by("shift__starts_at", "pk")
        .values_list("pk", "volunteer_id", "created_at", "shift__starts_at")
    )
    return [Candidate(*row) for row in rows]


def _batches(items: Sequence[Candidate]) -> Iterator[Sequence[Candidate]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def _due_in_batch(
    batch: Sequence[Candidate], hours: Sequence[int], moment: datetime
) -> list[tuple[int, int]]:
    """(sign-up id, reminder time) of the batch still to send; two queries whatever its size."""
    ids = [c.signup_id for c in batch]
    sent = set(Reminder.objects.filter(signup_id__in=ids).values_list("signup_id", "hours_before"))
    choices = dict(
        ShiftPreferences.objects.filter(user_id__in={c.volunteer_id for c in batch}).values_list(
            "user_id", "reminders"
        )
    )
    due: list[tuple[int, int]] = []
    for candidate in batch:
        h = due_hours(
            starts_at=candidate.starts_at,
            signed_up_at=candidate.created_at,
            hours=hours,
            choice=choices.get(candidate.volunteer_id, ReminderChoice.ALL),
            now=moment,
        )
        if h is not None and (candidate.signup_id, h) not in sent:
            due.append((candidate.signup_id, h))
    return due


# --- sending --------------------------------------------------------------------------------


def _lock_for_reminder(signup_id: int, moment: datetime) -> Signup | None:
    """The sign-up, locked, if it still wants a reminder; None if a parallel run holds it."""
    found = Signup.objects.filter(
        pk=signup_id,
        status=Signup.Status.CONFIRMED,
        shift__status=Shift.Status.SCHEDULED,
        shift__starts_at__gt=moment,
    ).select_related("volunteer", "shift__organisation", "shift__plan", "shift__municipality")
    if connection.features.has_select_for_update_skip_locked:
        # Two runs at once: the second passes over what the first is sending.
        found = found.select_for_update(of=("self",), skip_locked=True)
    else:
        found = found.select_for_update(of=("self",))
    return found.first()


def reminder_text(*, signup: Signup, hours_before: int) -> tuple[str, str]:
    """Subject and text of a reminder: the shift, and the two answer links."""
    shift = signup.shift
    names = {
        "name": signup.volunteer.first_name,
        "task": shift.task,
        "organisation": shift.organisation.name,
        "when": when(shift),
        "place": shift.place or shift.plan.place or "–",
    }
    subject = _("Reminder: %(task)s on %(when)s") % names
    lines = [
        _("Hello %(name)s,") % names if names["name"] else _("Hello,"),
        "",
        ngettext(
            "your shift begins in about %(hours)d hour:",
            "your shift begins in about %(hours)d hours:",
            hours_before,
        )
        % {"hours": hours_before},
        "",
        _("%(task)s at %(organisation)s") % names,
        _("When: %(when)s") % names,
        _("Place: %(place)s") % names,
    ]
    if signup.party_size > 1:
        lines.append(
            ngettext(
                "You and %(n)d companion.",
                "You and %(n)d companions.",
                signup.party_size - 1,
            )
            % {"n": signup.party_size - 1}
        )
    lines += [
        "",
        _("Please let the organisation know whether you are coming. One click is enough:"),
        "",
        _("I'm coming: %(url)s") % {"url": answer_url(signup=signup, answer=YES)},
        _("I can't come: %(url)s") % {"url": answer_url(signup=signup, answer=NO)},
        "",
        _("All your shifts:"),
    ]
    return subject, "\n".join(lines)


def _send_one(signup_id: int, hours_before: int, moment: datetime) -> bool:
    """Claim the reminder and queue its mail in one transaction; False if it was not needed."""
    with transaction.atomic():
        signup = _lock_for_reminder(signup_id, moment)
        if signup is None:
            return False
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    signup=signup, hours_before=hours_before, sent_at=moment
                )
        except IntegrityError:  # a parallel run sent it and committed meanwhile
            return False
        shift = signup.shift
        with news_language():
            subject, body = reminder_text(signup=signup, hours_before=hours_before)
            notification = notify(
                user=signup.volunteer,
                municipality=shift.municipality,
                topic="shifts_reminder",
                subject=subject,
                body=body,
                url=mreverse("shifts:mine", shift.municipality),
                urgent=True,
            )
        if notification.mail is not None:
            # The organisers' list shows the delivery status of the reminder through this link.
            reminder.mail = notification.mail
            reminder.save(update_fields=["mail"])
    return True


def _towns() -> Iterable[Municipality]:
    # A deactivated town's pages answer 404: its reminders' links would lead nowhere.
    return Municipality.objects.filter(is_active=True).order_by("pk")


def reminders_send(*, now: datetime | None = None) -> int:
    """Mail every confirmed sign-up the reminder due now, at most once; returns how many."""
    moment = now or timezone.now()
    sent = 0
    for town in _towns():
        if not town.has_module(MODULE):
            continue
        hours = shift_settings(municipality=town).reminder_hours()
        if not hours:
            continue
        for batch in _batches(_candidates(town, hours, moment)):
            for signup_id, hours_before in _due_in_batch(batch, hours, moment):
                try:
                    sent += _send_one(signup_id, hours_before, moment)
                except Exception:
                    # One broken sign-up must not hold back everybody else's reminders; it is
                    # rolled back whole and tried again on the next run.
                    logger.exception("shift reminder failed", extra={"signup": signup_id})
    return sent


# --- answering ------------------------------------------------------------------------------


def _answer_closed_message(signup: Signup, moment: datetime) -> str | None:
    """Why the sign-up takes no answer any more, or None."""
    shift = signup.shift
    if shift.status == Shift.Status.CANCELLED:
        return _("This shift was cancelled, so there is nothing to answer.")
    if shift.starts_at <= moment:
        return _("This shift has already begun. Please tell %(organisation)s directly.") % {
            "organisation": shift.organisation.name
        }
    return None


def signup_respond(
    *, signup: Signup, coming: bool, message: str = "", now: datetime | None = None
) -> Signup:
    """Record the person's answer to a reminder; "can't come" gives their place up."""
    moment = now or timezone.now()
    if not coming:
        return _respond_not_coming(signup, message, moment)
    with transaction.atomic():
        locked = (
            Signup.objects.select_for_update(of=("self",))
            .select_related("volunteer", "shift__organisation", "shift__municipality")
            .get(pk=signup.pk)
        )
        if (closed := _answer_closed_message(locked, moment)) is not None:
            raise ValidationError(closed)
        if locked.status != Signup.Status.CONFIRMED:
            raise ValidationError(_not_active_message(locked))
        if locked.response == Signup.Response.COMING:
            return locked  # answered before: nothing changes
        locked.response = Signup.Response.COMING
        locked.responded_at = moment
        locked.save(update_fields=["response", "responded_at", "updated_at"])
        audit_record(
            actor=locked.volunteer,
            action="signup.responded",
            target=locked,
            municipality=locked.shift.municipality,
            data={"response": Signup.Response.COMING},
        )
    return locked


def _not_active_message(signup: Signup) -> str:
    if signup.status == Signup.Status.OFFERED:
        return _("Please first confirm the place offered to you on your shifts page.")
    return _(
        "This sign-up is not active any more (given up, moved or cancelled). Your current "
        "shifts are on your shifts page."
    )


def _respond_not_coming(signup: Signup, message: str, moment: datetime) -> Signup:
    current = Signup.objects.select_related(
        "volunteer", "shift__organisation", "shift__municipality"
    ).get(pk=signup.pk)
    if current.response == Signup.Response.NOT_COMING and current.status not in Signup.LIVE:
        return current  # answered before: nothing changes
    if (closed := _answer_closed_message(current, moment)) is not None:
        raise ValidationError(closed)
    if current.status != Signup.Status.CONFIRMED:
        raise ValidationError(_not_active_message(current))
    with transaction.atomic():
        # signup_cancel locks the shift, then the sign-up, checks the deadline, audits, tells
        # the organisers and offers the place to the waitlist.
        cancelled = signup_cancel(
            actor=current.volunteer, signup=current, message=message, now=moment
        )
        cancelled.response = Signup.Response.NOT_COMING
        cancelled.responded_at = moment
        cancelled.save(update_fields=["response", "responded_at", "updated_at"])
    return cancelled


@dataclass(frozen=True)
class AnswerState:
    # Why the sign-up takes no answer any more (cancelled, begun, not active), or None.
    closed: str | None
    # Giving the place up now needs a message to the organisation.
    late: bool
    deadline: datetime


def answer_state(*, signup: Signup, now: datetime | None = None) -> AnswerState:
    """What the answer page offers for a sign-up (read only)."""
    moment = now or timezone.now()
    closed = _answer_closed_message(signup, moment)
    if closed is None and signup.status != Signup.Status.CONFIRMED:
        closed = _not_active_message(signup)
    deadline = cancel_deadline(signup.shift)
    return AnswerState(closed=closed, late=closed is None and moment > deadline, deadline=deadline)
