"""A lost dub's new files, their grabs found in the *arr's history and marked failed
(scanner.arr.history): the *arr blocklists each release and searches for another.

Sonarr's history is per episode: a file's episodes are looked up by their numbers
(``GET /api/v3/episode``, one request per series), and each file's grab through its
first episode's history; a season pack's files share one grab, marked once. Radarr's is
per movie.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scanner.arr import ArrClient, SonarrClient
from scanner.arr.history import Grab, grab_of_file, mark_failed
from scanner.connect.arr import arr_client
from scanner.errors import ArrError, ConfigError
from scanner.models import Media


@dataclass
class GrabsMarked:
    marked: list[str] = field(default_factory=list)  # the releases marked failed
    arr_ids: list[int] = field(default_factory=list)  # their episodes (Sonarr), the movie
    error: str = ""  # why the *arr could not be asked (for the rest)


def mark_grabs_failed(
    media: Media, files: Mapping[str, tuple[int | None, int | None]]
) -> GrabsMarked:
    """``files``: each new file's path (from the item's folder) and (season, episode)."""
    outcome = GrabsMarked()
    try:
        client = arr_client(media.instance)
    except ConfigError as exc:
        outcome.error = str(exc)
        return outcome
    arr_id = int(media.arr_id or 0)
    done: set[int] = set()
    with client:
        try:
            if isinstance(client, SonarrClient):
                listed = {(e.season, e.number): e.id for e in client.episodes(arr_id)}
                for path, (season, number) in sorted(files.items()):
                    if season is None or number is None:
                        continue  # a file outside any season: no episode to look up
                    episode = listed.get((season, number))
                    if episode is not None:
                        grab = grab_of_file(client, "sonarr", episode, path)
                        _mark(client, grab, episode, done, outcome)
            else:
                for path in sorted(files):
                    grab = grab_of_file(client, "radarr", arr_id, path)
                    _mark(client, grab, arr_id, done, outcome)
        except ArrError as exc:
            outcome.error = str(exc)
    return outcome


def _mark(
    client: ArrClient, grab: Grab | None, arr_id: int, done: set[int], outcome: GrabsMarked
) -> None:
    if grab is None:
        return
    if grab.id not in done:
        mark_failed(client, grab)
        done.add(grab.id)
        outcome.marked.append(grab.source_title or f"#{grab.id}")
    if arr_id not in outcome.arr_ids:
        outcome.arr_ids.append(arr_id)
