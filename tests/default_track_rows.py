"""A Quebec household's plan of default tracks as the feature stores it (issue 81;
scanner.default_tracks writes these rows): one file of each state and refusal, for the
page's, the API's and the browser's tests. Rows only: no file, no worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from scanner.models import DefaultTrackChange, Instance, Media, MediaFile, ScanRun
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory, ScanRunFactory

State = DefaultTrackChange.State
# The MULTi file's tracks: English first (its default), the VFF, the VFQ; French subtitles.
AUDIO = {"before": (1, "eng"), "after": (3, "fr-CA")}
COMMAND = (
    "mkvpropedit 'Les Boys - S01E03.mkv' --edit track:a1 --set flag-default=0 "
    "--edit track:a3 --set flag-default=1"
)


# A file refused before its header was read (scanner.default_tracks.plan: FILE_CHECKS, or
# survey_file before the header): no default before or after.
NOT_READ: dict[str, Any] = {
    "audio_before": None,
    "audio_before_language": "",
    "audio_after": None,
    "audio_after_language": "",
    "subtitle_before": None,
    "subtitle_before_language": "",
}


@dataclass(frozen=True)
class Plan:
    instance: Instance
    media: Media
    run: ScanRun
    planned: DefaultTrackChange
    hardlinked: DefaultTrackChange
    no_room: DefaultTrackChange
    written: DefaultTrackChange
    mp4: DefaultTrackChange
    stale: DefaultTrackChange

    @property
    def rows(self) -> list[DefaultTrackChange]:
        return [self.planned, self.hardlinked, self.no_room, self.written, self.mp4, self.stale]


def change(
    media: Media, run: ScanRun | None, name: str, state: str, **values: Any
) -> DefaultTrackChange:
    """One file's change, its MediaFile made too; the VFQ planned over the English."""
    media_file = MediaFileFactory(media=media, path=f"Season 01/{name}")
    fields: dict[str, Any] = {
        "audio_before": AUDIO["before"][0],
        "audio_before_language": AUDIO["before"][1],
        "audio_after": AUDIO["after"][0],
        "audio_after_language": AUDIO["after"][1],
        "subtitle_before": 1,
        "subtitle_before_language": "fra",
        "subtitle_after": None,
        "size": 1_000_000,
        "mtime_ns": 1_700_000_000_000_000_000,
        "inode": 42,
        **values,
    }
    return DefaultTrackChange.objects.create(
        instance=media.instance,
        media=media,
        media_file=media_file,
        run=run,
        path=f"{media.path}/Season 01/{name}",
        state=state,
        **fields,
    )


def patched(**values: Any) -> dict[str, Any]:
    """A planned patch: two FlagDefault data bytes flipped (0x88 0x81 0x01 -> 0x00)."""
    return {
        "patch_offset": 4_321,
        "patch_old": b"\x88\x81\x01\xe0\x88\x81\x00",
        "patch_new": b"\x88\x81\x00\xe0\x88\x81\x01",
        "flags": [["audio", 1, True, False], ["audio", 3, False, True]],
        **values,
    }


def quebec_plan(title: str = "Les Boys") -> Plan:
    instance = InstanceFactory(name=f"tv {title}", default_tracks=Instance.DefaultTracks.PLAN)
    media = MediaFactory(instance=instance, title=title, path=f"/media/tv/{title}")
    run = ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED, dry_run=True)
    older = ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED, dry_run=True)
    now = timezone.now()
    return Plan(
        instance=instance,
        media=media,
        run=run,
        planned=change(media, run, f"{title} - S01E01.mkv", State.PLANNED, **patched()),
        hardlinked=change(
            media,
            run,
            f"{title} - S01E02.mkv",
            State.REFUSED,
            refusal="hardlinked",
            detail={"nlink": 2},
            **NOT_READ,
        ),
        no_room=change(
            media,
            run,
            f"{title} - S01E03.mkv",
            State.REFUSED,
            refusal="no-room",
            detail={"command": COMMAND},
        ),
        written=change(
            media,
            run,
            f"{title} - S01E04.mkv",
            State.WRITTEN,
            applied_at=now,
            applied_by="admin",
            written_size=1_000_000,
            written_mtime_ns=1_700_000_000_000_000_001,
            written_inode=42,
            **patched(),
        ),
        mp4=change(
            media,
            run,
            f"{title} - S01E05.mp4",
            State.REFUSED,
            refusal="mp4",
            **NOT_READ,
        ),
        stale=change(media, older, f"{title} - S01E06.mkv", State.STALE, **patched()),
    )


def media_file_of(row: DefaultTrackChange) -> MediaFile:
    assert row.media_file is not None
    return row.media_file
