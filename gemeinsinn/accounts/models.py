"""The user identity, scoped roles and consent records."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.models import County, Municipality, State


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One person, one identity across all municipalities of the installation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    home_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("home municipality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
    )
    guardian_name = models.CharField(
        _("name of the parent or guardian"), max_length=200, blank=True
    )
    is_staff = models.BooleanField(_("platform admin access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.email

    @property
    def audit_label(self) -> str:
        return f"{self.display_name} <{self.email}>" if self.first_name else self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordination office")
    PARTNER = "partner", _("Acceptance partner")
    CARD_OPERATOR = "card_operator", _("Card programme operator")


class RoleGrant(models.Model):
    """A role a person holds in one municipality, Landkreis or Land."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True)
    county = models.ForeignKey(County, on_delete=models.CASCADE, null=True, blank=True)
    state = models.ForeignKey(State, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                name="role_grant_exactly_one_scope",
                condition=(
                    Q(municipality__isnull=False, county__isnull=True, state__isnull=True)
                    | Q(municipality__isnull=True, county__isnull=False, state__isnull=True)
                    | Q(municipality__isnull=True, county__isnull=True, state__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=Q(municipality__isnull=False),
                name="role_grant_unique_municipality",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "county"],
                condition=Q(county__isnull=False),
                name="role_grant_unique_county",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "state"],
                condition=Q(state__isnull=False),
                name="role_grant_unique_state",
            ),
        ]

    def __str__(self) -> str:
        scope = self.municipality or self.county or self.state
        return f"{self.get_role_display()} – {scope}"


class ConsentRecord(models.Model):
    """Append-only: the latest record per purpose is the person's current choice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=40)
    version = models.CharField(_("text version"), max_length=20)
    text = models.TextField(_("text agreed to"))
    granted = models.BooleanField(_("granted"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-created_at"], name="consent_latest")]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.purpose} {self.version} {'✓' if self.granted else '✗'}"


class MailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("at once, one e-mail each")
    DAILY = "daily", _("once a day, collected in one e-mail")
    OFF = "off", _("no e-mails (I look on the website)")


class NotificationSettings(models.Model):
    """How a person wants to hear about news; people without a row get the daily digest."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_settings"
    )
    frequency = models.CharField(
        _("e-mails about my applications and engagements"),
        max_length=10,
        choices=MailFrequency.choices,
        default=MailFrequency.DAILY,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user} – {self.frequency}"


class Notification(models.Model):
    """One piece of news for a person: shown on the site, mailed at once or in the digest."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(max_length=60)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("text"))
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the news went out by e-mail (at once or in a digest); never mailed twice.
    mailed_at = models.DateTimeField(null=True, blank=True)
    # The e-mail of news mailed at once, so its delivery status can be shown.
    mail = models.ForeignKey(
        "core.OutgoingMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["mailed_at", "user"], name="notification_digest")]

    def __str__(self) -> str:
        return self.subject
