"""Open data about opportunities: schema.org JSON-LD for each public page and the exports.

A volunteer opportunity is a schema.org JobPosting with employmentType VOLUNTEER, which is how
search engines and volunteer portals read it.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from gemeinsinn.opportunities.models import Opportunity
from gemeinsinn.opportunities.services.opportunities import absolute_url

# The characters that could end the <script> element or open a comment, escaped the way
# django.utils.html.json_script does (JSON reads \u003C as "<").
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def opportunity_jsonld(opportunity: Opportunity) -> dict[str, Any]:
    """The schema.org JobPosting of an opportunity (needs its municipality, organisation and
    district loaded to avoid extra queries)."""
    municipality = opportunity.municipality
    organisation = opportunity.organisation
    posted = opportunity.published_at or opportunity.created_at
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": {
            "@type": "PropertyValue",
            "name": municipality.name,
            "value": str(opportunity.public_id),
        },
        "url": absolute_url("opportunities:detail", municipality, public_id=opportunity.public_id),
        "title": opportunity.title,
        "description": opportunity.description,
        "employmentType": "VOLUNTEER",
        "datePosted": posted.date().isoformat() if posted else None,
        "validThrough": opportunity.expires_on.isoformat(),
        "hiringOrganization": {
            "@type": "Organization",
            "name": organisation.name,
            **({"sameAs": organisation.website} if organisation.website else {}),
        },
        "totalJobOpenings": opportunity.people_wanted,
    }
    if opportunity.starts_on:
        data["jobStartDate"] = opportunity.starts_on.isoformat()
    has_place = bool(
        opportunity.postcode or opportunity.district_id or opportunity.latitude is not None
    )
    if has_place:
        address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "DE"}
        if opportunity.street:
            address["streetAddress"] = opportunity.street
        if opportunity.postcode:
            address["postalCode"] = opportunity.postcode
        address["addressLocality"] = opportunity.city or municipality.name
        if opportunity.district_id and opportunity.district is not None:
            address["addressRegion"] = opportunity.district.name
        place: dict[str, Any] = {"@type": "Place", "address": address}
        if opportunity.latitude is not None and opportunity.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": opportunity.latitude,
                "longitude": opportunity.longitude,
            }
        data["jobLocation"] = place
    if opportunity.is_remote:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "DE"}
    return {key: value for key, value in data.items() if value is not None}


def jsonld_script(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> element with the data safely escaped.

    Browsers do not execute this type, so the strict Content-Security-Policy allows it.
    """
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
