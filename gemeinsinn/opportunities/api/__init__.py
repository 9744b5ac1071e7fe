"""The engagement exchange's part of the REST API; each area's module adds to `router`."""

from ninja import Router

router = Router(tags=["engagement exchange"])

from gemeinsinn.opportunities.api import (  # noqa: E402 - the modules register on the router
    applications,
    opportunities,
    recommendations,
)

__all__ = ["applications", "opportunities", "recommendations", "router"]
