"""The outbox: every e-mail is stored first, then delivered by the task worker with retries.

Storing before sending means a failing mail relay loses nothing and the coordination office
sees each message's delivery status.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from gemeinsinn.core.models import Municipality, OutgoingMail

logger = logging.getLogger(__name__)


class MailAttachment(TypedDict):
    """A text attachment of an outbox e-mail, e.g. an iCalendar entry."""

    filename: str
    content_type: str
    content: str


# Back-off after the n-th failed attempt: 1, 5, 30, 120 minutes, then 6 hours.
_BACKOFF_MINUTES = (1, 5, 30, 120, 360)


# Purposes (by prefix) of mails between people, e.g. news about an application: the office's
# outbox shows their delivery status but not their subject, and their text is removed once
# delivered and old (mails_redact_personal). Apps register theirs in AppConfig.ready.
_PERSONAL_PURPOSES: set[str] = set()
PERSONAL_REDACT_AFTER = timedelta(days=30)


def register_personal_purposes(*prefixes: str) -> None:
    """Mark mails whose purpose starts with one of `prefixes` as personal."""
    _PERSONAL_PURPOSES.update(prefixes)


def mail_is_personal(purpose: str) -> bool:
    """Whether a mail of this purpose is a personal message the office does not read."""
    return any(purpose.startswith(prefix) for prefix in _PERSONAL_PURPOSES)


def mails_redact_personal(*, now: datetime | None = None) -> int:
    """Blank subject and text of personal mails delivered more than 30 days ago; returns how
    many. The row (recipient, purpose, status, times) stays as proof of delivery."""
    cutoff = (now or timezone.now()) - PERSONAL_REDACT_AFTER
    redacted = 0
    for prefix in sorted(_PERSONAL_PURPOSES):
        redacted += (
            OutgoingMail.objects.filter(
                purpose__startswith=prefix,
                status=OutgoingMail.Status.SENT,
                sent_at__lt=cutoff,
            )
            .exclude(body_text="", subject="")
            .update(subject="", body_text="", body_html="", attachments=[])
        )
    return redacted


def mail_queue(
    *,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    municipality: Municipality | None = None,
    purpose: str = "",
    reply_to: str = "",
    attachments: Sequence[MailAttachment] = (),
) -> OutgoingMail:
    """Store an e-mail in the outbox and hand it to the worker once the transaction commits."""
    mail = OutgoingMail.objects.create(
        attachments=[dict(a) for a in attachments],
        recipient=recipient,
        subject=subject[:250],
        body_text=body_text,
        body_html=body_html,
        municipality=municipality,
        purpose=purpose,
        reply_to=reply_to,
    )
    mail_id = mail.pk
    transaction.on_commit(lambda: deliver_mail.enqueue(mail_id))
    return mail


def mail_retry(*, mail: OutgoingMail) -> None:
    """Queue a failed or waiting e-mail again at once (the office's "send again" button)."""
    with transaction.atomic():
        locked = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
        if locked.status == OutgoingMail.Status.SENT:
            return
        locked.status = OutgoingMail.Status.QUEUED
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "next_attempt_at"])
        mail_id = locked.pk
        transaction.on_commit(lambda: deliver_mail.enqueue(mail_id))


def mails_retry_due() -> int:
    """Re-queue mails whose back-off has passed; for backends that cannot defer tasks."""
    due = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.RETRYING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    count = 0
    for mail_id in list(due):
        deliver_mail.enqueue(mail_id)
        count += 1
    return count


@task()
def deliver_mail(mail_id: int) -> str:
    """Send one outbox e-mail through the configured mail backend; schedule a retry on failure."""
    with transaction.atomic():
        try:
            mail = OutgoingMail.objects.select_for_update().get(pk=mail_id)
        except OutgoingMail.DoesNotExist:
            return "missing"
        if mail.status in (OutgoingMail.Status.SENT, OutgoingMail.Status.FAILED):
            return mail.status
        message = EmailMultiAlternatives(
            subject=mail.subject,
            body=mail.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail.recipient],
            reply_to=[mail.reply_to] if mail.reply_to else None,
            headers={"X-Gemeinsinn-Mail": str(mail.public_id)},
        )
        if mail.body_html:
            message.attach_alternative(mail.body_html, "text/html")
        for attachment in mail.attachments or []:
            message.attach(
                attachment["filename"], attachment["content"], attachment["content_type"]
            )
        mail.attempts += 1
        try:
            message.send()
        except Exception as exc:  # any transport error is recorded, never lost
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                mail.status = OutgoingMail.Status.FAILED
                mail.next_attempt_at = None
                logger.error("mail delivery failed for good", extra={"mail": str(mail.public_id)})
            else:
                minutes = _BACKOFF_MINUTES[min(mail.attempts - 1, len(_BACKOFF_MINUTES) - 1)]
                mail.status = OutgoingMail.Status.RETRYING
                mail.next_attempt_at = timezone.now() + timedelta(minutes=minutes)
                logger.warning(
                    "mail delivery failed, will retry", extra={"mail": str(mail.public_id)}
                )
            mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            if mail.status == OutgoingMail.Status.RETRYING and default_task_backend.supports_defer:
                run_after = mail.next_attempt_at
                transaction.on_commit(
                    lambda: deliver_mail.using(run_after=run_after).enqueue(mail_id)
                )
            return mail.status
        mail.status = OutgoingMail.Status.SENT
        mail.sent_at = timezone.now()
        mail.last_error = ""
        mail.next_attempt_at = None
        mail.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
        return mail.status
