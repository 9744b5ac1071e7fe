"""Every state change of the actors app, split by topic. Import the functions from here."""

from gemeinsinn.actors.services.organisations import (
    EDITABLE_FIELDS,
    membership_add,
    organisation_create,
    organisation_update,
)

__all__ = ["EDITABLE_FIELDS", "membership_add", "organisation_create", "organisation_update"]
