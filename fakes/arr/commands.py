"""``POST /api/v3/command`` as Sonarr's and Radarr's CommandController answer it.

The real controller looks the command up by name among its Command classes
(case-insensitive, "Command" left off: ``EpisodeSearch`` is EpisodeSearchCommand) with
LINQ's ``Single``, so an unknown name ends as an unhandled 500; a blank name fails
validation (400). It deserialises the body into that class, queues it and answers 201
with the queued command. A search command runs later, on the server's own queue: the
answer says nothing of what it will find.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

# Commands a client of the API sends (a part of each app's Command classes).
KNOWN: dict[str, tuple[str, ...]] = {
    "sonarr": (
        "RefreshSeries", "RescanSeries", "EpisodeSearch", "SeasonSearch", "SeriesSearch",
        "MissingEpisodeSearch", "CutoffUnmetEpisodeSearch", "RenameFiles", "RenameSeries",
    ),
    "radarr": (
        "RefreshMovie", "RescanMovie", "MoviesSearch", "MissingMoviesSearch",
        "CutOffUnmetMoviesSearch", "RenameFiles", "RenameMovie",
    ),
}  # fmt: skip
# The id lists the search commands carry (List<int>): anything else fails to deserialise.
ID_LISTS = {"EpisodeSearch": "episodeIds", "MoviesSearch": "movieIds"}


class CommandError(ValueError):
    """The real server's answer to a command it cannot take: (status, body)."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(str(body))
        self.status, self.body = status, body


class CommandLog:
    """The commands received, in order; thread-safe."""

    def __init__(self, app: str) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._commands: list[dict[str, Any]] = []

    def record(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue a command (kept with its body as sent); the answer's resource."""
        name = self.resolve(body.get("name"))
        check_ids(name, body)
        with self._lock:
            command = {"id": len(self._commands) + 1, "name": name, "status": "queued"}
            self._commands.append({**command, "body": dict(body)})
        return _resource(command, body)

    def resolve(self, name: object) -> str:
        if not isinstance(name, str) or not name.strip():
            failure = {"propertyName": "Name", "errorMessage": "'Name' must not be empty."}
            raise CommandError(400, [failure])
        for known in KNOWN[self._app]:
            if known.casefold() == name.casefold():
                return known
        message = "Sequence contains no matching element"
        raise CommandError(500, {"message": message, "description": message})

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(command, body=dict(command["body"])) for command in self._commands]


def check_ids(name: str, body: dict[str, Any]) -> None:
    """A search command's id list must bind to List<int> (an unhandled 500 otherwise)."""
    field = ID_LISTS.get(name)
    ids = body.get(field) if field else None
    if ids is not None and not (
        isinstance(ids, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
    ):
        message = f"The JSON value could not be converted to List<int>. Path: $.{field}"
        raise CommandError(500, {"message": message, "description": message})


def _resource(command: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    """CommandResource: the command's body is the deserialised Command class, so it
    carries the base class's fields besides what was sent."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    name = command["name"]
    body = {
        **sent,
        "name": name,
        "sendUpdatesToClient": True,
        "updateScheduledTask": True,
        "completionMessage": "Completed",
        "requiresDiskAccess": False,
        "isExclusive": False,
        "isLongRunning": False,
        "trigger": "manual",
        "suppressMessages": False,
    }
    return {
        "id": command["id"],
        "name": name,
        "commandName": "".join(f" {c}" if c.isupper() else c for c in name).strip(),
        "body": body,
        "priority": "normal",
        "status": command["status"],
        "result": "unknown",
        "queued": now,
        "trigger": "manual",
        "sendUpdatesToClient": True,
        "updateScheduledTask": True,
    }
