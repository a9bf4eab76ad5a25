"""A notification service's answer, read within a size bound.

Apprise's services send with requests' module functions (``requests.request``,
``requests.post``: caronc/apprise apprise/plugins/custom_json.py and most others),
without ``stream=True``, so requests reads the whole answer into memory before the
service looks at its status (requests/sessions.py, ``Session.send``: ``if not stream:
r.content``): a target answering 300 MB took a worker to 656 MB. Apprise has no option
for it and passes no session or hook of ours, so the bound is a response hook that
every ``requests.Session`` gets: requests builds each session's hooks with
``requests.sessions.default_hooks`` and calls the response hooks in ``Session.send``
before it reads the body. Our hook does nothing unless a delivery set the bound
(a ContextVar: Apprise runs its services in its own threads under a copy of the
caller's context, apprise/apprise.py ``submit_with_context``), so no other request
of the process (the *arr and media-server clients read their answers themselves,
scanner/http/bounds.py) is touched. Past the bound the answer is cut off and the
service sees a ``requests.RequestException``, which Apprise's services catch and
report as not sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import requests
import requests.sessions

from scanner.http.bounds import MB

# A notification service answers a status, an id, an error: a few kB.
MAX_ANSWER_BYTES = 1 * MB

_bound: ContextVar[int | None] = ContextVar("notification_answer_bound", default=None)


class AnswerTooLarge(requests.RequestException):
    """A notification service's answer went past the bound: cut off."""


class _BoundedRaw:
    """urllib3's response, whose body stops at ``limit`` decoded bytes (what requests
    reads through ``raw.stream``, requests/models.py ``Response.iter_content``)."""

    def __init__(self, raw: Any, limit: int) -> None:
        self._raw = raw
        self._limit = limit

    def stream(self, amt: int = 2**16, decode_content: bool | None = None) -> Iterator[bytes]:
        seen = 0
        for chunk in self._raw.stream(amt, decode_content=decode_content):
            seen += len(chunk)
            if seen > self._limit:
                self._raw.close()
                raise AnswerTooLarge(f"answer larger than {self._limit / MB:g} MB")
            yield chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def _bound_answer(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
    limit = _bound.get()
    if limit is not None and not kwargs.get("stream") and response.raw is not None:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            response.close()
            raise AnswerTooLarge(f"answer larger than {limit / MB:g} MB")
        response.raw = _BoundedRaw(response.raw, limit)
    return response


_requests_default_hooks = requests.sessions.default_hooks


def _default_hooks() -> dict[str, list[Any]]:
    hooks = _requests_default_hooks()
    hooks["response"].append(_bound_answer)
    return hooks


def install() -> None:
    """Give every requests session created from now on the hook (once per process)."""
    if requests.sessions.default_hooks is not _default_hooks:
        requests.sessions.default_hooks = _default_hooks


@contextmanager
def bounded(limit: int = MAX_ANSWER_BYTES) -> Iterator[None]:
    """Within this block (and the threads Apprise starts from it) every answer read
    without ``stream=True`` stops at ``limit`` bytes."""
    install()
    token = _bound.set(limit)
    try:
        yield
    finally:
        _bound.reset(token)
