"""The managed tags in every NFO a player reads for the item (scanner.engine.nfo_paths);
a missing one is created only when the instance asks and the item's link is known (a
new NFO without it would be Kodi's whole record of the item).

An NFO that could not be written (a read-only folder, a full disk) is in
``NfoResult.failed``: the run ends partial, the apply step marks the item due
(Media.nfo_due), and the next scan writes it again although nothing else changed.

An NFO Taggarr will not edit (not well-formed, another kind, a link to a file outside
the item's folder: a Kodi URL-only NFO is one) is the user's file, not a failed write:
it is left as it was and reported once (an event), the run is not partial for it, and
the item is due, so that the next scan after it is mended writes it.

With the tags goes the item's original language, ``<originallanguage>``
(scanner.engine.nfo_original: Kodi 22 reads it, toward its "original language" audio
choice): only Taggarr's own value is replaced or removed, and what the NFOs hold of it
afterwards is ``NfoResult.originals`` (stored as Media.nfo_original). An item whose
stored value is no longer its original is written again (``original_stale``).
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

from django.db import transaction

from scanner import names
from scanner.engine import nfo, nfo_paths
from scanner.errors import NfoError, ShareUnanswered, StorageError
from scanner.models import Event, Instance, Media, MediaFile, ScanRun
from scanner.models.event_data import NFO_MALFORMED, NFO_UNWRITABLE
from scanner.pipeline.scanning.io_pool import map_on_io_threads
from scanner.pipeline.state import apply_steps
from scanner.pipeline.state.apply_lease import ApplyHold
from scanner.pipeline.writers.writes import NfoResult, TagWrite

HEARTBEAT_EVERY = 200


class NfoOutcome(Enum):
    """What one item's NFOs came to; the values of those that hold nothing of the run
    are the reasons in NfoResult.not_written (said in words by
    scanner.reports.progress)."""

    WRITTEN = "written"  # an NFO changed
    CREATED = "created"
    RIGHT = "right"  # its NFOs held the tags already
    MISSING = "missing"  # no NFO, and Create NFOs is off (or no tag to write)
    NO_LINK = "no_link"  # no NFO, and none created: the item's link is not known
    KEPT = "kept"  # Write NFO tags is off: its NFOs were not touched
    NOT_HERE = "not_here"  # the item's folder is not reachable from here


# The outcomes after which the item's NFOs hold what Taggarr decided of the original.
LOOKED_AT = frozenset({NfoOutcome.WRITTEN, NfoOutcome.CREATED, NfoOutcome.RIGHT})

NFO_OFF = "nfo_off"  # Write NFO tags and Create NFOs both off: no NFO looked at
NFO_ERROR = "nfo_error"  # its NFO could not be written, or is not ours to edit


def write_nfos(run: ScanRun, writes: list[TagWrite], held: ApplyHold) -> NfoResult:
    """The files on the I/O threads (on a share each NFO costs several round trips),
    what they found recorded here, in chunks between heartbeats. ``held``: the apply
    step's token, held before each chunk (scanner.pipeline.state.apply_lease)."""
    instance = run.instance
    report = NfoResult()
    if not (instance.write_nfo or instance.create_nfo):
        report.not_written.update((w.media.pk, NFO_OFF) for w in writes)
        return report
    if not writes:
        return report
    main_files = _main_files([w.media for w in writes if w.media.kind == Media.Kind.MOVIE])
    real_roots = [Path(os.path.realpath(root)) for root in instance.root_folders if root.strip()]

    remove = run.mode == ScanRun.Mode.REMOVE

    def write(item: TagWrite) -> tuple[NfoOutcome, str | None] | StorageError:
        original = nfo.OriginalLanguage(
            wanted=None if remove else wanted_original(item.media),
            owned=item.media.nfo_original or None,
        )
        try:
            return _write_one(instance, item, main_files.get(item.media.pk), real_roots, original)
        except StorageError as exc:  # NfoError included: a broken NFO stays as it was
            return exc

    apply_steps.begin_step(held, apply_steps.NFO, len(writes))
    for start in range(0, len(writes), HEARTBEAT_EVERY):
        chunk = writes[start : start + HEARTBEAT_EVERY]
        held()
        try:
            outcomes = map_on_io_threads(write, chunk, _folder)
        except ShareUnanswered:
            # The step ends with that reason (scanner.runtime.hold); the NFOs not known
            # written are due, so that the next scan writes them though nothing changed.
            with transaction.atomic():
                held()
                due = [w.media.pk for w in writes[start:]]
                Media.objects.filter(pk__in=due).update(nfo_due=True)
            raise
        for item, written in zip(chunk, outcomes, strict=True):
            if isinstance(written, StorageError):
                _record_error(run, item.media, written, report, held)
                report.not_written[item.media.pk] = NFO_ERROR
                continue
            outcome, original = written
            if outcome in LOOKED_AT and (original or "") != item.media.nfo_original:
                report.originals[item.media.pk] = original or ""
            _record(item.media.pk, outcome, report)
            changed = outcome in (NfoOutcome.WRITTEN, NfoOutcome.CREATED)
            if changed or (item.media.nfo_due and outcome == NfoOutcome.RIGHT):
                # A due one that was right already: its write or the servers' re-read
                # of it failed last time, and the re-read is asked for again.
                report.to_reread.add(item.media.pk)
        apply_steps.step_done(held, start + len(chunk))  # a heartbeat too
    return report


def wanted_original(media: Media) -> str | None:
    """The original language its NFOs should say (Media.original_to_write: a person's
    override, else the *arr's; none while it is in doubt)."""
    return media.original_to_write


def original_stale(media: Media) -> bool:
    """Its NFOs hold Taggarr's value of an original that changed since (a person's
    override, the *arr's correction): they are written again although nothing else
    changed."""
    return bool(media.nfo_original) and media.nfo_original != wanted_original(media)


def _folder(write: TagWrite) -> str:
    return write.media.path


def _record(pk: int, outcome: NfoOutcome, report: NfoResult) -> None:
    if outcome in (NfoOutcome.WRITTEN, NfoOutcome.CREATED):
        report.written.add(pk)
    if outcome == NfoOutcome.CREATED:
        report.created.add(pk)
    if outcome in (NfoOutcome.WRITTEN, NfoOutcome.CREATED, NfoOutcome.RIGHT):
        report.carried.add(pk)
    else:
        report.not_written[pk] = outcome.value


def _record_error(
    run: ScanRun, media: Media, exc: StorageError, report: NfoResult, held: ApplyHold
) -> None:
    instance = run.instance
    if not instance.is_arr:  # its NFO is a library item's only record of its tag
        report.tag_failed[media.pk] = exc.reason
    if isinstance(exc, NfoError):
        report.left_alone.add(media.pk)
        if media.nfo_due:
            return  # told when it was first found so, and still so
    else:
        report.failed[media.pk] = exc.reason
    with transaction.atomic():
        held()  # told only by the apply step's holder
        Event.objects.create(
            instance=instance,
            media=media,
            run=run,
            kind=Event.Kind.NFO_ERROR,
            message=f"{media.title}: {exc.reason}",
            data={
                "title": media.title,
                "path": names.display(exc.path),
                "problem": NFO_MALFORMED if isinstance(exc, NfoError) else NFO_UNWRITABLE,
            },
        )


def _write_one(
    instance: Instance,
    write: TagWrite,
    main_file: str | None,
    real_roots: list[Path],
    original: nfo.OriginalLanguage,
) -> tuple[NfoOutcome, str | None]:
    """Files only (runs on an I/O thread). ``real_roots``: the instance's root folders,
    links followed; without any, the folder the item's is in. Every NFO a player reads
    is written; the first error is raised once the others are done. With the outcome
    goes the original language Taggarr's own in its NFOs after it."""
    media = write.media
    kind: nfo_paths.NfoKind = "series" if media.kind == Media.Kind.SERIES else "movie"
    folder = Path(media.path)
    if not folder.is_dir():  # not here (the *arr audio source needs no mount)
        return NfoOutcome.NOT_HERE, original.owned
    nfo.check_folder_in_library(folder, real_roots or [Path(os.path.realpath(folder.parent))])
    paths = nfo_paths.item_nfos(folder, kind, main_file)
    if not paths:
        new_path = nfo_paths.new_nfo_path(folder, kind, main_file)
        outcome = _create(instance, write, kind, new_path, original.wanted)
        created = outcome == NfoOutcome.CREATED
        return outcome, original.wanted if created else original.owned
    if not instance.write_nfo:
        return NfoOutcome.KEPT, original.owned
    changed, error, owned = False, None, None
    for path in paths:
        try:
            written = nfo.write_nfo(
                path, write.managed, write.wanted, folder=folder, kind=kind, original=original
            )
        except StorageError as exc:
            error = error or exc
            continue
        changed |= written.changed
        owned = owned or written.original  # ours in one of them: its value is ours there
    if error is not None:
        raise error
    return NfoOutcome.WRITTEN if changed else NfoOutcome.RIGHT, owned


def _create(
    instance: Instance,
    write: TagWrite,
    kind: nfo_paths.NfoKind,
    path: Path | None,
    original: str | None,
) -> NfoOutcome:
    if not (instance.create_nfo and write.wanted) or path is None:
        return NfoOutcome.MISSING
    media = write.media
    links = nfo_paths.item_links(
        kind, tmdb_id=media.tmdb_id, tvdb_id=media.tvdb_id, imdb_id=media.imdb_id
    )
    if not links:
        return NfoOutcome.NO_LINK
    nfo.create_nfo(path, kind, sorted(write.wanted), links, original)
    return NfoOutcome.CREATED


def _main_files(movies: list[Media]) -> dict[int, str]:
    if not movies:
        return {}
    return dict(MediaFile.objects.filter(media__in=movies).values_list("media_id", "path"))
