"""The speech model, loaded once per process at the first track that needs it (never
while every instance is ``off``), and what is missing when it cannot be.

``TAGGARR_LISTEN_MODEL`` names it: a model size faster-whisper fetches into the data
dir on first use (``base``), or a folder holding a converted model (model.bin,
config.json, tokenizer.json, vocabulary.txt).

Why a process cannot listen is a code (scanner.engine.unheard.UNHEARD), not a sentence:
the run counts the tracks not heard with the first code
(scanner.models.ScanRun.unheard_reason), and the pages word it in the reader's language
(scanner.models.choices.Unheard).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.engine.unheard import DOWNLOAD_REFUSED, LOAD_FAILED, NO_NETWORK

logger = logging.getLogger(__name__)

_REQUIRED = ("faster_whisper", "av")
_lock = threading.Lock()
_loaded: dict[tuple[str, int], Any] = {}

_last_failure: list[str] = []  # this process's last failed load (its code); [] once loaded


@dataclass(frozen=True, slots=True)
class CannotListen:
    """Why this process cannot listen: ``code`` one of UNHEARD, ``detail`` for the log."""

    code: str
    detail: str


class ModelUnavailable(RuntimeError):
    """The speech model could not be loaded; ``code`` says why (one of UNHEARD)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


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
    """The process's model (faster_whisper.WhisperModel), loaded at the first call.
    Raises ModelUnavailable when it cannot be (no network for the first download ...)."""
    key = (settings.model, settings.threads)
    with _lock:
        model = _loaded.get(key)
        if model is None:
            from faster_whisper import WhisperModel

            logger.info("Loading the speech model %s", settings.model)
            try:
                model = WhisperModel(
                    settings.model,
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=settings.threads,
                    download_root=settings.download_dir or None,
                )
            except (OSError, RuntimeError, ValueError) as error:
                code = load_failure(error)
                _last_failure[:] = [code]
                raise ModelUnavailable(code, str(error) or type(error).__name__) from error
            _loaded.clear()  # one model per process
            _loaded[key] = model
            _last_failure.clear()
        return model


def load_failure(error: BaseException) -> str:
    """The code of a failed load. huggingface_hub's snapshot_download (which faster-whisper
    calls for a model size) raises LocalEntryNotFoundError when the Hub cannot be reached
    and nothing is cached (a connection error, a timeout, HF_HUB_OFFLINE), chained from
    the HfHubHTTPError when the Hub answered with an error (a blocking proxy, the Hub
    down); a proxy that refuses the connection raises its ProxyError as it is."""
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    if isinstance(error, LocalEntryNotFoundError):
        refused = isinstance(error.__cause__, HfHubHTTPError)
        return DOWNLOAD_REFUSED if refused else NO_NETWORK
    if isinstance(error, HfHubHTTPError) or type(error).__name__ == "ProxyError":
        return DOWNLOAD_REFUSED
    return LOAD_FAILED


def last_failure() -> str:
    """The code of this process's last failed load ("" when none, or loaded since)."""
    return _last_failure[0] if _last_failure else ""


def loaded() -> bool:
    """Whether this process has loaded a model (tests: ``off`` loads none)."""
    return bool(_loaded)
