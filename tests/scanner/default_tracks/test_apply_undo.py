"""Plan, apply and undo through ``manage.py default_tracks``, on real files: each refusal
(hardlinked, changed since planned), undo per file, item and run back to the very same
bytes, and a write MediaInfo reads otherwise undone and failed."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from scanner.models import DefaultTrackChange, Event, Instance, MediaFile
from tests.helpers import scan_inline
from tests.mkv_files import default_flags, mkvmerge_file
from tests.scanner.default_tracks.quebec import (
    MULTI,
    SUBTITLES,
    Films,
    films,
    quebec_instance,
    sha256,
)

__all__ = ["films"]

State = DefaultTrackChange.State
PLAN = Instance.DefaultTracks.PLAN


def _command(*args: object) -> str:
    out = StringIO()
    call_command("default_tracks", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def _row(path: Path) -> DefaultTrackChange:
    return DefaultTrackChange.objects.filter(path=str(path)).latest("id")


@pytest.mark.django_db(transaction=True)
def test_apply_writes_exactly_what_was_planned_and_undo_gives_the_same_bytes(
    films: Films,
) -> None:
    instance = quebec_instance(films, default_tracks=PLAN)
    original = sha256(films.multi)
    run = scan_inline(instance)
    planned = _row(films.multi)
    assert planned.state == State.PLANNED
    assert sha256(films.multi) == original  # the dry run first
    out = _command("apply", "--instance", instance.pk, "--dry-run")
    assert "Film (2020).mkv: would be written" in out
    assert sha256(films.multi) == original
    out = _command("apply", "--instance", instance.name)
    assert "Film (2020).mkv: written" in out
    assert default_flags(films.multi)[("audio", 3)] is True
    planned.refresh_from_db()
    assert planned.state == State.WRITTEN
    assert planned.applied_by  # who: the command line's user
    event = Event.objects.get(kind=Event.Kind.DEFAULT_TRACK, data__what="written")
    assert event.data["via"] == Event.Via.CLI
    out = _command("undo", "--instance", instance.pk, "--run", run.pk)
    assert "Film (2020).mkv: undone" in out
    assert sha256(films.multi) == original
    planned.refresh_from_db()
    assert planned.state == State.UNDONE
    assert Event.objects.filter(kind=Event.Kind.DEFAULT_TRACK, data__what="undone").count() == 1
    stored = MediaFile.objects.get(path__endswith="Film (2020).mkv")
    assert [t["default"] for t in stored.audio_tracks] == [True, False, False]
    # Undone by a person: not planned again on its own (the next scan changes nothing) ...
    scan_inline(instance)
    assert _row(films.multi).state == State.UNDONE
    # ... until a plan is asked for that file.
    file_id = stored.pk
    out = _command("plan", "--instance", instance.pk, "--file", file_id)
    assert "Film (2020).mkv: planned" in out


@pytest.mark.django_db(transaction=True)
def test_undo_by_file_and_by_item_and_a_file_changed_since_is_refused(films: Films) -> None:
    other = mkvmerge_file(films.root / "Sequel (2023)" / "Sequel (2023).mkv", MULTI, SUBTITLES)
    originals = {films.multi: sha256(films.multi), other: sha256(other)}
    instance = quebec_instance(films)
    scan_inline(instance)
    assert all(sha256(path) != digest for path, digest in originals.items())
    first_file = MediaFile.objects.get(path__endswith="Film (2020).mkv")
    out = _command("undo", "--instance", instance.pk, "--file", first_file.pk)
    assert out.strip() == "Film (2020).mkv: undone"
    assert sha256(films.multi) == originals[films.multi]
    assert sha256(other) != originals[other]
    # The other file changed since the write (touched): its undo is refused, untouched.
    other_file = MediaFile.objects.get(path__endswith="Sequel (2023).mkv")
    written = other.read_bytes()
    os.utime(other, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    out = _command("undo", "--instance", instance.pk, "--item", other_file.media_id)
    assert out.strip() == "Sequel (2023).mkv: refused, changed"
    assert other.read_bytes() == written
    assert _row(other).state == State.WRITTEN
    os.utime(other, ns=(_row(other).written_mtime_ns,) * 2)  # as the write left it
    out = _command("undo", "--instance", instance.pk, "--item", other_file.media_id)
    assert out.strip() == "Sequel (2023).mkv: undone"
    assert sha256(other) == originals[other]


@pytest.mark.django_db(transaction=True)
def test_a_hardlinked_file_is_left_alone_unless_the_instance_says_so(
    films: Films, tmp_path: Path
) -> None:
    seeding = tmp_path / "torrents" / "Film.2020.MULTi.mkv"
    seeding.parent.mkdir()
    os.link(films.multi, seeding)
    original = sha256(seeding)
    instance = quebec_instance(films)
    scan_inline(instance)
    row = _row(films.multi)
    assert (row.state, row.refusal, row.detail["nlink"]) == (State.REFUSED, "hardlinked", 2)
    assert sha256(seeding) == original
    instance.default_tracks_hardlinked = True
    instance.save()
    scan_inline(instance)  # the settings changed: planned again, and written
    assert _row(films.multi).state == State.WRITTEN
    assert default_flags(seeding)[("audio", 3)] is True  # the same inode


@pytest.mark.django_db(transaction=True)
def test_a_file_changed_between_plan_and_apply_is_refused_and_planned_again(
    films: Films,
) -> None:
    instance = quebec_instance(films, default_tracks=PLAN)
    scan_inline(instance)
    planned = _row(films.multi)
    os.utime(films.multi, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    changed = films.multi.read_bytes()
    out = _command("apply", "--instance", instance.pk)
    assert "Film (2020).mkv: refused, changed" in out
    assert films.multi.read_bytes() == changed
    planned.refresh_from_db()
    assert (planned.state, planned.refusal) == (State.REFUSED, "changed")
    scan_inline(instance)
    again = _row(films.multi)
    assert again.pk != planned.pk
    assert again.state == State.PLANNED
    assert again.mtime_ns == 1_600_000_000_000_000_000


@pytest.mark.django_db(transaction=True)
def test_a_write_mediainfo_reads_otherwise_is_undone_and_failed(
    films: Films, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong patch journalled (as a bug in the writer would make one): the track's name
    "VFQ" becomes "VFX". MediaInfo reads another title (verify.same_but_flags: "audio"),
    so the old bytes go back and the row fails, loudly."""
    instance = quebec_instance(films, default_tracks=PLAN)
    scan_inline(instance)
    original = films.multi.read_bytes()
    row = _row(films.multi)
    offset = original.index(b"VFQ")
    row.patch_offset, row.patch_old, row.patch_new = offset, b"VFQ", b"VFX"
    row.save()
    out = _command("apply", "--instance", instance.pk)
    assert "Film (2020).mkv: failed, verify" in out
    assert films.multi.read_bytes() == original
    row.refresh_from_db()
    assert (row.state, row.refusal, row.detail["verify"]) == (State.FAILED, "verify", "audio")
    assert any(r.levelname == "ERROR" and "undoing it" in r.getMessage() for r in caplog.records)
    assert Event.objects.filter(kind=Event.Kind.DEFAULT_TRACK, data__what="failed").exists()


@pytest.mark.django_db(transaction=True)
def test_plan_dry_run_records_nothing(films: Films) -> None:
    instance = quebec_instance(films, default_tracks=PLAN)
    scan_inline(instance, dry_run=True)
    DefaultTrackChange.objects.all().delete()
    out = _command("plan", "--instance", instance.pk, "--dry-run")
    assert "Film (2020).mkv: planned: audio 1 (en) -> 3 (fr-CA), subtitle None -> 2" in out
    assert "Other (2021).mkv: refused, no-room" in out
    assert "Clip (2022).mp4: refused, mp4" in out
    assert not DefaultTrackChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_history_tells_each_write_and_undo_in_the_readers_language(films: Films) -> None:
    from django.utils import translation

    from scanner.history.event_text import event_message

    instance = quebec_instance(films)
    scan_inline(instance)
    _command("undo", "--instance", instance.pk)
    written = Event.objects.get(kind=Event.Kind.DEFAULT_TRACK, data__what="written")
    undone = Event.objects.get(kind=Event.Kind.DEFAULT_TRACK, data__what="undone")
    with translation.override("en"):
        assert event_message(written) == (
            "Film (2020).mkv: the default audio track is now track 3 (Canadian French), "
            "was track 1 (English)"
        )
        told = event_message(undone)
    assert told.startswith(
        "Film (2020).mkv: the default track change was undone: track 1 (English) is the "
        "default again by "
    )
    assert told.endswith(" from the command line")


@pytest.mark.django_db(transaction=True)
def test_an_item_another_task_holds_is_neither_written_nor_undone(films: Films) -> None:
    from scanner.default_tracks import lease

    instance = quebec_instance(films, default_tracks=PLAN)
    scan_inline(instance)
    media_id = _row(films.multi).media_id
    assert media_id is not None
    assert lease.take(media_id, 4242)  # another task plans the item now
    before = sha256(films.multi)
    assert "held by another task, not written" in _command("apply", "--instance", instance.pk)
    assert sha256(films.multi) == before
    lease.let_go(media_id, 4242)
    assert "Film (2020).mkv: written" in _command("apply", "--instance", instance.pk)
    assert lease.take(media_id, 4242)
    assert "Film (2020).mkv: refused, busy" in _command("undo", "--instance", instance.pk)
    assert _row(films.multi).state == State.WRITTEN


@pytest.mark.django_db(transaction=True)
def test_a_write_read_otherwise_whose_undo_is_refused_is_never_saved_written(
    films: Films,
) -> None:
    """Issue 92: the wrong patch above ("VFQ" becomes "VFX"), and the file touched again
    right after MediaInfo's read (as a tool that opened it would): the undo at once is
    refused. The row is "not-undone", with why, on the page and in the history; undo takes
    it later, once the file is as the write left it."""
    from django.utils import translation

    from scanner.default_tracks import apply, lease
    from scanner.default_tracks.review import why as refusal_sentence
    from scanner.default_tracks.verify import Reading, read_again
    from scanner.history.event_text import event_message
    from scanner.leases import new_token

    instance = quebec_instance(films, default_tracks=PLAN)
    scan_inline(instance)
    original = films.multi.read_bytes()
    row = _row(films.multi)
    offset = original.index(b"VFQ")
    row.patch_offset, row.patch_old, row.patch_new = offset, b"VFQ", b"VFX"
    row.save()
    reads: list[str] = []

    def read_then_touched(path: str) -> Reading:
        reading = read_again(path)  # MediaInfo's, and the header's
        reads.append(path)
        if len(reads) == 2:  # the read after the write: then the file is touched
            os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
        return reading

    token = new_token()
    assert row.media_id is not None and lease.take(row.media_id, token)
    try:
        assert apply.write_one(row, token=token, read=read_then_touched) == "failed"
    finally:
        lease.let_go(row.media_id, token)
    assert b"VFX" in films.multi.read_bytes()  # the new bytes are still there
    row.refresh_from_db()
    assert row.state == State.NOT_UNDONE
    assert row.refusal == "verify-not-undone"
    assert (row.detail["verify"], row.detail["not_undone"]) == ("audio", "changed")
    event = Event.objects.get(kind=Event.Kind.DEFAULT_TRACK, data__what="failed")
    with translation.override("en"):
        assert row.get_state_display() == "failed, not undone"
        assert refusal_sentence(row) == (
            "After the change MediaInfo read more than the flags changed (audio), and the "
            "change could not be undone: the file changed since the change was written. The "
            "file may hold the new flags: Undo puts the old ones back while the file is as "
            "the change left it"
        )
        assert event_message(event).startswith(
            "Film (2020).mkv: the default track change failed and was not undone: "
        )
    # Not planned over by the next scan: undone first.
    scan_inline(instance)
    again = _row(films.multi)
    assert (again.state, again.refusal) == (State.REFUSED, "interrupted")
    os.utime(films.multi, ns=(row.written_mtime_ns,) * 2)  # as the write left it
    assert "Film (2020).mkv: undone" in _command("undo", "--instance", instance.pk)
    assert films.multi.read_bytes() == original


@pytest.mark.django_db(transaction=True)
def test_an_undo_refused_busy_says_until_when_in_the_readers_language(films: Films) -> None:
    """Issue 92: the holder lives (this process), on another host, or cannot be told: its
    lease is waited out, and the refusal says until when (the lease's end) and in how
    many minutes, on the command line and on the file's line."""
    from django.utils import translation

    from scanner.default_tracks import lease
    from scanner.default_tracks.review import why as refusal_sentence
    from scanner.models import DefaultTrackLease

    instance = quebec_instance(films)
    scan_inline(instance)
    written = _row(films.multi)
    media_id = written.media_id
    assert media_id is not None
    before = sha256(films.multi)
    assert lease.take(media_id, 4242)  # another task of this (living) process
    held = DefaultTrackLease.objects.get(media_id=media_id)
    mine = held.holder.split(" ")
    assert len(mine) == 5 and mine[3] == str(os.getpid())
    elsewhere = " ".join(["another-host", *mine[1:3], "999999999", "1"])
    for holder in (held.holder, elsewhere, ""):
        DefaultTrackLease.objects.filter(media_id=media_id).update(holder=holder)
        out = _command("undo", "--instance", instance.pk)
        assert out.startswith("Film (2020).mkv: refused, busy until ")
        assert "(in 10 min)" in out
    assert sha256(films.multi) == before
    row = _row(films.multi)
    assert row.state == State.WRITTEN
    assert row.detail["undo"] == "busy"
    until = held.leased_until
    assert until is not None and row.detail["undo_until"] == until.isoformat()
    with translation.override("en"):
        english = refusal_sentence(row)
    with translation.override("fr"):
        french = refusal_sentence(row)
    assert english.startswith("Not undone: another task holds this item until ")
    assert english.endswith(": try again then, in 10 minutes")
    assert french.startswith("Non défait\u00a0: une autre tâche détient cet élément jusqu'à ")
    assert french.endswith("réessayez alors, dans 10 minutes")
    lease.let_go(media_id, 4242)
    assert "Film (2020).mkv: undone" in _command("undo", "--instance", instance.pk)
