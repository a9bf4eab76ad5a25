"""Why audio tracks were not heard though listening was on: a code, never a sentence.
The listening extra says it (scanner.listening.model: the worker sends it), the run
keeps the first (ScanRun.unheard_reason), the pages word it (scanner.models.choices.Unheard).
Here, below both, so that the models know the codes without importing the extra."""

from __future__ import annotations

NO_EXTRA = "no_extra"  # the worker has no faster-whisper or PyAV
NO_MODEL = "no_model"  # TAGGARR_LISTEN_MODEL names a folder without model.bin
NO_NETWORK = "no_network"  # the first download could not reach the Hub
DOWNLOAD_REFUSED = "download_refused"  # the Hub or a proxy answered the download with an error
LOAD_FAILED = "load_failed"  # the model's files are there but do not load
MODEL_FAILED = "model_failed"  # loaded, it failed while listening
UNHEARD = (NO_EXTRA, NO_MODEL, NO_NETWORK, DOWNLOAD_REFUSED, LOAD_FAILED, MODEL_FAILED)
