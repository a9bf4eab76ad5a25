"""Login limits shared by ``POST /api/auth/token/`` and the admin's login form.

Counted per client address and per user name, in the shared cache (Redis or the
data dir), so every web process sees the same counts. Both places use the same
scopes: an attacker cannot double the rate by alternating between them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle

LOGIN_SCOPE_IP = "login_ip"
LOGIN_SCOPE_USER = "login_user"


def submitted_username(request: Any) -> str:
    """The user name of a login attempt, from a DRF request (JSON or form) or a form POST."""
    data = getattr(request, "data", None)
    if data is None:
        data = request.POST
    value = data.get("username", "") if hasattr(data, "get") else ""
    return value.strip().casefold() if isinstance(value, str) else ""


class LoginIPThrottle(SimpleRateThrottle):
    scope = LOGIN_SCOPE_IP

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginUserThrottle(SimpleRateThrottle):
    scope = LOGIN_SCOPE_USER

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        username = submitted_username(request)
        if not username:
            return None  # nothing to guess against; the address limit still applies
        # A digest: user names are not kept in the cache in clear and keys stay short.
        ident = hashlib.sha256(username.encode("utf-8")).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}


LOGIN_THROTTLES = (LoginIPThrottle, LoginUserThrottle)


def login_wait(request: HttpRequest | Any) -> float | None:
    """Record a login attempt; None if it may go on, else the seconds to wait."""
    waits = []
    for throttle_class in LOGIN_THROTTLES:
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            waits.append(throttle.wait() or 1.0)
    return max(waits) if waits else None
