"""A Quebec household's library of real Matroska files (issue 81's "Done when"), for the
feature's tests: ``from tests.scanner.default_tracks.quebec import films``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from scanner.models import Instance
from tests.factories import InstanceFactory
from tests.media import AudioSpec, SubtitleSpec, default_factory
from tests.mkv_files import ffmpeg_file, mkvmerge_file

# A MULTi release as mkvmerge leaves it (room after Tracks): the English original
# flagged default, the France dub, the Quebec dub (LanguageBCP47 fr-CA, title "VFQ").
MULTI = (
    AudioSpec("eng", default=True),
    AudioSpec("fr-FR", title="VFF"),
    AudioSpec("fr-CA", title="VFQ"),
)
SUBTITLES = (SubtitleSpec("eng"), SubtitleSpec("fre", title="Forced", forced=True))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Films:
    root: Path
    multi: Path  # mkvmerge's MULTi: the VFQ becomes the default
    no_room: Path  # ffmpeg's MULTi: a flag must be added, no Void: refused
    mp4: Path

    def folder(self, path: Path) -> str:
        return str(path.parent)


@pytest.fixture
def films(tmp_path: Path) -> Films:
    root = tmp_path / "movies"
    multi = mkvmerge_file(root / "Film (2020)" / "Film (2020).mkv", MULTI, SUBTITLES)
    no_room = ffmpeg_file(root / "Other (2021)" / "Other (2021).mkv", MULTI)
    mp4_path = root / "Clip (2022)" / "Clip (2022).mp4"
    mp4 = default_factory().make_video(mp4_path, [AudioSpec("eng", default=True)], "mp4")
    return Films(root, multi, no_room, mp4)


def quebec_instance(films: Films, **options: object) -> Instance:
    """A library folder of movies, a Quebec household (target fr-CA), the option on."""
    values: dict[str, object] = {
        "kind": Instance.Kind.LIBRARY,
        "url": "",
        "library_content": "movies",
        "root_folders": [str(films.root)],
        "original_language": "eng",
        "target_languages": ["fr-CA"],
        "default_tracks": Instance.DefaultTracks.SET,
        **options,
    }
    return InstanceFactory(**values)
