"""The choices a Sonarr or Radarr offers the instance form (root folders, languages,
tags), asked for with the address and key typed into the form, or the saved key of the
instance being edited. Never raises for an unreachable *arr or a wrong key: the answer
says why."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from scanner.actions.saved_keys import NOT_YOURS, record_saved_key_use
from scanner.arr.checks import unreachable
from scanner.arr.choices import fetch_choices
from scanner.arr.config import ArrConfig, arr_kind
from scanner.connect.arr import client_of
from scanner.connect.sentences import reason_text, said
from scanner.engine.languages import canonical, short_code
from scanner.engine.targets import is_regional
from scanner.engine.varieties import arr_variety, known_varieties
from scanner.errors import ArrError, ArrTransientError, ConfigError
from scanner.http.bounds import overall_deadline
from scanner.language_names import language_name
from scanner.models import Event, Instance
from scanner.models.secrets import RETYPE_FOR_ADDRESS

# The form waits for this answer: a short read timeout, whatever the instance's.
CONNECT_TIMEOUT, READ_TIMEOUT = 5.0, 15.0


def arr_choices(
    kind: str,
    url: str,
    api_key: str,
    saved: Instance | None = None,
    *,
    may_change: bool = False,
    user: str = "",
) -> dict[str, Any]:
    """``{"root_folders": [...], "languages": [{"code", "name"}], "targets": [...],
    "tags": [...]}`` (targets: the languages and every variety Taggarr knows) or
    ``{"error": "..."}``. With no key typed, the key of ``saved`` is used when the user
    ``may_change`` it and ``url`` is its saved address (scanner.actions.saved_keys)."""
    if kind not in (Instance.Kind.SONARR, Instance.Kind.RADARR):
        return {"error": gettext("only Sonarr and Radarr offer choices")}
    if not api_key and saved is not None and saved.is_arr and url:
        if not may_change:
            return {"error": str(NOT_YOURS)}
        if not Instance.api_key.goes_to(saved, url):
            return {"error": str(RETYPE_FOR_ADDRESS)}
        try:
            api_key = saved.get_api_key()
        except ConfigError as exc:  # saved with another TAGGARR_ENCRYPTION_KEY
            return {"error": reason_text(exc)}
        record_saved_key_use(
            saved, url, user=user, via=Event.Via.ADMIN, what="the form's connection test"
        )
    if not url or not api_key:
        return {"error": gettext("fill in the URL and the API key first")}
    try:
        config = ArrConfig(
            name="",  # not saved yet: messages name it by its address
            kind=arr_kind(kind),
            url=url,
            api_key=api_key,
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
            max_answer_mb=settings.MAX_ANSWER_MB,
        )
        with overall_deadline(settings.WEB_DEADLINE_SECONDS), client_of(config) as client:
            try:
                found = fetch_choices(client)
            except ArrTransientError as exc:
                return {"error": said(unreachable(client, exc))}
    except (ArrError, ConfigError, ValueError) as exc:
        return {"error": reason_text(exc)}
    return {
        "root_folders": list(found.root_folders),
        "languages": offered_languages(found.languages),
        "targets": offered_languages(found.languages, varieties=known_varieties()),
        "tags": list(found.tags),
    }


def offered_languages(
    arr_names: tuple[str, ...] | list[str], varieties: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """The *arr's languages as the form offers them: named in the reader's language
    ("Deutsch"), each with the code the picker writes, the short one the field's hint
    shows (``de``; ``yue`` where no two-letter code is). A language that names a
    variety is offered as that variety, a regional target ("Portuguese (Brazil)":
    ``pt-BR``, engine.targets); ``varieties`` are offered besides (the targets' picker
    offers every variety Taggarr knows: ``fr-CA``, ``es-419``, ``yue``; CLDR's name in
    the reader's language, "français canadien"). In the reader's alphabetical order,
    accents aside."""
    codes: dict[str, None] = dict.fromkeys(varieties)
    for name in arr_names:
        code = arr_variety(name) or canonical(name)
        if code is not None:
            codes[code if is_regional(code) else short_code(code)] = None
    offered = [{"code": code, "name": language_name(code)} for code in codes]
    return sorted(offered, key=lambda language: _sort_key(language["name"]))


def _sort_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
