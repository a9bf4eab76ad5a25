"""What a connection test found or why a request failed, as a code and its values.

The pure layers (scanner.arr, scanner.http, scanner.media_servers.clients) cannot
translate: they write English for the log and the command line, and hand the same fact
on as a ``Said``, English text that also carries a ``code`` and its ``params``. The
Django side (scanner.connect.sentences) turns a ``Said`` into a sentence in the reader's
language when it is shown. A param may itself be a ``Said`` (what an answer was, a
reason inside a line): it is rendered in the same language first.

Pure Python on purpose, like scanner.errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

Param = Any  # str | int | float | Said


class Code(StrEnum):
    """Every fact a connection test can tell (scanner.connect.sentences has a sentence
    for each: tests/scanner/connect/test_sentences.py holds it to that)."""

    # What an answer was (scanner.http.sessions.answer_kind)
    ANSWER_TYPED = "answer.typed"
    ANSWER_UNTYPED = "answer.untyped"
    ANSWER_BAD_TYPE = "answer.bad_type"
    # An answer past a bound (scanner.http.bounds)
    BOUND_LARGE = "bound.large"
    BOUND_DEEP = "bound.deep"
    BOUND_SLOW = "bound.slow"
    # A list read as a stream, past a bound of one of its items or of its count
    BOUND_ITEM_LARGE = "bound.item_large"
    BOUND_ITEM_SLOW = "bound.item_slow"
    BOUND_LONG = "bound.long"
    # The *arr's own words for an error (scanner.arr.base.error_detail)
    DETAIL_EMPTY = "detail.empty"
    DETAIL_NOT_JSON = "detail.not_json"
    DETAIL_SAID = "detail.said"
    DETAIL_NO_MESSAGE = "detail.no_message"
    # A request to an *arr that failed (scanner.arr.base)
    ARR_KEY_REJECTED = "arr.key_rejected"
    ARR_REDIRECTED = "arr.redirected"
    ARR_ANSWERED = "arr.answered"
    ARR_NOT_JSON = "arr.not_json"
    ARR_NOT_LIST = "arr.not_list"
    ARR_TOO_MUCH = "arr.too_much"
    ARR_REQUEST_FAILED = "arr.request_failed"
    # A server that gave no answer (scanner.http.sessions.unanswered)
    UNANSWERED = "server.unanswered"
    ADDRESS_REFUSED = "server.address_refused"
    # A request to a media server that failed (scanner.media_servers.clients)
    MS_TOKEN_REFUSED = "media_server.token_refused"  # noqa: S105 (a code, no token)
    MS_ANSWERED = "media_server.answered"
    MS_ANSWERED_SAID = "media_server.answered_said"
    MS_REDIRECTED = "media_server.redirected"
    MS_NOT_FOUND = "media_server.not_found"
    MS_NOT_JSON = "media_server.not_json"
    MS_NOT_PLEX = "media_server.not_plex"
    MS_UNREADABLE = "media_server.unreadable"
    MS_WRONG_SHAPE = "media_server.wrong_shape"
    MS_TOO_MUCH = "media_server.too_much"
    MS_FAILED = "media_server.failed"
    # plex.tv refused the token a Plex server accepts (scanner.media_servers.clients.plex_errors)
    PLEX_TV_TOKEN_REFUSED = "plex_tv.token_refused"  # noqa: S105 (a code, no token)
    # The invited friends plex.tv hands out no token for (scanner.actions.check_media_server)
    PLEX_TV_FRIENDS_NO_TOKEN = "plex_tv.friends_no_token"  # noqa: S105 (a code, no token)
    # A media server's connection test (scanner.actions.check_media_server)
    AUTH_JELLYFIN = "auth.jellyfin"
    AUTH_EMBY = "auth.emby"
    AUTH_PLEX = "auth.plex"
    MS_VERSION = "media_server.version"
    MS_NOT_JELLYFIN = "media_server.not_jellyfin"
    MS_NOT_EMBY = "media_server.not_emby"
    MS_KEY_SENT = "media_server.key_sent"
    MS_KEY_SENT_LEGACY_ON = "media_server.key_sent_legacy_on"
    MS_KEY_SENT_LEGACY_OFF = "media_server.key_sent_legacy_off"
    MS_LIBRARIES = "media_server.libraries"
    MS_NO_LIBRARIES = "media_server.no_libraries"
    LIBRARY = "library"
    LIBRARY_SERIES = "library.series"
    LIBRARY_MOVIES = "library.movies"
    LIBRARY_OTHER = "library.other"
    LIBRARY_NFO_SAVER = "library.nfo_saver"
    LIBRARY_TRICKPLAY = "library.trickplay"
    MS_SERIES_WRITES = "media_server.series_writes"
    MS_SERIES_WRITES_NFO = "media_server.series_writes_nfo"
    MS_TRICKPLAY = "media_server.trickplay"
    MS_ORIGINAL_LANGUAGE = "media_server.original_language"
    MS_NO_ORIGINAL_LANGUAGE = "media_server.no_original_language"
    MS_SEEN = "media_server.seen"
    MS_UNREAD_IDS = "media_server.unread_ids"
    MS_NO_INSTANCE = "media_server.no_instance"
    MS_NOTHING_SCANNED = "media_server.nothing_scanned"
    MS_MATCHED = "media_server.matched"
    MS_MATCHED_BY_ID = "media_server.matched_by_id"
    MS_MATCHED_BY_FOLDER = "media_server.matched_by_folder"
    MS_AMBIGUOUS = "media_server.ambiguous"
    MS_UNMATCHED = "media_server.unmatched"
    UNMATCHED_SERIES = "unmatched.series"
    UNMATCHED_MOVIE = "unmatched.movie"
    UNMATCHED_NO_IDS = "unmatched.no_ids"
    # An *arr's settings that cannot work (scanner.arr.config)
    CONFIG_KIND = "config.kind"
    CONFIG_URL = "config.url"
    CONFIG_URL_EXTRA = "config.url_extra"
    CONFIG_KEY_EMPTY = "config.key_empty"
    CONFIG_KEY_CHARACTERS = "config.key_characters"
    CONFIG_TIMEOUTS = "config.timeouts"
    CONFIG_BOUNDS = "config.bounds"
    CONFIG_POOL = "config.pool"
    # The profile guard past its time budget (scanner.arr.profile_guard)
    GUARD_TOO_SLOW = "guard.too_slow"
    # The lines of an *arr's connection test (scanner.arr.checks)
    TEST_UNREACHABLE = "test.unreachable"
    TEST_UNEXPECTED = "test.unexpected"
    TEST_WRONG_APP = "test.wrong_app"
    TEST_VERSION = "test.version"
    TEST_NO_ORIGINALS_SERIES = "test.no_originals_series"
    TEST_NO_ORIGINALS_MOVIES = "test.no_originals_movies"
    FOLDER_MISSING = "folder.missing"
    FOLDER_NOT_WRITABLE = "folder.not_writable"
    FOLDER_OK = "folder.ok"
    # Where the audio languages come from, and whether the *arr has them
    # (scanner.actions.check_instance)
    SOURCE_FILES = "source.files"
    SOURCE_ARR = "source.arr"
    SOURCE_ARR_CHOSEN = "source.arr_chosen"
    SOURCE_HYBRID = "source.hybrid"
    # With a regional target: which files are read to learn a variety, or that none is
    SOURCE_VARIETIES_READ = "source.varieties_read"
    SOURCE_VARIETIES_ARR = "source.varieties_arr"
    MEDIA_INFO_UNREAD = "media_info.unread"
    MEDIA_INFO_MISSING = "media_info.missing"
    LIBRARY_WITHOUT_FOLDER = "library.without_folder"
    # What a library folder's scan will write (scanner.actions.nfo_outlook): a fact a line
    OUTLOOK_NFO_OFF = "outlook.nfo_off"
    OUTLOOK_SERVERS = "outlook.servers"
    OUTLOOK_NO_SERVER = "outlook.no_server"
    OUTLOOK_TURN_ON = "outlook.turn_on"
    OUTLOOK_WRITTEN = "outlook.written"
    OUTLOOK_KEPT = "outlook.kept"
    OUTLOOK_MISSING = "outlook.missing"
    OUTLOOK_NO_LINK = "outlook.no_link"
    OUTLOOK_NOTHING = "outlook.nothing"
    OUTLOOK_HINT = "outlook.hint"


class Said(str):
    """English words (what ``str`` gives: the log's, the command line's) with the code
    and params a translated sentence is made from."""

    code: Code
    params: Mapping[str, Param]

    def __new__(cls, text: str, code: Code, params: Mapping[str, Param] | None = None) -> Said:
        said = super().__new__(cls, text)
        said.code = code
        said.params = dict(params or {})
        return said

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (a task's result) as itself
        return (Said, (str(self), self.code, dict(self.params)))


def to_data(value: str) -> Any:
    """A line as JSON keeps it (an event's data): a ``Said`` as its code, params and
    English text, a plain string as itself."""
    if not isinstance(value, Said):
        return str(value)
    params = {key: to_data(param) if isinstance(param, str) else param
              for key, param in value.params.items()}  # fmt: skip
    return {"code": str(value.code), "params": params, "text": str(value)}


def from_data(value: Any) -> str:
    """``to_data`` undone; a code this release does not know is its English text."""
    if not isinstance(value, Mapping):
        return str(value)
    text = str(value.get("text", ""))
    try:
        code = Code(str(value.get("code")))
    except ValueError:
        return text
    raw = value.get("params")
    params = {key: from_data(param) if isinstance(param, Mapping) else param
              for key, param in (raw.items() if isinstance(raw, Mapping) else ())}  # fmt: skip
    return Said(text, code, params)
