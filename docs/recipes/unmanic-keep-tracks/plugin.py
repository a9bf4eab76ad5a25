#!/usr/bin/env python3
"""Taggarr: keep the household's tracks, an Unmanic worker plugin (docs/recipes/README.md,
"Removing the tracks nobody here needs").

Unmanic calls ``on_worker_process(data)`` for each file of a library whose worker flow
holds this plugin (unmanic/libs/unplugins/plugin_types/worker/process.py, ProcessItem:
``data`` holds ``file_in``, ``file_out``, ``original_file_path``, ``library_id``,
``worker_log`` and ``exec_command``; unmanic/libs/workers.py runs ``exec_command`` when the
runner leaves one, and hands ``file_out`` to the next plugin). This one asks Taggarr
which tracks the household keeps (``GET /api/keep/?path=``, the original file's path) and
leaves an ffmpeg command that copies the kept streams, never re-encoding them. It leaves
no command, and the file as it is, when Taggarr does not know the file, keeps every
track, cannot be reached, or the file is not the one Taggarr read (its size, or its
number of audio or subtitle streams, differs: put this plugin first in the flow).

Nor does it for a file with more than one hard link or a symbolic link, as Taggarr's
own writer of default tracks leaves a hardlinked file alone: a torrent client may still
be seeding it (a download imported by a hard link, or linked to), and Unmanic's copy
would take the library's name only (its post-processor removes the name and moves the
copy there), the seeded file kept beside it: twice the space, and the library's file no
longer the one seeded.

Only Matroska files (.mkv, .mka, .mk3d): Taggarr numbers a file's tracks among their kind
in MediaInfo's order, the order of the Matroska header, in which ffmpeg's demuxer makes
its streams; the N-th audio track is ffmpeg's N-th audio stream. Every other stream
(video, attachments such as the fonts of ASS subtitles) is copied; the chapters and the
file's tags follow (ffmpeg's defaults for -map_chapters and -map_metadata).
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import subprocess
import urllib.error
import urllib.parse
import urllib.request

from unmanic.libs.unplugins.settings import PluginSettings

logger = logging.getLogger("Unmanic.Plugin.taggarr_keep_tracks")

MATROSKA = (".mkv", ".mka", ".mk3d")
TIMEOUT = 60  # seconds, for Taggarr's answer and for ffmpeg's read of the streams
# A stream as ``ffmpeg -i`` lists it: "  Stream #0:1(fre): Audio: ..." (an id in
# brackets, as MP4 and MPEG-TS show, and the language in parentheses are optional).
_STREAM = re.compile(r"^\s*Stream #0:(\d+)(?:\[[^\]]*\])?(?:\([^)]*\))?: (\w+)", re.MULTILINE)
_KINDS = {"audio": "Audio", "subtitle": "Subtitle"}


class Settings(PluginSettings):
    settings = {
        "taggarr_url": "http://taggarr:8000",
        "api_token": "",
        "ffmpeg": "ffmpeg",
    }
    form_settings = {
        "taggarr_url": {"label": "Taggarr's address, as this machine reaches it"},
        "api_token": {"label": "An API token of a Taggarr staff user who may view items"},
        "ffmpeg": {"label": "The ffmpeg program (Unmanic's image has it on the PATH)"},
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class Unanswered(Exception):
    """Taggarr gave no usable answer for the file: it is left as it is."""


def on_worker_process(data):
    """Leave ``data["exec_command"]`` set to the ffmpeg command that keeps the
    household's tracks, or empty when the file is to stay as it is."""
    settings = Settings(library_id=data.get("library_id"))
    log = data.get("worker_log")
    file_in = data["file_in"]
    original = data.get("original_file_path") or file_in
    try:
        command = keep_command(
            file_in,
            original,
            data["file_out"],
            url=settings.get_setting("taggarr_url"),
            token=settings.get_setting("api_token"),
            ffmpeg=settings.get_setting("ffmpeg") or "ffmpeg",
        )
    except Unanswered as why:
        _say(log, f"Taggarr: {original} stays as it is: {why}")
        return data
    _say(log, "Taggarr: copying the kept streams: " + " ".join(command))
    data["exec_command"] = command
    return data


def keep_command(file_in, original, file_out, *, url, token, ffmpeg):
    """The ffmpeg command that copies every stream of ``file_in`` but the tracks Taggarr
    says ``original``'s household does not keep; Unanswered says why there is none."""
    if not original.lower().endswith(MATROSKA) or not file_in.lower().endswith(MATROSKA):
        raise Unanswered("not a Matroska file")
    _refuse_links(original)
    answer = _file_answer(url, token, original)
    dropped = [track for track in answer["tracks"] if not track["keep"]]
    if not dropped:
        raise Unanswered("every track is kept")
    if os.path.getsize(file_in) != answer["size"]:
        raise Unanswered("its size is not the one Taggarr read (changed since, or by a plugin)")
    streams = _streams(ffmpeg, file_in)
    by_kind = {
        kind: [index for index, found in streams if found == name] for kind, name in _KINDS.items()
    }
    counts = {"audio": answer["audio_count"], "subtitle": answer["subtitle_count"]}
    if any(len(by_kind[kind]) != counts[kind] for kind in _KINDS):
        raise Unanswered("ffmpeg does not see the audio and subtitle tracks Taggarr read")
    removed = {by_kind[track["kind"]][track["position"] - 1] for track in dropped}
    if set(by_kind["audio"]) <= removed:
        raise Unanswered("no audio track would be left")
    kept = [index for index, _ in streams if index not in removed]
    maps = [part for index in kept for part in ("-map", f"0:{index}")]
    return [
        ffmpeg, "-hide_banner", "-loglevel", "info", "-nostdin", "-y", "-i", file_in,
        *maps, "-c", "copy", "-max_muxing_queue_size", "4096", file_out,
    ]  # fmt: skip


def _refuse_links(path):
    """Unanswered when the file at ``path`` is a symbolic link or has other hard links
    (a torrent client may be seeding it): Unmanic's copy would replace this name only."""
    try:
        status = os.lstat(path)
    except OSError as error:
        raise Unanswered(f"it could not be read ({error.strerror or error})") from None
    if stat.S_ISLNK(status.st_mode):
        raise Unanswered(
            "it is a symbolic link: a torrent client may be seeding the file it points to, "
            "and Unmanic's copy would replace the link, not that file"
        )
    if status.st_nlink > 1:
        raise Unanswered(
            f"it has {status.st_nlink} hard links: a torrent client may still be seeding "
            "it, and Unmanic's copy would replace this link only (twice the space)"
        )


def _file_answer(url, token, path):
    """Taggarr's answer for the one file at ``path``."""
    if not str(url).startswith(("http://", "https://")):
        raise Unanswered("Taggarr's address must start with http:// or https://")
    query = urllib.parse.urlencode({"path": path})
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        f"{url.rstrip('/')}/api/keep/?{query}",
        headers={"Authorization": f"Token {token}", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise Unanswered("Taggarr knows no file at this path") from None
        raise Unanswered(f"Taggarr answered {error.code}") from None
    except (OSError, ValueError) as error:
        raise Unanswered(f"Taggarr could not be asked ({error})") from None
    files = [file for item in body.get("items", []) for file in item.get("files", [])]
    if len(files) != 1:
        raise Unanswered(f"Taggarr knows {len(files)} files at this path, not one")
    return files[0]


def _streams(ffmpeg, path):
    """The file's streams as ffmpeg numbers them: (index, kind) in index order."""
    try:
        probe = subprocess.run(  # noqa: S603 - the ffmpeg the user set, with a list
            [ffmpeg, "-hide_banner", "-nostdin", "-i", path],
            capture_output=True, text=True, errors="replace", timeout=TIMEOUT, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Unanswered(f"ffmpeg could not read it ({error})") from None
    found = [(int(index), kind) for index, kind in _STREAM.findall(probe.stderr)]
    if not found or [index for index, _ in found] != list(range(len(found))):
        raise Unanswered("ffmpeg did not list its streams")
    return found


def _say(log, line):
    logger.info(line)
    if isinstance(log, list):
        log.append(f"\n{line}\n")
