"""External audio files end to end (docs/tagging-rules.md, "External audio files";
issue 81 item 5): real audio-only files made by ffmpeg (Matroska audio, raw E-AC-3 and
AC-3) put beside real videos, through the fake Sonarr and Radarr: they count in the
verdict, the per-language tags and the dub news; adding or removing one decides the item
again without reading the video; the file's stored tracks carry them."""

from __future__ import annotations

import pytest

from fakes.arr import FakeArr
from scanner.models import Event, Instance, Media, ScanRun
from tests.helpers import arr_labels, scan_inline
from tests.library import Library
from tests.media import make_audio_file

pytestmark = pytest.mark.django_db(transaction=True)

NEWS = (Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST)


def _news(run: ScanRun) -> list[Event]:
    return list(Event.objects.filter(kind__in=NEWS, run=run).order_by("id"))


def test_audio_files_beside_episodes_count_are_news_and_read_no_video(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """Anime Half's season 2 is Japanese only (semi-dub, target English): English dubs
    kept beside its episodes (one raw E-AC-3, one in Matroska audio) make it a dub, told
    as an arrival; removing one is a loss. No video is read again."""
    first = scan_inline(sonarr_instance)
    assert first.status == ScanRun.Status.SUCCEEDED, first.error
    assert arr_labels(sonarr)["Anime Half"] == {"semi-dub"}
    one, two = tv_library.files["Anime Half"][2:]
    make_audio_file(one.with_name(f"{one.stem}.en.eac3"))
    make_audio_file(two.with_name(f"{two.stem}.eng.mka"), language="eng")
    make_audio_file(two.with_name(f"{two.stem}.mka"))  # its language unsaid: no count

    added = scan_inline(sonarr_instance)
    assert (added.items_total, added.files_probed) == (1, 0)
    assert arr_labels(sonarr)["Anime Half"] == {"dub"}
    half = Media.objects.get(title="Anime Half")
    row = half.files.get(path=f"Season 02/{one.name}")
    assert [(t["position"], t["language"], t.get("file")) for t in row.audio_tracks] == [
        (1, "jpn", None),
        (2, "eng", f"Season 02/{one.stem}.en.eac3"),
    ]
    shown = half.verdict_reasons["seasons"][1]["files"][1]
    assert shown["sidecars"] == [f"Season 02/{two.stem}.eng.mka", f"Season 02/{two.stem}.mka"]
    (arrived,) = _news(added)
    assert arrived.message == "Anime Half: English arrived in S02E01-E02 (season 2 now complete)"

    one.with_name(f"{one.stem}.en.eac3").unlink()
    removed = scan_inline(sonarr_instance)
    assert (removed.items_total, removed.files_probed) == (1, 0)
    assert arr_labels(sonarr)["Anime Half"] == {"semi-dub"}
    (lost,) = _news(removed)
    assert (lost.kind, lost.data["language"]) == (Event.Kind.DUB_LOST, "eng")

    again = scan_inline(sonarr_instance)
    assert again.items_total == 0  # nothing changed: nothing decided again


def test_a_movie_s_audio_file_keeps_it_from_wrong(
    radarr_instance: Instance, radarr: FakeArr, movie_library: Library
) -> None:
    """Wrong Film is Korean with Italian audio (wrong-dub, target English): an English
    dub in AC-3 beside it makes it a dub."""
    scan_inline(radarr_instance)
    assert arr_labels(radarr)["Wrong Film"] == {"wrong-dub"}
    (video,) = movie_library.files["Wrong Film"]
    make_audio_file(video.with_name(f"{video.stem}.en.ac3"))
    run = scan_inline(radarr_instance)
    assert (run.items_total, run.files_probed) == (1, 0)
    assert arr_labels(radarr)["Wrong Film"] == {"dub"}
