"""Names of agency mode's audit actions, for the change history and the office's log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.audit import register_action_labels

LABELS = {
    "agency.advice_recorded": _("Advice conversation recorded by a volunteer agency"),
    "agency.referred": _("Person referred by a volunteer agency, with their consent"),
}


def register() -> None:
    register_action_labels(LABELS)
