"""Issue 62, item 1, through real scans of real files: an item's wanted languages (as
the instance, original only, its own list) decide its tags at once from the stored
tracks and are kept across scans; an original-only item gets no dub tag, no news and no
search, and its subtitle tags stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes.arr import FakeArr
from scanner.actions.wanted_languages import clean_wanted, set_wanted
from scanner.models import Event, Instance, Media, MediaFile, MissingSearch, ScanRun
from scanner.reports.verdict_text import reason_sentence
from scanner.searches.due import candidates, search_due
from scanner.searches.send import search_missing
from tests.factories import InstanceFactory
from tests.helpers import scan_inline
from tests.library import Library
from tests.media import AudioSpec, MediaFactory, SubtitleSpec, layout

pytestmark = pytest.mark.django_db(transaction=True)

NEWS = (Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST)


def _films(root: Path, targets: list[str]) -> Instance:
    return InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(root)], library_content="movies",
        original_language="jpn", target_languages=targets, language_tags=True,
        subtitle_tags=True,
    )  # fmt: skip


def _planned(title: str) -> tuple[str, list[str]]:
    item = Media.objects.get(title=title)
    return item.planned_tag, item.planned_labels


def test_original_only_drops_the_dub_tags_and_keeps_the_subtitle_tags(
    tmp_path: Path, media: MediaFactory
) -> None:
    root = tmp_path / "movies"
    video = media.make_video(
        root / "Anime Film (2020)" / "Anime Film (2020).mkv",
        layout("jpn", "ger"),
        subtitles=(SubtitleSpec("ger"),),
    )
    instance = _films(root, ["deu"])
    assert scan_inline(instance).status == ScanRun.Status.SUCCEEDED
    assert _planned("Anime Film (2020)") == ("dub", ["dub-de", "sub-de"])
    film = Media.objects.get()

    assert set_wanted(film, clean_wanted("original"), user="alice", via="test")
    film.refresh_from_db()
    # At once, from the stored tracks: no dub wanted, its subtitles still tagged.
    assert (film.planned_tag, film.planned_labels) == ("none", ["sub-de"])
    assert film.coverage == {}
    assert (film.wanted, film.wanted_by) == ("original", "alice")
    assert film.verdict_reasons["wanted"]["mode"] == "original"
    assert film.verdict_reasons["summary"].startswith("none: original only, chosen by alice on ")
    assert reason_sentence(film.verdict_reasons).startswith("original only, chosen by alice on ")
    event = Event.objects.get(kind=Event.Kind.CONFIG, media=film)
    assert event.data == {"wanted_languages": "original", "user": "alice", "via": "test"}

    video.unlink()  # a new file: read again, the choice is kept
    media.make_video(video, layout("jpn", "ger"), subtitles=(SubtitleSpec("ger"),))
    run = scan_inline(instance)
    assert (run.status, run.files_probed) == (ScanRun.Status.SUCCEEDED, 1)
    assert _planned("Anime Film (2020)") == ("none", ["sub-de"])

    # As the instance again: the dub is wanted and tagged, decided at once.
    assert set_wanted(film, clean_wanted(None), user="bob", via="test")
    assert _planned("Anime Film (2020)") == ("dub", ["dub-de", "sub-de"])
    film.refresh_from_db()
    assert (film.wanted, film.wanted_by, film.wanted_at) == ("", "", None)
    assert "wanted" not in film.verdict_reasons
    assert not set_wanted(film, clean_wanted(None), user="bob", via="test")  # no change
    assert Event.objects.filter(kind=Event.Kind.CONFIG, media=film).count() == 2


def test_an_own_list_with_a_regional_target(tmp_path: Path, media: MediaFactory) -> None:
    root = tmp_path / "movies"
    media.make_video(
        root / "Quebec Film (2020)" / "Quebec Film (2020).mkv",
        [AudioSpec("jpn", default=True), AudioSpec("fr-CA", bcp47_only=True)],
    )
    media.make_video(
        root / "Other Film (2020)" / "Other Film (2020).mkv",
        [AudioSpec("jpn", default=True), AudioSpec("fr-CA", bcp47_only=True)],
    )
    instance = _films(root, ["deu"])
    assert scan_inline(instance).status == ScanRun.Status.SUCCEEDED
    assert _planned("Quebec Film (2020)") == ("wrong-dub", [])  # French, no German

    quebec = Media.objects.get(title="Quebec Film (2020)")
    assert set_wanted(quebec, clean_wanted(["fr-ca", "de"]), user="alice", via="test")
    quebec.refresh_from_db()
    assert quebec.wanted_targets == ["fr-CA", "deu"]
    # Its own targets: the Quebec dub is there, German is not; the instance's other
    # items keep the instance's.
    assert (quebec.planned_tag, quebec.planned_labels) == ("semi-dub", ["dub-fr-ca"])
    assert quebec.coverage == {"deu": [0, 1], "fr-CA": [1, 1]}
    sentence = reason_sentence(quebec.verdict_reasons)
    assert "(the item's own targets, chosen by alice on " in sentence
    assert _planned("Other Film (2020)") == ("wrong-dub", [])

    assert set_wanted(quebec, clean_wanted(["fr-CA"]), user="alice", via="test")
    assert _planned("Quebec Film (2020)") == ("dub", ["dub-fr-ca"])
    run = scan_inline(instance)  # kept across scans
    assert run.status == ScanRun.Status.SUCCEEDED
    assert _planned("Quebec Film (2020)") == ("dub", ["dub-fr-ca"])


def test_an_original_only_series_gets_no_news_and_no_search(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, media: MediaFactory
) -> None:
    scan_inline(sonarr_instance)
    watched = Media.objects.get(title="Anime Half")  # semi-dub: English in season 1 only
    assert watched.planned_tag == "semi-dub"
    set_wanted(watched, clean_wanted("original"), user="alice", via="test")
    assert _planned("Anime Half") == ("none", [])

    # Both lose English in an upgrade; only the one that wants it is told.
    for title in ("Anime Half", "Anime Dubbed"):
        old = tv_library.files[title][0]
        old.unlink()
        media.make_video(old, layout("jpn"))
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    news = Event.objects.filter(kind__in=NEWS, run=run)
    assert [(event.kind, event.media.title) for event in news] == [
        (Event.Kind.DUB_LOST, "Anime Dubbed")
    ]
    assert _planned("Anime Half") == ("none", [])

    # Neither the search (its preview's plan) nor the scheduled one asks for it.
    report = search_missing([watched.pk], trigger=MissingSearch.Trigger.MANUAL)
    assert report.asked == []
    assert [(skip.media.title, skip.reason) for skip in report.skipped] == [
        ("Anime Half", "original only: no dub is wanted")
    ]
    # Even with files stored as lacking (judged before it was chosen), it is no candidate.
    MediaFile.objects.filter(media=watched).update(result=MediaFile.Result.NONE)
    assert watched not in candidates(sonarr_instance, run.finished_at or run.created_at)
    Instance.objects.filter(pk=sonarr_instance.pk).update(
        search_missing_scheduled=True, search_daily_limit=50
    )
    titles = {row.media.title for report in search_due() for row in report.asked}
    assert "Anime Half" not in titles and "Anime Dubbed" in titles
    assert not MissingSearch.objects.filter(media=watched).exists()
