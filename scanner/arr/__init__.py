"""Sonarr/Radarr clients. Plain Python (requests): no Django here.

Errors come from ``scanner.errors``: ArrTransientError (retry later),
ArrPermanentError (fix something), ArrAuthError (fix the key).
"""

from __future__ import annotations

from scanner.arr.base import BaseArrClient
from scanner.arr.checks import ConnectionReport, check_connection
from scanner.arr.clients import ArrClient, RadarrClient, SonarrClient, make_client
from scanner.arr.config import ArrConfig, ArrKind
from scanner.arr.media_info import parse_audio_languages
from scanner.arr.paths import FolderResolver, PathMapper, PathMapping, Resolution, in_scope
from scanner.arr.payloads import (
    ApplyResult,
    ArrItem,
    ArrSeason,
    SystemStatus,
    TagChange,
)

__all__ = [
    "ApplyResult",
    "ArrClient",
    "ArrConfig",
    "ArrItem",
    "ArrKind",
    "ArrSeason",
    "BaseArrClient",
    "ConnectionReport",
    "FolderResolver",
    "PathMapper",
    "PathMapping",
    "RadarrClient",
    "Resolution",
    "SonarrClient",
    "SystemStatus",
    "TagChange",
    "check_connection",
    "in_scope",
    "make_client",
    "parse_audio_languages",
]
