"""The language a person reads Taggarr in.

Django's LocaleMiddleware picks it first: the cookie the switcher sets, else the
browser's Accept-Language, else TAGGARR_LANGUAGE (settings.LANGUAGE_CODE). For a
signed-in user the choice saved in their profile wins over all three (this module's
middleware, after authentication), so it follows them from browser to browser. It is
read once, when they sign in, and kept in their session: a page costs no query for it.
The switcher in the header posts to ``set_language``: Django's view (the cookie, the
redirect to a safe ``next``), and the choice saved to the profile and the session when
signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.models import Profile

Handler = Callable[[HttpRequest], HttpResponse]
SESSION_KEY = "taggarr_language"


def saved_language(user: object) -> str:
    """The language ``user`` chose, or "" (none saved, or one no longer offered)."""
    profile = Profile.objects.filter(user_id=user.pk).only("language").first()  # type: ignore[attr-defined]
    return _offered(profile.language if profile else "")


def loaded_language(user: object) -> str:
    """``saved_language`` of a user just loaded with their profile (a token's, by
    accounts.authentication): no query of its own; else as ``saved_language``."""
    related = Profile.user.field.remote_field  # the user's side: user.taggarr_profile
    if not (isinstance(user, Model) and related.is_cached(user)):
        return saved_language(user)
    profile = cast("Profile | None", related.get_cached_value(user))
    return _offered(profile.language if profile else "")


def _offered(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else ""


def creator_language(user: object) -> str:
    """The language of what ``user`` makes when they choose none (a feed): their saved
    choice, else the one this request is read in (the browser's, the cookie's), else ""."""
    if getattr(user, "is_authenticated", False):
        saved = saved_language(user)
        if saved:
            return saved
    current = translation.get_language() or ""
    return current if current in dict(settings.LANGUAGES) else ""


def remember(request: HttpRequest, code: str) -> None:
    """Keep ``code`` as the signed-in user's language for the rest of the session."""
    request.session[SESSION_KEY] = code


def remember_on_login(
    sender: object, request: HttpRequest | None, user: object, **_: object
) -> None:
    """The user_logged_in signal's receiver (accounts.apps)."""
    if request is not None and hasattr(request, "session"):
        remember(request, saved_language(user))


class ProfileLanguageMiddleware:
    """A signed-in user's saved language over the cookie and the browser's."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            code = request.session.get(SESSION_KEY, "")
            if code in dict(settings.LANGUAGES):
                translation.activate(code)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The switcher's target. Open to people not signed in too (the login page has the
    switcher); like any POST it needs the CSRF token, and it only sets a cookie (and
    the signed-in user's own profile) to one of settings.LANGUAGES."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        Profile.objects.update_or_create(user=request.user, defaults={"language": code})
        remember(request, code)
    return response
