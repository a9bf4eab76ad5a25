"""Dub arrivals and losses across real scans: real files changed between scans, told
from the stored tracks by the apply step of real runs only."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from fakes.arr import FakeArr
from scanner.actions import scans
from scanner.actions.original_language import set_original_override
from scanner.actions.review import set_unknown_language
from scanner.models import Event, Instance, Media, ScanRun
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
    # The tracks as the file declares them, not what they were judged to be.
    stored = dubbed.files.get(path="Season 01/Anime Dubbed - S01E01.mkv")
    assert dubbed.dub_announced["files"]["1:1"] == [
        "Season 01/Anime Dubbed - S01E01.mkv",
        [["jpn", False, None], ["eng", False, None]],  # language, not programme, variety
        stored.size,  # so that a loss under the same name tells the sizes (issue 61)
        stored.mtime_ns,  # read from the file: it is the same file while these hold (68)
    ]
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


def test_an_original_among_the_targets_makes_no_news(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory
) -> None:
    """tagging-rules.md: the targets are the target languages minus the original, for the
    news as for the tags and the coverage. A German series with targets German and French
    gets no "German arrived" for a new episode with only Japanese audio."""
    Instance.objects.filter(pk=sonarr_instance.pk).update(target_languages=["deu", "fra"])
    instance = Instance.objects.get(pk=sonarr_instance.pk)
    scan_inline(instance)
    set_original_override(Media.objects.get(title="Never Dubbed"), "deu", user="admin", via="test")
    folder = tv_library.folder("Never Dubbed") / "Season 01"
    media.make_video(folder / "Never Dubbed - S01E04.mkv", layout("jpn"))
    media.make_video(folder / "Never Dubbed - S01E05.mkv", layout("ger", "fre"))
    run = scan_inline(instance)
    assert [event.message for event in _news(run.pk)] == ["Never Dubbed: French arrived in S01E05"]
    item = Media.objects.get(title="Never Dubbed")
    assert set(item.coverage) == {"fra"}  # the original has no coverage either


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


def test_a_dry_run_then_apply_all_then_a_new_dub_is_told(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory
) -> None:
    """The README's flow: a first dry run, its plan applied, then English audio added to
    an item that had no planned change: the next real scan tells the arrival."""
    scan_inline(sonarr_instance, dry_run=True)
    pending = sonarr_instance.media.filter(Media.PENDING_CHANGE).values_list("pk", flat=True)
    assert Media.objects.get(title="Never Dubbed").pk not in set(pending)
    # "Apply all" on the run page: an apply run scoped to the items with a change.
    scope = scans.media_scope(sonarr_instance, pending)
    applied = scan_inline(sonarr_instance, mode=ScanRun.Mode.APPLY, scope=scope)
    assert applied.status == ScanRun.Status.SUCCEEDED
    assert _news() == []
    path = tv_library.files["Never Dubbed"][0]
    path.unlink()
    media.make_video(path, layout("jpn", "eng"))
    (event,) = _news(scan_inline(sonarr_instance).pk)
    assert event.message == "Never Dubbed: English arrived in S01E01"


@pytest.mark.parametrize("decision", ["unknown language", "original language"])
def test_a_decision_between_a_dry_run_and_the_real_scan_swallows_no_news(
    decision: str, sonarr_instance: Instance, tv_library: Library, media: MediaFactory
) -> None:
    """A file gains English, a dry run sees it, a person decides something unrelated about
    the same item, then a real scan writes the tag: the arrival is told."""
    scan_inline(sonarr_instance)
    first, second = tv_library.files["Never Dubbed"][:2]
    first.unlink()
    media.make_video(first, layout("jpn", "eng"))
    second.unlink()
    media.make_video(second, layout("jpn", None))  # a track without a language
    scan_inline(sonarr_instance, dry_run=True)
    item = Media.objects.get(title="Never Dubbed")
    if decision == "unknown language":
        set_unknown_language(item, "fra", user="admin", via="test")
    else:
        set_original_override(item, "jpn", user="admin", via="test")
    (event,) = _news(scan_inline(sonarr_instance).pk)
    assert event.message == "Never Dubbed: English arrived in S01E01"


def test_what_was_told_before_0008_is_read_as_it_was(
    sonarr_instance: Instance, tv_library: Library, media: MediaFactory
) -> None:
    """Migration 0008 turns the judged languages kept before it into tracks."""
    scan_inline(sonarr_instance)
    half = Media.objects.get(title="Anime Half")
    paths = {key: entry[0] for key, entry in half.dub_announced["files"].items()}
    had = {"1:1": ["eng"], "1:2": ["eng"], "2:1": [], "2:2": []}
    version_1 = {"targets": ["eng"], "files": {key: [paths[key], had[key]] for key in had}}
    Media.objects.filter(pk=half.pk).update(dub_announced=version_1)
    migration = importlib.import_module("scanner.migrations.0008_dub_announced_tracks")
    migration.to_version_2(django_apps, None)

    for path in tv_library.files["Anime Half"][2:]:
        path.unlink()
        media.make_video(path, layout("jpn", "eng"))
    (event,) = _news(scan_inline(sonarr_instance).pk)
    assert event.message == "Anime Half: English arrived in S02E01-E02 (season 2 now complete)"
