"""What every outgoing HTTP session shares (the *arr's, Jellyfin's/Emby's, Plex's): the
environment read once, the short reason of a failed connection, and what an answer
was (never what it said)."""

from __future__ import annotations

import re

import requests

from scanner.http.addresses import refusal_in
from scanner.http.reasons import Code, Said

SNIPPET = 200  # characters of an error text or a response body quoted in a message
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def settle_environment(session: requests.Session, url: str) -> None:
    """What requests reads from the environment for this URL (proxies and NO_PROXY, the
    CA bundle, ~/.netrc), read once. Otherwise requests reads it again on every request,
    a large part of its time per request (bench/README.md), and a scan sends thousands
    of requests to one base URL."""
    found = session.merge_environment_settings(url, {}, None, None, None)
    session.proxies.update(found["proxies"])
    session.verify = found["verify"]
    session.auth = requests.utils.get_netrc_auth(url)
    session.trust_env = False


def errno_reason(exc: BaseException) -> str | None:
    """``Connection refused`` out of ``[Errno 111] Connection refused`` in urllib3's nested
    wrapper messages; None when the message has no errno."""
    match = _ERRNO.search(str(exc))
    return match.group(1).strip() if match else None


def short_reason(exc: BaseException) -> str:
    """A refused address (scanner.http.addresses), else ``errno_reason``, else the start
    of the message."""
    return refusal_reason(exc) or errno_reason(exc) or str(exc)[:SNIPPET]


def refusal_reason(exc: BaseException) -> str | None:
    """Why the request was not sent, when its host is a refused address."""
    refused = refusal_in(exc)
    return str(refused) if refused is not None else None


def unanswered(who: str, exc: BaseException, *, server: str = "", url: str = "") -> Said:
    """A connection test's one sentence for a server that gave no answer, whatever the
    socket said: refused, reset, a name not found and a timeout read the same, so that
    the test cannot map the hosts and ports behind Taggarr (the log has the reason). A
    refused address (scanner.http.addresses) says so: the user can allow it. ``who``
    names the server in English; ``server`` (its kind or name) and ``url`` are the
    translated sentence's."""
    refused = refusal_in(exc)
    params = {"server": server or who, "url": url}
    if refused is not None:
        return Said(f"{who}: {refused}", Code.ADDRESS_REFUSED, params)
    return Said(f"{who} did not answer", Code.UNANSWERED, params)


_MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]{1,60}/[A-Za-z0-9!#$&^_.+-]{1,60}")


def answer_kind(response: requests.Response) -> Said:
    """``HTTP 200, text/plain``: what an answer that is not the one expected was, for a
    message; never its body (a connection test aimed at another service must not read
    that service's answer out, e.g. a text service on the loopback)."""
    declared = response.headers.get("Content-Type", "").split(";", 1)[0].strip()
    status = response.status_code
    if _MEDIA_TYPE.fullmatch(declared):
        kind = declared.lower()
        return Said(f"HTTP {status}, {kind}", Code.ANSWER_TYPED, {"status": status, "type": kind})
    if declared:
        text = f"HTTP {status}, an unreadable content type"
        return Said(text, Code.ANSWER_BAD_TYPE, {"status": status})
    return Said(f"HTTP {status}, no content type", Code.ANSWER_UNTYPED, {"status": status})
