"""The language an API answer is written in: the request's Accept-Language (Django's
LocaleMiddleware has chosen it), else, when the request asks for none, the language the
signed-in user saved (accounts.language). The session's users get theirs from the
middleware already; a token's user is known only once DRF has authenticated the
request, which is why this is a view's step and not a middleware."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from rest_framework.request import Request

from accounts.language import SESSION_KEY, loaded_language


class ReaderLanguageMixin:
    """Activates the signed-in user's saved language when the request names none."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if "HTTP_ACCEPT_LANGUAGE" in request.META or not request.user.is_authenticated:
            return
        if SESSION_KEY in getattr(request, "session", {}):
            return  # signed in through the admin: the middleware has its language already
        code = loaded_language(request.user)
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
