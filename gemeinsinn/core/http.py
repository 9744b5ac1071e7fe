"""Typed requests: a view under /<municipality>/ receives a request that carries its municipality."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from gemeinsinn.core.models import Municipality


class MunicipalRequest(HttpRequest):
    municipality: Municipality
    request_id: str
