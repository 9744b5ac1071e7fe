"""What a volunteer tells the exchange about themselves, and the searches they keep."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import FieldOfEngagement
from gemeinsinn.core.models import Municipality, TownDistrict
from gemeinsinn.opportunities.models.opportunities import GermanLevel, Skill


class AgeBand(models.TextChoices):
    """An age band for people who prefer not to give their date of birth."""

    UNDER_16 = "u16", _("under 16")
    FROM_16 = "16-17", _("16 or 17")
    FROM_18 = "18-26", _("18 to 26")
    FROM_27 = "27-64", _("27 to 64")
    FROM_65 = "65+", _("65 or older")


class VolunteerProfile(models.Model):
    """A person's interests, skills and availability; the basis of recommendations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="volunteer_profiles",
    )
    interests = models.ManyToManyField(
        FieldOfEngagement, verbose_name=_("interests"), related_name="+", blank=True
    )
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), related_name="+", blank=True)
    # Weekday × part of day (see slots.py); 0 means "any time".
    time_slots = models.PositiveIntegerField(_("when I have time"), default=0)
    district = models.ForeignKey(
        TownDistrict,
        verbose_name=_("Stadtteil"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    radius_km = models.PositiveSmallIntegerField(
        _("how far I would travel (km)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    remote_ok = models.BooleanField(_("I would also help remotely"), default=True)
    languages = models.CharField(
        _("languages I speak"),
        max_length=200,
        blank=True,
        help_text=_("Separated by commas, for example: Deutsch, Englisch, Arabisch"),
    )
    german_level = models.PositiveSmallIntegerField(
        _("my German"), choices=GermanLevel.choices, default=GermanLevel.FLUENT
    )
    age_band = models.CharField(_("age"), max_length=6, choices=AgeBand.choices, blank=True)
    accepts_conduct_certificate = models.BooleanField(
        _("I would obtain an extended certificate of conduct"), default=False
    )
    # Organisations see a person among suggested volunteers only after this opt-in.
    suggest_to_organisations = models.BooleanField(
        _("organisations may suggest opportunities to me"), default=False
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
                name="profile_coordinates_pair",
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "suggest_to_organisations"], name="profile_suggestable"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class SavedSearch(models.Model):
    """A search a person keeps, optionally with a daily e-mail digest of new matches."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    # The search page's query string, so the saved search opens exactly as shared URLs do.
    query_string = models.CharField(_("search"), max_length=1000, blank=True)
    alert = models.BooleanField(_("daily e-mail with new matches"), default=True)
    # Matches published after this moment are new for the next digest.
    alerted_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        indexes = [models.Index(fields=["alert", "user"], name="savedsearch_alerts")]

    def __str__(self) -> str:
        return self.name
