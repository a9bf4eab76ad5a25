"""The connection tests' facts (scanner.reasons) as sentences in the reader's language,
made when they are shown: the admin's message, the form's answer, the API's report, the
last test on the dashboard and the instance page (stored as code and params, so each
reader gets their own language). English stays in the log: ``str`` of a ``Said``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, gettext_noop

from scanner.reasons import Code, Said, from_data

SENTENCES: dict[Code, str] = {
    Code.ANSWER_TYPED: gettext_noop("HTTP %(status)s, %(type)s"),
    Code.ANSWER_UNTYPED: gettext_noop("HTTP %(status)s, no content type"),
    Code.ANSWER_BAD_TYPE: gettext_noop("HTTP %(status)s, an unreadable content type"),
    Code.BOUND_LARGE: gettext_noop("answer larger than %(megabytes)s MB"),
    Code.BOUND_DEEP: gettext_noop("answer nested deeper than %(levels)s levels"),
    Code.BOUND_SLOW: gettext_noop("no complete answer within %(seconds)s s"),
    Code.DETAIL_EMPTY: gettext_noop("an empty answer"),
    Code.DETAIL_NOT_JSON: gettext_noop("not JSON (%(kind)s)"),
    # The *arr's own words, quoted as the language quotes („…“ in German, « … » in French).
    Code.DETAIL_SAID: gettext_noop("“%(said)s”"),
    Code.ARR_KEY_REJECTED: gettext_noop("%(app)s at %(url)s rejected the API key (401)"),
    Code.ARR_REDIRECTED: gettext_noop(
        "%(app)s at %(url)s redirected %(method)s %(path)s (HTTP %(status)s) to "
        "%(location)s: use that URL"
    ),
    Code.ARR_ANSWERED: gettext_noop(
        "%(app)s at %(url)s answered %(method)s %(path)s with HTTP %(status)s: %(detail)s"
    ),
    Code.ARR_NOT_JSON: gettext_noop(
        "%(app)s at %(url)s: %(method)s %(path)s: not a %(app)s answer (%(kind)s: not JSON)"
    ),
    Code.ARR_NOT_LIST: gettext_noop(
        "%(app)s at %(url)s: %(method)s %(path)s: the answer is not the list the API documents"
    ),
    Code.ARR_TOO_MUCH: gettext_noop("%(app)s at %(url)s: %(method)s %(path)s: %(bound)s"),
    Code.ARR_REQUEST_FAILED: gettext_noop(
        "%(app)s at %(url)s: %(method)s %(path)s could not be sent (the log says why)"
    ),
    Code.UNANSWERED: gettext_noop("%(server)s at %(url)s did not answer"),
    Code.ADDRESS_REFUSED: gettext_noop(
        "%(server)s at %(url)s: the address is link-local or a cloud metadata address, "
        "refused unless TAGGARR_ALLOW_LINK_LOCAL is set"
    ),
    Code.CONFIG_KIND: gettext_noop("the kind must be Sonarr or Radarr, not %(kind)s"),
    Code.CONFIG_URL: gettext_noop("the URL %(url)s is not an http(s) URL"),
    Code.CONFIG_URL_EXTRA: gettext_noop(
        "the URL must not carry a query, a fragment or a user name and password"
    ),
    Code.CONFIG_KEY_EMPTY: gettext_noop("the API key is empty"),
    Code.CONFIG_KEY_CHARACTERS: gettext_noop(
        "the API key has characters an HTTP header cannot carry (only letters, digits and "
        "punctuation): save the right key again"
    ),
    Code.CONFIG_TIMEOUTS: gettext_noop("the timeouts must be positive"),
    Code.CONFIG_BOUNDS: gettext_noop("the answer limits must be positive"),
    Code.CONFIG_POOL: gettext_noop("the number of connections must be at least 1"),
    Code.TEST_UNREACHABLE: gettext_noop("unreachable: %(reason)s"),
    Code.TEST_UNEXPECTED: gettext_noop("unexpected answer: %(reason)s"),
    Code.TEST_WRONG_APP: gettext_noop("%(url)s is %(found)s, not %(app)s"),
    Code.TEST_VERSION: gettext_noop("%(app)s version %(version)s"),
    Code.TEST_NO_ORIGINALS_SERIES: gettext_noop(
        "%(app)s reports no original language for its series: originals are treated as unknown"
    ),
    Code.TEST_NO_ORIGINALS_MOVIES: gettext_noop(
        "%(app)s reports no original language for its movies: originals are treated as unknown"
    ),
    Code.FOLDER_MISSING: gettext_noop("root folder %(folder)s: missing here"),
    Code.FOLDER_NOT_WRITABLE: gettext_noop("root folder %(folder)s: not writable for NFOs"),
    Code.FOLDER_OK: gettext_noop("root folder %(folder)s: ok"),
    Code.SOURCE_FILES: gettext_noop("audio languages: read from the files (MediaInfo)"),
    Code.SOURCE_ARR: gettext_noop(
        "audio languages: the *arr's media info; no file is opened here (NFOs are not "
        "written: the folders are not here)"
    ),
    Code.SOURCE_ARR_CHOSEN: gettext_noop(
        "audio languages: the *arr's media info, chosen because the root folders are not "
        "reachable here; no file is opened here (NFOs are not written)"
    ),
    Code.SOURCE_HYBRID: gettext_noop(
        "audio languages: the *arr's media info, files read only when it is in doubt "
        "(chosen because the root folders are here)"
    ),
    Code.MEDIA_INFO_UNREAD: gettext_noop("could not look at the *arr's media info: %(error)s"),
    Code.MEDIA_INFO_MISSING: gettext_noop(
        "%(arr)s has no media info for the files of %(title)r: turn on Settings → Media "
        "Management → 'Analyse video files', or mount the media here and choose the files "
        "audio source"
    ),
    Code.LIBRARY_WITHOUT_FOLDER: gettext_noop("a library instance needs at least one root folder"),
}


def said(value: Any) -> str:
    """A fact in the active language: a ``Said``, or one as an event's data keeps it
    (scanner.reasons.to_data); any other text (an older event's line) as it is."""
    if isinstance(value, Mapping):
        value = from_data(value)
    if not isinstance(value, Said):
        return str(value)
    params = {key: said(param) if isinstance(param, Said | Mapping) else param
              for key, param in value.params.items()}  # fmt: skip
    return gettext(SENTENCES[value.code]) % params


def reason_text(error: BaseException) -> str:
    """An error as a person reads it: its ``said`` where it has one, else its words."""
    found = getattr(error, "said", None)
    return said(found) if isinstance(found, Said) else str(error)


def said_of(code: Code, **params: Any) -> Said:
    """A fact of the Django side: its English (for the log) is its sentence's msgid."""
    return Said(SENTENCES[code] % params, code, params)
