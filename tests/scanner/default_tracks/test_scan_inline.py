"""``scan --inline`` on a library with the option: each file's default track planned and
written in place, the rest of the stack following; a second scan changes nothing."""

from __future__ import annotations

import pytest

from scanner.default_tracks.refusals import refusal_text
from scanner.models import DefaultTrackChange, Event, Instance, MediaFile
from tests.helpers import scan_inline
from tests.jellyfin_streams import JELLYFIN_VERSIONS, jellyfin_default_audio
from tests.media import make_audio_file
from tests.mkv_files import default_flags, mkvmerge_file
from tests.scanner.default_tracks.quebec import MULTI, Films, films, quebec_instance, sha256

__all__ = ["films"]

State = DefaultTrackChange.State


def _changed_bytes(before: bytes, after: bytes) -> list[int]:
    return [index for index, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]


@pytest.mark.django_db(transaction=True)
def test_a_quebec_household_gets_the_vfq_first_and_only_flag_bytes_change(films: Films) -> None:
    original = films.multi.read_bytes()
    # Jellyfin's own selection (MediaStreamSelector.GetDefaultAudioStreamIndex, in the
    # fake from its source): a user who prefers French ("fre": Jellyfin compares the
    # code only, VFF and VFQ alike) with "Play default audio track" on gets the first
    # default-flagged track of the sorted list; before, the English original is the only
    # one flagged, so it plays.
    for version in JELLYFIN_VERSIONS:
        assert jellyfin_default_audio(films.multi, languages=("fre",), version=version) == 1
    instance = quebec_instance(films)
    run = scan_inline(instance)
    # After: the VFQ alone carries the flag, and every release starts it, with the
    # preference or without one.
    for version in JELLYFIN_VERSIONS:
        assert jellyfin_default_audio(films.multi, languages=("fre",), version=version) == 3
        assert jellyfin_default_audio(films.multi, languages=(), version=version) == 3
    after = films.multi.read_bytes()
    assert len(after) == len(original)  # the file's size never changes
    flags = default_flags(films.multi)  # as MKVToolNix reads the file
    assert flags[("audio", 1)] is False
    assert flags[("audio", 2)] is False
    assert flags[("audio", 3)] is True
    assert flags[("subtitle", 1)] is False  # a dub: no full subtitle shown
    assert flags[("subtitle", 2)] is True  # its forced subtitle (foreign parts)
    change = DefaultTrackChange.objects.get(path=str(films.multi))
    assert change.state == State.WRITTEN
    assert change.run_id == run.pk
    assert (change.audio_before, change.audio_after) == (1, 3)
    assert change.audio_after_language == "fr-CA"
    # Only the bytes of the planned patch changed, and only inside it.
    changed = _changed_bytes(original, after)
    assert changed
    assert min(changed) >= change.patch_offset
    assert max(changed) < change.patch_offset + len(bytes(change.patch_new))
    # The stored file follows: its time and its audio tracks' flags as the file holds them.
    stored = MediaFile.objects.get(path__endswith="Film (2020).mkv")
    assert [t["default"] for t in stored.audio_tracks] == [False, False, True]
    assert stored.mtime_ns == films.multi.stat().st_mtime_ns
    assert Event.objects.filter(kind=Event.Kind.DEFAULT_TRACK, data__what="written").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_refusals_are_planned_with_their_reasons(films: Films) -> None:
    no_room_bytes = films.no_room.read_bytes()
    scan_inline(quebec_instance(films))
    refused = dict(
        DefaultTrackChange.objects.filter(state=State.REFUSED).values_list("path", "refusal")
    )
    assert refused[str(films.no_room)] == "no-room"
    assert refused[str(films.mp4)] == "mp4"
    command = DefaultTrackChange.objects.get(path=str(films.no_room)).detail["command"]
    assert command.startswith("mkvpropedit ")
    assert "flag-default=0" in command
    assert films.no_room.read_bytes() == no_room_bytes  # never rewritten


@pytest.mark.django_db(transaction=True)
def test_a_second_scan_reads_nothing_again_and_writes_nothing(films: Films) -> None:
    instance = quebec_instance(films)
    scan_inline(instance)
    written = sha256(films.multi)
    rows = DefaultTrackChange.objects.count()
    events = Event.objects.filter(kind__in=[Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST]).count()
    second = scan_inline(instance)
    assert sha256(films.multi) == written
    assert DefaultTrackChange.objects.count() == rows  # nothing new said
    assert second.files_probed == 0  # the write is not read as a changed file
    assert second.items_total == 0  # nor its item (its files digest followed the write)
    after = Event.objects.filter(kind__in=[Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST]).count()
    assert after == events  # no arrival, no loss


@pytest.mark.django_db(transaction=True)
def test_off_by_default_nothing_is_planned_or_written(films: Films) -> None:
    before = sha256(films.multi)
    instance = quebec_instance(films, default_tracks=Instance.DefaultTracks.OFF)
    assert Instance._meta.get_field("default_tracks").default == Instance.DefaultTracks.OFF
    scan_inline(instance)
    assert sha256(films.multi) == before
    assert not DefaultTrackChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_plan_only_plans_and_a_dry_run_scan_never_writes(films: Films) -> None:
    before = sha256(films.multi)
    scan_inline(quebec_instance(films, default_tracks=Instance.DefaultTracks.PLAN))
    assert sha256(films.multi) == before
    assert DefaultTrackChange.objects.get(path=str(films.multi)).state == State.PLANNED


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_scan_of_an_instance_set_to_write_only_plans(films: Films) -> None:
    before = sha256(films.multi)
    scan_inline(quebec_instance(films), dry_run=True)
    assert sha256(films.multi) == before
    assert DefaultTrackChange.objects.get(path=str(films.multi)).state == State.PLANNED


@pytest.mark.django_db(transaction=True)
def test_the_media_server_is_asked_to_read_the_item_again_once(films: Films) -> None:
    """Jellyfin reads a stream's default flag at its scan (ffprobe's disposition): the
    written item is refreshed on the fake Jellyfin, once, though its file changed only."""
    from fakes.jellyfin import FakeJellyfin, build_movie
    from scanner.models import MediaServer
    from tests.helpers import SERVER_TOKEN

    items = [build_movie("m1", "Film", "/movies/Film (2020)/Film (2020).mkv")]
    with FakeJellyfin(token=SERVER_TOKEN, items=items) as jellyfin:
        instance = quebec_instance(films)
        server = MediaServer(
            name="jellyfin",
            url=jellyfin.url,
            path_mappings=[{"remote": "/movies", "local": str(films.root)}],
            write_tags=True,
        )
        server.set_token(SERVER_TOKEN)
        server.save()
        server.instances.set([instance])
        scan_inline(instance)
        assert [item for item, _mode in jellyfin.state.refreshed()] == ["m1"]
        scan_inline(instance)  # nothing written: nothing refreshed
        assert [item for item, _mode in jellyfin.state.refreshed()] == ["m1"]


@pytest.mark.django_db(transaction=True)
def test_an_ffmpeg_file_whose_flags_are_all_present_is_written_in_place(films: Films) -> None:
    """ffmpeg leaves no room after Tracks, but a file whose every flag is written (as
    mkvpropedit leaves it) needs none: each flag's byte flipped where it is."""
    from tests.mkv_files import explicit_flags

    explicit_flags(films.no_room)
    size = films.no_room.stat().st_size
    scan_inline(quebec_instance(films))
    row = DefaultTrackChange.objects.get(path=str(films.no_room))
    assert row.state == State.WRITTEN
    assert films.no_room.stat().st_size == size
    flags = default_flags(films.no_room)
    assert [flags[("audio", n)] for n in (1, 2, 3)] == [False, False, True]


@pytest.mark.django_db(transaction=True)
def test_an_audio_file_beside_the_video_as_the_choice_sets_nothing_in_it(films: Films) -> None:
    """The Quebec dub kept beside the video (tagging-rules.md, "External audio files"):
    it is the household's track, so the video's own flags (its English and its VFF) are
    left as they are, and the page says why."""
    folder = films.root / "Beside (2023)"
    video = mkvmerge_file(folder / "Beside (2023).mkv", MULTI[:2])
    make_audio_file(folder / "Beside (2023).fr-CA.mka", language="fre")
    before = sha256(video)
    scan_inline(quebec_instance(films))
    assert sha256(video) == before
    change = DefaultTrackChange.objects.get(path=str(video))
    assert (change.state, change.refusal) == (State.REFUSED, "external-audio")
    assert change.detail["file"] == "Beside (2023).fr-CA.mka"
    assert "Beside (2023).fr-CA.mka" in refusal_text(change.refusal, change.detail)


@pytest.mark.django_db(transaction=True)
def test_after_a_write_and_after_its_undo_a_rescan_reads_no_header_again(films: Films) -> None:
    """Issue 92: the write changes the file's time, so the item's plan key (what the plan
    read: its files' sizes and times) follows it with the stored file; the rescan of the
    unchanged library then reads neither the file (MediaInfo) nor its header (the plan),
    after the write as after its undo."""
    from io import StringIO

    from django.core.management import call_command

    from scanner.default_tracks import act
    from scanner.models import DefaultTrackLease

    original = sha256(films.multi)
    instance = quebec_instance(films)
    first = scan_inline(instance)
    change = DefaultTrackChange.objects.get(path=str(films.multi))
    assert change.state == State.WRITTEN
    assert act.items_of_run(first.pk) == []  # no item's headers to read again
    planned = DefaultTrackLease.objects.get(media_id=change.media_id).planned_at
    second = scan_inline(instance)
    assert second.files_probed == 0
    assert DefaultTrackLease.objects.get(media_id=change.media_id).planned_at == planned

    call_command("default_tracks", "undo", "--instance", str(instance.pk), stdout=StringIO())
    assert sha256(films.multi) == original
    assert act.items_of_run(second.pk) == []  # nor after the undo
    third = scan_inline(instance)
    assert third.files_probed == 0
    assert DefaultTrackLease.objects.get(media_id=change.media_id).planned_at == planned
