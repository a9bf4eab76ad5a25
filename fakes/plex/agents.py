"""The metadata agents a Plex library section uses, and the item guids they give.

New agents (``tv.plex.agents.series``, ``tv.plex.agents.movie``) give an item a
``plex://`` guid and its TVDB, TMDb and IMDb ids as ``Guid`` elements (with
``includeGuids=1``). Legacy agents give no ``Guid`` elements: the item's one guid names
the agent and its own id (python-plexapi 4.18 reads both as ``item.guid`` and
``item.guids``; docs/media-servers.md, "Plex: guids"):

- ``com.plexapp.agents.thetvdb://81189?lang=en``, ``...themoviedb://1396?lang=en``,
  ``...imdb://tt0903747?lang=en``;
- HAMA (anime): ``com.plexapp.agents.hama://tvdb-81189?lang=en``, or ``anidb-``,
  ``tvdb2-`` ... ``tmdb-``, ``imdb-`` before the id;
- XBMCnfo: ``com.plexapp.agents.xbmcnfo://<id>?lang=xn`` (movies) and
  ``...xbmcnfotv://<id>?lang=xn``: whatever ``<id>`` the NFO has (an IMDb ``tt`` id, a
  number from any database, or a hash of the title when it has none).
"""

from __future__ import annotations

NEW_AGENTS = {"show": "tv.plex.agents.series", "movie": "tv.plex.agents.movie"}
THETVDB = "com.plexapp.agents.thetvdb"
THEMOVIEDB = "com.plexapp.agents.themoviedb"
IMDB = "com.plexapp.agents.imdb"
HAMA = "com.plexapp.agents.hama"
XBMCNFO = "com.plexapp.agents.xbmcnfo"
XBMCNFO_TV = "com.plexapp.agents.xbmcnfotv"


def agent_guid(agent: str, agent_id: str, lang: str = "en") -> str:
    """An item's guid under a legacy agent: ``agent_guid(HAMA, "tvdb-81189")``."""
    return f"{agent}://{agent_id}?lang={lang}"
