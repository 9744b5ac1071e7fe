"""Shift plans, recurring series, shifts, sign-ups, reminders, attendance and calendar feeds.

A shift belongs to a plan (Dienstplan): an organisation's event or the regular service of one
of its opportunities. A series expands into shifts; a template is a week of shift definitions
applied to a date range. `Shift.taken` counts the places held (confirmed and offered sign-ups,
with companions) and the database refuses more than the capacity.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gemeinsinn.actors.models import Organisation
from gemeinsinn.core.models import Municipality, OutgoingMail
from gemeinsinn.opportunities.models import Opportunity

# Weekdays as bits (Monday = bit 0), as in Python's date.weekday().
WEEKDAY_BITS = tuple(1 << day for day in range(7))
MAX_PARTY_SIZE = 10


def new_token() -> str:
    """An unguessable token for check-in codes and calendar feed addresses."""
    return secrets.token_urlsafe(24)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    MEMBERS = "members", _("members only")


class ShiftSettings(models.Model):
    """A municipality's rules for shifts; every town starts with the defaults below."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="shift_settings"
    )
    conflict_grace_minutes = models.PositiveSmallIntegerField(
        _("tolerated overlap between two shifts (minutes)"),
        default=15,
        help_text=_(
            "Shifts that overlap by no more than this count as handing over, not as a clash."
        ),
    )
    first_reminder_hours = models.PositiveSmallIntegerField(
        _("first reminder (hours before)"), default=48, help_text=_("0 sends none.")
    )
    second_reminder_hours = models.PositiveSmallIntegerField(
        _("second reminder (hours before)"), default=24, help_text=_("0 sends none.")
    )
    offer_confirm_hours = models.PositiveSmallIntegerField(
        _("hours to confirm a place offered from the waitlist"), default=12
    )
    cancel_deadline_hours = models.PositiveSmallIntegerField(
        _("cancellation without a message up to (hours before)"), default=24
    )
    checkin_opens_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before the start)"), default=60
    )

    class Meta:
        verbose_name = _("shift settings")
        verbose_name_plural = _("shift settings")

    def __str__(self) -> str:
        return str(self.municipality)

    def reminder_hours(self) -> list[int]:
        """The reminder times in hours before a shift, largest first, without zeros."""
        return sorted({h for h in (self.first_reminder_hours, self.second_reminder_hours) if h})[
            ::-1
        ]


class Requirement(models.Model):
    """Something an organisation needs before a person may take a shift, e.g. a briefing."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="shift_requirements"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("how to meet it"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="shift_requirement_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RequirementRecord(models.Model):
    """The organisation's note that a person meets a requirement (briefing done, …)."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="records")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_requirements_met"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        verbose_name = _("requirement met")
        verbose_name_plural = _("requirements met")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "volunteer"], name="shift_requirement_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.volunteer}"


class ShiftPlan(models.Model):
    """An organisation's plan of shifts: an event, or the service of one of its opportunities."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="shift_plans"
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shift_plans",
        verbose_name=_("opportunity"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("shift plan")
        verbose_name_plural = _("shift plans")

    def __str__(self) -> str:
        return self.title


class ShiftSeries(models.Model):
    """Weekly recurrence: on given weekdays, every n weeks, from a date until a date.

    Holidays of the municipality's Land and listed dates are left out. The shifts it made keep
    a link to it, so "this and all following" edits find them; a shift edited on its own is
    marked `detached` and left alone by later series edits.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ShiftPlan, on_delete=models.CASCADE, related_name="series")
    task = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"))
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    requirements = models.ManyToManyField(
        Requirement, blank=True, related_name="+", verbose_name=_("requirements")
    )
    weekdays = models.PositiveSmallIntegerField(_("weekdays"))
    interval_weeks = models.PositiveSmallIntegerField(_("every n weeks"), default=1)
    starts_on = models.DateField(_("first day"))
    until = models.DateField(_("last day"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    skip_holidays = models.BooleanField(_("leave out public holidays"), default=True)
    # ISO dates on which no shift takes place (school holidays, a closed day, …).
    exceptions = models.JSONField(_("left-out dates"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "start_time", "pk"]
        verbose_name = _("shift series")
        verbose_name_plural = _("shift series")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__gte=models.F("starts_on")), name="series_until_after"
            ),
            models.CheckConstraint(
                condition=models.Q(weekdays__gt=0, weekdays__lt=128), name="series_weekdays"
            ),
            models.CheckConstraint(
                condition=models.Q(interval_weeks__gte=1), name="series_interval"
            ),
        ]

    def __str__(self) -> str:
        return self.task


class ShiftTemplate(models.Model):
    """A named week of shift definitions an organisation applies to any date range."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="shift_templates"
    )
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("shift template")
        verbose_name_plural = _("shift templates")

    def __str__(self) -> str:
        return self.name


class ShiftTemplateItem(models.Model):
    template = models.ForeignKey(ShiftTemplate, on_delete=models.CASCADE, related_name="items")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    task = models.CharField(_("task"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"))
    place = models.CharField(_("place"), max_length=300, blank=True)

    class Meta:
        ordering = ["weekday", "start_time", "pk"]
        verbose_name = _("template shift")
        verbose_name_plural = _("template shifts")
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="template_item_weekday")
        ]

    def __str__(self) -> str:
        return self.task


class Shift(models.Model):
    """One shift: a task at a place from a start to an end, for a number of people."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", pgettext_lazy("shift", "cancelled")

    # Also the stable UID of the shift's calendar event.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="shifts")
    plan = models.ForeignKey(ShiftPlan, on_delete=models.CASCADE, related_name="shifts")
    series = models.ForeignKey(
        ShiftSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts"
    )
    # The series date this shift stands for, even after it was moved to another day.
    occurrence_date = models.DateField(null=True, blank=True)
    detached = models.BooleanField(default=False)
    task = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    # Places held by confirmed and offered sign-ups, companions included.
    taken = models.PositiveSmallIntegerField(default=0)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    requirements = models.ManyToManyField(
        Requirement, blank=True, related_name="shifts", verbose_name=_("requirements")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # iCalendar SEQUENCE: raised on every change a calendar must pick up.
    sequence = models.PositiveIntegerField(default=0)
    checkin_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
            # The last line of defence: no service bug or race may overbook a shift.
            models.CheckConstraint(
                condition=models.Q(taken__lte=models.F("capacity")), name="shift_not_overbooked"
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=models.Q(series__isnull=False),
                name="shift_once_per_series_date",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "starts_at"], name="shift_by_plan"),
            models.Index(fields=["organisation", "starts_at"], name="shift_by_org"),
            models.Index(fields=["municipality", "starts_at"], name="shift_by_town"),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Signup(models.Model):
    """A person's place (or wish for one) in a shift, with companions.

    Transitions live in services/signups.py; `taken` on the shift follows HOLDING statuses.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested (members only)")
        CONFIRMED = "confirmed", _("confirmed")
        OFFERED = "offered", _("place offered, waiting for confirmation")
        WAITLISTED = "waitlisted", _("on the waitlist")
        CANCELLED = "cancelled", pgettext_lazy("shift", "cancelled")
        DECLINED = "declined", _("declined by the organisation")
        EXPIRED = "expired", _("offer expired")

    class Response(models.TextChoices):
        NONE = "", _("no answer yet")
        COMING = "coming", _("coming")
        NOT_COMING = "not_coming", _("can't come")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("not recorded")
        ATTENDED = "attended", _("attended")
        NO_SHOW = "no_show", _("did not come")

    HOLDING = (Status.CONFIRMED, Status.OFFERED)
    LIVE = (Status.REQUESTED, Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )
    party_size = models.PositiveSmallIntegerField(_("people (you and companions)"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    message = models.TextField(_("message"), blank=True)
    cancel_reason = models.TextField(_("reason"), blank=True)
    # Waitlist order: the earliest first; set again when a person joins it anew.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    response = models.CharField(
        _("answer to the reminder"),
        max_length=10,
        choices=Response.choices,
        default=Response.NONE,
        blank=True,
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        _("attendance"),
        max_length=10,
        choices=Attendance.choices,
        default=Attendance.UNKNOWN,
        blank=True,
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shift__starts_at", "created_at", "pk"]
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=models.Q(status__in=["requested", "confirmed", "offered", "waitlisted"]),
                name="signup_one_live_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(party_size__gte=1, party_size__lte=MAX_PARTY_SIZE),
                name="signup_party_size",
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "status"], name="signup_by_volunteer"),
            models.Index(fields=["shift", "status"], name="signup_by_shift"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.shift}"


class Reminder(models.Model):
    """A reminder mailed for a sign-up, one per reminder time: never sent twice.

    The row is written in the same transaction that queues the mail, so a worker that dies
    before the commit leaves neither, and one that dies after it leaves both.
    """

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="reminders")
    hours_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()
    mail = models.ForeignKey(
        OutgoingMail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("shift reminder")
        verbose_name_plural = _("shift reminders")
        constraints = [
            models.UniqueConstraint(fields=["signup", "hours_before"], name="shift_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.signup} −{self.hours_before} h"


class AttendanceEvent(models.Model):
    """The hand-over to the hours ledger: a person attended a shift for a duration.

    One per sign-up. When attendance is corrected to "did not come" the event is revoked, not
    deleted, so a ledger that already booked it can book the reversal.
    """

    signup = models.OneToOneField(Signup, on_delete=models.CASCADE, related_name="attended_event")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField()
    recorded_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("attended shift")
        verbose_name_plural = _("attended shifts")
        indexes = [models.Index(fields=["recorded_at"], name="attended_by_time")]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.started_at:%Y-%m-%d} {self.duration_minutes} min"


class ShiftMessage(models.Model):
    """An organiser's message to all helpers of a shift."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("message"))
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to helpers")
        verbose_name_plural = _("messages to helpers")

    def __str__(self) -> str:
        return f"{self.shift}: {self.body[:40]}"


class ReminderChoice(models.TextChoices):
    ALL = "all", _("all reminders")
    LAST = "last", _("only the last reminder")
    NONE = "none", _("no reminders")


class ShiftPreferences(models.Model):
    """A person's choices for shifts: which reminders, and the secret calendar feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_preferences"
    )
    reminders = models.CharField(
        _("reminders"), max_length=10, choices=ReminderChoice.choices, default=ReminderChoice.ALL
    )
    # Empty until the person asks for a feed; a new token revokes the old address.
    feed_token = models.CharField(max_length=64, blank=True, db_index=True)
    feed_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shift preferences")
        verbose_name_plural = _("shift preferences")

    def __str__(self) -> str:
        return str(self.user)
