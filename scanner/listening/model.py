"""The speech model, loaded once per process at the first track that needs it (never
while every instance is ``off``), and what is missing when it cannot be.

``TAGGARR_LISTEN_MODEL`` names it: a model size faster-whisper fetches into the data
dir on first use (``base``), or a folder holding a converted model (model.bin,
config.json, tokenizer.json, vocabulary.txt).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_REQUIRED = ("faster_whisper", "av")
_lock = threading.Lock()
_loaded: dict[tuple[str, int], Any] = {}


@dataclass(frozen=True, slots=True)
class ListenSettings:
    """The settings listening runs within (taggarr/settings.py, README "Listening")."""

    model: str = "base"  # a model size, or a folder
    download_dir: str = ""  # where a named size is fetched to (the data dir's models/)
    threads: int = 1  # CPU threads the model uses per track
    max_tracks: int = 200  # tracks listened to per scan run; the rest wait for the next scan
    seconds_per_track: float = 20.0  # past this no further sample is taken


def missing_extra() -> str:
    """Why listening cannot run here ("" when it can): the extra not installed."""
    absent = [name for name in _REQUIRED if importlib.util.find_spec(name) is None]
    if absent:
        return (
            "the listening extra is not installed ("
            + ", ".join(absent)
            + "): make install-listen, or the Docker image built with LISTEN=1"
        )
    return ""


def missing_model(settings: ListenSettings) -> str:
    """Why the model named cannot be loaded without a download ("" when it is there, or
    when it is a size to fetch on first use)."""
    folder = Path(settings.model)
    if settings.model.startswith(("/", ".")) and not (folder / "model.bin").is_file():
        return f"no model in {settings.model} (model.bin is missing)"
    return ""


def speech_model(settings: ListenSettings) -> Any:
    """The process's model (faster_whisper.WhisperModel), loaded at the first call."""
    key = (settings.model, settings.threads)
    with _lock:
        model = _loaded.get(key)
        if model is None:
            from faster_whisper import WhisperModel

            logger.info("Loading the speech model %s", settings.model)
            model = WhisperModel(
                settings.model,
                device="cpu",
                compute_type="int8",
                cpu_threads=settings.threads,
                download_root=settings.download_dir or None,
            )
            _loaded.clear()  # one model per process
            _loaded[key] = model
        return model


def loaded() -> bool:
    """Whether this process has loaded a model (tests: ``off`` loads none)."""
    return bool(_loaded)
