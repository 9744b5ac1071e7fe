"""Every state change of people, roles and consents."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.accounts.consent import PURPOSES
from gemeinsinn.accounts.models import ConsentRecord, Role, RoleGrant, User
from gemeinsinn.core import privacy
from gemeinsinn.core.audit import audit_record
from gemeinsinn.core.models import AuditEvent, County, Municipality, State

PARENTAL_CONSENT_AGE = 16


def user_create(
    *,
    email: str,
    password: str | None = None,
    password_hash: str | None = None,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    home_municipality: Municipality | None = None,
    guardian_name: str = "",
    consents: tuple[str, ...] = ("account", "terms"),
    verified: bool = False,
    actor: User | None = None,
) -> User:
    """Create a person with a primary e-mail address and the consents given at sign-up."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    with transaction.atomic():
        user = User(
            email=email,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            home_municipality=home_municipality,
            guardian_name=guardian_name,
        )
        if password_hash is not None:
            user.password = password_hash
        elif password is not None:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        for purpose in consents:
            _consent_write(user=user, purpose=purpose, granted=True)
        audit_record(
            actor=actor or user,
            action="account.created",
            target=user,
            municipality=home_municipality,
        )
    return user


def _consent_write(*, user: User, purpose: str, granted: bool) -> ConsentRecord:
    spec = PURPOSES[purpose]
    return ConsentRecord.objects.create(
        user=user, purpose=purpose, version=spec.version, text=str(spec.text), granted=granted
    )


def signup_complete(
    *,
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    guardian_name: str,
    parental_consent: bool,
    newsletter: bool,
    home_municipality: Municipality | None,
    today: date | None = None,
) -> User:
    """Store what the sign-up form asked beyond e-mail and password, with the consents given."""
    age = _age(date_of_birth, today or timezone.localdate())
    if age < PARENTAL_CONSENT_AGE and not (parental_consent and guardian_name.strip()):
        raise ValidationError(
            _(
                "Under 16 you need the consent of a parent or guardian: enter their name and tick the box."
            )
        )
    with transaction.atomic():
        user.first_name = first_name.strip()
        user.last_name = last_name.strip()
        user.date_of_birth = date_of_birth
        user.guardian_name = guardian_name.strip() if age < PARENTAL_CONSENT_AGE else ""
        user.home_municipality = home_municipality
        user.save(
            update_fields=[
                "first_name",
                "last_name",
                "date_of_birth",
                "guardian_name",
                "home_municipality",
            ]
        )
        for purpose in ("account", "terms"):
            _consent_write(user=user, purpose=purpose, granted=True)
        if age < PARENTAL_CONSENT_AGE:
            _consent_write(user=user, purpose="parental", granted=True)
        if newsletter:
            _consent_write(user=user, purpose="newsletter", granted=True)
        audit_record(
            actor=user, action="account.signed_up", target=user, municipality=home_municipality
        )
    return user


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def consent_set(*, user: User, purpose: str, granted: bool) -> ConsentRecord:
    """Grant or withdraw consent for an optional purpose; required ones end only with the account."""
    spec = PURPOSES.get(purpose)
    if spec is None:
        raise ValidationError(_("Unknown purpose."))
    if spec.required and not granted:
        raise ValidationError(
            _("This consent is needed to run your account. To withdraw it, delete your account.")
        )
    with transaction.atomic():
        record = _consent_write(user=user, purpose=purpose, granted=granted)
        audit_record(
            actor=user,
            action="consent.granted" if granted else "consent.withdrawn",
            target=user,
            data={"purpose": purpose, "version": spec.version},
        )
    return record


def profile_update(
    *, user: User, first_name: str, last_name: str, home_municipality: Municipality | None
) -> User:
    """Change the name and home municipality on the profile page."""
    with transaction.atomic():
        user.first_name = first_name.strip()
        user.last_name = last_name.strip()
        user.home_municipality = home_municipality
        user.save(update_fields=["first_name", "last_name", "home_municipality"])
        audit_record(actor=user, action="account.profile_updated", target=user)
    return user


def role_grant(
    *,
    actor: User | None,
    user: User,
    role: str,
    municipality: Municipality | None = None,
    county: County | None = None,
    state: State | None = None,
) -> RoleGrant:
    """Give a person a role in exactly one scope; granting twice is harmless."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if sum(x is not None for x in (municipality, county, state)) != 1:
        raise ValidationError(_("A role belongs to exactly one municipality, Landkreis or Land."))
    if (
        actor is not None
        and not actor.is_superuser
        and (municipality is None or not actor.has_perm("core.manage_municipality", municipality))
    ):
        raise PermissionDenied(_("You may not grant roles here."))
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(
            user=user, role=role, municipality=municipality, county=county, state=state
        )
        if created:
            audit_record(
                actor=actor or "system",
                action="role.granted",
                target=user,
                municipality=municipality,
                data={"role": role, "scope": str(municipality or county or state)},
            )
    return grant


def role_revoke(*, actor: User, grant: RoleGrant) -> None:
    """Take a role away; nobody removes their own office role (so an office cannot lock itself out)."""
    allowed = grant.municipality is not None and actor.has_perm(
        "core.manage_municipality", grant.municipality
    )
    if not (allowed or actor.is_superuser):
        raise PermissionDenied(_("You may not change roles here."))
    if grant.user_id == actor.pk and grant.role == Role.COORDINATOR:
        raise ValidationError(
            _("You cannot remove your own coordination-office role. Ask a colleague.")
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="role.revoked",
            target=grant.user,
            municipality=grant.municipality,
            data={
                "role": grant.role,
                "scope": str(grant.municipality or grant.county or grant.state),
            },
        )
        grant.delete()


def role_grant_by_email(
    *, actor: User, email: str, role: str, municipality: Municipality
) -> RoleGrant:
    """Give a registered person a role in a municipality, found by their e-mail address."""
    if role not in (Role.COORDINATOR, Role.PARTNER):
        raise ValidationError(_("This role cannot be given here."))
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            _(
                "There is no account with this e-mail address. Please ask the person to sign up first."
            )
        )
    return role_grant(actor=actor, user=user, role=role, municipality=municipality)


def user_export(*, user: User) -> dict[str, Any]:
    """All personal data about a person, from every app, as one JSON-ready document."""
    document: dict[str, Any] = {
        "format": "gemeinsinn-personal-data-export",
        "version": 1,
        "created_at": timezone.now().isoformat(),
    }
    for section, exporter in sorted(privacy.exporters().items()):
        document[section] = exporter(user)
    audit_record(actor=user, action="account.exported", target=user)
    return document


def user_delete(*, user: User, actor: User) -> None:
    """Anonymise a person: identity gone, statistics (counts, birth year, town) kept."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("You may only delete your own account."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.deleted_at is not None:
            return
        for _name, eraser in sorted(privacy.erasers().items()):
            eraser(locked)
        anonymous_label = f"deleted-{uuid.uuid4().hex[:12]}"
        locked.email = f"{anonymous_label}@deleted.invalid"
        locked.first_name = ""
        locked.last_name = ""
        locked.guardian_name = ""
        if locked.date_of_birth is not None:
            # The birth year alone keeps age statistics without identifying anybody.
            locked.date_of_birth = date(locked.date_of_birth.year, 1, 1)
        locked.password = make_password(None)
        locked.is_active = False
        locked.is_staff = False
        locked.is_superuser = False
        locked.deleted_at = timezone.now()
        locked.save()
        AuditEvent.objects.filter(actor=locked).update(actor_label=anonymous_label)
        AuditEvent.objects.filter(target_type="accounts.user", target_id=str(locked.pk)).update(
            target_label=anonymous_label
        )
        audit_record(actor=anonymous_label, action="account.deleted", target=locked)
