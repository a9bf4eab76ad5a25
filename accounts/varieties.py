"""A browser that asks for a country's Spanish reads Latin-American Spanish (es-419).

Django's LocaleMiddleware reads ``es-MX`` as ``es`` and stops there: of the codes it
tries (``es-mx``, then ``es``; django/utils/translation/trans_real.py,
``_get_supported_language_variant``) ``es`` is offered, and a region it does not list
is never matched to a macro-region such as 419. CLDR knows which locales are Latin
American: its parent locales (supplementalData.xml, ``parentLocales``, as Babel ships
them) make es_MX, es_AR, es_CO, es_US... children of es_419. This middleware, just
after Django's, applies that one rule to the language Django chose from the header;
the cookie the switcher sets and a signed-in user's saved choice still win
(accounts.language). fr-CA needs nothing: Django finds ``fr-ca`` itself.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.core import get_global
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

Handler = Callable[[HttpRequest], HttpResponse]


def cldr_parent(tag: str) -> str:
    """The Django code of CLDR's parent locale of ``tag`` ("es-mx" → "es-419"), or ""."""
    language, _, region = tag.partition("-")
    parent = get_global("parent_exceptions").get(f"{language.lower()}_{region.upper()}", "")
    return str(parent).replace("_", "-").lower()


def browser_variety(accept: str) -> str:
    """The variety Django's pick from ``accept`` stands for, or "" (Django's pick holds).

    Django takes the first tag of the header it can serve; when it serves that tag by its
    base language and CLDR gives the tag a parent that Taggarr offers, that parent is it.
    """
    offered = {code.lower() for code, _ in settings.LANGUAGES}
    for tag, _quality in parse_accept_lang_header(accept):
        if tag == "*":
            return ""
        try:
            chosen = translation.get_supported_language_variant(tag)
        except LookupError:
            continue
        parent = cldr_parent(tag)
        return parent if chosen == tag.partition("-")[0] and parent in offered else ""
    return ""


def _cookie_chooses(request: HttpRequest) -> bool:
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not cookie:
        return False
    try:
        translation.get_supported_language_variant(cookie)
    except LookupError:
        return False
    return True


class BrowserVarietyMiddleware:
    """es-419 for a browser asking for es-MX, es-AR..., unless the cookie chose."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cookie_chooses(request):
            variety = browser_variety(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
            if variety:
                translation.activate(variety)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
