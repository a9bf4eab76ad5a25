"""Dub arrivals and losses across real scans: real files changed between scans, told
from the stored tracks by the apply step of real runs only."""

from __future__ import annotations

import pytest

from fakes.arr import FakeArr
from scanner.models import Event, Instance, Media
from scanner.pipeline.scanning import dub_news
from tests.helpers import scan_inline
from tests.library import Library
from tests.media import MediaFactory, layout

pytestmark = pytest.mark.django_db(transaction=True)

NEWS = (Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST)


def _news(run_id: int | None = None) -> list[Event]:
    events = Event.objects.filter(kind__in=NEWS).order_by("id")
    return list(events.filter(run_id=run_id) if run_id is not None else events)


def test_a_first_scan_is_no_news_and_a_rescan_without_changes_neither(
    sonarr_instance: Instance,
) -> None:
    scan_inline(sonarr_instance)
    scan_inline(sonarr_instance)
    assert _news() == []
    dubbed = Media.objects.get(title="Anime Dubbed")
    assert dubbed.dub_announced["files"]["1:1"] == ["Season 01/Anime Dubbed - S01E01.mkv", ["eng"]]
    assert not dubbed.dubs_due


def test_the_target_files_of_a_season_arrive_as_one_event(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory
) -> None:
    scan_inline(sonarr_instance)
    for path in tv_library.files["Anime Half"][2:]:  # season 2: Japanese only until now
        path.unlink()
        media.make_video(path, layout("jpn", "eng"))
    run = scan_inline(sonarr_instance)
    (event,) = _news(run.pk)
    assert event.kind == Event.Kind.DUB_ARRIVED
    assert event.media.title == "Anime Half"
    assert event.message == "Anime Half: English arrived in S02E01-E02 (season 2 now complete)"
    assert event.data["language"] == "eng"
    assert (event.data["season"], event.data["episodes"]) == (2, [1, 2])
    assert event.data["season_complete"] is True
    assert _news(scan_inline(sonarr_instance).pk) == []  # told once


def test_an_upgrade_that_drops_the_target_is_one_loss_with_both_names(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory
) -> None:
    scan_inline(sonarr_instance)
    old = tv_library.files["Anime Dubbed"][0]
    new = old.with_name("Anime Dubbed - S01E01 Bluray-1080p.mkv")
    old.unlink()
    media.make_video(new, layout("jpn"))
    run = scan_inline(sonarr_instance)
    (event,) = _news(run.pk)
    assert event.kind == Event.Kind.DUB_LOST
    assert event.data["files"] == [
        {
            "episode": 1,
            "old": "Season 01/Anime Dubbed - S01E01.mkv",
            "new": "Season 01/Anime Dubbed - S01E01 Bluray-1080p.mkv",
        }
    ]
    assert event.message == (
        "Anime Dubbed: English lost in S01E01: Season 01/Anime Dubbed - S01E01.mkv "
        "replaced by Season 01/Anime Dubbed - S01E01 Bluray-1080p.mkv"
    )


def test_new_episodes_with_the_target_arrive(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory
) -> None:
    scan_inline(sonarr_instance)
    folder = tv_library.folder("Never Dubbed") / "Season 01"
    media.make_video(folder / "Never Dubbed - S01E04.mkv", layout("jpn", "eng"))
    media.make_video(folder / "Never Dubbed - S01E05.mkv", layout("jpn"))
    (event,) = _news(scan_inline(sonarr_instance).pk)
    assert event.message == "Never Dubbed: English arrived in S01E04"
    assert event.data["season_complete"] is False


def test_a_dry_run_tells_nothing_and_the_next_real_run_tells_it(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory
) -> None:
    scan_inline(sonarr_instance)
    for path in tv_library.files["Anime Half"][2:]:
        path.unlink()
        media.make_video(path, layout("jpn", "eng"))
    dry = scan_inline(sonarr_instance, dry_run=True)
    assert _news() == []
    assert Media.objects.get(title="Anime Half").dubs_due
    real = scan_inline(sonarr_instance)
    assert real.files_probed == 0  # the dry run read the files already
    (event,) = _news(real.pk)
    assert event.kind == Event.Kind.DUB_ARRIVED
    assert dry.pk != real.pk


def test_a_movie_replaced_by_a_dubbed_release_arrives(
    radarr_instance: Instance, radarr: FakeArr, movie_library: Library, media: MediaFactory
) -> None:
    scan_inline(radarr_instance)
    (old,) = movie_library.files["Original Film"]
    old.unlink()
    media.make_video(old.with_name("Original Film (2020) DL.mkv"), layout("ger", "eng"))
    (event,) = _news(scan_inline(radarr_instance).pk)
    assert event.kind == Event.Kind.DUB_ARRIVED
    assert event.message == "Original Film: English arrived"
    assert event.data["season"] is None


def test_german_files_added_to_a_season_with_target_german(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory
) -> None:
    Instance.objects.filter(pk=sonarr_instance.pk).update(target_languages=["deu"])
    instance = Instance.objects.get(pk=sonarr_instance.pk)
    scan_inline(instance)
    for path in tv_library.files["Anime Dubbed"][2:]:  # season 2
        path.unlink()
        media.make_video(path, layout("jpn", "eng", "ger"))
    (event,) = _news(scan_inline(instance).pk)
    assert event.message == "Anime Dubbed: German arrived in S02E01-E02 (season 2 now complete)"
    assert event.data["language"] == "deu"


def test_news_of_several_items_is_told_a_chunk_at_a_time_and_each_once(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory, monkeypatch
) -> None:
    monkeypatch.setattr(dub_news, "CHUNK", 1)  # every item in a transaction of its own
    scan_inline(sonarr_instance)
    for title in ("Anime Half", "Anime Dubbed"):
        path = tv_library.files[title][-1]
        path.unlink()
        media.make_video(path, layout("jpn"))  # the last episode loses English, or stays without
    run = scan_inline(sonarr_instance)
    lost = [(e.media.title, e.kind) for e in _news(run.pk)]
    assert ("Anime Dubbed", Event.Kind.DUB_LOST) in lost
    assert len(lost) == len(set(lost))
    assert not Media.objects.filter(dubs_due=True).exists()
    assert _news(scan_inline(sonarr_instance).pk) == []  # told once
