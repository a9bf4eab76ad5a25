"""Real speech without a label in the benchmark library (issue 53's scan target): a share
of all audio tracks (5 %) become tracks with no language that speak the item's original
language (the espeak-ng clips of tests/speech, looped to 2.5 minutes, so the samples are
taken away from the start as on an episode).

Every file of the ``spanish-und`` profile whose first track has no language gets Spanish
speech there (that track was silent and unlabelled); then, spread evenly, episodes of
the other Matroska profiles whose original has a clip get their original's track
unlabelled and spoken. The expected tags do not change: an unlabelled first track is
taken for the original, and the speech is the original's (docs/tagging-rules.md), so a
wrong answer heard above the threshold shows as a wrong tag. One file per layout is made
by ffmpeg and hard-linked where it goes, as bench/make_library.py does (Taggarr keeps
what it heard per file row: each link is listened to).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

from bench.layouts import MOVIE_PROFILES, SERIES_PROFILES, Layout, Track, episode_layouts
from bench.manifest import Manifest
from tests.speech import CLIPS

SPEECH_SHARE = 0.05
TRACK_SECONDS = 150
CLIP_OF = {"Japanese": "ja", "German": "de", "English": "en", "Spanish": "es"}
UNLABELLED_FIRST = "spanish-und"


@dataclass(frozen=True)
class SpeechLibrary:
    tracks: int  # every audio track of the counted files
    spoken: int  # of which unlabelled speech
    files: int  # files replaced


def add_speech(manifest: Manifest, share: float = SPEECH_SHARE) -> SpeechLibrary:
    layouts = _counted_layouts(manifest)
    total = sum(len(layout) for _, layout, _ in layouts)
    wanted = round(total * share)
    first = [
        entry for entry in layouts
        if entry[2] == UNLABELLED_FIRST and entry[1][0].language is None
    ]  # fmt: skip
    others = [
        entry for entry in layouts
        if entry[2] != UNLABELLED_FIRST and entry[0].suffix == ".mkv" and _clip(entry[2])
    ]  # fmt: skip
    more = max(0, wanted - len(first))
    step = len(others) / more if more else 0
    chosen = first + [others[int(index * step)] for index in range(more)]
    templates = manifest.root / "speech-templates"
    for path, layout, profile in chosen:
        template = _template(templates, _spoken(layout), _clip(profile))
        path.unlink()
        os.link(template, path)
    return SpeechLibrary(tracks=total, spoken=len(chosen), files=len(chosen))


def _counted_layouts(manifest: Manifest) -> list[tuple[Path, Layout, str]]:
    profiles = {profile.name: profile for profile in SERIES_PROFILES + MOVIE_PROFILES}
    found = []
    for item in manifest.items:
        profile = profiles[item.profile]
        layouts = episode_layouts(profile, len(item.files))
        for relpath, layout in zip(item.files, layouts, strict=True):
            found.append((manifest.root / item.folder / relpath, layout, profile.name))
    return found


def _clip(profile_name: str) -> str | None:
    profile = next(p for p in SERIES_PROFILES + MOVIE_PROFILES if p.name == profile_name)
    return CLIP_OF.get(profile.original)


def _spoken(layout: Layout) -> Layout:
    """The first track (the original's) without its language."""
    return (Track(None, layout[0].title), *layout[1:])


def _template(folder: Path, layout: Layout, clip: str | None) -> Path:
    key = hashlib.sha256(repr((layout, clip, TRACK_SECONDS)).encode()).hexdigest()[:20]
    path = folder / f"{key}.mkv"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    seconds = str(TRACK_SECONDS)
    inputs = ["-f", "lavfi", "-i", f"color=c=black:s=16x16:r=1:d={seconds}"]
    inputs += ["-stream_loop", "-1", "-t", seconds, "-i", str(CLIPS / f"{clip}.opus")]
    maps, labels = ["-map", "0:v", "-map", "1:a"], []
    for index, track in enumerate(layout):
        if index:
            inputs += ["-f", "lavfi", "-t", seconds, "-i", "anullsrc=r=16000:cl=mono"]
            maps += ["-map", f"{index + 1}:a"]
        if track.language:
            labels += [f"-metadata:s:a:{index}", f"language={track.language}"]
        if track.title:
            labels += [f"-metadata:s:a:{index}", f"title={track.title}"]
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin",
        "-y", *inputs, *maps, "-c:v", "mpeg4", "-c:a", "libopus", "-b:a", "24k",
        "-disposition:a:0", "default", *labels, "-t", seconds, str(path),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    return path
