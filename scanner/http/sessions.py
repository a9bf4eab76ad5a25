"""What every outgoing HTTP session shares (the *arr's, Jellyfin's/Emby's, Plex's): the
environment read once, and the short reason of a failed connection."""

from __future__ import annotations

import re

import requests

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
    """``errno_reason``, else the start of the message."""
    return errno_reason(exc) or str(exc)[:SNIPPET]
