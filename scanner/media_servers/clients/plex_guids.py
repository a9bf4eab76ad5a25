"""A Plex item's TVDB, TMDb and IMDb ids, out of its guids (python-plexapi 4.18's
``item.guids`` and ``item.guid``; docs/media-servers.md, "Plex: guids"):

- new agents: ``Guid`` elements ``tvdb://81189``, ``tmdb://1396``, ``imdb://tt0903747``;
- legacy agents, one item guid: ``com.plexapp.agents.thetvdb://81189?lang=en``,
  ``...themoviedb://1396?lang=en``, ``...imdb://tt0903747?lang=en``;
- HAMA (anime): ``com.plexapp.agents.hama://tvdb-81189?lang=en``, and ``tvdb2-`` to
  ``tvdb6-`` (TheTVDB with another season mapping), ``tmdb-``, ``imdb-``; ``anidb-``
  (and the other sources) name no id Taggarr knows;
- XBMCnfo: ``com.plexapp.agents.xbmcnfo://<id>`` and ``...xbmcnfotv://<id>``, whatever
  ``<id>`` the NFO had: an IMDb ``tt`` id is one; a bare number could be any database's
  (or a hash of the title), so it is not read.

An id not read is returned too, so that the item can say why it matches by folder only.
"""

from __future__ import annotations

import re

PROVIDERS = ("tvdb", "tmdb", "imdb")
LEGACY_AGENTS = {"thetvdb": "tvdb", "themoviedb": "tmdb", "imdb": "imdb"}
_HAMA_SOURCE = re.compile(r"^(tvdb|tmdb|imdb)\d?$")
_IMDB_ID = re.compile(r"^tt\d+$")


def provider_ids(guids: list[str], guid: str | None = None) -> tuple[dict[str, str], str]:
    """({"tvdb": "81189", ...}, "") out of the ``Guid`` ids, or out of a legacy agent's
    item guid when there are none; ({}, guid) when the agent's id is not one of them."""
    ids: dict[str, str] = {}
    for value in guids:
        scheme, _, rest = (value or "").partition("://")
        if scheme in PROVIDERS and rest:
            ids.setdefault(scheme, rest)
    if ids or not guid or guid.startswith(("plex://", "local://")):
        return ids, ""
    scheme, _, rest = guid.partition("://")
    agent = scheme.rsplit(".", 1)[-1]
    if agent == "none":  # Personal Media: no metadata agent, no id
        return ids, ""
    value = rest.split("?", 1)[0].split("/", 1)[0]
    found = _agent_id(agent, value)
    return (dict([found]), "") if found else ({}, guid.split("?", 1)[0])


def _agent_id(agent: str, value: str) -> tuple[str, str] | None:
    if not value:
        return None
    if agent in LEGACY_AGENTS:
        return LEGACY_AGENTS[agent], value
    if agent == "hama":
        source, _, source_id = value.partition("-")
        matched = _HAMA_SOURCE.match(source)
        return (matched.group(1), source_id) if matched and source_id else None
    if agent in ("xbmcnfo", "xbmcnfotv") and _IMDB_ID.match(value):
        return "imdb", value
    return None
