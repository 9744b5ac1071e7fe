"""Tenancy, audit log, outbox and feedback models of the shared kernel."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.modules import MODULE_KEYS, MODULES

_HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))
# Amtlicher Gemeindeschlüssel: 2 digits Land, 1 Regierungsbezirk, 2 Kreis, 3 Gemeinde.
_AGS = RegexValidator(r"^\d{8}$", _("The official municipality key (AGS) has exactly 8 digits."))


def default_modules() -> list[str]:
    return [m.key for m in MODULES]


class State(models.Model):
    """A German Land."""

    code = models.CharField(
        _("code"), max_length=2, unique=True, help_text=_("ISO 3166-2:DE code without DE-, e.g. BY")
    )
    ags_prefix = models.CharField(_("AGS prefix"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Land")
        verbose_name_plural = _("Länder")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A Landkreis (or Region); independent cities have none."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="counties")
    key = models.CharField(_("district key"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Landkreis")
        verbose_name_plural = _("Landkreise")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A Gemeinde: the tenant every domain row belongs to."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="municipalities")
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", null=True, blank=True
    )
    ags = models.CharField(
        _("official municipality key (AGS)"), max_length=8, unique=True, validators=[_AGS]
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address in URLs"), max_length=60, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    # Branding
    display_name = models.CharField(
        _("display name"), max_length=150, blank=True, help_text=_("e.g. Engagiert in Musterstadt")
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#0b5394", validators=[_HEX_COLOUR]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#7a3e00", validators=[_HEX_COLOUR]
    )
    welcome_text = models.TextField(_("welcome text"), blank=True)
    contact_email = models.EmailField(_("contact e-mail of the coordination office"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    # Legal texts of the municipality
    imprint = models.TextField(_("imprint"), blank=True)
    privacy_notice = models.TextField(_("privacy notice"), blank=True)
    accessibility_statement = models.TextField(_("accessibility statement"), blank=True)
    terms = models.TextField(_("terms of use"), blank=True)
    easy_language = models.TextField(_("Leichte Sprache text"), blank=True)

    enabled_modules = models.JSONField(_("enabled modules"), default=default_modules, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # The request lookup by slug is cached per process (core.middleware).
        from gemeinsinn.core.middleware import municipality_cache_clear

        municipality_cache_clear()

    @property
    def title(self) -> str:
        return self.display_name or self.name

    def has_module(self, key: str) -> bool:
        return key in (self.enabled_modules or [])

    def clean(self) -> None:
        unknown = set(self.enabled_modules or []) - MODULE_KEYS
        if unknown:
            raise ValidationError(
                {"enabled_modules": _("Unknown modules: %s") % ", ".join(sorted(unknown))}
            )
        if self.ags and self.state_id and not self.ags.startswith(self.state.ags_prefix):
            raise ValidationError({"ags": _("The AGS must start with the key of the Land.")})


class TownDistrict(models.Model):
    """A Stadtteil or Ortsteil of a municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address in URLs"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Stadtteil")
        verbose_name_plural = _("Stadtteile")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="district_slug_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """Who did what to which object, when, in which municipality. Written by every service."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
    )
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "-created_at"], name="audit_municipality_time")
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class OutgoingMail(models.Model):
    """An e-mail in the outbox; the task worker delivers it and retries on failure."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        RETRYING = "retrying", _("retrying")
        FAILED = "failed", _("failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_mails",
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    reply_to = models.EmailField(blank=True)
    purpose = models.CharField(_("purpose"), max_length=60, blank=True)
    # Text attachments such as a calendar entry: [{"filename", "content_type", "content"}].
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outbox")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class AccessibilityFeedback(models.Model):
    """A barrier reported through the feedback form of the accessibility statement."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True)
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    message = models.TextField(_("description of the barrier"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail for a reply"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return self.message[:60]


def slug_is_reserved(slug: str) -> bool:
    """Slugs that would collide with installation-wide URLs."""
    return slug in RESERVED_SLUGS or bool(re.match(r"^(static|media)$", slug))


RESERVED_SLUGS = frozenset(
    {
        "konto",
        "admin",
        "api",
        "healthz",
        "impressum",
        "datenschutz",
        "barrierefreiheit",
        "leichte-sprache",
        "i18n",
        "static",
        "media",
        "jsi18n",
        "sprache",
    }
)
