"""Applications, the engagements they become, and the agency-brokered path to them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import FieldOfEngagement, Organisation
from gemeinsinn.core.models import Municipality
from gemeinsinn.opportunities.models.opportunities import Opportunity


class Application(models.Model):
    """A volunteer's expression of interest in an opportunity.

    Transitions live in services/applications.py (TRANSITIONS); the contact fields are filled
    only when the volunteer agrees to share them at that moment.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("sent")
        QUESTION = "question", _("question from the organisation")
        ON_HOLD = "on_hold", _("on hold")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN = (Status.SUBMITTED, Status.QUESTION, Status.ON_HOLD)
    CLOSED = (Status.DECLINED, Status.WITHDRAWN)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="applications"
    )
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="applications"
    )
    # Null once the retention job has removed the personal data of a closed application.
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="applications",
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    contact_shared_at = models.DateTimeField(_("contact data shared"), null=True, blank=True)
    contact_name = models.CharField(_("name"), max_length=300, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    referral = models.OneToOneField(
        "Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One live application per person and opportunity: a double submit cannot add a
            # second one, and after a decline or withdrawal a new one is possible.
            models.UniqueConstraint(
                fields=["opportunity", "volunteer"],
                condition=models.Q(status__in=["submitted", "question", "on_hold", "accepted"]),
                name="application_one_live_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["opportunity", "status", "-created_at"], name="application_inbox"),
            models.Index(fields=["status", "closed_at"], name="application_retention"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} – {self.volunteer or '—'}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ApplicationMessage(models.Model):
    """One message in the conversation about an application (a question and its answer)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_organisation = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:50]


class Engagement(models.Model):
    """A volunteer's engagement with an organisation; hours and cards build on it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="engagements"
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagements"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="engagements"
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement",
    )
    # The volunteer agency that brokered it (its placements).
    placed_by = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    title = models.CharField(_("activity"), max_length=200)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="engagement_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "status"], name="engagement_by_volunteer"),
            models.Index(fields=["organisation", "status"], name="engagement_by_org"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} – {self.organisation}"


class AdviceConversation(models.Model):
    """A volunteer agency's advice conversation with a person looking for an engagement."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="advice_conversations"
    )
    agency = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="advice_conversations"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A person with an account (needed for a referral); walk-ins are recorded by a reference.
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advice_conversations",
    )
    person_reference = models.CharField(
        _("person (initials or reference)"), max_length=100, blank=True
    )
    held_on = models.DateField(_("date"))
    interests = models.ManyToManyField(
        FieldOfEngagement, verbose_name=_("interests"), related_name="+", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("advice conversation")
        verbose_name_plural = _("advice conversations")

    def __str__(self) -> str:
        return f"{self.agency} {self.held_on}"


class Referral(models.Model):
    """An agency's referral of a person to another organisation's opportunity, with consent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="referrals")
    conversation = models.ForeignKey(
        AdviceConversation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="referrals")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The person's consent to pass their interest (and contact data) on, given in the talk.
    consent_recorded_at = models.DateTimeField(_("consent recorded"))
    note = models.TextField(_("note to the organisation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.agency} → {self.opportunity}"
