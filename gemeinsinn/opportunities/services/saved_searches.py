"""Saved searches and their daily e-mail digest of new matches.

The digest covers whole days: each run lists what was published after a search's
`alerted_until` and before today's midnight, then moves `alerted_until` to that midnight. So a
person gets at most one e-mail a day however often the job runs, a second run the same day finds
nothing new, and nothing published today is lost: it comes with tomorrow's digest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.outbox import mail_queue
from gemeinsinn.opportunities.forms_search import SearchForm
from gemeinsinn.opportunities.models import Opportunity, SavedSearch
from gemeinsinn.opportunities.selectors.search import opportunity_search, search_options
from gemeinsinn.opportunities.services.opportunities import absolute_url

logger = logging.getLogger(__name__)

MAX_SAVED_SEARCHES = 30
# Matches listed per search in one e-mail; the rest are a link away.
DIGEST_LIMIT = 10
ALERT_PURPOSE = "opportunities_search_alert"


def _require_owner(user: Any, saved_search: SavedSearch) -> None:
    if not user.is_authenticated or saved_search.user_id != user.pk:
        raise PermissionDenied(_("This saved search belongs to somebody else."))


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Please give the search a name.")})
    return name[:120]


def saved_search_query(*, municipality: Municipality, query_string: str) -> str:
    """The query string as it is kept: valid parameters only, and never the visitor's position."""
    form = SearchForm(
        QueryDict(query_string or ""),
        municipality=municipality,
        options=search_options(municipality=municipality),
    )
    return form.querystring(keep_position=False)


def saved_search_create(
    *,
    user: Any,
    municipality: Municipality,
    name: str,
    query_string: str,
    alert: bool = True,
) -> SavedSearch:
    """Save a search of the municipality for the person; new matches count from now on."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to save a search."))
    name = _clean_name(name)
    query = saved_search_query(municipality=municipality, query_string=query_string)
    if len(query) > 1000:
        raise ValidationError(_("This search is too long to be saved. Please remove a filter."))
    with transaction.atomic():
        # Lock the person's row so two quick clicks cannot both pass the limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
            raise ValidationError(
                _(
                    "You have saved %(count)s searches, the most possible. Please delete one you no longer need."
                )
                % {"count": MAX_SAVED_SEARCHES}
            )
        saved = SavedSearch.objects.create(
            user=user,
            municipality=municipality,
            name=name,
            query_string=query,
            alert=alert,
            alerted_until=timezone.now(),
        )
        audit_record(
            actor=user,
            action="saved_search.created",
            target=saved,
            municipality=municipality,
            data={"alert": alert},
        )
    return saved


def saved_search_update(
    *, user: Any, saved_search: SavedSearch, name: str, alert: bool
) -> SavedSearch:
    """Rename a saved search or switch its daily e-mail on or off."""
    _require_owner(user, saved_search)
    name = _clean_name(name)
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
        changed: dict[str, Any] = {}
        if locked.name != name:
            changed["name"] = name
        if locked.alert != alert:
            changed["alert"] = alert
            if alert:
                # Switched on again: only what is published from now on is new.
                locked.alerted_until = timezone.now()
        if not changed:
            return locked
        for key, value in changed.items():
            setattr(locked, key, value)
        locked.save(update_fields=[*changed, "alerted_until"])
        audit_record(
            actor=user,
            action="saved_search.updated",
            target=locked,
            municipality=locked.municipality,
            data={"changed": sorted(changed)},
        )
    return locked


def saved_search_delete(*, user: Any, saved_search: SavedSearch) -> None:
    """Delete a saved search."""
    _require_owner(user, saved_search)
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().filter(pk=saved_search.pk).first()
        if locked is None:
            return  # deleted in another tab meanwhile
        audit_record(
            actor=user,
            action="saved_search.deleted",
            target=locked,
            municipality=locked.municipality,
        )
        locked.delete()


@dataclass(frozen=True)
class DigestSection:
    saved_search: SavedSearch
    opportunities: list[Opportunity]
    more: int


def _cutoff(now: datetime) -> datetime:
    """Midnight at the start of `now`'s day in the installation's time zone."""
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)


def _due(cutoff: datetime) -> Q:
    return Q(alert=True, municipality__is_active=True) & (
        Q(alerted_until__isnull=True) | Q(alerted_until__lt=cutoff)
    )


def saved_search_alerts_send(*, now: datetime | None = None) -> int:
    """Send each person one e-mail with yesterday's new matches of all their alerting searches;
    returns how many e-mails were queued."""
    cutoff = _cutoff(now or timezone.now())
    users = (
        SavedSearch.objects.filter(_due(cutoff))
        .filter(user__is_active=True, user__deleted_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    sent = 0
    for user_id in list(users):
        # One transaction per person: one broken search must not hold back everybody's e-mail.
        try:
            sent += _digest_one(user_id=user_id, cutoff=cutoff)
        except Exception:
            logger.exception("saved-search digest failed", extra={"user": user_id})
    return sent


def _section(saved: SavedSearch, cutoff: datetime, seen: set[int]) -> DigestSection | None:
    municipality = saved.municipality
    if not municipality.has_module("opportunities"):
        return None
    form = SearchForm(
        QueryDict(saved.query_string),
        municipality=municipality,
        options=search_options(municipality=municipality),
    )
    params = form.params()
    if form.errors:
        # A place that cannot be found any more (or a removed filter) would widen the search to
        # far more than the person asked for; better no e-mail for it than a wrong one.
        logger.warning("saved search no longer valid", extra={"saved_search": saved.pk})
        return None
    since = saved.alerted_until or saved.created_at
    new = (
        opportunity_search(
            municipality=municipality,
            params=params,
            today=timezone.localtime(cutoff).date(),
        )
        .filter(published_at__gt=since, published_at__lte=cutoff)
        .exclude(pk__in=seen)
    )
    # An opportunity already listed under an earlier search of the same e-mail is not repeated.
    matches = list(new[:DIGEST_LIMIT])
    if not matches:
        return None
    total = len(matches) if len(matches) < DIGEST_LIMIT else new.count()
    seen.update(o.pk for o in matches)
    return DigestSection(saved_search=saved, opportunities=matches, more=total - len(matches))


def _digest_one(*, user_id: int, cutoff: datetime) -> int:
    with transaction.atomic():
        searches = list(
            SavedSearch.objects.select_for_update(of=("self",))
            .select_related("municipality", "user")
            .filter(_due(cutoff), user_id=user_id)
            .order_by("name", "pk")
        )
        if not searches:
            return 0  # another run got here first
        seen: set[int] = set()
        sections = [s for s in (_section(saved, cutoff, seen) for saved in searches) if s]
        for saved in searches:
            saved.alerted_until = cutoff
            saved.save(update_fields=["alerted_until"])
        if not sections:
            return 0
        user = searches[0].user
        towns = {s.saved_search.municipality_id for s in sections}
        municipality = sections[0].saved_search.municipality if len(towns) == 1 else None
        count = sum(len(s.opportunities) + s.more for s in sections)
        mail_queue(
            recipient=user.email,
            subject=ngettext(
                "%(count)s new opportunity for your saved searches",
                "%(count)s new opportunities for your saved searches",
                count,
            )
            % {"count": count},
            body_text=_digest_text(sections, searches[0].municipality),
            municipality=municipality,
            purpose=ALERT_PURPOSE,
        )
        audit_record(
            actor="system",
            action="saved_search.alert_sent",
            target=user,
            municipality=municipality,
            data={"searches": len(sections), "opportunities": count},
        )
    return 1


def _digest_text(sections: list[DigestSection], home: Municipality) -> str:
    lines = [_("Hello,"), "", _("new opportunities match your saved searches."), ""]
    for section in sections:
        saved = section.saved_search
        town = saved.municipality
        search_url = absolute_url("opportunities:search", town)
        if saved.query_string:
            search_url = f"{search_url}?{saved.query_string}"
        lines.append(_("Your search “%(name)s”:") % {"name": saved.name})
        for opportunity in section.opportunities:
            lines.append(
                _("– %(title)s (%(organisation)s)")
                % {"title": opportunity.title, "organisation": opportunity.organisation.name}
            )
            lines.append(
                "  " + absolute_url("opportunities:detail", town, public_id=opportunity.public_id)
            )
        if section.more:
            lines.append(
                ngettext("%(count)s more: %(url)s", "%(count)s more: %(url)s", section.more)
                % {"count": section.more, "url": search_url}
            )
        else:
            lines.append(_("All results of this search: %(url)s") % {"url": search_url})
        lines.append("")
    lines.append(
        _(
            "You receive this e-mail because you asked for daily e-mails about these searches. To change or stop them: %(url)s"
        )
        % {"url": absolute_url("opportunities:saved_searches", home)}
    )
    return "\n".join(lines)
