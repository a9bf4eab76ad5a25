"""The Unmanic recipe (docs/recipes/unmanic-keep-tracks/): its plugin, loaded as Unmanic's
executor loads it (unmanic/libs/unplugins/executor.py, __load_plugin_module: the folder's
plugin.py by spec_from_file_location, as ``<plugin_id>.plugin``), called as Unmanic's
worker calls it (unmanic/libs/workers.py: the ``data`` dict it builds before each
runner, file_out a WORKING file in the task's cache), against Taggarr over HTTP (the
live test server) for a real Matroska file made by ffmpeg; the command it leaves in
``exec_command`` run as the worker would, and its output read by MediaInfo.

Unmanic is not installed here: its ``PluginSettings`` (unmanic/libs/unplugins/settings.py)
stands in with what the plugin uses of it, the class's ``settings`` as defaults overlaid
by what the user configured (get_setting, __import_configured_settings).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest
from django.contrib.auth.models import Permission, User

from accounts.models import ApiToken
from scanner.engine.probe import probe
from scanner.models import Media, MediaFile, Person
from tests.factories import InstanceFactory, MediaFactory
from tests.media import AudioSpec, SubtitleSpec, default_factory

pytestmark = pytest.mark.django_db(transaction=True)  # the live server's thread reads it

PLUGIN = Path(__file__).resolve().parents[2] / "docs/recipes/unmanic-keep-tracks/plugin.py"
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
AUDIO = [
    AudioSpec("eng", default=True),
    AudioSpec("fre", title="VFF"),
    AudioSpec("fre", title="VFQ"),
    AudioSpec("eng", title="Commentary"),
]
SUBTITLES = [SubtitleSpec("fre"), SubtitleSpec("ger"), SubtitleSpec("eng", "Forced", forced=True)]


class _PluginSettings:
    """Unmanic's PluginSettings as the plugin uses it: ``settings`` are the defaults,
    what the user saved (settings.json in the plugin's profile folder) wins."""

    configured: dict[str, Any] = {}
    settings: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.library_id = kwargs.get("library_id")

    def get_setting(self, key: str | None = None) -> Any:
        values = {
            **self.settings,
            **{k: v for k, v in self.configured.items() if k in self.settings},
        }
        return values if key is None else values.get(key)


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    for name in ("unmanic", "unmanic.libs", "unmanic.libs.unplugins"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    settings = types.ModuleType("unmanic.libs.unplugins.settings")
    settings.PluginSettings = _PluginSettings  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unmanic.libs.unplugins.settings", settings)
    spec = importlib.util.spec_from_file_location("taggarr_keep_tracks.plugin", PLUGIN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    _PluginSettings.configured = {}


@pytest.fixture
def token() -> str:
    user = User.objects.create_user("unmanic", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_media"))
    return ApiToken.issue(user, "unmanic")[1]


def _library(tmp_path: Path, made: Path, name: str = "Les Boys (1997).mkv") -> Path:
    """The item and its file, stored as a scan stores them (the file read by MediaInfo),
    for a Quebec household whose instance targets fr-CA."""
    folder = tmp_path / "movies" / "Les Boys (1997)"
    folder.mkdir(parents=True)
    path = folder / name
    path.write_bytes(made.read_bytes())
    instance = InstanceFactory(name="movies", target_languages=["fr-CA"])
    media = MediaFactory(
        instance=instance, kind=Media.Kind.MOVIE, title="Les Boys", path=str(folder),
        original_language="eng",
    )  # fmt: skip
    tracks = probe(path)
    MediaFile.objects.create(
        media=media, path=name, size=path.stat().st_size, mtime_ns=path.stat().st_mtime_ns,
        audio_tracks=[t.to_dict() for t in tracks.audio],
        subtitle_tracks=[t.to_dict() for t in tracks.subtitles],
    )  # fmt: skip
    Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    return path


def _interleaved(tmp_path: Path) -> Path:
    """The file with its streams in an order where a track's index is not its place
    among its kind: an audio track first, a subtitle between the audio tracks."""
    source = default_factory().template(AUDIO, "mkv", subtitles=SUBTITLES)
    made = tmp_path / "made.mkv"
    order = ("0:a:0", "0:v", "0:s:0", "0:a:1", "0:a:2", "0:s:1", "0:a:3", "0:s:2")
    maps = [part for each in order for part in ("-map", each)]
    subprocess.run(
        [FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", str(source),
         *maps, "-c", "copy", str(made)],
        check=True, capture_output=True,
    )  # fmt: skip
    return made


def _data(path: Path, cache: Path) -> dict[str, Any]:
    """The dict unmanic/libs/workers.py gives the first runner of a task."""
    cache.mkdir(exist_ok=True)
    return {
        "worker_log": [],
        "library_id": 1,
        "exec_command": [],
        "current_command": [],
        "command_progress_parser": None,
        "file_in": str(path),
        "file_out": str(cache / "unmanic_file_conversion-1700000000-WORKING-1-1.mkv"),
        "original_file_path": str(path),
        "repeat": False,
        "task_id": 1,
    }


def _configure(live_server: Any, token: str) -> None:
    _PluginSettings.configured = {
        "taggarr_url": live_server.url, "api_token": token, "ffmpeg": FFMPEG,
    }  # fmt: skip


def _streams(path: Path) -> list[tuple[str, str | None, str | None]]:
    tracks = probe(path)
    return [("audio", t.language, t.title) for t in tracks.audio] + [
        ("subtitle", t.language, t.title) for t in tracks.subtitles
    ]


def test_the_command_copies_only_the_kept_tracks(
    plugin: types.ModuleType, live_server: Any, token: str, tmp_path: Path
) -> None:
    path = _library(tmp_path, _interleaved(tmp_path))
    _configure(live_server, token)
    data = _data(path, tmp_path / "cache")
    assert plugin.on_worker_process(data) is data
    command = data["exec_command"]
    # The VFF (stream 3), the German subtitle (5) and the commentary (6) left out;
    # every other stream by its index, in the file's order.
    assert command[command.index("-i") + 2 : command.index("-c")] == [
        "-map", "0:0", "-map", "0:1", "-map", "0:2", "-map", "0:4", "-map", "0:7",
    ]  # fmt: skip
    assert command[command.index("-c") + 1] == "copy"
    before = path.read_bytes()
    subprocess.run(command, check=True, capture_output=True)
    assert path.read_bytes() == before  # Taggarr and the plugin change nothing in place
    assert _streams(Path(data["file_out"])) == [
        ("audio", "eng", None),
        ("audio", "fra", "VFQ"),
        ("subtitle", "fra", None),
        ("subtitle", "eng", "Forced"),
    ]
    assert "copying the kept streams" in "".join(data["worker_log"])


def _numbers_swapped(tmp_path: Path) -> Path:
    """English then German audio whose TrackNumbers (RFC 9559, 5.1.4.1.1, ID 0xD7) say the
    opposite: 3 for the first TrackEntry, 2 for the second. Both are the same codec, so
    the blocks stay playable. MediaInfo and ffmpeg (matroskadec.c, matroska_parse_tracks)
    both list the tracks in the header's order, whatever their numbers: what lets Taggarr's
    position among a kind name ffmpeg's stream."""
    source = default_factory().template([AudioSpec("eng"), AudioSpec("ger")], "mkv")
    data = bytearray(source.read_bytes())
    header = bytes(data[:4096])
    second, third = header.find(b"\xd7\x81\x02"), header.find(b"\xd7\x81\x03")
    assert header.count(b"\xd7\x81\x02") == header.count(b"\xd7\x81\x03") == 1
    data[second + 2], data[third + 2] = 3, 2
    made = tmp_path / "made.mkv"
    made.write_bytes(bytes(data))
    return made


def test_the_headers_order_not_the_track_numbers(
    plugin: types.ModuleType, live_server: Any, token: str, tmp_path: Path
) -> None:
    path = _library(tmp_path, _numbers_swapped(tmp_path))
    assert [t.language for t in probe(path).audio] == ["eng", "deu"]
    _configure(live_server, token)
    data = _data(path, tmp_path / "cache")
    plugin.on_worker_process(data)
    subprocess.run(data["exec_command"], check=True, capture_output=True)
    assert _streams(Path(data["file_out"])) == [("audio", "eng", None)]


@pytest.mark.parametrize("case", ["unknown", "changed", "all-kept", "not-matroska"])
def test_no_command_when_it_cannot_be_sure(
    plugin: types.ModuleType, live_server: Any, token: str, tmp_path: Path, case: str
) -> None:
    path = _library(tmp_path, _interleaved(tmp_path))
    _configure(live_server, token)
    if case == "unknown":
        path = path.with_name("Another film.mkv")
        path.write_bytes(b"")
    elif case == "changed":  # as a plugin before it in the flow would leave it
        with path.open("ab") as file:
            file.write(b"\0" * 16)
    elif case == "all-kept":  # its original unknown: every programme track stays
        Media.objects.update(original_language="")
        Person.objects.update(languages=["fr-CA", "fra", "deu"])
        MediaFile.objects.update(  # no commentary: a stored track's title is read again
            audio_tracks=[
                {**track, "is_commentary": False, "title": None}
                for track in MediaFile.objects.get().audio_tracks
            ]
        )
    else:
        path = path.with_suffix(".mp4")
    data = _data(path, tmp_path / "cache")
    plugin.on_worker_process(data)
    assert data["exec_command"] == []
    says = {
        "unknown": "Taggarr knows no file at this path",
        "changed": "its size is not the one Taggarr read",
        "all-kept": "every track is kept",
        "not-matroska": "not a Matroska file",
    }[case]
    assert says in "".join(data["worker_log"])


@pytest.mark.parametrize("link", ["hardlink", "symlink"])
def test_no_command_for_a_file_a_torrent_may_be_seeding(
    plugin: types.ModuleType, live_server: Any, token: str, tmp_path: Path, link: str
) -> None:
    """A download the *arr imported by a hard link, or a library entry that is a symbolic
    link to it: Unmanic's copy would replace the library's name only, the seeded file
    kept beside it. Left alone, as Taggarr leaves them (its default tracks' rule)."""
    path = _library(tmp_path, _interleaved(tmp_path))
    seeding = tmp_path / "downloads" / path.name
    seeding.parent.mkdir()
    if link == "hardlink":
        os.link(path, seeding)
    else:
        path.rename(seeding)
        path.symlink_to(seeding)
    _configure(live_server, token)
    data = _data(path, tmp_path / "cache")
    plugin.on_worker_process(data)
    assert data["exec_command"] == []
    says = {
        "hardlink": "stays as it is: it has 2 hard links: a torrent client may still be seeding",
        "symlink": "stays as it is: it is a symbolic link",
    }[link]
    assert says in "".join(data["worker_log"])
