"""Opportunities posted by organisations, offers posted by citizens, and their vocabularies."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import FieldOfEngagement, Organisation, TargetGroup
from gemeinsinn.core.models import Municipality, TownDistrict

DEFAULT_SKILLS: tuple[tuple[str, str], ...] = (
    ("handwerk", "Handwerk und Reparieren"),
    ("it-digitales", "IT und Digitales"),
    ("organisation", "Organisieren und Planen"),
    ("kommunikation", "Öffentlichkeitsarbeit und Schreiben"),
    ("sprachen", "Sprachen und Übersetzen"),
    ("paedagogik", "Mit Kindern und Jugendlichen arbeiten"),
    ("pflege-begleitung", "Begleiten und Zuhören"),
    ("kochen", "Kochen und Bewirtung"),
    ("fahren", "Fahren (Führerschein)"),
    ("finanzen", "Finanzen und Buchhaltung"),
    ("recht", "Recht und Verwaltung"),
    ("musik-kunst", "Musik, Kunst und Kreatives"),
    ("sport-anleitung", "Sport anleiten"),
    ("gaertnern", "Gärtnern und Natur"),
    ("erste-hilfe", "Erste Hilfe"),
)


class Skill(models.Model):
    """A skill an opportunity wants or a volunteer brings, in a municipality's taxonomy."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address in URLs"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="skill_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    REGULAR = "regular", _("regular")
    ONE_OFF = "one_off", _("one-off")
    PROJECT = "project", _("project")
    FLEXIBLE = "flexible", _("flexible or remote")
    GROUP = "group", _("group or corporate team")


class GermanLevel(models.IntegerChoices):
    """How much German a task needs; a volunteer fits when their level is at least this."""

    NONE = 0, _("no German needed")
    BASIC = 1, _("basic German")
    GOOD = 2, _("good German")
    FLUENT = 3, _("fluent German")


class Accessibility(models.TextChoices):
    YES = "yes", _("accessible")
    PARTLY = "partly", _("partly accessible")
    NO = "no", _("not accessible")
    UNKNOWN = "unknown", _("not known")


class Opportunity(models.Model):
    """A way to engage that an organisation offers (Engagementangebot)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in review")
        PUBLISHED = "published", _("published")
        PAUSED = "paused", _("paused")
        FILLED = "filled", _("filled")
        EXPIRED = "expired", _("expired")
        ARCHIVED = "archived", _("archived")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="opportunities"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="opportunities"
    )
    # The coordination office or a volunteer agency may post on an organisation's behalf.
    posted_by_agency = models.ForeignKey(
        Organisation,
        verbose_name=_("posted on behalf by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities_posted_for_others",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    easy_language = models.TextField(_("Leichte Sprache version"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    engagement_fields = models.ManyToManyField(
        FieldOfEngagement,
        verbose_name=_("fields of engagement"),
        related_name="opportunities",
        blank=True,
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills wanted"), related_name="opportunities", blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), related_name="opportunities", blank=True
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    german_level = models.PositiveSmallIntegerField(
        _("German needed"), choices=GermanLevel.choices, default=GermanLevel.BASIC
    )
    # Who may especially take part: shown as filters "for young people / seniors / families".
    for_young_people = models.BooleanField(_("suitable for young people"), default=False)
    for_seniors = models.BooleanField(_("suitable for seniors"), default=False)
    for_families = models.BooleanField(_("suitable for families"), default=False)
    place_accessibility = models.CharField(
        _("accessibility of the place"),
        max_length=10,
        choices=Accessibility.choices,
        default=Accessibility.UNKNOWN,
    )
    task_accessibility = models.CharField(
        _("accessibility of the task"),
        max_length=300,
        blank=True,
        help_text=_("For example: can be done seated, no lifting, quiet surroundings."),
    )
    insured_by_organisation = models.BooleanField(
        _("insured through the organisation's own policy"), default=False
    )
    insured_by_land = models.BooleanField(
        _("insured through the Land's collective policy"), default=False
    )
    insured_statutory = models.BooleanField(_("statutory accident insurance"), default=False)
    needs_conduct_certificate = models.BooleanField(
        _("extended certificate of conduct needed (§72a SGB VIII)"), default=False
    )

    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    hours_total = models.DecimalField(
        _("hours in total"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Weekday × part of day (see slots.py); 0 means the time is flexible.
    time_slots = models.PositiveIntegerField(_("days and times"), default=0)
    times_note = models.CharField(_("times in words"), max_length=200, blank=True)

    is_remote = models.BooleanField(_("can be done remotely"), default=False)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    district = models.ForeignKey(
        TownDistrict,
        verbose_name=_("Stadtteil"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    # Floats: the radius search does arithmetic on them in SQL (see selectors/search.py).
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail of the contact person"), blank=True)
    contact_phone = models.CharField(_("phone of the contact person"), max_length=40, blank=True)
    people_wanted = models.PositiveSmallIntegerField(
        _("number of people wanted"), default=1, validators=[MinValueValidator(1)]
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    expires_on = models.DateField(_("listed until"))

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    moderation_note = models.TextField(_("note from the coordination office"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="opportunity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
                name="opportunity_coordinates_pair",
            ),
        ]
        indexes = [
            # Search: the live listings of a municipality, newest first.
            models.Index(
                fields=["municipality", "status", "expires_on", "-published_at"],
                name="opp_live",
            ),
            # Radius search narrows by a bounding box before measuring distances.
            models.Index(fields=["status", "latitude", "longitude"], name="opp_bbox"),
            models.Index(fields=["organisation", "status"], name="opp_by_org"),
            # The search cache's generation token (selectors/search.py, search_generation).
            models.Index(fields=["municipality", "updated_at"], name="opp_changes"),
            # Full-text indexes per database vendor: migration 0002.
        ]

    def __str__(self) -> str:
        return self.title


class Offer(models.Model):
    """A citizen's offer to help ("Ich kann … anbieten") that organisations can find."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("visible to organisations")
        PAUSED = "paused", _("paused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="offers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagement_offers"
    )
    title = models.CharField(_("I can help with"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    engagement_fields = models.ManyToManyField(
        FieldOfEngagement, verbose_name=_("fields of engagement"), related_name="+", blank=True
    )
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), related_name="+", blank=True)
    district = models.ForeignKey(
        TownDistrict,
        verbose_name=_("Stadtteil"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    time_slots = models.PositiveIntegerField(_("days and times"), default=0)
    is_remote = models.BooleanField(_("remotely too"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED
    )
    expires_on = models.DateField(_("visible until"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["municipality", "status", "expires_on"], name="offer_live")]

    def __str__(self) -> str:
        return self.title


class PostcodeLocation(models.Model):
    """The centre of a postcode area, for radius searches without a geocoder."""

    class Source(models.TextChoices):
        DERIVED = "derived", _("derived from addresses on the platform")
        IMPORTED = "imported", _("imported")
        GEOCODED = "geocoded", _("from the configured geocoder")

    postcode = models.CharField(_("postcode"), max_length=5, unique=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.DERIVED
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("postcode location")
        verbose_name_plural = _("postcode locations")

    def __str__(self) -> str:
        return self.postcode


class ExchangeSettings(models.Model):
    """A municipality's settings of the engagement exchange, edited by its office."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="exchange_settings"
    )
    moderate_opportunities = models.BooleanField(
        _("the office reviews opportunities before they are published"), default=False
    )
    default_listing_days = models.PositiveSmallIntegerField(
        _("days an opportunity is listed by default"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
    )
    expiry_reminder_days = models.PositiveSmallIntegerField(
        _("remind the organisation this many days before expiry"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    application_retention_days = models.PositiveSmallIntegerField(
        _("days after which declined or withdrawn applications are deleted"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    # Weights of the soft factors of matching (see matching.py), 0–10 each.
    weight_fields = models.PositiveSmallIntegerField(
        _("weight: interests"), default=5, validators=[MaxValueValidator(10)]
    )
    weight_skills = models.PositiveSmallIntegerField(
        _("weight: skills"), default=3, validators=[MaxValueValidator(10)]
    )
    weight_distance = models.PositiveSmallIntegerField(
        _("weight: distance"), default=3, validators=[MaxValueValidator(10)]
    )
    weight_time = models.PositiveSmallIntegerField(
        _("weight: time fit"), default=2, validators=[MaxValueValidator(10)]
    )
    weight_freshness = models.PositiveSmallIntegerField(
        _("weight: freshness"), default=1, validators=[MaxValueValidator(10)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("settings of the engagement exchange")
        verbose_name_plural = _("settings of the engagement exchange")

    def __str__(self) -> str:
        return str(self.municipality)
