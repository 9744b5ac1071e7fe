"""Sign-ups: taking places, the waitlist, cancelling, and the organiser's assign, move and swap.

Capacity is guarded twice. Every service that changes the places held locks the shift rows
(`select_for_update`, in primary-key order so two services never wait on each other) and
counts against `Shift.taken`; the database's check constraint `taken <= capacity` refuses
whatever would slip past. On SQLite, writes are serialised by the database anyway.

Decisions taken here:

- Signing up for several shifts is all or nothing: a clash, a missing requirement or a full
  shift without the waitlist stops the whole step with a message naming the shift.
- A members-only shift turns a non-member's sign-up into a request the organisation approves;
  no place is held meanwhile.
- A place that frees up is offered to the first person on the waitlist whose party fits, held
  for them until a deadline (ShiftSettings.offer_confirm_hours, never past the start), then
  offered to the next one (`offers_expire`).
- Two shifts clash when they overlap by more than the town's tolerated overlap (handing over a
  counter is not a clash).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gemeinsinn.accounts.notifications import news_language, notify
from gemeinsinn.actors.models import Membership
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.outbox import MailAttachment
from gemeinsinn.core.routing import mreverse
from gemeinsinn.shifts.ical import shift_attachment
from gemeinsinn.shifts.models import MAX_PARTY_SIZE, Requirement, Shift, Signup, Visibility
from gemeinsinn.shifts.selectors.common import is_known_helper, is_member, shift_settings

logger = logging.getLogger(__name__)
Status = Signup.Status
# One step locks every chosen shift: a bound keeps the transaction short.
MAX_SHIFTS_PER_SIGNUP = 50


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def when(shift: Shift) -> str:
    """The shift's day and time as people read it: "Di., 1. Dezember 2026, 09:00–12:00"."""
    start = timezone.localtime(shift.starts_at)
    end = timezone.localtime(shift.ends_at)
    day = date_format(start, "D, j. F Y" if settings.LANGUAGE_CODE == "de" else "D, j F Y")
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    return f"{day}, {start:%H:%M} – {date_format(end, 'j. F Y')} {end:%H:%M}"


def _my_shifts_url(shift: Shift) -> str:
    return mreverse("shifts:mine", shift.municipality)


def _lock_shifts(ids: Iterable[int]) -> dict[int, Shift]:
    """Lock the shifts in primary-key order: two services locking the same rows never deadlock."""
    locked = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("organisation", "municipality", "plan")
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
    )
    return {shift.pk: shift for shift in locked}


def _take(shift: Shift, places: int) -> None:
    """Hold places on a locked shift (negative gives them back)."""
    shift.taken = shift.taken + places
    Shift.objects.filter(pk=shift.pk).update(taken=F("taken") + places)


# --- checks ---------------------------------------------------------------------------------


def _overlap_minutes(
    a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime
) -> float:
    return (min(a_end, b_end) - max(a_start, b_start)).total_seconds() / 60


def shift_clashes(
    *,
    volunteer: Any,
    shift: Shift,
    grace_minutes: int,
    exclude_signups: Sequence[int] = (),
    also: Sequence[Shift] = (),
) -> list[Shift]:
    """The person's other shifts (held places, plus `also`) that overlap this one by more than
    the tolerated minutes."""
    held = (
        Signup.objects.filter(
            volunteer=volunteer,
            status__in=Signup.HOLDING,
            shift__status=Shift.Status.SCHEDULED,
            shift__starts_at__lt=shift.ends_at,
            shift__ends_at__gt=shift.starts_at,
        )
        .exclude(shift=shift)
        .exclude(pk__in=list(exclude_signups))
        .select_related("shift")
    )
    others = [s.shift for s in held] + [o for o in also if o.pk != shift.pk]
    return [
        other
        for other in others
        if _overlap_minutes(shift.starts_at, shift.ends_at, other.starts_at, other.ends_at)
        > grace_minutes
    ]


def missing_requirements(*, volunteer: Any, shift: Shift) -> list[Requirement]:
    """The shift's requirements the organisation has not recorded for this person."""
    return list(shift.requirements.exclude(records__volunteer=volunteer).order_by("name"))


def _clash_message(shift: Shift, clashes: list[Shift]) -> str:
    return _("%(task)s on %(when)s clashes with your shift %(other)s on %(other_when)s.") % {
        "task": shift.task,
        "when": when(shift),
        "other": clashes[0].task,
        "other_when": when(clashes[0]),
    }


def _requirements_message(shift: Shift, missing: list[Requirement]) -> str:
    names = ", ".join(f"{r.name} ({r.description})" if r.description else r.name for r in missing)
    return _(
        "%(task)s on %(when)s needs first: %(requirements)s. Please contact %(organisation)s."
    ) % {
        "task": shift.task,
        "when": when(shift),
        "requirements": names,
        "organisation": shift.organisation.name,
    }


def _party(party_size: int) -> int:
    if not 1 <= party_size <= MAX_PARTY_SIZE:
        raise ValidationError(
            _("You can bring up to %(companions)d companions.") % {"companions": MAX_PARTY_SIZE - 1}
        )
    return party_size


# --- notifications --------------------------------------------------------------------------


def own_revision(shift: Shift, volunteer: Any) -> int:
    """The person's own changes to their place on the shift (taken, given up, taken again),
    counted as their private calendar feed counts them (selectors.feeds)."""
    statuses = list(
        Signup.objects.filter(shift=shift, volunteer=volunteer).values_list("status", flat=True)
    )
    ended = sum(1 for status in statuses if status not in Signup.LIVE)
    return max(len(statuses) - 1, 0) + ended


def _ics(shift: Shift, volunteer: Any, *, gone: Shift | None = None) -> list[MailAttachment]:
    """The shift's calendar entry, and the cancelled entry of a shift the person left."""
    entries = [shift_attachment(shift, revision=own_revision(shift, volunteer))]
    if gone is not None:
        entries.append(
            shift_attachment(gone, cancelled=True, revision=own_revision(gone, volunteer))
        )
    return entries


def notify_volunteer(
    signup: Signup,
    *,
    topic: str,
    subject: str,
    body: str,
    urgent: bool = True,
    with_calendar: bool = False,
    left: Shift | None = None,
) -> None:
    """News about a sign-up for the person; urgent by default (a shift does not wait for a
    digest), with the calendar entry where the place is theirs; `left` adds the cancelled entry
    of a shift they were moved away from, so calendars fed by mail drop it."""
    shift = signup.shift
    notify(
        user=signup.volunteer,
        municipality=shift.municipality,
        topic=topic,
        subject=subject,
        body=body,
        url=_my_shifts_url(shift),
        urgent=urgent,
        attachments=_ics(shift, signup.volunteer, gone=left) if with_calendar else (),
    )


def organisers(shift: Shift) -> list[Any]:
    """The organisation's admins, who hear about helpers' news."""
    admins = (
        Membership.objects.filter(
            organisation=shift.organisation,
            status=Membership.Status.ACTIVE,
            role=Membership.Role.ADMIN,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    return [m.user for m in admins]


def notify_organisers(
    shift: Shift, *, topic: str, subject: str, body: str, urgent: bool = False, exclude: Any = None
) -> None:
    url = mreverse("shifts:shift_helpers", shift.municipality, public_id=shift.public_id)
    for user in organisers(shift):
        if exclude is not None and user.pk == exclude.pk:
            continue
        notify(
            user=user,
            municipality=shift.municipality,
            topic=topic,
            subject=subject,
            body=body,
            url=url,
            urgent=urgent,
        )


def _confirmed_news(signup: Signup) -> None:
    shift = signup.shift
    with news_language():
        notify_volunteer(
            signup,
            topic="shifts_confirmed",
            subject=_("You are signed up: %(task)s") % {"task": shift.task},
            body=_(
                "Your place for %(task)s at %(organisation)s on %(when)s is confirmed%(party)s. "
                "Place: %(place)s. The calendar entry is attached."
            )
            % {
                "task": shift.task,
                "organisation": shift.organisation.name,
                "when": when(shift),
                "place": shift.place or shift.plan.place or "–",
                "party": ngettext(
                    " (with %(n)d companion)",
                    " (with %(n)d companions)",
                    signup.party_size - 1,
                )
                % {"n": signup.party_size - 1}
                if signup.party_size > 1
                else "",
            },
            with_calendar=True,
        )


# --- signing up -----------------------------------------------------------------------------


def shifts_sign_up(
    *,
    volunteer: Any,
    shifts: Sequence[Shift],
    party_size: int = 1,
    message: str = "",
    waitlist: bool = True,
    walk_in: bool = False,
    now: datetime | None = None,
) -> list[Signup]:
    """Sign a person up for one or many shifts in one step: all of them or none.

    `walk_in`: the person stands at a running shift (check-in), so it may have begun.
    """
    if not shifts:
        raise ValidationError(_("Choose at least one shift."))
    if len(shifts) > MAX_SHIFTS_PER_SIGNUP:
        raise ValidationError(
            _("Please choose at most %(max)d shifts at a time.") % {"max": MAX_SHIFTS_PER_SIGNUP}
        )
    party = _party(party_size)
    moment = _now(now)
    with transaction.atomic():
        locked = _lock_shifts(s.pk for s in shifts)
        ordered = sorted(locked.values(), key=lambda s: (s.starts_at, s.pk))
        if not ordered:
            raise ValidationError(_("This shift does not exist (any more)."))
        town_settings = shift_settings(municipality=ordered[0].municipality)
        live = set(
            Signup.objects.filter(
                volunteer=volunteer, shift__in=ordered, status__in=Signup.LIVE
            ).values_list("shift_id", flat=True)
        )
        errors: list[str] = []
        for shift in ordered:
            if shift.status == Shift.Status.CANCELLED:
                errors.append(_("%(task)s on %(when)s was cancelled.") % _names(shift))
            elif shift.starts_at <= moment and not (walk_in and moment < shift.ends_at):
                errors.append(_("%(task)s on %(when)s has already begun.") % _names(shift))
            elif shift.pk in live:
                errors.append(
                    _("You are already signed up for %(task)s on %(when)s.") % _names(shift)
                )
            elif missing := missing_requirements(volunteer=volunteer, shift=shift):
                errors.append(_requirements_message(shift, missing))
            elif clashes := shift_clashes(
                volunteer=volunteer,
                shift=shift,
                grace_minutes=town_settings.conflict_grace_minutes,
                also=[o for o in ordered if (o.starts_at, o.pk) < (shift.starts_at, shift.pk)],
            ):
                errors.append(_clash_message(shift, clashes))
            elif not waitlist and shift.free < party and not _needs_request(volunteer, shift):
                errors.append(
                    _(
                        "%(task)s on %(when)s is full. Join the waitlist to be asked when a place frees up."
                    )
                    % _names(shift)
                )
        if errors:
            raise ValidationError(errors)
        made = [
            _sign_up_one(volunteer, shift, party=party, message=message, moment=moment)
            for shift in ordered
        ]
    return made


def _names(shift: Shift) -> dict[str, str]:
    return {"task": shift.task, "when": when(shift)}


def _needs_request(volunteer: Any, shift: Shift) -> bool:
    return shift.visibility == Visibility.MEMBERS and not is_member(
        user=volunteer, organisation=shift.organisation
    )


def _sign_up_one(
    volunteer: Any, shift: Shift, *, party: int, message: str, moment: datetime
) -> Signup:
    signup = Signup(shift=shift, volunteer=volunteer, party_size=party, message=message.strip())
    if _needs_request(volunteer, shift):
        signup.status = Status.REQUESTED
        action = "signup.requested"
    elif shift.free >= party:
        signup.status = Status.CONFIRMED
        _take(shift, party)
        action = "signup.confirmed"
    else:
        signup.status = Status.WAITLISTED
        signup.waitlisted_at = moment
        action = "signup.waitlisted"
    signup.save()
    audit_record(
        actor=volunteer,
        action=action,
        target=signup,
        municipality=shift.municipality,
        data={"shift": str(shift.public_id), "party_size": party},
    )
    if signup.status == Status.CONFIRMED:
        _confirmed_news(signup)
    elif signup.status == Status.WAITLISTED:
        with news_language():
            notify_volunteer(
                signup,
                topic="shifts_waitlisted",
                subject=_("On the waitlist: %(task)s") % {"task": shift.task},
                body=_(
                    "%(task)s on %(when)s is full. You are on the waitlist and will be asked "
                    "as soon as a place frees up."
                )
                % _names(shift),
                urgent=False,
            )
    else:
        with news_language():
            notify_organisers(
                shift,
                topic="shifts_requested",
                subject=_("Request for a members-only shift: %(task)s") % {"task": shift.task},
                body=_(
                    "%(name)s asks to help with %(task)s on %(when)s. Please approve or decline "
                    "the request."
                )
                % {"name": volunteer.first_name or _("A person"), **_names(shift)},
            )
    return signup


# --- waitlist -------------------------------------------------------------------------------


def waitlist_promote(*, shift: Shift, now: datetime | None = None) -> list[Signup]:
    """Offer freed places of a locked shift to the waitlist, in order; returns the offers.

    The first person whose party fits gets the place; a bigger party ahead of them keeps its
    position for the next free place.
    """
    moment = _now(now)
    if shift.status != Shift.Status.SCHEDULED or shift.starts_at <= moment:
        return []
    hours = shift_settings(municipality=shift.municipality).offer_confirm_hours
    deadline = min(moment + timedelta(hours=hours), shift.starts_at)
    offered: list[Signup] = []
    waiting = (
        Signup.objects.select_for_update(of=("self",))
        .filter(shift=shift, status=Status.WAITLISTED)
        .select_related("volunteer")
        .order_by("waitlisted_at", "pk")
    )
    for signup in waiting:
        if shift.free <= 0:
            break
        if signup.party_size > shift.free:
            continue
        signup.shift = shift
        signup.status = Status.OFFERED
        signup.offer_expires_at = deadline
        signup.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _take(shift, signup.party_size)
        audit_record(
            actor="system",
            action="signup.offered",
            target=signup,
            municipality=shift.municipality,
            data={"expires_at": deadline.isoformat()},
        )
        with news_language():
            notify_volunteer(
                signup,
                topic="shifts_offered",
                subject=_("A place is free for you: %(task)s") % {"task": shift.task},
                body=_(
                    "A place for %(task)s on %(when)s has freed up and is kept for you until "
                    "%(deadline)s. Please confirm it on your shifts page, or it goes to the "
                    "next person on the waitlist."
                )
                % {
                    **_names(shift),
                    "deadline": date_format(timezone.localtime(deadline), "j. F Y, H:i"),
                },
            )
        offered.append(signup)
    return offered


def signup_offer_confirm(*, actor: Any, signup: Signup, now: datetime | None = None) -> Signup:
    """The person takes the place offered to them from the waitlist."""
    moment = _now(now)
    too_late = False
    with transaction.atomic():
        shift = _lock_shifts([signup.shift_id])[signup.shift_id]
        locked = _lock_signup(signup, actor)
        if locked.status != Status.OFFERED:
            raise ValidationError(_("This place is not offered to you (any more)."))
        if locked.offer_expires_at is not None and locked.offer_expires_at <= moment:
            # Passed on now, whether or not the job ran: the error below must not undo it.
            locked.shift = shift
            _expire_one(locked, shift, moment)
            waitlist_promote(shift=shift, now=moment)
            too_late = True
    if too_late:
        raise ValidationError(
            _("Sorry, the time to confirm this place has passed; it went to the next person.")
        )
    with transaction.atomic():
        shift = _lock_shifts([signup.shift_id])[signup.shift_id]
        locked = _lock_signup(signup, actor)
        if locked.status != Status.OFFERED:
            raise ValidationError(_("This place is not offered to you (any more)."))
        if shift.starts_at <= moment:
            raise ValidationError(_("%(task)s on %(when)s has already begun.") % _names(shift))
        town_settings = shift_settings(municipality=shift.municipality)
        if clashes := shift_clashes(
            volunteer=locked.volunteer,
            shift=shift,
            grace_minutes=town_settings.conflict_grace_minutes,
            exclude_signups=[locked.pk],
        ):
            raise ValidationError(_clash_message(shift, clashes))
        locked.status = Status.CONFIRMED
        locked.offer_expires_at = None
        locked.save(update_fields=["status", "offer_expires_at", "updated_at"])
        audit_record(
            actor=actor,
            action="signup.offer_confirmed",
            target=locked,
            municipality=shift.municipality,
        )
        _confirmed_news(locked)
    return locked


def _expire_one(signup: Signup, shift: Shift, moment: datetime) -> None:
    signup.status = Status.EXPIRED
    signup.save(update_fields=["status", "updated_at"])
    _take(shift, -signup.party_size)
    audit_record(
        actor="system",
        action="signup.offer_expired",
        target=signup,
        municipality=shift.municipality,
    )
    with news_language():
        notify_volunteer(
            signup,
            topic="shifts_offer_expired",
            subject=_("Offered place passed on: %(task)s") % {"task": shift.task},
            body=_(
                "You did not confirm the place for %(task)s on %(when)s in time, so it was "
                "offered to the next person. You can sign up again if places are free."
            )
            % _names(shift),
            urgent=False,
        )


def offers_expire(*, now: datetime | None = None) -> int:
    """Pass on every offered place whose deadline has passed; returns how many expired."""
    moment = _now(now)
    due = list(
        Signup.objects.filter(status=Status.OFFERED, offer_expires_at__lte=moment)
        .order_by("offer_expires_at", "pk")
        .values_list("pk", "shift_id")
    )
    expired = 0
    for signup_id, shift_id in due:
        try:
            expired += _expire_due(signup_id, shift_id, moment)
        except Exception:  # one broken row must not keep the others' places held
            logger.exception("passing on an offered place failed", extra={"signup": signup_id})
    return expired


def _expire_due(signup_id: int, shift_id: int, moment: datetime) -> int:
    """Pass on one offered place if it is still offered; returns 1 if it was."""
    with transaction.atomic():
        shift = _lock_shifts([shift_id]).get(shift_id)
        if shift is None:
            return 0
        signup = (
            Signup.objects.select_for_update(of=("self",))
            .select_related("volunteer")
            .filter(pk=signup_id, status=Status.OFFERED)
            .first()
        )
        if signup is None:  # confirmed or expired by a parallel run meanwhile
            return 0
        signup.shift = shift
        _expire_one(signup, shift, moment)
        waitlist_promote(shift=shift, now=moment)
        return 1


# --- cancelling -----------------------------------------------------------------------------


def _lock_signup(signup: Signup, actor: Any | None) -> Signup:
    locked = (
        Signup.objects.select_for_update(of=("self",))
        .select_related(
            "volunteer", "shift", "shift__organisation", "shift__municipality", "shift__plan"
        )
        .get(pk=signup.pk)
    )
    if actor is not None and locked.volunteer_id != actor.pk:
        raise PermissionDenied(_("This is not your sign-up."))
    return locked


def cancel_deadline(shift: Shift) -> datetime:
    """Until when a person may cancel without a message to the organisation."""
    hours = shift_settings(municipality=shift.municipality).cancel_deadline_hours
    return shift.starts_at - timedelta(hours=hours)


def signup_cancel(
    *, actor: Any, signup: Signup, message: str = "", now: datetime | None = None
) -> Signup:
    """The person gives up their place or wish; after the deadline only with a message."""
    moment = _now(now)
    with transaction.atomic():
        shift = _lock_shifts([signup.shift_id])[signup.shift_id]
        locked = _lock_signup(signup, actor)
        locked.shift = shift
        if locked.status not in Signup.LIVE:
            raise ValidationError(_("This sign-up is not active any more."))
        if shift.starts_at <= moment:
            raise ValidationError(
                _("The shift has already begun. Please tell %(organisation)s directly.")
                % {"organisation": shift.organisation.name}
            )
        late = locked.status in Signup.HOLDING and moment > cancel_deadline(shift)
        message = message.strip()
        if late and not message:
            raise ValidationError(
                _(
                    "The shift begins soon, so the organisation needs a short message from you: "
                    "why can't you come?"
                )
            )
        held = locked.status in Signup.HOLDING
        locked.status = Status.CANCELLED
        locked.cancel_reason = message
        locked.offer_expires_at = None
        locked.save(update_fields=["status", "cancel_reason", "offer_expires_at", "updated_at"])
        if held:
            _take(shift, -locked.party_size)
        audit_record(
            actor=actor,
            action="signup.cancelled_late" if late else "signup.cancelled",
            target=locked,
            municipality=shift.municipality,
        )
        if held:
            name = locked.volunteer.first_name or _("A helper")
            with news_language():
                notify_organisers(
                    shift,
                    topic="shifts_cancelled",
                    subject=_("Cancelled: %(task)s on %(when)s") % _names(shift),
                    body=(
                        _(
                            "%(name)s cannot come to %(task)s on %(when)s. Their message: %(message)s"
                        )
                        if message
                        else _("%(name)s cannot come to %(task)s on %(when)s.")
                    )
                    % {"name": name, "message": message, **_names(shift)},
                    urgent=late,
                )
            waitlist_promote(shift=shift, now=moment)
            with news_language():
                notify(
                    user=locked.volunteer,
                    municipality=shift.municipality,
                    topic="shifts_cancel_confirmed",
                    subject=_("Cancelled: %(task)s on %(when)s") % _names(shift),
                    body=_(
                        "You gave up your place for %(task)s on %(when)s. The attached calendar "
                        "entry removes it from your calendar."
                    )
                    % _names(shift),
                    url=_my_shifts_url(shift),
                    urgent=True,
                    attachments=[
                        shift_attachment(
                            shift, cancelled=True, revision=own_revision(shift, locked.volunteer)
                        )
                    ],
                )
    return locked


# --- the organisation's side ----------------------------------------------------------------


def _require_handler(actor: Any, shift: Shift) -> None:
    if actor is None or not actor.has_perm("shifts.handle_helpers", shift.organisation):
        raise PermissionDenied(_("Only the organisation's members handle its helpers."))


def signup_decide(
    *, actor: Any, signup: Signup, approve: bool, reason: str = "", now: datetime | None = None
) -> Signup:
    """The organisation approves or declines a request for a members-only shift."""
    moment = _now(now)
    with transaction.atomic():
        shift = _lock_shifts([signup.shift_id])[signup.shift_id]
        _require_handler(actor, shift)
        locked = _lock_signup(signup, None)
        locked.shift = shift
        if locked.status != Status.REQUESTED:
            raise ValidationError(_("This request was already decided."))
        if approve:
            _check_approvable(shift, locked, moment)
            waiting = Signup.objects.filter(shift=shift, status=Status.WAITLISTED).exists()
            # People already waiting keep their turn: an approved request queues behind them.
            if shift.free >= locked.party_size and not waiting:
                locked.status = Status.CONFIRMED
                _take(shift, locked.party_size)
            else:
                locked.status = Status.WAITLISTED
                locked.waitlisted_at = moment
            locked.save(update_fields=["status", "waitlisted_at", "updated_at"])
        else:
            locked.status = Status.DECLINED
            locked.cancel_reason = reason.strip()
            locked.save(update_fields=["status", "cancel_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="signup.approved" if approve else "signup.declined",
            target=locked,
            municipality=shift.municipality,
        )
        if locked.status == Status.CONFIRMED:
            _confirmed_news(locked)
        else:
            with news_language():
                notify_volunteer(
                    locked,
                    topic="shifts_request_decided",
                    subject=_("Your request for %(task)s") % {"task": shift.task},
                    body=_decision_text(locked, approve=approve),
                    urgent=False,
                )
    return locked


def _decision_text(signup: Signup, *, approve: bool) -> str:
    # The organisation's reason is added after formatting: a "%" in it is just text.
    if approve:
        return _(
            "Your request for %(task)s on %(when)s was approved, but the shift is full: you "
            "are on the waitlist."
        ) % _names(signup.shift)
    text = _("Your request for %(task)s on %(when)s was declined.") % _names(signup.shift)
    return f"{text} {signup.cancel_reason}" if signup.cancel_reason else text


def signup_assign(
    *, actor: Any, shift: Shift, volunteer: Any, party_size: int = 1, now: datetime | None = None
) -> Signup:
    """The organisation puts a person it knows on a shift (capacity and clashes still count)."""
    party = _party(party_size)
    moment = _now(now)
    with transaction.atomic():
        locked_shift = _lock_shifts([shift.pk])[shift.pk]
        _require_handler(actor, locked_shift)
        if not is_known_helper(user=volunteer, organisation=locked_shift.organisation):
            raise ValidationError(
                _(
                    "Only members, people engaged with the organisation and earlier helpers can "
                    "be assigned. Ask the person to sign up themselves."
                )
            )
        _check_assignable(locked_shift, volunteer, party, moment, exclude=[])
        signup = Signup.objects.create(
            shift=locked_shift,
            volunteer=volunteer,
            party_size=party,
            status=Status.CONFIRMED,
            assigned_by=actor,
        )
        _take(locked_shift, party)
        audit_record(
            actor=actor,
            action="signup.assigned",
            target=signup,
            municipality=locked_shift.municipality,
        )
        _confirmed_news(signup)
    return signup


def _check_approvable(shift: Shift, signup: Signup, moment: datetime) -> None:
    """A request may be approved only for a shift still ahead that the person can take."""
    if shift.status == Shift.Status.CANCELLED:
        raise ValidationError(_("%(task)s on %(when)s was cancelled.") % _names(shift))
    if shift.starts_at <= moment:
        raise ValidationError(_("%(task)s on %(when)s has already begun.") % _names(shift))
    grace = shift_settings(municipality=shift.municipality).conflict_grace_minutes
    if clashes := shift_clashes(
        volunteer=signup.volunteer, shift=shift, grace_minutes=grace, exclude_signups=[signup.pk]
    ):
        raise ValidationError(_clash_message(shift, clashes))
    if missing := missing_requirements(volunteer=signup.volunteer, shift=shift):
        raise ValidationError(_requirements_message(shift, missing))


def _check_assignable(
    shift: Shift, volunteer: Any, party: int, moment: datetime, *, exclude: Sequence[int]
) -> None:
    if shift.status == Shift.Status.CANCELLED:
        raise ValidationError(_("%(task)s on %(when)s was cancelled.") % _names(shift))
    if shift.ends_at <= moment:
        raise ValidationError(_("%(task)s on %(when)s is over.") % _names(shift))
    if (
        Signup.objects.filter(shift=shift, volunteer=volunteer, status__in=Signup.LIVE)
        .exclude(pk__in=list(exclude))
        .exists()
    ):
        raise ValidationError(
            _("%(name)s is already on %(task)s on %(when)s.")
            % {"name": volunteer.get_full_name() or _("This person"), **_names(shift)}
        )
    if shift.free < party:
        raise ValidationError(
            _("%(task)s on %(when)s has no free place. Raise the number of places first.")
            % _names(shift)
        )
    grace = shift_settings(municipality=shift.municipality).conflict_grace_minutes
    if clashes := shift_clashes(
        volunteer=volunteer, shift=shift, grace_minutes=grace, exclude_signups=exclude
    ):
        raise ValidationError(_clash_message(shift, clashes))
    if missing := missing_requirements(volunteer=volunteer, shift=shift):
        raise ValidationError(_requirements_message(shift, missing))


def _move(actor: Any, signup: Signup, target: Shift, reason: str) -> Signup:
    """Replace a held place by one on `target` (both shifts locked by the caller)."""
    signup.status = Status.CANCELLED
    signup.cancel_reason = reason
    signup.save(update_fields=["status", "cancel_reason", "updated_at"])
    return Signup.objects.create(
        shift=target,
        volunteer=signup.volunteer,
        party_size=signup.party_size,
        status=Status.CONFIRMED,
        assigned_by=actor,
        message=signup.message,
    )


def signup_move(
    *, actor: Any, signup: Signup, to_shift: Shift, now: datetime | None = None
) -> Signup:
    """The organisation moves a helper to another of its shifts; returns the new sign-up."""
    moment = _now(now)
    with transaction.atomic():
        shifts = _lock_shifts([signup.shift_id, to_shift.pk])
        source, target = shifts[signup.shift_id], shifts[to_shift.pk]
        _require_handler(actor, source)
        if target.organisation_id != source.organisation_id:
            raise ValidationError(
                _("Helpers can only be moved between the organisation's own shifts.")
            )
        locked = _lock_signup(signup, None)
        if locked.status != Status.CONFIRMED:
            raise ValidationError(_("Only confirmed helpers can be moved."))
        if source.starts_at <= moment or locked.attendance:
            raise ValidationError(
                _("%(task)s on %(when)s has begun: record attendance instead of moving people.")
                % _names(source)
            )
        if target.pk == source.pk:
            raise ValidationError(_("Choose another shift."))
        _check_assignable(target, locked.volunteer, locked.party_size, moment, exclude=[locked.pk])
        _take(source, -locked.party_size)
        moved = _move(actor, locked, target, _("moved to %(when)s") % {"when": when(target)})
        _take(target, moved.party_size)
        audit_record(
            actor=actor,
            action="signup.moved",
            target=moved,
            municipality=target.municipality,
            data={"from": str(source.public_id), "to": str(target.public_id)},
        )
        with news_language():
            notify_volunteer(
                moved,
                topic="shifts_moved",
                subject=_("Your shift was changed: %(task)s") % {"task": target.task},
                body=_(
                    "%(organisation)s moved you from %(old_task)s on %(old_when)s to %(task)s on "
                    "%(when)s. The new calendar entry is attached."
                )
                % {
                    "organisation": target.organisation.name,
                    "old_task": source.task,
                    "old_when": when(source),
                    **_names(target),
                },
                with_calendar=True,
                left=source,
            )
        waitlist_promote(shift=source, now=moment)
    return moved


def signups_swap(
    *, actor: Any, first: Signup, second: Signup, now: datetime | None = None
) -> tuple[Signup, Signup]:
    """The organisation swaps two helpers between their shifts; returns the new sign-ups."""
    moment = _now(now)
    with transaction.atomic():
        shifts = _lock_shifts([first.shift_id, second.shift_id])
        a_shift, b_shift = shifts[first.shift_id], shifts[second.shift_id]
        _require_handler(actor, a_shift)
        if a_shift.organisation_id != b_shift.organisation_id:
            raise ValidationError(
                _("Helpers can only be swapped between the organisation's own shifts.")
            )
        a = _lock_signup(first, None)
        b = _lock_signup(second, None)
        if a.status != Status.CONFIRMED or b.status != Status.CONFIRMED:
            raise ValidationError(_("Only confirmed helpers can be swapped."))
        if a_shift.pk == b_shift.pk:
            raise ValidationError(_("Both helpers are on the same shift."))
        for begun in (a_shift, b_shift):
            if begun.starts_at <= moment:
                raise ValidationError(
                    _("%(task)s on %(when)s has begun: record attendance instead of moving people.")
                    % _names(begun)
                )
        # Free both places first, so each check sees the shift without the person leaving it.
        _take(a_shift, -a.party_size)
        _take(b_shift, -b.party_size)
        _check_assignable(b_shift, a.volunteer, a.party_size, moment, exclude=[a.pk, b.pk])
        _check_assignable(a_shift, b.volunteer, b.party_size, moment, exclude=[a.pk, b.pk])
        a_new = _move(actor, a, b_shift, _("swapped"))
        b_new = _move(actor, b, a_shift, _("swapped"))
        _take(b_shift, a_new.party_size)
        _take(a_shift, b_new.party_size)
        # Parties of different sizes leave places free on one side: the waitlist moves up.
        for changed in sorted((a_shift, b_shift), key=lambda s: s.pk):
            waitlist_promote(shift=changed, now=moment)
        audit_record(
            actor=actor,
            action="signup.swapped",
            target=a_new,
            municipality=a_shift.municipality,
            data={"with": str(b_new.public_id)},
        )
        for signup, old in ((a_new, a_shift), (b_new, b_shift)):
            with news_language():
                notify_volunteer(
                    signup,
                    topic="shifts_moved",
                    subject=_("Your shift was changed: %(task)s") % {"task": signup.shift.task},
                    body=_(
                        "%(organisation)s moved you from %(old_task)s on %(old_when)s to %(task)s "
                        "on %(when)s. The new calendar entry is attached."
                    )
                    % {
                        "organisation": old.organisation.name,
                        "old_task": old.task,
                        "old_when": when(old),
                        **_names(signup.shift),
                    },
                    with_calendar=True,
                    left=old,
                )
    return a_new, b_new


def signups_release_for_cancelled_shift(*, actor: Any, shift: Shift, reason: str) -> int:
    """Close every live sign-up of a locked shift that was just cancelled, telling each person.

    Called by the shift-cancelling service in its transaction; returns how many were told.
    """
    live = list(
        Signup.objects.select_for_update(of=("self",))
        .filter(shift=shift, status__in=Signup.LIVE)
        .select_related("volunteer")
    )
    for signup in live:
        signup.shift = shift
        signup.status = Status.CANCELLED
        signup.cancel_reason = reason
        signup.save(update_fields=["status", "cancel_reason", "updated_at"])
        with news_language():
            notify_volunteer(
                signup,
                topic="shifts_shift_cancelled",
                subject=_("Shift cancelled: %(task)s") % {"task": shift.task},
                body=(
                    _("%(organisation)s cancelled %(task)s on %(when)s.")
                    % {"organisation": shift.organisation.name, **_names(shift)}
                )
                + (f" {reason}" if reason else ""),
                with_calendar=True,
            )
    Shift.objects.filter(pk=shift.pk).update(taken=0)
    shift.taken = 0
    return len(live)


def live_signups_q() -> Q:
    return Q(status__in=Signup.LIVE)
