"""The office edits its taxonomies: add, rename, reorder, switch off and remove unused terms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gemeinsinn.actors.models import FieldOfEngagement, TargetGroup
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import Municipality
from gemeinsinn.core.text import german_slugify

Term = FieldOfEngagement | TargetGroup
TAXONOMY_KINDS: dict[str, type[FieldOfEngagement] | type[TargetGroup]] = {
    "field": FieldOfEngagement,
    "target_group": TargetGroup,
}


def _require_office(actor: Any, municipality: Municipality) -> None:
    if not actor.has_perm("core.manage_municipality", municipality):
        raise PermissionDenied(_("Only the coordination office may change the taxonomies."))


def _model(kind: str) -> type[FieldOfEngagement] | type[TargetGroup]:
    try:
        return TAXONOMY_KINDS[kind]
    except KeyError:
        raise ValidationError(_("Unknown list.")) from None


def _kind_of(term: Term) -> str:
    return "field" if isinstance(term, FieldOfEngagement) else "target_group"


def _audit(actor: Any, action: str, term: Term, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=term,
        municipality=term.municipality,
        data={"kind": _kind_of(term), **data},
    )


def taxonomy_term_add(*, actor: Any, municipality: Municipality, kind: str, name: str) -> Term:
    """Add a term at the end of a municipality's list of fields or target groups."""
    _require_office(actor, municipality)
    model = _model(kind)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Please enter a name.")})
    slug = german_slugify(name, max_length=80) or "eintrag"
    with transaction.atomic():
        terms = model.objects.select_for_update(of=("self",)).filter(municipality=municipality)
        existing = terms.filter(Q(slug=slug) | Q(name__iexact=name)).first()
        if existing is not None:
            if existing.is_active:
                raise ValidationError({"name": _("This entry exists already.")})
            raise ValidationError(
                {
                    "name": _(
                        "This entry exists already but is switched off. Switch it on again instead."
                    )
                }
            )
        last = max((t.position for t in terms), default=-1)
        term = model.objects.create(
            municipality=municipality, name=name, slug=slug, position=last + 1
        )
        _audit(actor, "taxonomy.term_added", term, name=name)
    return term


def _locked(term: Term) -> Term:
    return (
        type(term)
        .objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=term.pk)
    )


def taxonomy_term_rename(*, actor: Any, term: Term, name: str) -> Term:
    """Rename a term; its address in URLs stays, so filters and links keep working."""
    _require_office(actor, term.municipality)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Please enter a name.")})
    with transaction.atomic():
        locked = _locked(term)
        if locked.name == name:
            return locked
        before = locked.name
        locked.name = name
        locked.save(update_fields=["name"])
        _audit(actor, "taxonomy.term_renamed", locked, before=before, after=name)
    return locked


def taxonomy_term_move(*, actor: Any, term: Term, direction: str) -> Term:
    """Move a term one place up or down in its list."""
    _require_office(actor, term.municipality)
    if direction not in ("up", "down"):
        raise ValidationError(_("Unknown direction."))
    with transaction.atomic():
        terms: list[Term] = list(
            type(term)
            .objects.select_for_update(of=("self",))
            .filter(municipality_id=term.municipality_id)
            .order_by("position", "name", "pk")
        )
        index = next((i for i, t in enumerate(terms) if t.pk == term.pk), None)
        if index is None:
            raise ValidationError(_("This entry does not exist any more."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(terms):
            return terms[index]
        terms[index], terms[other] = terms[other], terms[index]
        # Renumbering the whole list repairs equal positions from seeding or older versions.
        for position, item in enumerate(terms):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        moved = terms[other]
        _audit(actor, "taxonomy.term_moved", moved, direction=direction, position=other)
    return moved


def taxonomy_term_set_active(*, actor: Any, term: Term, active: bool) -> Term:
    """Switch a term off (kept on organisations, offered no more) or on again."""
    _require_office(actor, term.municipality)
    with transaction.atomic():
        locked = _locked(term)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        _audit(actor, "taxonomy.term_activated" if active else "taxonomy.term_deactivated", locked)
    return locked


def taxonomy_term_delete(*, actor: Any, term: Term) -> None:
    """Delete a term that no organisation uses; a term in use can only be switched off."""
    _require_office(actor, term.municipality)
    with transaction.atomic():
        locked = _locked(term)
        if locked.organisations.exists():
            raise ValidationError(
                _(
                    "Organisations use this entry, so it cannot be deleted. Switch it off instead: it stays on their profiles but is offered no more."
                )
            )
        _audit(actor, "taxonomy.term_deleted", locked, name=locked.name)
        locked.delete()
