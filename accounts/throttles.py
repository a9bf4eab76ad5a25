"""Failed logins, limited for ``POST /api/auth/token/`` and the admin's login form.

As django-axes does it: only failures count, per user name *and* client address, in
the shared cache (Redis or the data dir) so that every web process sees the same
counts. A right password never counts (and clears that pair's failures), and guessing
from one address locks out only that address for that name: nobody elsewhere can keep
``admin`` locked out. Both places share the counts: an attacker cannot double the rate
by alternating between them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.throttling import SimpleRateThrottle

LOGIN_SCOPE = "login_failures"


def submitted_username(request: Any) -> str:
    """The user name of a login attempt, from a DRF request (JSON or form) or a form POST."""
    data = getattr(request, "data", None)
    if data is None:
        data = request.POST
    value = data.get("username", "") if hasattr(data, "get") else ""
    return value.strip().casefold() if isinstance(value, str) else ""


class LoginFailureThrottle(SimpleRateThrottle):
    """Refuses an attempt while its user name and address have failed ``TAGGARR_LOGIN_RATE``
    times in its window; ``allow_request`` records nothing, ``record_failure`` does."""

    scope = LOGIN_SCOPE
    # Set by SimpleRateThrottle.__init__ from the rate (``parse_rate``), which the login
    # rate always gives (TAGGARR_LOGIN_RATE); djangorestframework-stubs does not declare them.
    num_requests: int
    duration: int

    def get_cache_key(self, request: Any, view: Any) -> str:
        pair = f"{submitted_username(request)}\n{self.get_ident(request)}"
        # A digest: user names are not kept in the cache in clear and keys stay short.
        ident = hashlib.sha256(pair.encode("utf-8")).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Any, view: Any) -> bool:
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) < self.num_requests

    def record_failure(self, request: Any) -> None:
        self.allow_request(request, None)  # the pair's failures still in the window
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)

    def forget_failures(self, request: Any) -> None:
        self.cache.delete(self.get_cache_key(request, None))


LOGIN_THROTTLES = (LoginFailureThrottle,)


def login_wait(request: Any) -> float | None:
    """None if this login attempt may go on, else the seconds to wait."""
    throttle = LoginFailureThrottle()
    return None if throttle.allow_request(request, None) else (throttle.wait() or 1.0)


def login_failed(request: Any) -> None:
    LoginFailureThrottle().record_failure(request)


def login_succeeded(request: Any) -> None:
    LoginFailureThrottle().forget_failures(request)
