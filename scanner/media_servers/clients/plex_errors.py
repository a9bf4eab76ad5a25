"""The Plex client's failures: plexapi's and requests' exceptions as MediaServerErrors
with messages of our own, raised ``from None`` (theirs quote URLs and answers, where a
token may hide), every message scrubbed of the token; and the session that lets them
say which status an answer had (plexapi raises the same exception for many)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.etree.ElementTree import ParseError

import requests
from plexapi.exceptions import BadRequest, NotFound, PlexApiException, Unauthorized

from scanner import outside_text
from scanner.http.bounds import AnswerRefused, AnswerTooSlow, Bounds, bounded_request
from scanner.http.reasons import Code, Said
from scanner.http.sessions import errno_reason, refusal_reason, unanswered
from scanner.media_servers.clients.base import (
    AT_PLEX_TV,
    AT_SERVER,
    MediaServerError,
    ServerAuthError,
    ServerUnreachable,
    Source,
    status_error,
)

DEFAULT_TIMEOUT = 30.0
# plex.tv, where python-plexapi's MyPlexAccount and MyPlexUser send the admin's token:
# their URLs are absolute class attributes (``plexapi/myplex.py``); a session sends
# them to its ``plex_tv`` instead (a test's fake plex.tv).
PLEX_TV = "https://plex.tv"


class CountingSession(requests.Session):
    """Counts requests, remembers the last status and request, never follows a redirect
    (X-Plex-Token would go along to another host), and reads every answer within the
    bounds (scanner.http.bounds) before plexapi parses it. ``bounds`` takes its size
    limit and deadline, the latter never shorter than plexapi's timeout. plexapi's
    ``https://plex.tv/...`` requests go to ``plex_tv``."""

    def __init__(self, max_bytes: int, deadline: float, plex_tv: str = PLEX_TV) -> None:
        super().__init__()
        self.plex_tv = plex_tv.rstrip("/")
        self.requests_made = 0
        self.last_status: int | None = None
        self.last_location = ""
        self.last_request = ""
        self._max_bytes = max_bytes
        self._deadline = deadline

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        if args:  # requests' own get/put/... and plexapi pass everything by name
            raise TypeError("CountingSession.request takes its options by name")
        self.requests_made += 1
        if self.plex_tv != PLEX_TV and str(url).startswith(f"{PLEX_TV}/"):
            url = self.plex_tv + str(url)[len(PLEX_TV) :]
        self.last_status = None
        self.last_location = ""
        self.last_request = f"{str(method).upper()} {urlsplit(str(url)).path}"
        kwargs.pop("allow_redirects", None)
        kwargs.pop("stream", None)
        timeout = kwargs.pop("timeout", None) or DEFAULT_TIMEOUT
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        bounds = Bounds(self._max_bytes, max(self._deadline, read))
        response, _ = bounded_request(
            super().request,
            str(method),
            str(url),
            bounds,
            connect_timeout=connect,
            read_timeout=read,
            **kwargs,
        )
        self.last_status = response.status_code
        self.last_location = response.headers.get("Location", "")
        return response


class PlexErrors:
    """The failures of one client's requests, as MediaServerErrors: the server's, or
    (``plex_tv``) plex.tv's, named so in every message and fact and marked with their
    ``source``: a token plex.tv refuses is not one the server refused."""

    def __init__(
        self,
        session: CountingSession,
        url: str,
        token: str,
        timeout: float,
        *,
        plex_tv: bool = False,
    ) -> None:
        self._session = session
        self._secrets = {token} if token else set()
        self._timeout = timeout
        self.display = display_url(url)
        self.source: Source = AT_PLEX_TV if plex_tv else AT_SERVER
        self.name = "plex.tv" if plex_tv else "Plex"

    def hide(self, secret: str) -> None:
        """Scrub ``secret`` (a user's token) from every message too."""
        if secret:
            self._secrets.add(secret)

    @contextmanager
    def handling(
        self, doing: str, *, not_found: type[MediaServerError] = MediaServerError
    ) -> Iterator[None]:
        """plexapi's and requests' failures while ``doing`` as MediaServerErrors."""
        try:
            yield
        except MediaServerError:
            raise
        except AnswerTooSlow as exc:
            raise self.unanswered(f"{self._session.last_request}: {exc}") from None
        except AnswerRefused as exc:
            english = f"{self._session.last_request}: {exc}"
            raise self.fail(english, Code.MS_TOO_MUCH, bound=exc.said or str(exc)) from None
        except Unauthorized:
            raise self.status_error(401, doing) from None
        except NotFound:
            said = " (404)" if self._session.last_status == 404 else ""
            english = f"not found{said} while {doing}"
            raise self.fail(english, Code.MS_NOT_FOUND, not_found) from None
        except requests.Timeout:
            raise self.unanswered(f"no answer within {self._timeout:g} s while {doing}") from None
        except requests.ConnectionError as exc:
            raise self.unanswered(f"could not connect while {doing}: {reason(exc)}", exc) from None
        except requests.RequestException as exc:
            raise self.fail(f"{doing} failed: {reason(exc)}", Code.MS_FAILED) from None
        except OSError as exc:  # a CA bundle that is not there: requests raises it bare
            raise self.fail(f"{doing} failed: {exc}", Code.MS_FAILED) from None
        except ParseError:
            english = f"answered {doing} with something that is not Plex XML; is this Plex?"
            raise self.fail(english, Code.MS_NOT_PLEX) from None
        except (BadRequest, PlexApiException, AttributeError, TypeError) as exc:
            # plexapi raises BadRequest for any other status (TypeError for a status
            # requests has no name for) and stumbles on an answer that is not Plex's
            # (AttributeError, TypeError); the session saw which.
            status = self._session.last_status
            if status in (None, 200, 201, 204):
                if isinstance(exc, PlexApiException):
                    raise self.fail(f"{doing} failed: {exc}", Code.MS_FAILED) from None
                english = f"could not read the answer while {doing}; is this Plex?"
                raise self.fail(english, Code.MS_UNREADABLE) from None
            raise self.status_error(status, doing) from None

    def status_error(self, status: int | None, doing: str) -> MediaServerError:
        if status in (401, 403):
            if self.source == AT_PLEX_TV:  # the server took this token: plex.tv did not
                english = f"refused the server's token ({status}) while {doing}"
                code = Code.PLEX_TV_TOKEN_REFUSED
            else:
                english, code = (
                    f"rejected the token ({status}) while {doing}",
                    Code.MS_TOKEN_REFUSED,
                )
            return self.fail(english, code, ServerAuthError, status=status)
        if status is not None and 300 <= status < 400:
            where = display_url(self._session.last_location) or "?"
            english = f"redirected ({status}) to {where} while {doing}; use that URL"
            return self.fail(english, Code.MS_REDIRECTED, status=status, location=where)
        english = f"answered {status} while {doing}"
        said = self.said(english, Code.MS_ANSWERED, status=status)
        if status is not None and status >= 500:
            return status_error(self.say(english), status, said, self.source)
        return MediaServerError(self.say(english), said=said, source=self.source)

    def unanswered(self, english: str, exc: BaseException | None = None) -> ServerUnreachable:
        """No answer. plex.tv's says so itself (the caller names only the server)."""
        message = self.say(english)
        if self.source != AT_PLEX_TV:
            return ServerUnreachable(message)
        said = unanswered(f"plex.tv at {self.display}", exc or TimeoutError(), server="plex.tv",
                          url=self.display)  # fmt: skip
        return ServerUnreachable(message, said=said, source=self.source)

    def fail(
        self,
        english: str,
        code: Code,
        kind: type[MediaServerError] = MediaServerError,
        **params: object,
    ) -> MediaServerError:
        """``kind`` with ``english`` for the log and the fact for a person."""
        return kind(self.say(english), said=self.said(english, code, **params), source=self.source)

    def said(self, english: str, code: Code, **params: object) -> Said:
        """What a person reads of a failure (scanner.http.reasons): who, where, what."""
        return Said(self.say(english), code, {"server": self.name, "url": self.display, **params})

    def say(self, text: str) -> str:
        """Belt and braces: no message we build may ever contain the token."""
        message = f"{self.name} at {self.display}: {text}"
        for secret in sorted(self._secrets, key=len, reverse=True):
            message = message.replace(secret, "<token>")
        return outside_text.line(message)  # the run stores it


def display_url(url: str) -> str:
    """The URL without credentials, query or fragment (a token may hide in either)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port:
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def reason(exc: BaseException) -> str:
    """``Connection refused`` out of urllib3's nested messages, else the error's kind
    (those messages quote URLs); a refused address says so."""
    return refusal_reason(exc) or errno_reason(exc) or type(exc).__name__
