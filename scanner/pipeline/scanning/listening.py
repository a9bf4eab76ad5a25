"""Listening in the item's task (issue 53): the audio tracks the instance's mode wants
heard, and that have not been heard since the file last changed, are listened to on
the worker that reads the file (any host: it needs the file, not the web server's
disk). What was heard goes into the file's stored tracks, with its size and mtime:
a rescan with nothing changed listens to nothing, and turning the mode off and on
again does not listen again.

Bounded: ``TAGGARR_LISTEN_MAX_TRACKS`` per run (the rest wait for the next scan),
the seconds per track, the model's threads. Without the optional extra or the
model, the tracks stay as labelled and the scan goes on; the tracks not heard for it
are counted with why (a code of scanner.engine.unheard.UNHEARD), for the run to say.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import replace
from pathlib import Path

from django.conf import settings

from scanner.engine.heard import Heard
from scanner.engine.library import VideoFile
from scanner.engine.listened import wants_listening, wants_reading
from scanner.engine.regular_files import UnsafeFile
from scanner.engine.tracks import AudioTrack, FileTracks
from scanner.engine.unheard import MODEL_FAILED, NO_EXTRA, NO_MODEL
from scanner.errors import ShareUnanswered
from scanner.listening.model import (
    CannotListen,
    ListenSettings,
    ModelUnavailable,
    last_failure,
    missing_extra,
    missing_model,
)
from scanner.listening.text import TEXT_FORMATS
from scanner.models import MediaFile
from scanner.runtime.hold import seconds_left
from scanner.runtime.running import hold_limit

logger = logging.getLogger(__name__)

UNREADABLE = "the file could not be read: it is not a regular file"


def listen_settings() -> ListenSettings:
    return ListenSettings(
        model=settings.LISTEN_MODEL,
        download_dir=str(Path(settings.DATA_DIR) / "models"),
        threads=settings.LISTEN_THREADS,
        max_tracks=settings.LISTEN_MAX_TRACKS,
        seconds_per_track=float(settings.LISTEN_SECONDS_PER_TRACK),
    )


def unavailable() -> CannotListen | None:
    """Why listening cannot run in this process before it tries (None: it may)."""
    extra = _missing_extra()
    if extra:
        return CannotListen(NO_EXTRA, extra)
    folder = missing_model(listen_settings())
    return CannotListen(NO_MODEL, folder) if folder else None


def cannot_listen() -> str:
    """This process's word for its heartbeat (scanner.worker.health): the code of why it
    cannot listen, or of its last failed load of the model; "" when it can (or may)."""
    why = unavailable()
    return why.code if why is not None else last_failure()


@functools.cache
def _missing_extra() -> str:
    return missing_extra()


class Listener:
    """One item task's listening: what it may still listen to, and how far it got."""

    def __init__(self, mode: str, budget: int | None = None) -> None:
        """``budget``: the tracks the run may still listen to (None: the setting's)."""
        self.mode = mode
        self.settings = listen_settings()
        self.left = self.settings.max_tracks if budget is None else budget
        self.wanted = 0  # audio tracks its files asked to be heard (heard or not)
        self.heard = 0
        self.pending = False  # tracks left unheard (the limit, the model): scan again
        self.unheard = 0  # ... of them, those not heard because listening could not run
        self.unheard_reason = ""  # why, the first time (a code of unheard.UNHEARD)
        self._broken = ""  # the model failed to load: no further try in this task

    def kept_or_heard(
        self, folder: Path, video: VideoFile, tracks: FileTracks, old: MediaFile | None
    ) -> FileTracks:
        """A readable file's tracks (its sidecars the walk's): what was heard before kept
        where it holds (``old``: its stored row), the rest listened to as the mode says."""
        tracks = carried(tracks, old, video)
        return tracks if self.mode == "off" else self.hear(folder, video.relpath, tracks)

    def hear(self, folder: Path, relpath: str, tracks: FileTracks) -> FileTracks:
        """The tracks of the file at ``relpath`` in the item's ``folder``, with what their
        wanted, unheard audio tracks speak, and the language of their sidecar subtitle
        files without one (their names are from the item's folder), read from their text."""
        return self._audio(folder / relpath, self._subtitles(folder, tracks))

    def _subtitles(self, folder: Path, tracks: FileTracks) -> FileTracks:
        wanted = [
            track for track in tracks.subtitles
            if wants_reading(track, self.mode) and (track.format or "") in TEXT_FORMATS
        ]  # fmt: skip
        if not wanted or _missing_extra():
            return tracks
        from scanner.listening.text import identify_text  # the optional extra

        read: dict[str, Heard] = {}
        for track in wanted:
            try:
                read[str(track.file)] = identify_text(folder / str(track.file))
            except UnsafeFile as error:  # a FIFO, a device, a folder: kept while so named
                logger.warning("Not reading %s: %s", folder / str(track.file), error.reason)
                read[str(track.file)] = Heard(None, 0.0, (), UNREADABLE, by="text")
            except OSError as error:  # gone since the walk, unreadable: the next scan
                logger.warning("Cannot read %s: %s", folder / str(track.file), error)
        subtitles = tuple(
            replace(track, heard=read[track.file]) if track.file in read else track
            for track in tracks.subtitles
        )
        return FileTracks(tracks.audio, subtitles)

    def _audio(self, path: Path, tracks: FileTracks) -> FileTracks:
        wanted = [  # an external audio file is not a track of this file: never listened to
            track
            for track in tracks.audio
            if track.file is None and wants_listening(track, self.mode)
        ]
        if not wanted:
            return tracks
        self.wanted += len(wanted)
        why = unavailable()
        if why is not None:  # not pending: scanning again would not help
            _warn_once(why.detail)
            self._not_heard(len(wanted), why.code)
            return tracks
        if len(wanted) > self.left or self._broken:
            self.pending = True
        if self._broken:
            self._not_heard(min(len(wanted), self.left), self._broken)
        if self.left <= 0 or self._broken:
            return tracks
        heard: dict[int, Heard] = {}
        allowed = wanted[: self.left]
        for track in allowed:
            answer = self._listen(path, track)
            if answer is None:
                self.pending = True
                self._not_heard(len(allowed) - len(heard), self._broken)
                break
            heard[track.position] = answer
        self.left -= len(heard)
        self.heard += len(heard)
        audio = tuple(
            replace(track, heard=heard[track.position]) if track.position in heard else track
            for track in tracks.audio
        )
        return FileTracks(audio, tracks.subtitles)

    def _not_heard(self, count: int, reason: str) -> None:
        self.unheard += count
        self.unheard_reason = self.unheard_reason or reason

    def _listen(self, path: Path, track: AudioTrack) -> Heard | None:
        """What the track speaks; None when the model cannot run (``_broken``: why)."""
        # The optional extra, imported when first used.
        from scanner.listening.listen import UNDECODABLE, listen
        from scanner.listening.model import speech_model

        try:
            speech_model(self.settings)  # loaded once per process; a download, a bad folder
        except ModelUnavailable as error:
            self._broken = error.code
            logger.warning("The speech model cannot be loaded: %s", error)
            return None
        try:  # a track that cannot be decoded is an answer (kept, not tried again)
            return listen(path, track.position, self.settings, within=seconds_left())
        except TimeoutError:  # an OSError too: past the item's hold limit, its read hangs
            raise ShareUnanswered(str(path), hold_limit()) from None
        except RuntimeError as error:  # the model failed: not kept, the next scan tries again
            self._broken = MODEL_FAILED
            logger.warning("The speech model failed: %s", str(error) or type(error).__name__)
            return None
        except (OSError, ValueError) as error:  # the model refused these samples: kept
            logger.warning("Cannot listen to track %s of %s: %s", track.position, path, error)
            return Heard(None, 0.0, (), UNDECODABLE)


def carried(tracks: FileTracks, old: MediaFile | None, video: VideoFile) -> FileTracks:
    """What was heard before, where it still holds: a file read again though unchanged
    (a forced rescan) keeps its tracks'; its sidecars keep theirs while their names are
    the same (the walk lists them anew each scan)."""
    if old is None:
        return tracks
    before_read = {t["file"]: t["heard"] for t in old.subtitle_tracks if t.get("heard")}
    if before_read and old.sidecars_key == video.sidecars_key:
        subtitles = tuple(
            replace(track, heard=Heard.from_dict(before_read[track.file]))
            if track.file in before_read and track.heard is None
            else track
            for track in tracks.subtitles
        )
        tracks = FileTracks(tracks.audio, subtitles)
    if (old.size, old.mtime_ns) != (video.size, video.mtime_ns):
        return tracks
    before = {int(t["position"]): t.get("heard") for t in old.audio_tracks if t.get("heard")}
    if not before:
        return tracks
    audio = tuple(
        replace(track, heard=Heard.from_dict(before[track.position]))
        if track.position in before and track.heard is None
        else track
        for track in tracks.audio
    )
    return FileTracks(audio, tracks.subtitles)


@functools.cache
def _warn_once(why: str) -> None:
    logger.warning("Audio tracks are not listened to: %s. The scan goes on with the labels.", why)
