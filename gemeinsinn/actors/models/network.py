"""Cooperation between organisations, alliances (Bündnisse) and their target agreements."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models.organisations import Organisation
from gemeinsinn.core.models import Municipality


class CooperationLink(models.Model):
    """A typed, directed link between two organisations."""

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("partnership")
        FUNDING = "funding", _("funding")
        SHARED_PROJECT = "shared_project", _("shared project")
        UMBRELLA = "umbrella", _("member of an umbrella organisation")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="cooperation_links"
    )
    source = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A link names the partner in public, so it shows only once the partner (or the office) has
    # confirmed it; until then only the organisation that proposed it and the office see it.
    confirmed_at = models.DateTimeField(_("confirmed by the partner"), null=True, blank=True)

    class Meta:
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="cooperation_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="cooperation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.kind})"


class Alliance(models.Model):
    """A Bündnis: a network of organisations and citizens with a steering group and goals."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="alliances"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address in URLs"), max_length=120)
    mission = models.TextField(_("mission statement"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    is_public = models.BooleanField(_("visible to the public"), default=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="alliance_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AllianceMember(models.Model):
    """An organisation or an individual citizen in an alliance; some sit in the steering group."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alliance_memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alliance_memberships",
    )

    class Status(models.TextChoices):
        ACTIVE = "active", _("member")
        INVITED = "invited", _("invited")

    is_steering = models.BooleanField(_("in the steering group"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    # Individual citizens join only by accepting an invitation; organisations are active at once.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, user__isnull=True)
                    | models.Q(organisation__isnull=True, user__isnull=False)
                ),
                name="alliance_member_is_organisation_or_person",
            ),
            models.UniqueConstraint(
                fields=["alliance", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="alliance_member_organisation_unique",
            ),
            models.UniqueConstraint(
                fields=["alliance", "user"],
                condition=models.Q(user__isnull=False),
                name="alliance_member_user_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.user)


class AllianceProject(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "title"]
        verbose_name = _("alliance project")
        verbose_name_plural = _("alliance projects")

    def __str__(self) -> str:
        return self.title


class TargetAgreement(models.Model):
    """A Zielvereinbarung: goal, indicator, target value and deadline, with progress updates."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="target_agreements"
    )
    goal = models.CharField(_("goal"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("starting value"), max_digits=12, decimal_places=2, default=0)
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    deadline = models.DateField(_("deadline"))
    responsible = models.ManyToManyField(
        Organisation,
        verbose_name=_("responsible actors"),
        related_name="target_agreements",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "goal"]
        verbose_name = _("target agreement")
        verbose_name_plural = _("target agreements")

    def __str__(self) -> str:
        return self.goal


class ProgressUpdate(models.Model):
    agreement = models.ForeignKey(TargetAgreement, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.reported_on}: {self.value}"
