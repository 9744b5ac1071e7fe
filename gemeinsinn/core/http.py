"""Typed requests: a view under /<municipality>/ receives a request that carries its municipality."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from gemeinsinn.core.models import Municipality


class MunicipalRequest(HttpRequest):
    municipality: Municipality
    request_id: str


def login_redirect(request: HttpRequest) -> HttpResponse | None:
    """The way to the login page that comes back here, or None for a logged-in person.

    Views use it as `if (login := login_redirect(request)) is not None: return login`.
    """
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path())
