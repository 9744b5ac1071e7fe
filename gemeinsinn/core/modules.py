"""The modules of PRODUCT.md that a municipality switches on and off.

A module's URLs are included under `/<municipality>/<path>/` with the module key as namespace;
the municipality middleware turns a request into a 404 when the module is switched off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    description: str | Promise
    path: str
    # The URL name of the module's entry page, or "" while the module has no pages yet.
    entry: str = ""
    # Further URL namespaces whose pages belong to this module (an app of its own).
    namespaces: tuple[str, ...] = ()


MODULES: tuple[Module, ...] = (
    Module(
        "actors",
        _("Actors & network"),
        _("Find clubs, initiatives and institutions in town."),
        "akteure",
        "actors:directory",
    ),
    Module(
        "opportunities",
        _("Engagement exchange"),
        _("Find an opportunity to get involved."),
        "engagement",
        "opportunities:search",
        namespaces=("shifts",),
    ),
    Module(
        "hours",
        _("Hours & certificates"),
        _("Record engagement time and get certificates."),
        "stunden",
    ),
    Module("cards", _("Ehrenamtskarte"), _("Apply for the volunteer card."), "ehrenamtskarte"),
    Module(
        "partners",
        _("Acceptance partners"),
        _("Benefits for holders of the volunteer card."),
        "partner",
    ),
    Module(
        "agenda", _("Coordination calendar"), _("Events and activities of all actors."), "kalender"
    ),
    Module(
        "recognition", _("Recognition"), _("Awards, honours and thank-you events."), "anerkennung"
    ),
    Module("participation", _("Participation"), _("Ideas, proposals and surveys."), "beteiligung"),
    Module("knowledge", _("Knowledge portal"), _("Guides, downloads and answers."), "wissen"),
    Module(
        "network",
        _("Town network"),
        _("Partnerships and methods shared between towns."),
        "netzwerk",
    ),
    Module("reports", _("Reports"), _("Dashboards and the annual engagement report."), "berichte"),
    Module("funding", _("Funding"), _("Small grants for engagement."), "foerderung"),
)

MODULE_KEYS: frozenset[str] = frozenset(m.key for m in MODULES)
BY_KEY: dict[str, Module] = {m.key: m for m in MODULES}
# URL namespace -> the module that switches its pages on and off.
MODULE_OF_NAMESPACE: dict[str, str] = {
    namespace: m.key for m in MODULES for namespace in (m.key, *m.namespaces)
}
