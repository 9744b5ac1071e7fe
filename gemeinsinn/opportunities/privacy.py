"""What the engagement exchange contributes to a person's data export and deletion.

Erasure (called inside accounts.services.user_delete, which then anonymises the user row):
- the volunteer profile, saved searches and offers are deleted;
- applications are anonymised exactly as the retention job does (messages deleted; message,
  contact data and reason blanked; volunteer removed; `anonymised_at` set); open ones are first
  marked withdrawn so the organisation's inbox does not wait for an answer. The rows stay for
  the statistics (how many applications an opportunity had); the organisation's notifications
  about them (which name the person) are deleted;
- engagements are kept: they point to the anonymised user row and hold no personal data of
  their own (activity, organisation, dates), so hours and counts stay correct (ADR 0007);
- advice conversations lose their link to the person, the person reference and the notes
  (the agency keeps that a conversation took place); referrals keep the anonymised person but
  lose the note to the organisation.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gemeinsinn.core import privacy
from gemeinsinn.core.audit import audit_record
from gemeinsinn.opportunities.models import (
    AdviceConversation,
    Application,
    Engagement,
    Offer,
    Referral,
    SavedSearch,
    VolunteerProfile,
    slots_to_keys,
)
from gemeinsinn.opportunities.services.applications import application_anonymise


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _export_profile(user: Any) -> dict[str, Any]:
    profile = (
        VolunteerProfile.objects.filter(user=user)
        .select_related("municipality", "district")
        .prefetch_related("interests", "skills")
        .first()
    )
    if profile is None:
        return {}
    return {
        "municipality": profile.municipality.name,
        "interests": [f.name for f in profile.interests.all()],
        "skills": [s.name for s in profile.skills.all()],
        "time_slots": slots_to_keys(profile.time_slots),
        "district": profile.district.name if profile.district else None,
        "postcode": profile.postcode,
        "latitude": profile.latitude,
        "longitude": profile.longitude,
        "radius_km": profile.radius_km,
        "remote_ok": profile.remote_ok,
        "languages": profile.languages,
        "german_level": profile.german_level,
        "age_band": profile.age_band,
        "accepts_conduct_certificate": profile.accepts_conduct_certificate,
        "suggest_to_organisations": profile.suggest_to_organisations,
        "onboarded_at": _iso(profile.onboarded_at),
        "created_at": _iso(profile.created_at),
    }


def _export_saved_searches(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "municipality": s.municipality.name,
            "name": s.name,
            "search": s.query_string,
            "alert": s.alert,
            "created_at": _iso(s.created_at),
        }
        for s in SavedSearch.objects.filter(user=user).select_related("municipality")
    ]


def _export_offers(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "municipality": o.municipality.name,
            "title": o.title,
            "description": o.description,
            "fields": [f.name for f in o.engagement_fields.all()],
            "skills": [s.name for s in o.skills.all()],
            "district": o.district.name if o.district else None,
            "time_slots": slots_to_keys(o.time_slots),
            "remote": o.is_remote,
            "status": o.status,
            "visible_until": _iso(o.expires_on),
            "created_at": _iso(o.created_at),
        }
        for o in Offer.objects.filter(user=user)
        .select_related("municipality", "district")
        .prefetch_related("engagement_fields", "skills")
    ]


def _export_applications(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "municipality": a.municipality.name,
            "opportunity": a.opportunity.title,
            "organisation": a.opportunity.organisation.name,
            "status": a.status,
            "message": a.message,
            "contact_shared_at": _iso(a.contact_shared_at),
            "contact_name": a.contact_name,
            "contact_email": a.contact_email,
            "contact_phone": a.contact_phone,
            "decline_reason": a.decline_reason,
            "created_at": _iso(a.created_at),
            "closed_at": _iso(a.closed_at),
            "conversation": [
                {
                    "from": "organisation" if m.from_organisation else "me",
                    "message": m.body,
                    "time": _iso(m.created_at),
                }
                for m in a.messages.all()
            ],
        }
        for a in Application.objects.filter(volunteer=user)
        .select_related("municipality", "opportunity__organisation")
        .prefetch_related("messages")
        .order_by("created_at", "pk")
    ]


def _export_engagements(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "municipality": e.municipality.name,
            "organisation": e.organisation.name,
            "activity": e.title,
            "start": _iso(e.starts_on),
            "end": _iso(e.ends_on),
            "status": e.status,
            "arranged_by": e.placed_by.name if e.placed_by else None,
        }
        for e in Engagement.objects.filter(volunteer=user)
        .select_related("municipality", "organisation", "placed_by")
        .order_by("starts_on", "pk")
    ]


def _export_advice(user: Any) -> list[dict[str, Any]]:
    conversations = [
        {
            "agency": c.agency.name,
            "date": _iso(c.held_on),
            "interests": [f.name for f in c.interests.all()],
            "notes": c.notes,
        }
        for c in AdviceConversation.objects.filter(volunteer=user)
        .select_related("agency")
        .prefetch_related("interests")
        .order_by("held_on", "pk")
    ]
    referrals = [
        {
            "agency": r.agency.name,
            "opportunity": r.opportunity.title,
            "organisation": r.opportunity.organisation.name,
            "consent_recorded_at": _iso(r.consent_recorded_at),
            "note": r.note,
            "created_at": _iso(r.created_at),
        }
        for r in Referral.objects.filter(volunteer=user)
        .select_related("agency", "opportunity__organisation")
        .order_by("created_at", "pk")
    ]
    return [{"advice_conversations": conversations, "referrals": referrals}]


def _erase(user: Any) -> None:
    now = timezone.now()
    VolunteerProfile.objects.filter(user=user).delete()
    SavedSearch.objects.filter(user=user).delete()
    Offer.objects.filter(user=user).delete()
    for application in (
        Application.objects.select_for_update(of=("self",))
        .filter(volunteer=user)
        .select_related("municipality")
        .order_by("pk")
    ):
        if application.status in Application.OPEN:
            application.status = Application.Status.WITHDRAWN
            application.closed_at = now
            application.save(update_fields=["status", "closed_at", "updated_at"])
        application_anonymise(application=application, now=now)
        audit_record(
            actor="privacy",
            action="application.erased",
            target=application,
            municipality=application.municipality,
            data={"status": application.status},
        )
    AdviceConversation.objects.filter(volunteer=user).update(
        volunteer=None, person_reference="", notes=""
    )
    Referral.objects.filter(volunteer=user).update(note="")


def register() -> None:
    privacy.register_exporter("volunteer_profile", _export_profile)
    privacy.register_exporter("saved_searches", _export_saved_searches)
    privacy.register_exporter("engagement_offers", _export_offers)
    privacy.register_exporter("applications", _export_applications)
    privacy.register_exporter("engagements", _export_engagements)
    privacy.register_exporter("advice_and_referrals", _export_advice)
    privacy.register_eraser("opportunities", _erase)
