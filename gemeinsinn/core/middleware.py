"""Request scoping to a municipality, module switches and structured request logs."""

from __future__ import annotations

import logging
import pickle
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from gemeinsinn.core.models import Municipality
from gemeinsinn.core.modules import MODULE_OF_NAMESPACE

logger = logging.getLogger("gemeinsinn.request")

# slug -> (monotonic expiry, pickled Municipality or None): the lookup every municipal page
# makes, kept per process for MUNICIPALITY_CACHE_SECONDS. A pickle rather than the instance,
# so no request can change what the next one sees.
_LOOKUPS: dict[str, tuple[float, bytes | None]] = {}


def municipality_cache_clear() -> None:
    """Forget every cached lookup (Municipality.save calls this in the saving process)."""
    _LOOKUPS.clear()


def municipality_for_slug(slug: str) -> Municipality | None:
    """The active municipality with this slug, with its Land and county, or None.

    A saved municipality is seen at once by the process that saved it and by other web
    workers within MUNICIPALITY_CACHE_SECONDS (a switched-off module too).
    """
    seconds = settings.MUNICIPALITY_CACHE_SECONDS
    now = time.monotonic()
    if seconds:
        hit = _LOOKUPS.get(slug)
        if hit is not None and hit[0] > now:
            return pickle.loads(hit[1]) if hit[1] is not None else None  # noqa: S301 - own data
    municipality = (
        Municipality.objects.select_related("state", "county")
        .filter(slug=slug, is_active=True)
        .first()
    )
    if seconds:
        if len(_LOOKUPS) > 10_000:  # unknown slugs must not grow the dict without bound
            _LOOKUPS.clear()
        stored = pickle.dumps(municipality) if municipality is not None else None
        _LOOKUPS[slug] = (now + seconds, stored)
    return municipality


class MunicipalityMiddleware:
    """Resolve `/<municipality-slug>/…` to request.municipality and enforce module switches.

    A switched-off module answers 404, exactly like a page that does not exist.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.municipality = None  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        slug = view_kwargs.pop("municipality_slug", None)
        if slug is None:
            return None
        municipality = municipality_for_slug(slug)
        if municipality is None:
            raise Http404("No such municipality")
        request.municipality = municipality  # type: ignore[attr-defined]
        match = request.resolver_match
        if match is not None:
            for namespace in match.namespaces:
                module = MODULE_OF_NAMESPACE.get(namespace)
                if module is not None and not municipality.has_module(module):
                    raise Http404("Module switched off")
        return None


class RequestLogMiddleware:
    """One structured log line per request with a request id, status and duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        response["X-Request-ID"] = request_id
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
