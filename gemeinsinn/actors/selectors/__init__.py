"""Reads of the actors app, scoped to a municipality and the acting person, split by topic."""

from gemeinsinn.actors.selectors.directory import (
    organisation_visible,
    organisations_of,
    organisations_public,
)

__all__ = ["organisation_visible", "organisations_of", "organisations_public"]
