"""Messages from the organisation to all helpers of a shift ("the entrance moved to the back").

Only people holding a place hear it (confirmed, and offered until they decide): the waitlist and
open requests are not part of the shift yet. The news is urgent, so it is mailed at once unless a
person turned mails off. A shift gets at most MESSAGES_PER_DAY messages in 24 hours, so a slip
of the finger cannot flood the helpers' inboxes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.accounts.notifications import news_language, notify
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.models import Shift, ShiftMessage, Signup
from gemeinsinn.shifts.services.signups import when

MAX_MESSAGE_CHARS = 5000
MESSAGES_PER_DAY = 10


def shift_message_send(*, actor: Any, shift: Shift, body: str) -> ShiftMessage:
    """Send a message to everybody holding a place on the shift; store it and audit it."""
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Please write the message to the helpers.")})
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValidationError(
            {
                "body": _(
                    "The message may be at most %(limit)d characters long; it has %(length)d."
                )
                % {"limit": MAX_MESSAGE_CHARS, "length": len(text)}
            }
        )
    with transaction.atomic():
        # The lock makes the daily limit hold against two organisers sending at once.
        locked = (
            Shift.objects.select_for_update(of=("self",))
            .select_related("organisation", "municipality", "plan")
            .get(pk=shift.pk)
        )
        if actor is None or not actor.has_perm("shifts.handle_helpers", locked.organisation):
            raise PermissionDenied(_("Only the organisation's members write to its helpers."))
        since = timezone.now() - timedelta(days=1)
        if ShiftMessage.objects.filter(shift=locked, created_at__gt=since).count() >= (
            MESSAGES_PER_DAY
        ):
            raise ValidationError(
                _(
                    "This shift's helpers already got %(limit)d messages in the last 24 hours. "
                    "Please wait, or put everything into one message."
                )
                % {"limit": MESSAGES_PER_DAY}
            )
        holders = list(
            Signup.objects.filter(
                shift=locked, status__in=Signup.HOLDING, volunteer__is_active=True
            )
            .select_related("volunteer")
            .order_by("pk")
        )
        if not holders:
            raise ValidationError(
                _("Nobody holds a place on this shift, so there is nobody to write to.")
            )
        message = ShiftMessage.objects.create(
            shift=locked, author=actor, body=text, recipients=len(holders)
        )
        audit_record(
            actor=actor,
            action="shift.message_sent",
            target=locked,
            municipality=locked.municipality,
            # The text is between the organisation and its helpers: the log keeps only the fact.
            data={"message": message.pk, "recipients": len(holders)},
        )
        url = mreverse("shifts:mine", locked.municipality)
        with news_language():
            subject = _("Message about your shift: %(task)s") % {"task": locked.task}
            intro = _("%(organisation)s writes about %(task)s on %(when)s:") % {
                "organisation": locked.organisation.name,
                "task": locked.task,
                "when": when(locked),
            }
        for signup in holders:
            notify(
                user=signup.volunteer,
                municipality=locked.municipality,
                topic="shifts_message",
                subject=subject,
                body=f"{intro}\n\n{text}",
                url=url,
                urgent=True,
            )
    return message
