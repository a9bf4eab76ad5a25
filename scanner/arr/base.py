"""HTTP transport shared by the Sonarr and Radarr clients: one session, timeouts, and
the mapping of failures to scanner.errors. Each request is sent once: waiting out an
*arr that restarts is the scan step's business (scanner.pipeline.retries), one budget
for the whole step rather than a second, shorter one per request.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import ijson
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from scanner import outside_text
from scanner.arr.config import ArrConfig
from scanner.arr.json_array import JsonArrayBody, NotAnArrayError
from scanner.errors import (
    ArrAuthError,
    ArrError,
    ArrPermanentError,
    ArrTransientError,
    ArrUnconfirmedError,
    ArrValidationError,
)
from scanner.http.bounds import (
    MAX_DEPTH,
    AnswerRefused,
    AnswerTooSlow,
    BoundedBody,
    Bounds,
    bounded_request,
    json_items,
    json_value,
)
from scanner.http.clock import clock_offset
from scanner.http.json_kind import json_kind
from scanner.http.reasons import Code, Said
from scanner.http.sessions import SNIPPET, answer_kind, settle_environment, short_reason

logger = logging.getLogger(__name__)

ACCEPTED_STATUSES = frozenset({200, 201, 202})


class BaseArrClient:
    """Transport for one instance. Not for concurrent use: the *arr wants one request at a time."""

    def __init__(self, config: ArrConfig) -> None:
        self.config = config
        self._requests_made = 0
        self._counter_lock = threading.Lock()
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=config.pool_size, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        settle_environment(self._session, config.base_url)
        self._session.headers.update(
            {
                "X-Api-Key": config.api_key,
                "Accept": "application/json",
                "User-Agent": f"Taggarr/{config.client_version}",
            }
        )

    @property
    def requests_made(self) -> int:
        """Every HTTP request sent by this client, retries included."""
        return self._requests_made

    @property
    def display_name(self) -> str:
        return self.config.display_name

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> BaseArrClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.display_name}>"

    # -- requests ---------------------------------------------------------------

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, max_bytes: int | None = None
    ) -> Any:
        """``max_bytes``: a smaller size limit than the instance's (one object's answer)."""
        return self.request("GET", path, params=params, max_bytes=max_bytes)

    def get_dated(
        self, path: str, params: Mapping[str, Any] | None = None
    ) -> tuple[Any, timedelta | None]:
        """``get``, with how far ahead the *arr's clock is of ours (its answer's Date
        header; None without one): its records' dates then read on our clock."""
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        response, _ = self._response("GET", path, params, None, timeout)
        offset = clock_offset(response.headers.get("Date"), datetime.now(UTC))
        return self._decode("GET", path, response), offset

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, body=body)

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, body=body)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        read_timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> Any:
        """Send one request and return the decoded JSON body. ``read_timeout`` overrides
        the configured one; ``max_bytes`` lowers the size limit."""
        timeout = (self.config.connect_timeout, read_timeout or self.config.read_timeout)
        response, _ = self._response(method, path, params, body, timeout, max_bytes=max_bytes)
        return self._decode(method, path, response)

    def get_bytes(self, path: str, bounds: Bounds) -> tuple[bytes, str]:
        """A body that is not JSON (an image), read within ``bounds``, with its
        Content-Type. Raises as ``get`` does, for a status other than 200 too."""
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        response, _ = self._response("GET", path, None, None, timeout, bounds=bounds)
        if response.status_code != 200:
            raise self._error_for_status("GET", path, response)
        return response.content, response.headers.get("Content-Type", "")

    def get_array(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """The elements of an answer that is a JSON array, decoded one at a time as the
        body arrives (ijson). A library of 10,000 series is tens of megabytes of JSON,
        whose decoded tree alone would hold several times that; and an item's lists
        (its files) are read by many threads at once, so none holds its whole answer.

        Bounded per element, not as one answer (``ArrConfig.stream_bounds``): each
        element's bytes, its depth, the time until it arrives; the list's bytes are not
        (a 40,000-film Radarr is hundreds of MB). What this reads is held one element at
        a time; what the caller keeps of each is the caller's. Nothing read in part
        outlives a failure: the generator's frame goes with its traceback, and tenacity
        drops a failed try's outcome before it waits (tenacity ``prepare_for_next_attempt``;
        tests/scanner/arr/test_streamed_bounds.py measures it). Raises as ``get`` does;
        a body that is not an array raises before any element."""
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        bounds = self.config.stream_bounds(timeout[1])
        response, body = self._response(
            "GET", path, params, None, timeout, stream=True, bounds=bounds
        )
        with response:
            if response.status_code not in ACCEPTED_STATUSES:
                try:  # within one element's bound: nothing ended an element yet
                    response._content = body.read_all()
                except (AnswerRefused, Urllib3Error, OSError):
                    response._content = b""  # the status says enough
                raise self._error_for_status("GET", path, response)
            items = json_items(JsonArrayBody(body), "item", MAX_DEPTH, body.element_ended)
            try:
                yield from items
            except AnswerTooSlow as exc:
                context = self._past_bound("GET", path, exc)
                raise ArrUnconfirmedError(context, what="timed out") from None
            except AnswerRefused as exc:
                context = self._past_bound("GET", path, exc)
                told = self._said(
                    context, Code.ARR_TOO_MUCH, "GET", path, bound=exc.said or str(exc)
                )
                raise ArrPermanentError(context, said=told) from None
            except NotAnArrayError as exc:
                status = response.status_code
                if exc.is_json:
                    what = f"{self.display_name}: GET {path}: expected a JSON array (got {exc})"
                    what = self.redact(what)
                    told = self._said(what, Code.ARR_NOT_LIST, "GET", path)
                    raise ArrPermanentError(what, status=status, said=told) from None
                raise self._not_json("GET", path, response) from None
            except (ijson.JSONError, UnicodeDecodeError):
                context = self._context(
                    "GET", path, "answered with a body that is not JSON (or not UTF-8)"
                )
                kind = answer_kind(response)
                told = self._said(context, Code.ARR_NOT_JSON, "GET", path, kind=kind)
                raise ArrPermanentError(context, said=told) from None
            except ReadTimeoutError:
                reason = f"got no more of its answer within {timeout[1]:g} s"
                context = self._context("GET", path, reason)
                raise ArrUnconfirmedError(context, what="timed out") from None
            except (Urllib3Error, OSError) as exc:
                reason = f"failed: {short_reason(exc)}"
                raise ArrUnconfirmedError(
                    self._context("GET", path, reason), what="the answer was cut off"
                ) from None

    def _response(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Any,
        timeout: tuple[float, float],
        *,
        stream: bool = False,
        bounds: Bounds | None = None,
        max_bytes: int | None = None,
    ) -> tuple[requests.Response, BoundedBody]:
        """The response, its body read within the bounds unless ``stream``. Redirects are
        never followed (bounded_request): one to another host would carry X-Api-Key along
        (requests strips only Authorization); the user is told to fix the URL instead."""
        url = self.config.base_url + path
        bounds = bounds or self.config.bounds(timeout[1])
        if max_bytes is not None and max_bytes < bounds.max_bytes:
            bounds = dataclasses.replace(bounds, max_bytes=max_bytes)
        with self._counter_lock:
            self._requests_made += 1
        try:
            return bounded_request(
                self._session.request,
                method,
                url,
                bounds,
                connect_timeout=timeout[0],
                read_timeout=timeout[1],
                stream=stream,
                params=params,
                json=body if method in ("POST", "PUT") else None,
            )
        except AnswerTooSlow as exc:
            context = self._past_bound(method, path, exc)
            raise ArrUnconfirmedError(context, what="timed out") from None
        except AnswerRefused as exc:
            context = self._past_bound(method, path, exc)
            told = self._said(context, Code.ARR_TOO_MUCH, method, path, bound=exc.said or str(exc))
            raise ArrPermanentError(context, said=told) from None
        # "from None" everywhere below: requests' own messages can quote header
        # values (InvalidHeader does), so they must not ride along as __cause__.
        except requests.ConnectTimeout:
            reason = f"could not connect within {timeout[0]:g} s"
            raise ArrTransientError(self._context(method, path, reason)) from None
        except requests.Timeout:
            reason = f"got no answer within {timeout[1]:g} s"
            context = self._context(method, path, reason)
            raise ArrUnconfirmedError(context, what="timed out") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            reason = f"failed: {short_reason(exc)}"
            what = unconfirmed_what(exc)
            if what is None:  # never connected: nothing reached the server
                raise ArrTransientError(self._context(method, path, reason)) from None
            raise ArrUnconfirmedError(self._context(method, path, reason), what=what) from None
        except ReadTimeoutError:  # the body stopped coming, short of the deadline
            reason = f"got no more of its answer within {timeout[1]:g} s"
            context = self._context(method, path, reason)
            raise ArrUnconfirmedError(context, what="timed out") from None
        except Urllib3Error as exc:  # the connection lost while the body was read
            reason = f"failed: {short_reason(exc)}"
            context = self._context(method, path, reason)
            raise ArrUnconfirmedError(context, what="the answer was cut off") from None
        except (requests.RequestException, OSError) as exc:  # OSError: a CA bundle not found
            context = self._context(method, path, f"request failed ({exc})")
            told = self._said(context, Code.ARR_REQUEST_FAILED, method, path)
            raise ArrPermanentError(context, said=told) from None

    def _decode(self, method: str, path: str, response: requests.Response) -> Any:
        status = response.status_code
        if status not in ACCEPTED_STATUSES:
            raise self._error_for_status(method, path, response)
        try:
            return json_value(response.content)
        except AnswerRefused as exc:
            context = self._past_bound(method, path, exc)
            told = self._said(context, Code.ARR_TOO_MUCH, method, path, bound=exc.said or str(exc))
            raise ArrPermanentError(context, said=told) from None
        except ijson.JSONError:
            raise self._not_json(method, path, response) from None

    def _not_json(self, method: str, path: str, response: requests.Response) -> ArrPermanentError:
        """What the answer was, never what it said: a test aimed at another service (a
        text one on the loopback) must not read its answer out."""
        kind = answer_kind(response)
        said = f"not a {self.config.app_title} answer ({kind}: not JSON)"
        message = self.redact(f"{self.display_name}: {method} {path}: {said}")
        told = self._said(message, Code.ARR_NOT_JSON, method, path, kind=kind)
        return ArrPermanentError(message, status=response.status_code, said=told)

    def _error_for_status(self, method: str, path: str, response: requests.Response) -> ArrError:
        status = response.status_code
        if status == 401:
            english = f"{self.display_name} rejected the API key (401)"
            told = self._said(english, Code.ARR_KEY_REJECTED, method, path)
            return ArrAuthError(english, status=401, said=told)
        if 300 <= status < 400:
            where = self.redact(outside_text.line(response.headers.get("Location", "?")))
            context = self._context(method, path, f"redirected ({status}) to {where}; use that URL")
            told = self._said(
                context, Code.ARR_REDIRECTED, method, path, status=status, location=where
            )
            return ArrPermanentError(context, status=status, said=told)
        words = error_detail(response)
        detail = self._context(method, path, f"answered {status}: {words}")
        told = self._said(
            detail, Code.ARR_ANSWERED, method, path, status=status, detail=self._redacted(words)
        )
        failures = validation_failures(response) if status == 400 else ()
        if failures:
            return ArrValidationError(detail, failures=failures, said=told)
        if status == 504:
            # A reverse proxy gave up waiting; the *arr behind it carries on.
            return ArrUnconfirmedError(detail, what="a proxy timed out", status=status, said=told)
        if status >= 500:
            return ArrTransientError(detail, status=status, said=told)
        return ArrPermanentError(detail, status=status, said=told)

    def _said(self, english: str, code: Code, method: str, path: str, **params: object) -> Said:
        """``english`` (the log's) as the fact a person reads: which *arr, where, which
        request (scanner.http.reasons); never the key."""
        where = {"app": self.config.app_title, "url": self.config.base_url}
        return Said(english, code, {**where, "method": method, "path": path, **params})

    def _redacted(self, words: Said) -> Said:
        if self.config.api_key not in words:
            return words
        params = {key: self.redact(value) if isinstance(value, str) else value
                  for key, value in words.params.items()}  # fmt: skip
        return Said(self.redact(words), words.code, params)

    def _context(self, method: str, path: str, what: str) -> str:
        return self.redact(f"{self.display_name}: {method} {path} {what}")

    def _past_bound(self, method: str, path: str, exc: AnswerRefused) -> str:
        """``Sonarr 'main' at ...: GET /api/v3/series: answer larger than 64 MB`` (one
        answer), ``...: an item of the list larger than 1 MB`` (a list's element)."""
        return self.redact(f"{self.display_name}: {method} {path}: {exc}")

    def redact(self, text: str) -> str:
        """Belt and braces: no message we build may ever contain the key."""
        return text.replace(self.config.api_key, "<api key>")


def unconfirmed_what(exc: requests.RequestException) -> str | None:
    """How a request that may have reached the server failed; None when it never did.

    Connection refused and DNS failures arrive wrapped in urllib3's MaxRetryError;
    a connection dropped or a body left unfinished after the request went out
    arrives as a ProtocolError, a ReadTimeoutError or a ChunkedEncodingError.
    """
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the answer was cut off"
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, ReadTimeoutError):
        return "timed out"
    if isinstance(cause, ProtocolError):
        return f"the connection was lost ({short_reason(exc)})"
    return None


def validation_failures(response: requests.Response) -> tuple[str, ...]:
    """``propertyName: errorMessage`` of a 400 validation array; () for any other body.

    Only the array names items the *arr refuses; an object (``{"message"}``, ASP.NET's
    ProblemDetails) is about the request as a whole.
    """
    try:
        payload = json_value(response.content)
    except (ijson.JSONError, AnswerRefused):
        return ()
    if not isinstance(payload, list):
        return ()
    return tuple(
        f"{entry.get('propertyName') or '?'}: {entry.get('errorMessage') or '?'}"
        for entry in payload
        if isinstance(entry, Mapping)
    )


def error_detail(response: requests.Response) -> Said:
    """The *arr's own words for an error: message, errorMessage, validation errors or
    text; cleaned (scanner.outside_text), for the run's error and its events keep it.
    A body without such words is told as what it was (scanner.http.reasons)."""
    words = _error_words(response)
    if isinstance(words, Said):
        return words
    cleaned = outside_text.line(words)
    return Said(cleaned, Code.DETAIL_SAID, {"said": cleaned})


def _error_words(response: requests.Response) -> str:
    if not response.content.strip():
        return Said("(empty body)", Code.DETAIL_EMPTY)
    try:
        payload = json_value(response.content)
    except (ijson.JSONError, AnswerRefused):
        # Only the *arr's JSON words are quoted: a body that is not JSON is not its answer.
        kind = answer_kind(response)
        return Said(f"not JSON ({kind})", Code.DETAIL_NOT_JSON, {"kind": kind})
    if isinstance(payload, Mapping):
        for key in ("message", "errorMessage", "error", "detail", "title"):
            value = payload.get(key)
            if isinstance(value, str) and value:
                return value[:SNIPPET]
    if isinstance(payload, list):
        # 400 validation errors: [{"propertyName": ..., "errorMessage": ...}, ...]
        messages = validation_failures(response)
        if messages:
            return "; ".join(messages)[:SNIPPET]
    # JSON without the *arr's words: what it was, never what it said.
    shape = json_kind(payload)
    return Said(f"no message ({shape})", Code.DETAIL_NO_MESSAGE)
