"""The connection tests' facts (scanner.http.reasons) as sentences in the reader's language,
made when they are shown: the admin's message, the form's answer, the API's report, the
last test on the dashboard and the instance page (stored as code and params, so each
reader gets their own language). English stays in the log: ``str`` of a ``Said``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, gettext_noop, ngettext

from scanner.http.reasons import Code, Said, from_data


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """A plural sentence marked for the catalogs (scripts/messages.py), not translated:
    ``said`` picks its form by the fact's ``count``."""
    return singular, plural


SENTENCES: dict[Code, str] = {
    Code.ANSWER_TYPED: gettext_noop("HTTP %(status)s, %(type)s"),
    Code.ANSWER_UNTYPED: gettext_noop("HTTP %(status)s, no content type"),
    Code.ANSWER_BAD_TYPE: gettext_noop("HTTP %(status)s, an unreadable content type"),
    Code.BOUND_LARGE: gettext_noop("answer larger than %(megabytes)s MB"),
    Code.BOUND_DEEP: gettext_noop("answer nested deeper than %(levels)s levels"),
    Code.BOUND_SLOW: gettext_noop("no complete answer within %(seconds)s s"),
    Code.BOUND_ITEM_LARGE: gettext_noop("an item of the list larger than %(megabytes)s MB"),
    Code.BOUND_ITEM_SLOW: gettext_noop("no new item of the list within %(seconds)s s"),
    Code.DETAIL_EMPTY: gettext_noop("an empty answer"),
    Code.DETAIL_NOT_JSON: gettext_noop("not JSON (%(kind)s)"),
    Code.DETAIL_NO_MESSAGE: gettext_noop("an answer without a message"),
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
    Code.MS_TOKEN_REFUSED: gettext_noop("%(server)s refused the token (%(status)s)"),
    Code.MS_ANSWERED: gettext_noop("%(server)s at %(url)s answered HTTP %(status)s"),
    Code.MS_ANSWERED_SAID: gettext_noop(
        "%(server)s at %(url)s answered HTTP %(status)s: %(detail)s"
    ),
    Code.MS_REDIRECTED: gettext_noop(
        "%(server)s at %(url)s redirected the request (HTTP %(status)s) to %(location)s: use "
        "that URL"
    ),
    Code.MS_NOT_FOUND: gettext_noop("%(server)s at %(url)s: not found"),
    Code.MS_NOT_JSON: gettext_noop("%(server)s at %(url)s answered %(kind)s, not JSON"),
    Code.MS_NOT_PLEX: gettext_noop(
        "%(server)s at %(url)s answered with something that is not Plex XML: is this Plex?"
    ),
    Code.MS_UNREADABLE: gettext_noop(
        "%(server)s at %(url)s: its answer could not be read: is this Plex?"
    ),
    Code.MS_WRONG_SHAPE: gettext_noop(
        "%(server)s at %(url)s: %(method)s %(path)s answered something else than the server "
        "answers there"
    ),
    Code.MS_TOO_MUCH: gettext_noop("%(server)s at %(url)s: %(bound)s"),
    Code.MS_FAILED: gettext_noop("%(server)s at %(url)s: the request failed (the log says why)"),
    Code.PLEX_TV_TOKEN_REFUSED: gettext_noop(
        "plex.tv at %(url)s refused the token (HTTP %(status)s) that the Plex server accepts: "
        "plex.tv lists a server's people and hands out their tokens only for its owner's token"
    ),
    Code.PLEX_TV_FRIENDS_NO_TOKEN: gettext_noop(
        "plex.tv hands out no token of this server for %(people)s: since March 2026 it gives "
        "none for invited friends, so their tracks cannot be set; a Plex Home member or a "
        "managed user of the owner's Plex Home can have theirs"
    ),
    Code.AUTH_JELLYFIN: gettext_noop(
        "the Authorization header (MediaBrowser token), which every Jellyfin reads"
    ),
    Code.AUTH_EMBY: gettext_noop("the X-Emby-Token header"),
    Code.AUTH_PLEX: gettext_noop("the X-Plex-Token header"),
    Code.MS_VERSION: gettext_noop("%(product)s %(version)s (%(name)s)"),
    Code.MS_NOT_JELLYFIN: gettext_noop(
        "the server does not call itself Jellyfin Server: if it is Emby, set the kind to emby "
        "(Emby's tags are written through its own tag routes)"
    ),
    Code.MS_NOT_EMBY: gettext_noop(
        "the server calls itself Jellyfin Server: set the kind to jellyfin (Jellyfin has none "
        "of Emby's tag routes)"
    ),
    Code.MS_KEY_SENT: gettext_noop("key sent in %(auth)s"),
    Code.MS_KEY_SENT_LEGACY_ON: gettext_noop(
        "key sent in %(auth)s; the server's legacy token headers are on (Taggarr needs none)"
    ),
    Code.MS_KEY_SENT_LEGACY_OFF: gettext_noop(
        "key sent in %(auth)s; the server's legacy token headers are off (Taggarr needs none)"
    ),
    Code.MS_LIBRARIES: gettext_noop("libraries: %(libraries)s"),
    Code.MS_NO_LIBRARIES: gettext_noop("libraries: none"),
    # A library and what the test found of it: "TV (series, NFO saver on)".
    Code.LIBRARY: gettext_noop("%(name)s (%(notes)s)"),
    Code.LIBRARY_SERIES: gettext_noop("series"),
    Code.LIBRARY_MOVIES: gettext_noop("movie"),
    Code.LIBRARY_OTHER: gettext_noop("other"),
    Code.LIBRARY_NFO_SAVER: gettext_noop("NFO saver on"),
    Code.LIBRARY_TRICKPLAY: gettext_noop("trickplay on"),
    Code.MS_SERIES_WRITES: gettext_noop(
        "a series' tag change saves each of its seasons and episodes too: a long show's write "
        "takes long (Taggarr waits up to %(seconds)s s for it)"
    ),
    Code.MS_SERIES_WRITES_NFO: gettext_noop(
        "a series' tag change saves each of its seasons and episodes too and rewrites their "
        "NFOs (%(libraries)s: NFO saver on): a long show's write takes long (Taggarr waits up "
        "to %(seconds)s s for it)"
    ),
    Code.MS_TRICKPLAY: gettext_noop(
        "trickplay images on (%(libraries)s): Taggarr leaves the items' Trickplay field out of "
        "its writes (this release answers 500 to it)"
    ),
    Code.MS_ORIGINAL_LANGUAGE: gettext_noop(
        "with the tags, each item gets its original language, for the “Original language” "
        "audio preference, where it has none or still has the one Taggarr set"
    ),
    Code.MS_NO_ORIGINAL_LANGUAGE: gettext_noop(
        "an item's original language, for the “Original language” audio preference, is "
        "set from Jellyfin 12 on: this release gets the tags only"
    ),
    Code.MS_NO_INSTANCE: gettext_noop(
        "no instance feeds it yet: choose the instances whose tags it gets"
    ),
    Code.MS_NOTHING_SCANNED: gettext_noop("%(instance)s: nothing scanned yet to match"),
    Code.MS_MATCHED_BY_ID: gettext_noop(
        "%(instance)s: e.g. %(title)r = %(found)r by %(provider)s id"
    ),
    Code.MS_MATCHED_BY_FOLDER: gettext_noop("%(instance)s: e.g. %(title)r = %(found)r by folder"),
    Code.MS_AMBIGUOUS: gettext_noop(
        "%(instance)s: ambiguous: an id on several server items, none at the item's folder: "
        "each gets the tags (check the path mappings)"
    ),
    Code.MS_UNMATCHED: gettext_noop("%(instance)s: not found: %(title)r: %(reason)s"),
    Code.UNMATCHED_SERIES: gettext_noop(
        "no server series has %(ids)s, and none is at %(path)s after the path mappings"
    ),
    Code.UNMATCHED_MOVIE: gettext_noop(
        "no server movie has %(ids)s, and none is at %(path)s after the path mappings"
    ),
    Code.UNMATCHED_NO_IDS: gettext_noop(
        "no provider ids, and none is at %(path)s after the path mappings"
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
    Code.GUARD_TOO_SLOW: gettext_noop("the check took longer than %(seconds)s s"),
    Code.TEST_UNREACHABLE: gettext_noop("unreachable: %(reason)s"),
    Code.TEST_UNEXPECTED: gettext_noop("unexpected answer: %(reason)s"),
    Code.TEST_WRONG_APP: gettext_noop("%(url)s is %(found)s, not %(app)s"),
    Code.TEST_VERSION: gettext_noop("%(app)s %(version)s"),
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
    Code.SOURCE_VARIETIES_READ: gettext_noop(
        "with a regional target (%(targets)s), a file whose *arr media info has a track of "
        "its language is read once to learn the variety, which that media info never names"
    ),
    Code.SOURCE_VARIETIES_ARR: gettext_noop(
        "with a regional target (%(targets)s) and the *arr's media info alone, the variety "
        "comes only from the release name and the *arr's languages of a file: items whose "
        "files name it only inside stay undecided (mount the folders here to read them)"
    ),
    Code.MEDIA_INFO_UNREAD: gettext_noop("could not look at the *arr's media info: %(error)s"),
    Code.MEDIA_INFO_MISSING: gettext_noop(
        "%(arr)s has no media info for the files of %(title)r: turn on Settings → Media "
        "Management → 'Analyse video files', or mount the media here and choose the files "
        "audio source"
    ),
    Code.LIBRARY_WITHOUT_FOLDER: gettext_noop("a library instance needs at least one root folder"),
    # What a library folder's scan will write (scanner.actions.nfo_outlook), a line each
    # (issue 71: never clauses joined into one): the reasons as the run's page says them.
    Code.OUTLOOK_NFO_OFF: gettext_noop("Write NFO tags and Create NFOs are off"),
    Code.OUTLOOK_NO_SERVER: gettext_noop(
        "no media server is connected: Taggarr will tag nothing on disk"
    ),
    Code.OUTLOOK_TURN_ON: gettext_noop("turn on Write NFO tags, or connect a media server"),
    Code.OUTLOOK_NOTHING: gettext_noop("Taggarr will tag nothing on disk"),
    Code.OUTLOOK_HINT: gettext_noop(
        "have your media server or a metadata manager save NFO files, or connect a media server"
    ),
}

# The facts told with a number: ``count`` picks the form.
PLURALS: dict[Code, tuple[str, str]] = {
    Code.BOUND_LONG: ngettext_noop(
        "a list of more than %(count)s item", "a list of more than %(count)s items"
    ),
    Code.MS_SEEN: ngettext_noop(
        "%(count)s series or movie seen", "%(count)s series and movies seen"
    ),
    Code.MS_UNREAD_IDS: ngettext_noop(
        "%(count)s of them carries an id Taggarr cannot read as TVDB, TMDb or IMDb (e.g. "
        "%(title)r: %(id)s): it matches by folder only",
        "%(count)s of them carry an id Taggarr cannot read as TVDB, TMDb or IMDb (e.g. "
        "%(title)r: %(id)s): they match by folder only",
    ),
}
PLURALS.update(
    {
        Code.OUTLOOK_SERVERS: ngettext_noop(
            "media server %(servers)s gets the tags", "media servers %(servers)s get the tags"
        ),
        # count: the item folders looked at (none has an NFO file).
        Code.OUTLOOK_MISSING: ngettext_noop(
            "no NFO file in the %(count)s item folder looked at, and Create NFOs is off",
            "no NFO file in the %(count)s item folders looked at, and Create NFOs is off",
        ),
        Code.OUTLOOK_NO_LINK: ngettext_noop(
            "no NFO file in the %(count)s item folder looked at, and Taggarr creates one only "
            "with the item's TMDB, TVDB or IMDb id (which a library folder does not give)",
            "no NFO file in the %(count)s item folders looked at, and Taggarr creates one only "
            "with the item's TMDB, TVDB or IMDb id (which a library folder does not give)",
        ),
    }
)
LIST_SEPARATOR = ", "

# The facts told with more than one number: a sentence per number, each with its own
# plural (issue 84: one count per plural, never "1 of 2 items matched"), said one after
# the other. Each: the param that picks the form, the forms, and whether it is said when
# that number is 0.
Part = tuple[str, tuple[str, str], bool]
COMPOUNDS: dict[Code, tuple[Part, ...]] = {
    Code.MS_MATCHED: (
        (
            "matched",
            ngettext_noop(
                "%(instance)s: %(matched)s item is matched on the server.",
                "%(instance)s: %(matched)s items are matched on the server.",
            ),
            True,
        ),
        (
            "count",
            ngettext_noop(
                "Taggarr knows %(count)s item of this *arr.",
                "Taggarr knows %(count)s items of this *arr.",
            ),
            True,
        ),
        (
            "by_id",
            ngettext_noop(
                "%(by_id)s is matched by id.",
                "%(by_id)s are matched by id.",
            ),
            False,
        ),
        (
            "by_folder",
            ngettext_noop(
                "%(by_folder)s is matched by folder.",
                "%(by_folder)s are matched by folder.",
            ),
            False,
        ),
        (
            "ambiguous",
            ngettext_noop(
                "%(ambiguous)s is matched ambiguously.",
                "%(ambiguous)s are matched ambiguously.",
            ),
            False,
        ),
    ),
    # folders: the item folders looked at ("40+" when the sample is full); count: those
    # with an NFO file.
    Code.OUTLOOK_WRITTEN: (
        (
            "folders",
            ngettext_noop(
                "Taggarr looked at %(folders)s item folder.",
                "Taggarr looked at %(folders)s item folders.",
            ),
            True,
        ),
        (
            "count",
            ngettext_noop(
                "%(count)s of them has an NFO file: its tags are written.",
                "%(count)s of them have an NFO file: their tags are written.",
            ),
            True,
        ),
    ),
    Code.OUTLOOK_KEPT: (
        (
            "folders",
            ngettext_noop(
                "Taggarr looked at %(folders)s item folder.",
                "Taggarr looked at %(folders)s item folders.",
            ),
            True,
        ),
        (
            "count",
            ngettext_noop(
                "%(count)s of them has an NFO file, but Write NFO tags is off.",
                "%(count)s of them have an NFO file, but Write NFO tags is off.",
            ),
            True,
        ),
    ),
}


def _number(value: Any) -> int:
    """The number a form is picked by: ``40+`` (a full sample) is 40."""
    try:
        return int(str(value).rstrip("+"))
    except ValueError:
        return 0


def _compound(code: Code, params: Mapping[str, Any], pick: Any) -> str:
    """``code``'s sentences, each in the form its own number picks (``pick``: ngettext,
    or the English forms' choice)."""
    return " ".join(
        pick(singular, plural, _number(params[name])) % params
        for name, (singular, plural), always in COMPOUNDS[code]
        if always or _number(params[name])
    )


def _english_form(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def said(value: Any) -> str:
    """A fact in the active language: a ``Said``, or one as an event's data keeps it
    (scanner.http.reasons.to_data); any other text (an older event's line) as it is."""
    if isinstance(value, Mapping):
        value = from_data(value)
    if not isinstance(value, Said):
        return str(value)
    params = {key: _param(param) for key, param in value.params.items()}
    try:
        if value.code in COMPOUNDS:
            return _compound(value.code, params, ngettext)
        if value.code in PLURALS:
            singular, plural = PLURALS[value.code]
            return ngettext(singular, plural, params["count"]) % params
        return gettext(SENTENCES[value.code]) % params
    except (KeyError, TypeError, ValueError):
        # A translation that names a value the fact lacks (or a stored fact missing
        # one): its English words, never a failed page.
        return str(value)


def _param(value: Any) -> Any:
    """A param in the active language: a fact as its sentence, a list of them listed."""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_param(each) for each in value)
    return said(value) if isinstance(value, Said | Mapping) else value


def reason_text(error: BaseException) -> str:
    """An error as a person reads it: its ``said`` where it has one, else its words."""
    found = getattr(error, "said", None)
    return said(found) if isinstance(found, Said) else str(error)


def said_of(code: Code, **params: Any) -> Said:
    """A fact of the Django side: its English (for the log) is its sentence's msgid."""
    english = {key: _english(param) for key, param in params.items()}
    if code in COMPOUNDS:
        return Said(_compound(code, english, _english_form), code, params)
    if code in PLURALS:
        singular, plural = PLURALS[code]
        return Said((singular if params["count"] == 1 else plural) % english, code, params)
    return Said(SENTENCES[code] % english, code, params)


def _english(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_english(each) for each in value)
    return value
