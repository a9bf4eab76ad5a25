"""A lost dub's new files, their grabs found in the *arr's history and marked failed
(scanner.arr.history): the *arr blocklists each release and searches for another.

Only a real upgrade is marked (issue 67): the import that names the new file must be
newer than the moment Taggarr last told the old one (``since``, the earlier snapshot's
time), with a minute to spare for the two clocks (the *arr's is read from its answer's
Date header). A file changed in place (a post-processor, a remux, a copy cut short)
has no such import: the newest one naming its path is the old file's, whose grab is
the release that had the dub. A grab is marked once, whichever event finds it: its
history id and download id are claimed (``claim``: under the instance's row lock, kept
in the event) before the *arr is asked, so two workers acting on two runs whose files
share a grab (a season pack) mark it once.

Sonarr's history is per episode: a file's episodes are looked up by their numbers
(``GET /api/v3/episode``, one request per series), and each file's grab through its
first episode's history; a season pack's files share one grab, marked once. Radarr's is
per movie.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from scanner.arr import ArrClient, SonarrClient
from scanner.arr.history import Grab, grab_of_file, mark_failed
from scanner.connect.arr import arr_client
from scanner.errors import ArrError, ConfigError
from scanner.models import Media

# The import must be this much newer than the old file's last telling: the clocks of
# two hosts, read to the second, and a request's time, stay well within it.
CLOCK_SPARE = timedelta(minutes=1)
NO_NEW_IMPORT = "no_new_import"  # changed in place: no import since the old file was told
ALREADY_MARKED = "already_marked"  # its grab was marked failed by an earlier action


@dataclass
class GrabsMarked:
    marked: list[str] = field(default_factory=list)  # the releases marked failed
    grabs: list[dict[str, Any]] = field(default_factory=list)  # Grab.to_data() + marked_at
    arr_ids: list[int] = field(default_factory=list)  # their episodes (Sonarr), the movie
    error: str = ""  # why the *arr could not be asked (for the rest)
    doubt: str = ""  # why a grab found was not marked (NO_NEW_IMPORT, ALREADY_MARKED)


def mark_grabs_failed(
    media: Media,
    files: Mapping[str, tuple[int | None, int | None]],
    since: datetime | None,
    claim: Callable[[Grab], bool],
) -> GrabsMarked:
    """``files``: each new file's path (from the item's folder) and (season, episode);
    ``since``: when the old files were last told; ``claim``: whether a grab is this
    action's to mark (False: an action marked it, or is marking it)."""
    outcome = GrabsMarked()
    try:
        client = arr_client(media.instance)
    except ConfigError as exc:
        outcome.error = str(exc)
        return outcome
    arr_id = int(media.arr_id or 0)
    marking = _Marking(client, since, claim, outcome)
    with client:
        try:
            if isinstance(client, SonarrClient):
                listed = {(e.season, e.number): e.id for e in client.episodes(arr_id)}
                for path, (season, number) in sorted(files.items()):
                    if season is None or number is None:
                        continue  # a file outside any season: no episode to look up
                    episode = listed.get((season, number))
                    if episode is not None:
                        marking.mark(grab_of_file(client, "sonarr", episode, path), episode)
            else:
                for path in sorted(files):
                    marking.mark(grab_of_file(client, "radarr", arr_id, path), arr_id)
        except ArrError as exc:
            outcome.error = str(exc)
    return outcome


class _Marking:
    def __init__(
        self,
        client: ArrClient,
        since: datetime | None,
        claim: Callable[[Grab], bool],
        outcome: GrabsMarked,
    ) -> None:
        self.client, self.since, self.claim, self.outcome = client, since, claim, outcome
        self.now: set[int] = set()  # marked by this call (a season pack's other files)

    def mark(self, grab: Grab | None, arr_id: int) -> None:
        if grab is None:
            return
        if not _imported_since(grab, self.since):
            self.outcome.doubt = self.outcome.doubt or NO_NEW_IMPORT
            return
        if grab.id in self.now:
            self._count(arr_id)
            return
        if not self.claim(grab):
            self.outcome.doubt = self.outcome.doubt or ALREADY_MARKED
            return
        mark_failed(self.client, grab)
        self.now.add(grab.id)
        self.outcome.marked.append(grab.source_title or f"#{grab.id}")
        self.outcome.grabs.append({**grab.to_data(), "marked_at": timezone.now().isoformat()})
        self._count(arr_id)

    def _count(self, arr_id: int) -> None:
        if arr_id not in self.outcome.arr_ids:
            self.outcome.arr_ids.append(arr_id)


def _imported_since(grab: Grab, since: datetime | None) -> bool:
    if grab.imported_at is None or since is None:
        return False
    return grab.imported_at > since + CLOCK_SPARE
