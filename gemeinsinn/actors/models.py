"""Organisations and their members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gemeinsinn.core.models import Municipality


class OrganisationType(models.TextChoices):
    VOLUNTEER_AGENCY = "volunteer_agency", _("Freiwilligenagentur")
    SELF_HELP_CONTACT = "self_help_contact", _("Selbsthilfekontaktstelle")
    SENIOR_OFFICE = "senior_office", _("Seniorenbüro")
    CIVIC_FOUNDATION = "civic_foundation", _("Bürgerstiftung")
    MULTI_GENERATION_HOUSE = "multi_generation_house", _("Mehrgenerationenhaus")
    CLUB = "club", _("Verein")
    INITIATIVE = "initiative", _("Initiative without legal form")
    BUSINESS = "business", pgettext_lazy("organisation type", "Business")
    ADMINISTRATION = "administration", _("Administration unit")
    CHURCH = "church", _("Church or religious community")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    ADMINISTRATION = "administration", _("Administration")
    BUSINESS = "business", pgettext_lazy("sector", "Business")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    CITIZENS = "citizens", _("Citizens")


class Organisation(models.Model):
    """An actor of local engagement, listed in a municipality's directory."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address in URLs"), max_length=120)
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="organisation_slug_unique_per_municipality"
            )
        ]
        indexes = [models.Index(fields=["municipality", "status", "name"], name="org_directory")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's membership in an organisation; admins manage the organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"
