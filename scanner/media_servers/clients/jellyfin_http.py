"""How the Jellyfin and Emby clients talk HTTP: one session, the token in one header
(never in a URL), each request sent once, and every answer that is not a success as a
MediaServerError whose message never contains the token.

The token goes where every release of the server reads it:

- Jellyfin: ``Authorization: MediaBrowser ..., Token="..."``, taken by every release;
  the legacy ways (``X-Emby-Token``, ``api_key`` ...) are behind
  EnableLegacyAuthorization from 10.11, off by default in 12 (AuthorizationContext.cs);
- Emby: ``X-Emby-Token``, what Emby's API documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ijson
import requests
from urllib3.exceptions import HTTPError as Urllib3Error

from scanner import outside_text
from scanner.http.bounds import (
    DEFAULT_DEADLINE_SECONDS,
    DEFAULT_PAGE_MB,
    MB,
    AnswerRefused,
    AnswerTooSlow,
    Bounds,
    bounded_request,
    json_value,
)
from scanner.http.reasons import Code, Said
from scanner.http.sessions import SNIPPET, answer_kind, settle_environment, short_reason
from scanner.media_servers.clients.base import (
    MediaServerError,
    ServerAuthError,
    ServerUnreachable,
    status_error,
)

# A series' update saves every season and episode too from Jellyfin 10.9 (and rewrites
# their NFOs when the NFO saver is on): hundreds of saves for a long show.
SERIES_WRITE_TIMEOUT = 600.0
JELLYFIN_AUTH = Said(
    "the Authorization header (MediaBrowser token), which every Jellyfin reads",
    Code.AUTH_JELLYFIN,
)
EMBY_AUTH = Said("the X-Emby-Token header", Code.AUTH_EMBY)


@dataclass(frozen=True)
class ServerConfig:
    name: str
    url: str
    token: str
    kind: str = "jellyfin"  # or "emby"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    series_write_timeout: float = SERIES_WRITE_TIMEOUT
    page_size: int = 200
    client_version: str = "dev"
    max_answer_mb: int = DEFAULT_PAGE_MB  # a page of items, one item, the libraries
    deadline: float = DEFAULT_DEADLINE_SECONDS  # one whole exchange, at least its read timeout


class NotFound(MediaServerError):
    """A 404: the caller says what was not found."""


class JellyfinTransport:
    """One session to one server. Not for concurrent use."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.base_url = config.url.rstrip("/")
        self.requests_made = 0
        self.session = requests.Session()
        settle_environment(self.session, self.base_url)
        headers = {"Accept": "application/json", "User-Agent": f"Taggarr/{config.client_version}"}
        if config.kind == "emby":
            headers["X-Emby-Token"] = config.token
            self.auth = EMBY_AUTH
        else:
            headers["Authorization"] = (
                f'MediaBrowser Client="Taggarr", Device="Taggarr", DeviceId="taggarr", '
                f'Version="{config.client_version}", Token="{config.token}"'
            )
            self.auth = JELLYFIN_AUTH
        self.session.headers.update(headers)

    def close(self) -> None:
        self.session.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        read_timeout: float | None = None,
    ) -> Any:
        """The answer's JSON (None for an empty one). Raises ServerAuthError (401/403),
        NotFound (404), ServerErrorStatus / ServerBusy (5xx), ServerUnreachable (no
        answer), MediaServerError (anything else, an answer that is not JSON included)."""
        where = f"{self.config.name}: {method} {path}"
        read = read_timeout or self.config.read_timeout
        bounds = Bounds(self.config.max_answer_mb * MB, max(self.config.deadline, read))
        response = self.exchange(method, path, bounds, read, params=params, json=body)
        try:
            return json_value(response.content)
        except AnswerRefused as exc:
            english = self.redact(f"{where}: {exc}")
            said = self.said(english, Code.MS_TOO_MUCH, bound=exc.said or str(exc))
            raise MediaServerError(english, said=said) from None
        except (ijson.JSONError, UnicodeDecodeError):
            english = f"{where} answered with a body that is not JSON (or not UTF-8)"
            said = self.said(english, Code.MS_NOT_JSON, kind=answer_kind(response))
            raise MediaServerError(english, said=said) from None

    def send_bytes(
        self,
        method: str,
        path: str,
        *,
        max_bytes: int,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """The answer itself, its body at most ``max_bytes`` (an image; ``data`` the body
        sent, as is), with ``send``'s errors."""
        read = self.config.read_timeout
        bounds = Bounds(max_bytes, max(self.config.deadline, read))
        return self.exchange(method, path, bounds, read, data=data, headers=headers)

    def exchange(
        self, method: str, path: str, bounds: Bounds, read: float, **kwargs: Any
    ) -> requests.Response:
        """One request, sent once; a success's answer, read within ``bounds``, else
        the error that says what happened (``send``'s)."""
        self.requests_made += 1
        where = f"{self.config.name}: {method} {path}"
        try:
            # Redirects are never followed: X-Emby-Token would go along to another host.
            response, _ = bounded_request(
                self.session.request,
                method,
                self.base_url + path,
                bounds,
                connect_timeout=self.config.connect_timeout,
                read_timeout=read,
                **kwargs,
            )
        except AnswerTooSlow as exc:
            raise ServerUnreachable(self.redact(f"{where}: {exc}")) from None
        except AnswerRefused as exc:
            english = self.redact(f"{where}: {exc}")
            said = self.said(english, Code.MS_TOO_MUCH, bound=exc.said or str(exc))
            raise MediaServerError(english, said=said) from None
        except requests.Timeout:
            raise ServerUnreachable(self.redact(f"{where} timed out")) from None
        except requests.RequestException as exc:
            reason = short_reason(exc)
            raise ServerUnreachable(self.redact(f"{where} failed: {reason}")) from None
        except Urllib3Error as exc:  # the connection lost while the body was read
            reason = short_reason(exc)
            raise ServerUnreachable(self.redact(f"{where} failed: {reason}")) from None
        except OSError as exc:  # a CA bundle that is not there: requests raises it bare
            raise ServerUnreachable(self.redact(f"{where} failed: {exc}")) from None
        status = response.status_code
        if status in (401, 403):
            english = f"{self.config.name} refused the token ({status})"
            said = self.said(english, Code.MS_TOKEN_REFUSED, status=status)
            raise ServerAuthError(english, said=said)
        if status == 404:
            english = f"{where} answered 404"
            raise NotFound(english, said=self.said(english, Code.MS_ANSWERED, status=404))
        if status >= 300:
            snippet = self.quote(response)
            english = (
                f"{where} answered {status}: {snippet}" if snippet else f"{where} answered {status}"
            )
            said = self.said(english, Code.MS_ANSWERED, status=status)
            if snippet:
                said = self.said(english, Code.MS_ANSWERED_SAID, status=status, detail=snippet)
            if status >= 500:
                raise status_error(english, status, said)
            raise MediaServerError(english, said=said)
        return response

    def said(self, english: str, code: Code, **params: object) -> Said:
        """``english`` (the log's) as the fact a person reads (scanner.http.reasons)."""
        return Said(english, code, {"server": self.config.name, "url": self.base_url, **params})

    def send_object(self, method: str, path: str, **kwargs: Any) -> Mapping[str, Any]:
        """``send``, for a route whose answer is a JSON object ({} for an empty answer):
        anything else is the server's failure, a MediaServerError."""
        return self._shaped(method, path, Mapping, "an object", kwargs) or {}

    def send_list(self, method: str, path: str, **kwargs: Any) -> list[Any]:
        """``send``, for a route whose answer is a JSON array ([] for an empty answer)."""
        return self._shaped(method, path, list, "a list", kwargs) or []

    def _shaped(
        self, method: str, path: str, shape: type, named: str, kwargs: dict[str, Any]
    ) -> Any:
        answer = self.send(method, path, **kwargs)
        if answer is None or isinstance(answer, shape):
            return answer
        english = (
            f"{self.config.name}: {method} {path} answered JSON {_json_kind(answer)}, "
            f"not what the server answers there ({named})"
        )
        said = self.said(english, Code.MS_WRONG_SHAPE, method=method, path=path)
        raise MediaServerError(english, said=said)

    def quote(self, response: requests.Response) -> str | Said:
        """The start of a JSON answer, for a message the run stores: no token, and cleaned
        (scanner.outside_text). An answer that is not JSON is not the server's: what it
        was, never what it said (a test aimed at a text service must not read it out)."""
        if not response.content.strip():
            return ""
        try:
            json_value(response.content)
        except (AnswerRefused, ijson.JSONError, UnicodeDecodeError):
            kind = answer_kind(response)
            return Said(f"not JSON ({kind})", Code.DETAIL_NOT_JSON, {"kind": kind})
        said = outside_text.line(self.redact(response.text[:SNIPPET])).strip()
        return Said(said, Code.DETAIL_SAID, {"said": said}) if said else ""

    def redact(self, text: str) -> str:
        return text.replace(self.config.token, "<token>") if self.config.token else text


# bool before int: True is an int in Python, and JSON's true is not a number.
_JSON_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "true or false"), (dict, "an object"), (list, "a list"), (str, "a string"),
    ((int, float), "a number"),
)  # fmt: skip


def _json_kind(value: Any) -> str:
    return next((named for kind, named in _JSON_KINDS if isinstance(value, kind)), "null")
