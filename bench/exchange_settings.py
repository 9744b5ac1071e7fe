"""Settings of the exchange benchmark's server: the installation's own, plus the floor page.

gunicorn and the in-process measurements of bench.exchange use this module, so the real pages
and the floor (a plain template with 20 items, bench.exchange_urls) go through the very same
middleware, template engine and server.
"""

from pathlib import Path
from typing import Any, cast

from gemeinsinn.settings import *  # noqa: F403 - the installation's settings, unchanged
from gemeinsinn.settings import TEMPLATES

ROOT_URLCONF = "bench.exchange_urls"
_dirs = cast(list[Any], TEMPLATES[0]["DIRS"])
TEMPLATES[0]["DIRS"] = [*_dirs, Path(__file__).resolve().parent / "templates"]
