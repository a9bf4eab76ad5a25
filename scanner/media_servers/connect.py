"""Builds the client of a media-server connection (the only place that decrypts its
token). Each request is sent once: the write step retries what is transient
(scanner.media_servers.writes.retries)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from scanner.errors import ConfigError
from scanner.media_servers.clients.base import MediaServerClient
from scanner.media_servers.clients.emby import EmbyClient
from scanner.media_servers.clients.jellyfin import JellyfinClient, ServerConfig
from scanner.models import MediaServer


def server_client(server: MediaServer) -> MediaServerClient:
    if server.kind == MediaServer.Kind.PLEX:
        # Imported here: plexapi is a fifth of a rescan's imports, and a library without
        # a Plex server (every apply step, the command's start) never needs it.
        from scanner.media_servers.clients.plex import PlexClient

        return PlexClient(
            server.url,
            server.get_token(),
            max_answer_mb=settings.MAX_PAGE_MB,
            deadline=settings.HTTP_DEADLINE_SECONDS,
            plex_tv_url=settings.PLEX_TV_URL,
        )
    if server.kind not in (MediaServer.Kind.JELLYFIN, MediaServer.Kind.EMBY):
        raise ConfigError(
            _("media server %(name)r: %(kind)r is not supported")
            % {"name": server.name, "kind": server.kind}
        )
    config = ServerConfig(
        name=server.name,
        url=server.url,
        token=server.get_token(),
        kind=server.kind,
        client_version=settings.VERSION,
        max_answer_mb=settings.MAX_PAGE_MB,
        deadline=settings.HTTP_DEADLINE_SECONDS,
    )
    if server.kind == MediaServer.Kind.EMBY:
        return EmbyClient(config)
    return JellyfinClient(config)
