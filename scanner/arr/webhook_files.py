"""What a Sonarr/Radarr webhook says about an item's files, with their media info, so a
scan of that item needs no request for its files and opens none (docs/arr-api.md,
"Webhooks"; Sonarr's Notifications/Webhook/*.cs, Radarr's alike).

- ``Download``: ``episodeFile`` (one import) or ``episodeFiles`` (a season pack),
  ``deletedFiles`` (what an upgrade replaced); Radarr: ``movieFile``, the movie's one
  file.
- ``EpisodeFileDelete`` / ``MovieFileDelete``: ``episodeFile`` / ``movieFile`` is gone.
  Sonarr sends an upgrade's delete (``"deleteReason": "upgrade"``, with *On File Delete
  For Upgrade*, on by default) just before the import's ``Download``, which lists the
  same file in ``deletedFiles``: that delete waits for its import (``upgrade_deletes``),
  so the tags do not drop and come back seconds later. Radarr's delete of the one file
  keeps the tag already (no counted file: nothing decided).
- ``Rename``: ``renamedEpisodeFiles`` / ``renamedMovieFiles``, each with
  ``previousRelativePath``.

The languages are lists there (de-duplicated; no stream count). Changes are plain
JSON: ``{"add": <ArrFile dict>}`` or ``{"delete": relative path}``; ``replace_all``
marks a Radarr movie's single file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner import outside_text
from scanner.arr.media_info import ArrFile, parse_file

Change = dict[str, Any]


def file_changes(payload: Mapping[str, Any], event_type: str, kind: str) -> list[Change] | None:
    """The file changes an event carries; None when it carries none the scan can use
    (the item is then asked for its files)."""
    if kind == "radarr":
        return _radarr(payload, event_type)
    return _sonarr(payload, event_type)


def upgrade_deletes(payload: Mapping[str, Any], event_type: str) -> list[str] | None:
    """The files an upgrade's delete names (relative paths), or None when the event is
    not one: the ``Download`` that follows carries it (Sonarr's WebhookBase:
    DeleteReason, a camelCase enum; DeletedFiles on the import)."""
    reason = payload.get("deleteReason")
    if event_type != "EpisodeFileDelete" or not isinstance(reason, str):
        return None
    return _paths([payload.get("episodeFile")]) if reason.lower() == "upgrade" else None


def _sonarr(payload: Mapping[str, Any], event_type: str) -> list[Change] | None:
    if event_type == "Download":
        files = _list(payload.get("episodeFiles")) or _list([payload.get("episodeFile")])
        if not files:
            return None
        changes = [{"delete": path} for path in _paths(payload.get("deletedFiles"))]
        return changes + [_add(file) for file in files]
    if event_type == "EpisodeFileDelete":
        deleted = _paths([payload.get("episodeFile")])
        return [{"delete": path} for path in deleted] or None
    if event_type == "Rename":
        return _renamed(payload.get("renamedEpisodeFiles"))
    return None


def _radarr(payload: Mapping[str, Any], event_type: str) -> list[Change] | None:
    if event_type == "Download":
        files = _list([payload.get("movieFile")])
        return [{"replace_all": True}, _add(files[0])] if files else None
    if event_type == "MovieFileDelete":
        return [{"replace_all": True}] if _paths([payload.get("movieFile")]) else None
    if event_type == "Rename":
        renamed = _list(payload.get("renamedMovieFiles"))
        return [{"replace_all": True}, _add(renamed[-1])] if renamed else None
    return None


def _renamed(value: Any) -> list[Change] | None:
    changes: list[Change] = []
    for entry in value if isinstance(value, list) else []:
        parsed = parse_file(entry)
        previous = entry.get("previousRelativePath") if isinstance(entry, Mapping) else None
        if parsed is None or not isinstance(previous, str):
            return None  # cannot follow it: ask for the files
        previous = outside_text.relative_path(previous)
        if previous is None:
            return None  # it named no file of the item: ask for the files
        changes += [{"delete": previous}, {"add": parsed.to_dict()}]
    return changes or None


def _list(value: Any) -> list[ArrFile]:
    if not isinstance(value, list):
        return []
    return [parsed for parsed in map(parse_file, value) if parsed is not None]


def _paths(value: Any) -> list[str]:
    return [file.relative_path for file in _list(value)]


def _add(file: ArrFile) -> Change:
    return {"add": file.to_dict()}


def apply_changes(files: list[dict[str, Any]], changes: list[Change]) -> list[dict[str, Any]]:
    """The item's last known files (ArrFile dicts) with the changes applied, in order."""
    by_path = {file["relative_path"]: file for file in files}
    for change in changes:
        if change.get("replace_all"):
            by_path.clear()
        elif "delete" in change:
            by_path.pop(change["delete"], None)
        elif "add" in change:
            by_path[change["add"]["relative_path"]] = change["add"]
    return list(by_path.values())
