"""Where a request's token is taken from, per release: the first place that has one
wins (a wrong token there is refused even when a later place has the right one), as
AuthorizationContext.GetAuthorizationInfo reads them
(Jellyfin.Server.Implementations/Security/AuthorizationContext.cs):

- 10.8 and 10.10: the ``X-Emby-Authorization`` header, else ``Authorization``
  (scheme ``MediaBrowser`` or ``Emby``), its ``Token="..."``; then ``X-Emby-Token``,
  ``X-MediaBrowser-Token``, the ``ApiKey`` query, the ``api_key`` query;
- 10.11 and 12: ``Authorization`` first, and every legacy way (``X-Emby-Authorization``,
  the ``Emby`` scheme, ``X-Emby-Token``, ``X-MediaBrowser-Token``, ``api_key``) only
  with ``EnableLegacyAuthorization``; ``ApiKey`` always;
- Emby (*inferred*): what its SDK documents (``X-Emby-Token``, ``api_key``), what its
  clients send (``X-Emby-Authorization``), and the ``Authorization`` header after it,
  as the AuthorizationContext Jellyfin forked from Emby 3.5 reads them (10.8's); not
  Jellyfin's own ``ApiKey``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fakes.jellyfin.releases import JellyfinRelease

_TOKEN = re.compile(r'(?:^|,)\s*Token="?([^",]*)"?', re.IGNORECASE)

AUTHORIZATION = "Authorization header"
EMBY_AUTHORIZATION = "X-Emby-Authorization header"
EMBY_TOKEN = "X-Emby-Token header"  # noqa: S105 - a header's name
MEDIABROWSER_TOKEN = "X-MediaBrowser-Token header"  # noqa: S105
APIKEY_QUERY = "ApiKey query"
API_KEY_QUERY = "api_key query"


def request_token(
    release: JellyfinRelease,
    legacy: bool,
    headers: Mapping[str, str],
    query: Mapping[str, str],
) -> tuple[str, str] | None:
    """(token, where it came from), or None when the request carries none it reads.
    ``headers`` and ``query`` have lowercased names."""
    for where, value in _places(release, legacy, headers, query):
        if value:
            return value, where
    return None


def _places(
    release: JellyfinRelease,
    legacy: bool,
    headers: Mapping[str, str],
    query: Mapping[str, str],
) -> list[tuple[str, str | None]]:
    if not release.has_legacy_switch:
        emby_header = headers.get("x-emby-authorization")
        header, where = (
            (emby_header, EMBY_AUTHORIZATION)
            if emby_header
            else (headers.get("authorization"), AUTHORIZATION)
        )
        return [
            (where, _scheme_token(header, True)),
            (EMBY_TOKEN, headers.get("x-emby-token")),
            (MEDIABROWSER_TOKEN, headers.get("x-mediabrowser-token")),
            *([] if release.is_emby else [(APIKEY_QUERY, query.get("apikey"))]),
            (API_KEY_QUERY, query.get("api_key")),
        ]
    header, where = headers.get("authorization"), AUTHORIZATION
    if legacy and not header:
        header, where = headers.get("x-emby-authorization"), EMBY_AUTHORIZATION
    places = [(where, _scheme_token(header, legacy))]
    if legacy:
        places += [
            (EMBY_TOKEN, headers.get("x-emby-token")),
            (MEDIABROWSER_TOKEN, headers.get("x-mediabrowser-token")),
        ]
    places.append((APIKEY_QUERY, query.get("apikey")))
    if legacy:
        places.append((API_KEY_QUERY, query.get("api_key")))
    return places


def _scheme_token(header: str | None, emby_scheme: bool) -> str | None:
    """The Token of ``MediaBrowser Token="..."`` (or of the ``Emby`` scheme when taken)."""
    scheme, _, rest = (header or "").partition(" ")
    schemes = ("mediabrowser", "emby") if emby_scheme else ("mediabrowser",)
    if scheme.lower() not in schemes:
        return None
    found = _TOKEN.search(rest)
    return found.group(1) if found else None
