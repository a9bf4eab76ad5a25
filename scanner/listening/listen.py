"""One audio track listened to: two samples away from its start, a third only when
they disagree or are unsure, within the time allowed per track; the model's answers
combined by the engine (scanner/engine/heard.py).

A track that cannot be decoded is an answer, not an error: "could not be decoded", kept
with the file until it changes (scanner/pipeline/scanning/listening.py). So is a track
whose stream ends long before the duration its container declares (a header that says
10 hours, 5 seconds of sound): a sample the decoder cannot reach is not silence."""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

from scanner.engine.heard import Heard, combine, sample_starts, settled
from scanner.listening.decode import RATE, TrackAudio, Undecodable
from scanner.listening.model import ListenSettings, speech_model

logger = logging.getLogger(__name__)

_KEPT_PER_SAMPLE = 10  # of the model's ~100 languages, the likeliest few
_QUIET = 1e-4  # mean square below this: silence, nothing to ask the model
UNDECODABLE = "the track could not be decoded"
# A sample of a track with a declared duration that decodes to less than this share of
# its length lies past the stream's real end (samples end well before the declared end:
# heard.sample_starts).
_REACHED = 0.5
# A process listens on one thread of its own, one track at a time: the model answers one
# call at a time anyway (CTranslate2, one worker), and a track's samples and features (tens
# of MB) are then allocated, and kept by the C allocator once freed, in that one thread's
# memory arena, not in each of a worker's 32 item threads' (bench/README.md, "Listening").
_listening_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="listening")


def listen(
    path: str | os.PathLike[str],
    position: int,
    settings: ListenSettings,
    within: float | None = None,
) -> Heard:
    """What the audio track at ``position`` (1-based) of the file speaks; unsure with
    ``UNDECODABLE`` when the track cannot be decoded. Raises RuntimeError when the
    model fails, TimeoutError when no answer came ``within`` seconds (the caller's
    deadline: a read blocked on a share that stopped answering; the listening thread is
    left to it)."""
    future = _listening_thread.submit(_listen, path, position, settings)
    try:
        return future.result(timeout=within)
    except TimeoutError:
        future.cancel()  # not started yet: never run
        raise


def _listen(path: str | os.PathLike[str], position: int, settings: ListenSettings) -> Heard:
    try:
        samples = _samples(path, position, settings)
    except Undecodable as error:
        logger.warning("Cannot decode audio track %s of %s: %s", position, path, error)
        return Heard(None, 0.0, (), UNDECODABLE)
    if not any(samples):
        return Heard(None, 0.0, (), "silence")
    return combine(samples)


def _samples(
    path: str | os.PathLike[str], position: int, settings: ListenSettings
) -> list[dict[str, float]]:
    """The model's answer per sample ({}: silence). Raises Undecodable."""
    began = time.monotonic()
    samples: list[dict[str, float]] = []
    with TrackAudio(path, position) as track:
        duration = track.duration
        for start, length in sample_starts(duration, 3):
            audio = track.sample(start, length)
            if duration > 0 and audio.size < length * RATE * _REACHED:
                raise Undecodable(f"it ends before the {duration:.0f} s its container declares")
            if audio.size and float((audio * audio).mean()) >= _QUIET:
                samples.append(_languages(audio, settings))
            else:
                samples.append({})
            if len(samples) >= 2 and (settled(samples) or _out_of_time(began, settings)):
                break
    return samples


def _languages(audio: object, settings: ListenSettings) -> dict[str, float]:
    model = speech_model(settings)
    _, _, ranked = model.detect_language(audio=audio)
    return dict(ranked[:_KEPT_PER_SAMPLE])


def _out_of_time(began: float, settings: ListenSettings) -> bool:
    return time.monotonic() - began > settings.seconds_per_track
