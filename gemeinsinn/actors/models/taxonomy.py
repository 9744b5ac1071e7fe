"""Taxonomies a municipality edits itself: fields of engagement and target groups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.models import Municipality

# The 14 areas of engagement of the German Freiwilligensurvey, the default taxonomy.
FREIWILLIGENSURVEY_FIELDS: tuple[tuple[str, str], ...] = (
    ("sport-bewegung", "Sport und Bewegung"),
    ("kultur-musik", "Kultur und Musik"),
    ("soziales", "Sozialer Bereich"),
    ("schule-kindergarten", "Schule oder Kindergarten"),
    ("kirche-religion", "Kirchlicher oder religiöser Bereich"),
    ("freizeit-geselligkeit", "Freizeit und Geselligkeit"),
    ("umwelt-natur-tierschutz", "Umwelt, Naturschutz oder Tierschutz"),
    ("jugendarbeit-bildung", "Außerschulische Jugendarbeit oder Bildungsarbeit für Erwachsene"),
    ("politik-interessenvertretung", "Politik und politische Interessenvertretung"),
    ("gesundheit", "Gesundheitsbereich"),
    ("unfall-rettungsdienst-feuerwehr", "Unfall- oder Rettungsdienst oder freiwillige Feuerwehr"),
    ("berufliche-interessenvertretung", "Berufliche Interessenvertretung außerhalb des Betriebs"),
    ("justiz-kriminalitaet", "Justiz und Kriminalitätsprobleme"),
    ("sonstiges", "Sonstiger bürgerschaftlicher Bereich"),
)

DEFAULT_TARGET_GROUPS: tuple[tuple[str, str], ...] = (
    ("kinder", "Kinder"),
    ("jugendliche", "Jugendliche"),
    ("familien", "Familien"),
    ("seniorinnen-senioren", "Seniorinnen und Senioren"),
    ("menschen-mit-behinderung", "Menschen mit Behinderung"),
    ("zugewanderte", "Zugewanderte und Geflüchtete"),
    ("menschen-in-armut", "Menschen in Armut"),
    ("kranke-pflegebeduerftige", "Kranke und Pflegebedürftige"),
    ("alle", "Alle Menschen"),
)


class FieldOfEngagement(models.Model):
    """An area of engagement (Engagementbereich) in a municipality's taxonomy."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="fields_of_engagement"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address in URLs"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("field of engagement")
        verbose_name_plural = _("fields of engagement")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="field_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    """A group of people an organisation works for, in a municipality's taxonomy."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="target_groups"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address in URLs"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="target_group_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
