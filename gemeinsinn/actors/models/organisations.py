"""Organisations, their members, claims of imported entries."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gemeinsinn.actors.models.taxonomy import FieldOfEngagement, TargetGroup
from gemeinsinn.core.models import Municipality, TownDistrict


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


# The infrastructure of engagement promotion, as opposed to the actors it serves.
INFRASTRUCTURE_TYPES = frozenset(
    {
        "volunteer_agency",
        "self_help_contact",
        "senior_office",
        "civic_foundation",
        "multi_generation_house",
    }
)


class Sector(models.TextChoices):
    ADMINISTRATION = "administration", _("Administration")
    BUSINESS = "business", pgettext_lazy("sector", "Business")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    CITIZENS = "citizens", _("Citizens")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("everybody")
    MEMBERS = "members", _("members of the organisation")
    OFFICE = "office", _("coordination office only")


# Fields whose visibility the organisation chooses; everything else on the profile is public.
VISIBILITY_FIELDS: tuple[str, ...] = (
    "email",
    "phone",
    "street",
    "contact_name",
    "contact_email",
    "contact_phone",
    "opening_hours",
)
DEFAULT_VISIBILITY: dict[str, str] = {
    "email": "public",
    "phone": "public",
    "street": "public",
    "contact_name": "members",
    "contact_email": "members",
    "contact_phone": "members",
    "opening_hours": "public",
}


def default_visibility() -> dict[str, str]:
    return dict(DEFAULT_VISIBILITY)


class PremisesAccessibility(models.TextChoices):
    UNKNOWN = "unknown", _("not stated")
    ACCESSIBLE = "accessible", _("step-free access")
    PARTLY = "partly", _("partly accessible")
    NOT_ACCESSIBLE = "not_accessible", _("not accessible")


class Organisation(models.Model):
    """An actor of local engagement, listed in one or more municipalities' directories."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        ARCHIVED = "archived", _("archived (no longer active)")

    class Source(models.TextChoices):
        SELF_REGISTERED = "self_registered", _("registered by the organisation")
        OFFICE = "office", _("entered by the coordination office")
        IMPORT = "import", _("imported")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="organisations"
    )
    listed_in = models.ManyToManyField(
        Municipality,
        verbose_name=_("also listed in"),
        related_name="listed_organisations",
        blank=True,
        help_text=_(
            "Other municipalities whose directory shows this organisation (work across borders)."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address in URLs"), max_length=120)
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    description = models.TextField(_("description"), blank=True)
    engagement_fields = models.ManyToManyField(
        FieldOfEngagement,
        verbose_name=_("fields of engagement"),
        related_name="organisations",
        blank=True,
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), related_name="organisations", blank=True
    )
    districts = models.ManyToManyField(
        TownDistrict, verbose_name=_("Stadtteile served"), related_name="organisations", blank=True
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail of the contact person"), blank=True)
    contact_phone = models.CharField(_("phone of the contact person"), max_length=40, blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    premises_accessibility = models.CharField(
        _("accessibility of the premises"),
        max_length=20,
        choices=PremisesAccessibility.choices,
        default=PremisesAccessibility.UNKNOWN,
    )
    accessibility_notes = models.CharField(_("notes on accessibility"), max_length=300, blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/", blank=True)
    visibility = models.JSONField(
        _("visibility of contact data"), default=default_visibility, blank=True
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    moderation_note = models.TextField(_("note from the coordination office"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.OFFICE
    )
    # Imported entries have no admin until a real organisation claims them.
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # Entries must be confirmed as current once a year; older ones count as stale.
    confirmed_at = models.DateTimeField(_("last confirmed as current"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder sent"), null=True, blank=True)
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
        indexes = [
            models.Index(fields=["municipality", "status", "name"], name="org_directory"),
            models.Index(fields=["status", "confirmed_at"], name="org_staleness"),
            # The full-text indexes (GIN with the german configuration on PostgreSQL, an FTS5
            # table on SQLite) are created per database vendor in migration 0002.
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_claimed(self) -> bool:
        return self.source != self.Source.IMPORT or self.claimed_at is not None

    def visibility_of(self, field: str) -> str:
        return str((self.visibility or {}).get(field, DEFAULT_VISIBILITY.get(field, "public")))

    def location_is_public(self) -> bool:
        """Coordinates give the address away, so they are public exactly when the street is."""
        return self.visibility_of("street") == Visibility.PUBLIC


def location_public_q() -> models.Q:
    """The database form of Organisation.location_is_public (for maps and located lists)."""
    return ~models.Q(visibility__street__in=[Visibility.MEMBERS, Visibility.OFFICE])


class Membership(models.Model):
    """A person's membership in an organisation; admins manage the organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INVITED = "invited", _("invited")
        REQUESTED = "requested", _("requested")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
    )
    # An invitation to somebody without an account yet is addressed to an e-mail address.
    invited_email = models.EmailField(_("invited e-mail address"), blank=True)
    invitation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="membership_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(invited_email=""),
                name="membership_has_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.invited_email} – {self.organisation} ({self.role})"


class Claim(models.Model):
    """A request to take over an imported entry, verified by a code to the entry's e-mail or by the office."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for verification")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_claims"
    )
    message = models.TextField(_("why you represent this organisation"), blank=True)
    code_hash = models.CharField(max_length=128, blank=True)
    code_sent_to = models.EmailField(blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
