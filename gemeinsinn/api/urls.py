"""The API instance. Feature apps add routers here as they land."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from gemeinsinn.actors.api import router as actors_router
from gemeinsinn.core import selectors
from gemeinsinn.opportunities.api import router as opportunities_router
from gemeinsinn.shifts.api import router as shifts_router

api = NinjaAPI(
    title="gemeinsinn API",
    version="1",
    description="REST API of the gemeinsinn platform for municipal engagement promotion.",
    urls_namespace="api",
)


class MunicipalityOut(Schema):
    ags: str
    name: str
    slug: str
    state: str
    county: str | None
    modules: list[str]


@api.get("/municipalities", response=list[MunicipalityOut], tags=["tenancy"])
def municipalities(request: HttpRequest) -> list[MunicipalityOut]:
    """The active municipalities of this installation with their enabled modules."""
    return [
        MunicipalityOut(
            ags=m.ags,
            name=m.name,
            slug=m.slug,
            state=m.state.name,
            county=m.county.name if m.county else None,
            modules=list(m.enabled_modules or []),
        )
        for m in selectors.municipalities_public()
    ]


# Shifts before the exchange: /me/shifts/… and /shifts/signups must not fall to a broader path.
api.add_router("/", shifts_router)
# The exchange next: its /organisations/{slug}/applications must win over the actors' catch-all
# /organisations/{municipality}/{slug}.
api.add_router("/", opportunities_router)
api.add_router("/", actors_router)
