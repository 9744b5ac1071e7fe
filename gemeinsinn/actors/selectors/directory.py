"""Reads of organisations, scoped to a municipality."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gemeinsinn.actors.models import Organisation


def organisations_public(
    *, municipality: Any, query: str = "", type: str = ""
) -> QuerySet[Organisation]:
    """Published organisations of a municipality's directory."""
    organisations = Organisation.objects.filter(
        municipality=municipality, status=Organisation.Status.PUBLISHED
    )
    if query:
        organisations = organisations.filter(name__icontains=query) | organisations.filter(
            description__icontains=query
        )
    if type:
        organisations = organisations.filter(type=type)
    return organisations.order_by("name")


def organisation_visible(*, municipality: Any, slug: str, user: Any) -> Organisation | None:
    """One organisation, if published or if the person may edit it; None looks like not found."""
    organisation = Organisation.objects.filter(municipality=municipality, slug=slug).first()
    if organisation is None:
        return None
    if organisation.status == Organisation.Status.PUBLISHED or user.has_perm(
        "actors.change_organisation", organisation
    ):
        return organisation
    return None


def organisations_of(*, user: Any) -> QuerySet[Organisation]:
    """The organisations a person belongs to."""
    return (
        Organisation.objects.filter(memberships__user=user)
        .select_related("municipality")
        .distinct()
    )
