"""The actors app's REST endpoints; gemeinsinn.api mounts `router` under /api/v1/."""

from ninja import Router

router = Router()

# Importing the modules registers their endpoints on the router.
from gemeinsinn.actors.api import alliances, organisations  # noqa: E402

__all__ = ["alliances", "organisations", "router"]
