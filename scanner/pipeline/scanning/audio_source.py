"""Where a scan takes the audio languages from (issue "No mount needed").

``files``: MediaInfo reads every changed file. ``arr``: Sonarr's/Radarr's own media
info, read by ffprobe at import; no file is opened, so Taggarr needs no mount.
``hybrid``: the *arr's media info first, the file read only when that info is in
doubt (scanner.engine.arr_tracks.arr_doubt). ``auto`` (the default) is ``hybrid``
when the instance's root folders are reachable here and ``arr`` when they are not;
library folders without an *arr always read their files.
"""

from __future__ import annotations

import os

from scanner.models import Instance

FILES, ARR, HYBRID = "files", "arr", "hybrid"


def folders_reachable(instance: Instance) -> bool:
    """Every root folder is a folder here with something in it."""
    for folder in instance.root_folders:
        try:
            with os.scandir(folder) as entries:
                if next(entries, None) is None:
                    return False
        except OSError:
            return False
    return True


def effective_source(instance: Instance) -> str:
    if not instance.is_arr:
        return FILES
    if instance.audio_source != Instance.AudioSource.AUTO:
        return str(instance.audio_source)
    return HYBRID if folders_reachable(instance) else ARR
