"""The error hierarchy shared by the engine, the *arr clients and the pipeline.

Pure Python on purpose: the engine imports it and must stay free of Django,
Celery and HTTP. Callers catch the narrowest class they can handle; the
pipeline retries only ``ArrTransientError``.
"""

from __future__ import annotations

from datetime import datetime

from scanner.http.reasons import Said
from scanner.names import display


class TaggarrError(Exception):
    """Base class of every error Taggarr raises on purpose. ``said``: the same fact as
    a code and its values, where a person reads it (scanner.http.reasons); the message is
    English, for the log."""

    said: Said | None = None


class ConfigError(TaggarrError):
    """A setting or an instance option is invalid; the message names it."""

    def __init__(self, message: str, *, said: Said | None = None) -> None:
        super().__init__(message)
        self.said = said


class UnknownLanguageError(ConfigError):
    """A value given as a language names none: ``value`` is that value, for a message
    in the reader's language (scanner.validators)."""

    def __init__(self, value: object) -> None:
        super().__init__(f"unknown language {value!r}")
        self.value = value


class ArrError(TaggarrError):
    """A Sonarr/Radarr request failed. Never carries the API key."""

    def __init__(
        self, message: str, *, status: int | None = None, said: Said | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.said = said


class ArrTransientError(ArrError):
    """Worth retrying: connection refused/reset, timeout, 5xx, 503 while starting."""


class ArrUnconfirmedError(ArrTransientError):
    """The request went out but no answer came back (read timeout, connection lost
    mid-request, a proxy's 504): the *arr may or may not have acted on it. ``what``
    says which, briefly.
    """

    def __init__(
        self, message: str, *, what: str, status: int | None = None, said: Said | None = None
    ) -> None:
        super().__init__(message, status=status, said=said)
        self.what = what


class ArrUnanswered(ArrTransientError):
    """An item's request that the *arr left unanswered (``error``: a read timeout, a
    refused connection, a 5xx), and when it was sent (``asked_at``): the item's retry
    budget and the run's record of an unreachable *arr count from there."""

    def __init__(self, error: ArrTransientError, asked_at: datetime) -> None:
        super().__init__(str(error), status=error.status, said=error.said)
        self.error = error
        self.asked_at = asked_at


class ArrNotAsked(ArrTransientError):
    """An item's request not sent: the *arr has left requests unanswered since
    ``since`` and another request of this process is already trying it again.
    ``unanswered``: the words of the request left unanswered (the *arr and the request)."""

    def __init__(self, who: str, since: datetime, unanswered: str) -> None:
        super().__init__(f"{who}: not asked: no answer from it since {since:%Y-%m-%d %H:%M:%S} UTC")
        self.since = since
        self.unanswered = unanswered


class ArrPermanentError(ArrError):
    """Retrying will not help: 4xx, a JSON body that is not what the API documents."""


class ArrValidationError(ArrPermanentError):
    """400 with the *arr's list of validation failures (``propertyName: errorMessage``).

    The *arr validates item by item and refuses the whole request for the first one
    that fails, so a bulk request can be split to find the item it refuses.
    """

    def __init__(
        self, message: str, *, failures: tuple[str, ...], said: Said | None = None
    ) -> None:
        super().__init__(message, status=400, said=said)
        self.failures = failures


class ArrAuthError(ArrPermanentError):
    """401: the API key is wrong. The message names the instance and URL, never the key."""


class ProbeError(TaggarrError):
    """MediaInfo could not read a file: unreadable, vanished, not a media file.
    ``path`` is the name as the file system gave it; the message shows it readably."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{display(path)}: {reason}")
        self.path = path
        self.reason = reason


class StorageError(TaggarrError):
    """A file or folder on disk could not be read or written (NFO, library folder)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{display(path)}: {reason}")
        self.path = path
        self.reason = reason


class ShareUnanswered(StorageError):
    """A file-system call (a folder listed, a file read or written) did not return within
    the step's hold limit (TAGGARR_HOLD_SECONDS): the share stopped answering. The
    step stopped waiting for it; ``seconds``: the hold limit."""

    def __init__(self, path: str, seconds: float) -> None:
        super().__init__(path, f"no answer from the file system within {seconds:.0f} s")
        self.seconds = seconds


class NfoError(StorageError):
    """An NFO file exists but is not well-formed XML; it is left untouched."""


# Why a run failed, when it is worth telling apart (the SCAN_FINISHED event's "cause"):
# the *arr could not be reached (refused, timed out, 5xx) for the whole retry budget
# (a step's own, or the run's since its first unanswered item request:
# scanner.pipeline.state.unreachable).
CAUSE_UNREACHABLE = "unreachable"
# The other causes worth a sentence of their own (a run's or an item's failure; the
# pages tell each in the reader's language: scanner.history.event_text).
CAUSE_ARR_KEY = "arr_key"  # the *arr refused the API key (401)
CAUSE_ARR_REFUSED = "arr_refused"  # the *arr refused the request (another 4xx, bad JSON)
CAUSE_UNREADABLE = "unreadable"  # a media file could not be read
CAUSE_STORAGE = "storage"  # a file or folder could not be read or written
CAUSE_CONFIG = "config"  # a setting is invalid
CAUSE_UNEXPECTED = "unexpected"  # anything else (a bug, bad data)
CAUSE_GAVE_UP = "gave_up"  # an item started too often (its task kept stopping)
CAUSE_STORE = "store"  # an item's results could not be stored
# An item's read did not end within the hold limit (TAGGARR_HOLD_SECONDS), or a run's
# plan or apply did not twice (scanner.pipeline.runtime.overdue).
CAUSE_HELD = "held"
CAUSE_STEP_HELD = "step_held"
# PostgreSQL cancelled a statement past TAGGARR_DB_STATEMENT_SECONDS or a lock wait past
# TAGGARR_DB_LOCK_SECONDS (its SQLSTATEs: query_canceled, lock_not_available).
CAUSE_DATABASE_TIMEOUT = "database_timeout"
DATABASE_TIMEOUT_SQLSTATES = frozenset({"57014", "55P03"})
# A folder or file on the share did not answer within the step's hold limit
# (ShareUnanswered).
CAUSE_SHARE_UNANSWERED = "share_unanswered"


def cause_of(error: BaseException) -> str:
    """The cause code of an error (a run's or an item's failure)."""
    if isinstance(error, ArrAuthError):
        return CAUSE_ARR_KEY
    if isinstance(error, ArrTransientError):
        return CAUSE_UNREACHABLE
    if isinstance(error, ArrError):
        return CAUSE_ARR_REFUSED
    if isinstance(error, ProbeError):
        return CAUSE_UNREADABLE
    if isinstance(error, ShareUnanswered):
        return CAUSE_SHARE_UNANSWERED
    if isinstance(error, StorageError):
        return CAUSE_STORAGE
    if isinstance(error, ConfigError):
        return CAUSE_CONFIG
    if _sqlstate(error) in DATABASE_TIMEOUT_SQLSTATES:
        return CAUSE_DATABASE_TIMEOUT
    return CAUSE_UNEXPECTED


def _sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a database error: Django wraps psycopg's (its ``__cause__``)."""
    for each in (error, error.__cause__):
        state = getattr(each, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def describe(error: BaseException) -> str:
    """An error as a run's or an item's reason: our own errors say what happened; any
    other is named by its type."""
    if isinstance(error, TaggarrError):
        return str(error)[:2000]
    return f"{type(error).__name__}: {error}"[:2000]
