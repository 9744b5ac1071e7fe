"""Names of the search area's audit actions (saved searches, digests, the bagfa export)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.audit import register_action_labels

LABELS = {
    "saved_search.created": _("Search saved"),
    "saved_search.updated": _("Saved search changed"),
    "saved_search.deleted": _("Saved search deleted"),
    "saved_search.alert_sent": _("E-mail with new matches of saved searches sent"),
    "opportunity.exported": _("Opportunities exported for the national volunteer database"),
}


def register() -> None:
    register_action_labels(LABELS)
