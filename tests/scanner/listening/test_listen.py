"""One track listened to with the real model (faster-whisper's base, from the test
requirements) on real speech (tests/speech): the languages espeak-ng speaks well are
heard above the threshold, under noise and a tune too; music, silence and samples
that disagree come out unsure, with the candidates and why. The model is loaded once
per test process (scanner.listening.model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.engine.heard import THRESHOLD
from scanner.listening.listen import listen
from scanner.listening.model import ListenSettings
from tests.speech import CLIPS, SILENCE, speech_video, whisper_base


@pytest.fixture(scope="module")
def model() -> ListenSettings:
    return ListenSettings(model=str(whisper_base()), threads=1)


@pytest.mark.parametrize(("clip", "language"), [("de-noise", "deu"), ("ja-music", "jpn")])
def test_speech_under_noise_or_a_tune_is_heard(
    model: ListenSettings, clip: str, language: str
) -> None:
    heard = listen(CLIPS / f"{clip}.opus", 1, model)
    assert heard.language == language
    assert heard.probability >= THRESHOLD
    assert heard.said().startswith(f"{dict(deu='German', jpn='Japanese')[language]}, ")


def test_only_the_asked_track_of_an_avi_is_decoded(model: ListenSettings, tmp_path: Path) -> None:
    """AVI has no language field at all; the second audio stream is the second track."""
    video = speech_video(tmp_path / "e.avi", [("ja", None), ("de", None)], "avi")
    assert listen(video, 2, model).language == "deu"


@pytest.mark.parametrize(
    ("clip", "why"),
    [
        ("music", "no clear speech: music, noise or silence?"),
        ("de-fr", "the samples disagree: French, German"),
        (SILENCE, "silence"),
    ],
)
def test_music_silence_and_two_languages_are_unsure(
    model: ListenSettings, tmp_path: Path, clip: str, why: str
) -> None:
    video = speech_video(tmp_path / "e.mkv", [(clip, None)])
    heard = listen(video, 1, model)
    assert (heard.language, heard.why) == (None, why)
    assert heard.said().startswith(f"unsure by listening ({why})")


def test_a_worker_that_never_listens_loads_none_of_the_extra() -> None:
    """With every instance off (the default), a worker's scan imports neither the model
    nor PyAV nor lingua: its memory stays what it was (bench/RESULTS.md)."""
    code = (
        "import django, json, sys; django.setup()\n"
        "import scanner.pipeline.scanning.media_scan, web.admin.instance_form\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taggarr.settings"}
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True, env=env
    ).stdout
    loaded = set(json.loads(output))
    assert "scanner" in loaded
    assert loaded & {"faster_whisper", "ctranslate2", "av", "lingua", "numpy"} == set()
