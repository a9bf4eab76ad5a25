"""What a library folder's scan will write, said before it runs (the connection test and
the first-run guide): its tags go only into NFO files and to media servers, so with no
NFO in its folders, Create NFOs unable to make one, and no media server, a scan tags
nothing on disk. The run's page says the same afterwards (scanner.reports.progress)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from scanner.connect.sentences import said_of
from scanner.engine import nfo_paths
from scanner.engine.library import is_video_name
from scanner.http.reasons import Code, Said
from scanner.models import Instance, MediaServer

# Item folders looked into: enough to tell, few enough for a page that renders it.
SAMPLE = 200


@dataclass(frozen=True, slots=True)
class Outlook:
    """What a scan will write, a fact a line (each told in the reader's language when
    shown: scanner.connect.sentences.said; English for the log: ``str``)."""

    lines: tuple[Said, ...]
    nothing_on_disk: bool


def library_outlook(instance: Instance) -> Outlook | None:
    """None for an *arr instance (the *arr holds its tags), and for a library folder
    with no item folder yet."""
    if instance.is_arr:
        return None
    servers = sorted(
        MediaServer.objects.filter(enabled=True, write_tags=True, instances=instance)
        .values_list("name", flat=True)
    )  # fmt: skip
    to_servers = [said_of(Code.OUTLOOK_SERVERS, count=len(servers), servers=servers)]
    if not (instance.write_nfo or instance.create_nfo):
        if servers:
            return Outlook((said_of(Code.OUTLOOK_NFO_OFF), *to_servers), False)
        lines = (Code.OUTLOOK_NFO_OFF, Code.OUTLOOK_NO_SERVER, Code.OUTLOOK_TURN_ON)
        return Outlook(tuple(said_of(code) for code in lines), True)
    kind: nfo_paths.NfoKind = "series" if instance.media_kind == "series" else "movie"
    folders = list(islice(_item_folders(instance.root_folders), SAMPLE))
    if not folders:
        return None  # nothing to tag yet: nothing to say
    with_nfo = sum(1 for folder in folders if _has_nfo(folder, kind))
    looked = f"{len(folders)}{'+' if len(folders) == SAMPLE else ''}"
    if with_nfo:
        code = Code.OUTLOOK_WRITTEN if instance.write_nfo else Code.OUTLOOK_KEPT
        why = said_of(code, count=with_nfo, folders=looked)
        if instance.write_nfo:
            return Outlook((why, *(to_servers if servers else [])), False)
    else:
        code = Code.OUTLOOK_NO_LINK if instance.create_nfo else Code.OUTLOOK_MISSING
        why = said_of(code, count=len(folders))
    if servers:
        return Outlook((why, *to_servers), False)
    return Outlook((why, said_of(Code.OUTLOOK_NOTHING), said_of(Code.OUTLOOK_HINT)), True)


def _item_folders(roots: list[str]) -> Iterator[Path]:
    for root in roots:
        try:
            with os.scandir(root) as entries:
                names = sorted(e.name for e in entries if not e.name.startswith(".") and e.is_dir())
        except OSError:
            continue  # the connection test says so already
        for name in names:
            yield Path(root) / name


def _has_nfo(folder: Path, kind: nfo_paths.NfoKind) -> bool:
    """An NFO a player reads: ``tvshow.nfo``; for a movie ``movie.nfo``, the folder's only
    NFO, or ``<video name>.nfo`` next to a video in it."""
    if nfo_paths.item_nfos(folder, kind, None):
        return True
    if kind == "series":
        return False
    try:
        names = {entry.name for entry in os.scandir(folder)}
    except OSError:
        return False
    stems = {os.path.splitext(name)[0] for name in names if is_video_name(name)}
    return any(name.lower().endswith(".nfo") and name[:-4] in stems for name in names)
