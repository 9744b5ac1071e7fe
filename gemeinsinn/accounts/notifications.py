"""Notifications: news for a person, shown on the site and mailed as their settings say.

Every notification is stored. Whether it is mailed depends on the person's
NotificationSettings: at once (one e-mail each), daily (collected in one digest e-mail, the
default for people without settings) or never. `mailed_at` marks what went out, so nothing is
mailed twice, even when two digest runs overlap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from gemeinsinn.accounts.models import MailFrequency, Notification, NotificationSettings, User
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.outbox import MailAttachment, mail_queue

# The upper bound of one digest: a person with more news gets the rest in the next one.
DIGEST_LIMIT = 200


def news_language() -> Any:
    """News is written in the installation's language: the recipient's is not known."""
    return override(settings.LANGUAGE_CODE)


def notification_frequency(*, user: Any) -> str:
    """The person's mail frequency; the daily digest where they never chose."""
    found = (
        NotificationSettings.objects.filter(user_id=user.pk)
        .values_list("frequency", flat=True)
        .first()
    )
    return found or MailFrequency.DAILY


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return str(settings.BASE_URL or "").rstrip("/") + url


def _mail_text(notification: Notification) -> str:
    link = _absolute(notification.url)
    return f"{notification.body}\n\n{link}\n" if link else f"{notification.body}\n"


def _settings_hint() -> str:
    return _("You can change how often you receive these e-mails in your account settings.")


def notify(
    *,
    user: Any,
    municipality: Municipality | None,
    topic: str,
    subject: str,
    body: str,
    url: str = "",
    urgent: bool = False,
    attachments: Sequence[MailAttachment] = (),
) -> Notification:
    """Store a notification and mail it at once if the person asked for that.

    Urgent news (a shift reminder, a place offered until a deadline) is mailed at once unless
    the person turned e-mails off: a daily digest would come too late.
    """
    with transaction.atomic():
        notification = Notification.objects.create(
            user=user,
            municipality=municipality,
            topic=topic[:60],
            subject=subject[:250],
            body=body,
            url=url[:500],
        )
        frequency = notification_frequency(user=user)
        at_once = frequency == MailFrequency.IMMEDIATE or (
            urgent and frequency != MailFrequency.OFF
        )
        if at_once and user.is_active and user.email:
            notification.mail = mail_queue(
                recipient=user.email,
                subject=notification.subject,
                body_text=_mail_text(notification) + "\n" + _settings_hint() + "\n",
                municipality=municipality,
                purpose=f"notification:{notification.topic}",
                attachments=attachments,
            )
            notification.mailed_at = timezone.now()
            notification.save(update_fields=["mailed_at", "mail"])
    return notification


def _digest_candidates() -> QuerySet[Notification]:
    """Unmailed news of people who take the daily digest (no settings row means daily)."""
    return (
        Notification.objects.filter(mailed_at__isnull=True, user__is_active=True)
        .exclude(
            user__notification_settings__frequency__in=[
                MailFrequency.OFF,
                MailFrequency.IMMEDIATE,
            ]
        )
        .exclude(user__email="")
    )


def _lock_unmailed(user_id: int) -> list[Notification]:
    locked = Notification.objects.filter(user_id=user_id, mailed_at__isnull=True).order_by(
        "created_at", "pk"
    )
    if connection.features.has_select_for_update_skip_locked:
        # A parallel run skips the rows this one holds instead of mailing them a second time.
        locked = locked.select_for_update(skip_locked=True, of=("self",))
    else:
        locked = locked.select_for_update(of=("self",))
    return list(locked.select_related("municipality")[:DIGEST_LIMIT])


def _digest_body(items: list[Notification]) -> str:
    parts = [
        _("Here is what happened since our last e-mail:"),
        "",
    ]
    for item in items:
        parts.append(f"– {item.subject}")
        parts.append(f"  {item.body}")
        link = _absolute(item.url)
        if link:
            parts.append(f"  {link}")
        parts.append("")
    parts.append(_settings_hint())
    return "\n".join(parts) + "\n"


def notifications_send_digests(*, now: datetime | None = None) -> int:
    """Mail each daily-digest person one e-mail with all their unmailed news; returns how many."""
    now = now or timezone.now()
    user_ids = list(
        _digest_candidates()
        .filter(created_at__lte=now)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in user_ids:
        with transaction.atomic():
            # Lock the person's unmailed news and check again: a run in parallel (or an
            # immediate mail in between) may have taken them already.
            items = [item for item in _lock_unmailed(user_id) if item.created_at <= now]
            if not items:
                continue
            user = User.objects.get(pk=user_id)
            frequency = notification_frequency(user=user)
            if frequency != MailFrequency.DAILY:
                continue
            by_municipality: dict[int | None, int] = defaultdict(int)
            for item in items:
                by_municipality[item.municipality_id] += 1
            main_municipality_id = max(by_municipality, key=lambda key: by_municipality[key])
            municipality = next(
                (
                    item.municipality
                    for item in items
                    if item.municipality_id == main_municipality_id
                ),
                None,
            )
            with news_language():
                # A neutral subject: the office's outbox and mail relays see subjects.
                subject = ngettext(
                    "%(count)d new message about your engagement",
                    "%(count)d new messages about your engagement",
                    len(items),
                ) % {"count": len(items)}
                body = _digest_body(items)
            mail_queue(
                recipient=user.email,
                subject=subject,
                body_text=body,
                municipality=municipality,
                purpose="notification:digest",
            )
            Notification.objects.filter(pk__in=[item.pk for item in items]).update(mailed_at=now)
            sent += 1
    return sent


def notification_settings_save(*, user: Any, frequency: str) -> NotificationSettings:
    """Save how often the person wants e-mails about their news."""
    if frequency not in MailFrequency.values:
        raise ValidationError({"frequency": _("Please choose one of the options.")})
    with transaction.atomic():
        found, _created = NotificationSettings.objects.select_for_update().get_or_create(
            user_id=user.pk, defaults={"frequency": frequency}
        )
        if found.frequency != frequency:
            found.frequency = frequency
            found.save(update_fields=["frequency", "updated_at"])
    return found


def notifications_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    """Mark the person's notifications as read (the given ones, or all); returns how many."""
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return int(unread.update(read_at=timezone.now()))


def notifications_for(*, user: Any, limit: int = 50) -> QuerySet[Notification]:
    """The person's newest notifications for their list page."""
    return (
        Notification.objects.filter(user_id=user.pk)
        .select_related("municipality")
        .order_by("-created_at", "-pk")[:limit]
    )


def notifications_unread_count(*, user: Any) -> int:
    """How many notifications the person has not read yet."""
    return int(Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count())


def _export(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "subject": n.subject,
            "text": n.body,
            "created_at": n.created_at.isoformat(),
            "read_at": n.read_at.isoformat() if n.read_at else None,
            "mailed_at": n.mailed_at.isoformat() if n.mailed_at else None,
        }
        for n in Notification.objects.filter(user_id=user.pk).order_by("created_at", "pk")
    ]


def _export_settings(user: Any) -> dict[str, Any]:
    return {"frequency": notification_frequency(user=user)}


def _erase(user: Any) -> None:
    Notification.objects.filter(user_id=user.pk).delete()
    NotificationSettings.objects.filter(user_id=user.pk).delete()


def register_privacy() -> None:
    """Notifications in the person's data export and deletion (wired in AccountsConfig.ready)."""
    from gemeinsinn.core import privacy

    privacy.register_exporter("notifications", _export)
    privacy.register_exporter("notification_settings", _export_settings)
    privacy.register_eraser("notifications", _erase)
