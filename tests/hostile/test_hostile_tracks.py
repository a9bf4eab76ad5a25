"""Audio tracks PyAV cannot decode, made by ffmpeg (the imageio-ffmpeg wheel) and then
edited: a codec no decoder knows, an AVI whose declared length overflows a seek, and a
Matroska file whose header declares 10 hours over 5 seconds of sound. Each is "could not
be decoded" for that track, an answer kept with the file until it changes; never an
error that fails the item on every scan, and never "silence" for good.

Real errors from real PyAV: ``DecoderNotFoundError`` is a ``LookupError`` (PyAV
av/error.pyx, ``classes``); the seek's offset is a C int64, so a duration past it raises
``OverflowError``. Matroska: the Segment's ``Duration`` (0x4489) is a float in
TimestampScale units, ms by default (RFC 9559, 5.1.2.4); AVI: the stream header
``strh`` holds dwScale, dwRate, dwStart, dwLength (Microsoft's AVISTREAMHEADER), the
stream's time base being dwScale/dwRate.

And what MediaInfo reads from a track: a language element of 1,500 parenthesised
qualifiers (7.5 KB, a Matroska ``LanguageBCP47`` as long as a file may make it) is an
unknown language, never an error (each qualifier was a call of its own: RecursionError).
"""

from __future__ import annotations

import os
import struct
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest

from scanner.engine.heard import Heard
from scanner.engine.probe import probe
from scanner.listening.decode import tracks_opened
from scanner.listening.listen import UNDECODABLE, listen
from scanner.listening.model import ListenSettings
from scanner.models import Instance, Media, ScanRun
from tests.helpers import scan_inline
from tests.hostile.fifo import released_if_blocked
from tests.library import Library
from tests.media import AudioSpec, make_video

UNDECODED = Heard(None, 0.0, (), UNDECODABLE)


def _silent_video(path: Path, audio: list[str]) -> bytearray:
    """5 s of black and of silence (16 kHz mono) in ``path``'s container; its bytes."""
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin",
        "-y", "-f", "lavfi", "-i", "color=c=black:s=16x16:r=1:d=5",
        "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono:d=5",
        "-map", "0:v", "-map", "1:a", "-c:v", "mpeg4", *audio, str(path),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    return bytearray(path.read_bytes())


def without_decoder(path: Path) -> Path:
    """An MP2 track whose CodecID no decoder knows (same length, so no size changes)."""
    data = _silent_video(path, ["-c:a", "mp2", "-b:a", "32k"])
    at = data.index(b"A_MPEG/L2")
    data[at : at + 9] = b"A_NOPE/L2"
    path.write_bytes(data)
    return path


def overflowing_avi(path: Path) -> Path:
    """An AVI audio stream of 2**31 - 1 units of 2**31 - 1 seconds each."""
    data = _silent_video(path, ["-c:a", "mp2", "-b:a", "32k"])
    header = data.index(b"strh")
    assert data[header + 8 : header + 12] == b"vids"  # the video's first, then the audio's
    header = data.index(b"strh", header + 1)
    assert data[header + 8 : header + 12] == b"auds"
    struct.pack_into("<IIII", data, header + 28, 0x7FFFFFFF, 1, 0, 0x7FFFFFFF)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "name"),
    [(without_decoder, "e.mkv"), (overflowing_avi, "e.avi")],
    ids=["no-decoder", "avi-duration-overflow"],
)
def test_a_track_that_cannot_be_decoded_is_an_answer(tmp_path: Path, make, name: str) -> None:
    """Before: LookupError and OverflowError out of listen(), and out of the item."""
    assert listen(make(tmp_path / name), 1, ListenSettings()) == UNDECODED


def test_a_declared_duration_the_stream_never_reaches_is_not_silence(tmp_path: Path) -> None:
    """A Matroska file whose Segment says 10 hours over its 5 s of silence: every sample
    lies past the end. Before: "silence", kept for good. The same file as it was made
    is silence (the check does not catch a track that ends where it says)."""
    path = tmp_path / "e.mkv"
    data = _silent_video(path, ["-c:a", "pcm_s16le"])
    assert listen(path, 1, ListenSettings()).why == "silence"
    at = data.index(b"\x44\x89\x88")  # Duration, an 8-byte float
    assert struct.unpack(">d", data[at + 3 : at + 11]) == (5000.0,)
    data[at + 3 : at + 11] = struct.pack(">d", 10 * 3600 * 1000.0)
    path.write_bytes(data)
    assert listen(path, 1, ListenSettings()) == UNDECODED


def test_a_video_swapped_for_a_fifo_since_it_was_probed_is_not_waited_on(
    tmp_path: Path,
) -> None:
    """ffmpeg's own open blocks on a FIFO: the process's one listening thread waited."""
    fifo = tmp_path / "e.mkv"
    os.mkfifo(fifo)
    with released_if_blocked(fifo):
        assert listen(fifo, 1, ListenSettings()) == UNDECODED


@pytest.mark.django_db(transaction=True)
def test_an_undecodable_track_does_not_fail_the_item_and_is_kept_until_the_file_changes(
    sonarr_instance: Instance, tv_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe's case: the item failed on every scan and kept its old tags for ever.
    The model is never asked (nothing was decoded): a stand-in spares loading it."""
    monkeypatch.setattr("scanner.listening.model.speech_model", lambda settings: None)
    first, *others = tv_library.files["Never Dubbed"]
    for path in (first, *others):
        path.unlink()
    without_decoder(first)  # its one audio track has no language: listened to
    sonarr_instance.identify_audio_language = "unlabelled"
    sonarr_instance.save()
    before = tracks_opened()
    run = scan_inline(sonarr_instance)
    assert (run.status, run.items_failed) == (ScanRun.Status.SUCCEEDED, 0)
    assert tracks_opened() == before + 1
    never = Media.objects.get(title="Never Dubbed")
    (stored,) = never.files.all()
    assert [track["heard"]["why"] for track in stored.audio_tracks] == [UNDECODABLE]
    assert any(UNDECODABLE in line for line in never.verdict_reasons["listening"])
    again = scan_inline(sonarr_instance, mode="rewrite")  # read again, unchanged: kept
    assert (again.status, again.items_failed) == (ScanRun.Status.SUCCEEDED, 0)
    assert tracks_opened() == before + 1


LONG_LANGUAGE = "English" + " (x)" * 1500


def test_a_language_of_1500_qualifiers_is_unknown(tmp_path: Path) -> None:
    path = make_video(tmp_path / "e.mkv", [AudioSpec(LONG_LANGUAGE, bcp47_only=True)])
    assert path.stat().st_size < 10_000
    (track,) = probe(path).audio
    assert (track.raw_language, track.language) == (None, None)


@pytest.mark.django_db(transaction=True)
def test_a_file_with_such_a_language_does_not_fail_its_series(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    """Before: the item failed on every scan, and kept its old tags for ever."""
    first = tv_library.files["Never Dubbed"][0]
    first.unlink()
    make_video(first, [AudioSpec(LONG_LANGUAGE, bcp47_only=True)])
    run = scan_inline(sonarr_instance)
    assert (run.status, run.items_failed) == (ScanRun.Status.SUCCEEDED, 0)
    stored = Media.objects.get(title="Never Dubbed").files.get(path__endswith=first.name)
    assert [track["language"] for track in stored.audio_tracks] == [None]
