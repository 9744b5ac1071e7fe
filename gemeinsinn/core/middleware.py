"""Request scoping to a municipality, module switches and structured request logs."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from gemeinsinn.core.models import Municipality
from gemeinsinn.core.modules import MODULE_KEYS

logger = logging.getLogger("gemeinsinn.request")


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
        municipality = (
            Municipality.objects.select_related("state", "county")
            .filter(slug=slug, is_active=True)
            .first()
        )
        if municipality is None:
            raise Http404("No such municipality")
        request.municipality = municipality  # type: ignore[attr-defined]
        match = request.resolver_match
        if match is not None:
            for namespace in match.namespaces:
                if namespace in MODULE_KEYS and not municipality.has_module(namespace):
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
