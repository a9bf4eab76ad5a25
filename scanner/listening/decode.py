"""Samples of one audio track as the model hears them: mono 16 kHz float32, decoded
by PyAV (ffmpeg's libraries) from that stream only, seeking to each sample's start so
that on a share only the bytes around the samples are read, never the whole file.

Whatever goes wrong in decoding one track is ``Undecodable``, a fact about that track:
PyAV's errors are ``av.error.FFmpegError`` subclasses that also derive from
``LookupError`` (no decoder for the codec), ``ValueError``, ``OSError``, ``EOFError``,
``MemoryError`` or ``RuntimeError`` (PyAV's av/error.pyx, ``classes``), and a crafted
container's duration makes ``seek`` raise ``OverflowError`` (its offset is a C int64).
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator

import av
import numpy as np

RATE = 16000
# Tracks this process opened to listen to, for the metrics and the tests ("off"
# decodes nothing, a rescan of unchanged files neither).
_opened = [0]
_lock = threading.Lock()


# What PyAV and the arithmetic on a track's declared duration raise (the docstring).
# Not TypeError, AttributeError and the like: those are this module's bugs, not the file's.
DECODE_ERRORS: tuple[type[Exception], ...] = (
    av.error.FFmpegError,
    ArithmeticError,
    LookupError,
    ValueError,
    OSError,
    EOFError,
    MemoryError,
    RuntimeError,
)


class Undecodable(Exception):
    """The track cannot be decoded (``__cause__``: what PyAV or the arithmetic raised)."""


def tracks_opened() -> int:
    """How many tracks this process has opened so far."""
    return _opened[0]


class TrackAudio:
    """One audio track of an open file (``position``: 1-based among the audio tracks,
    as MediaInfo counts them)."""

    def __init__(self, path: str | os.PathLike[str], position: int) -> None:
        """Raises Undecodable: the file cannot be opened as media, or has no such track."""
        with _lock:
            _opened[0] += 1
        with _as_undecodable():
            self._container = _open_regular(os.fspath(path))
        try:
            with _as_undecodable():
                streams = self._container.streams.audio
                if not 1 <= position <= len(streams):
                    raise Undecodable(f"no audio track {position}")
                self._stream = streams[position - 1]
                self._resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        except Undecodable:
            self._container.close()
            raise

    def __enter__(self) -> TrackAudio:
        return self

    def __exit__(self, *_: object) -> None:
        self._container.close()

    @property
    def duration(self) -> float:
        """Seconds: the stream's own duration, else the container's, else 0 (what the
        file declares: the stream may end long before). Raises Undecodable."""
        with _as_undecodable():
            return self._declared_duration()

    def _declared_duration(self) -> float:
        stream = self._stream
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if self._container.duration is not None:
            return self._container.duration / av.time_base
        return 0.0

    def sample(self, start: float, length: float) -> np.ndarray:
        """``length`` seconds from ``start`` (fewer at the end of the track, none past
        it). Raises Undecodable."""
        with _as_undecodable():
            return self._sample(start, length)

    def _sample(self, start: float, length: float) -> np.ndarray:
        if start > 0:
            self._container.seek(int(start * av.time_base), any_frame=False, backward=True)
        wanted = int(length * RATE)
        parts: list[np.ndarray] = []
        got = 0
        for frame in self._frames():
            if frame.time is not None and frame.time + (frame.samples / frame.sample_rate) < start:
                continue  # before the start: the seek lands on a key frame before it
            for resampled in self._resampler.resample(frame):
                data = resampled.to_ndarray().reshape(-1)
                parts.append(data)
                got += data.size
            if got >= wanted:
                break
        audio = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        return audio[:wanted].astype(np.float32, copy=False)

    def _frames(self) -> Iterator[av.AudioFrame]:
        try:
            for packet in self._container.demux(self._stream):
                yield from packet.decode()
        except av.error.EOFError:
            return


def _open_regular(name: str) -> av.container.InputContainer:
    """The media file at ``name``, if it is a regular file: ffmpeg's own open blocks on
    a FIFO (one put in the file's place since it was probed would hold the process's
    one listening thread for ever). Opened here first without blocking, checked by
    ``fstat``, then given to ffmpeg by its descriptor's /proc name: the very file
    checked (elsewhere than Linux, by its name)."""
    descriptor = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise Undecodable("not a regular file")
        opened = f"/proc/self/fd/{descriptor}"
        return av.open(opened if os.path.exists(opened) else name, metadata_errors="ignore")
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _as_undecodable() -> Iterator[None]:
    try:
        yield
    except DECODE_ERRORS as error:
        said = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise Undecodable(said) from error
