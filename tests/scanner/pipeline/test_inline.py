"""The whole pipeline in this process (the --inline path) against the fake *arr servers."""

from __future__ import annotations

import os
import shutil

import pytest

from fakes.arr import FakeArr
from scanner.actions.scans import ScanAlreadyActive, start_scan
from scanner.models import (
    Event,
    Instance,
    Media,
    MediaFile,
    RunRequest,
    ScanItem,
    ScanRun,
    instance_options,
)
from tests.factories import InstanceFactory
from tests.helpers import arr_tags, arr_writes, nfo_tags, scan_inline
from tests.library import SHOWS, Library
from tests.media import layout

pytestmark = pytest.mark.django_db(transaction=True)


SHOWS_BY_TITLE = {show.title: show for show in SHOWS}


def _all_files(library: Library) -> int:
    return sum(len(files) for files in library.files.values())


def test_first_scan_tags_every_show_as_the_rules_say(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert arr_tags(sonarr) == tv_library.expected
    for title, expected in tv_library.expected.items():
        media = Media.objects.get(title=title)
        assert media.applied_tag == media.planned_tag == expected
        assert media.tvdb_id == 100000 + media.arr_id  # for matching in media servers
        assert media.title_slug  # for the link to the series in Sonarr
        nfo = tv_library.folder(title) / "tvshow.nfo"
        if SHOWS_BY_TITLE[title].nfo:
            assert nfo_tags(nfo) == ["user-tag"] + ([expected] if expected != "none" else [])
        else:
            assert not nfo.exists()  # a missing NFO is never created unless asked for
    assert run.files_probed == _all_files(tv_library)
    assert run.tags_changed == sum(1 for tag in tv_library.expected.values() if tag != "none")
    changed = Event.objects.filter(run=run, kind=Event.Kind.TAG_CHANGED)
    assert {e.media.title: e.data["to"] for e in changed} == {
        title: tag for title, tag in tv_library.expected.items() if tag != "none"
    }


def test_rescan_with_nothing_changed_probes_nothing_and_writes_nothing(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    scan_inline(sonarr_instance)
    sonarr.state.reset_counters()
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED
    assert (run.items_total, run.files_probed, run.tags_changed) == (0, 0, 0)
    assert run.items_skipped == len(tv_library.expected)
    assert arr_writes(sonarr) == 0
    assert sonarr.state.counters() == {("GET", "/api/v3/series"): 1, ("GET", "/api/v3/tag"): 1}


def test_touching_one_episode_reprobes_exactly_that_file(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    scan_inline(sonarr_instance)
    touched = tv_library.files["Anime Half"][1]
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    before = {f.path: f.probed_at for f in MediaFile.objects.filter(media__title="Anime Half")}
    run = scan_inline(sonarr_instance)
    assert (run.items_total, run.files_probed) == (1, 1)
    after = {f.path: f.probed_at for f in MediaFile.objects.filter(media__title="Anime Half")}
    relpath = touched.relative_to(tv_library.folder("Anime Half")).as_posix()
    assert [path for path in after if after[path] != before[path]] == [relpath]


def test_new_dub_episode_upgrades_the_tag(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, media
) -> None:
    scan_inline(sonarr_instance)
    for path in tv_library.files["Anime Half"][2:]:
        path.unlink()
        media.make_video(path, layout("jpn", "eng"))
    run = scan_inline(sonarr_instance)
    assert run.files_probed == 2
    assert arr_tags(sonarr)["Anime Half"] == "dub"
    nfo = tv_library.folder("Anime Half") / "tvshow.nfo"
    assert nfo_tags(nfo) == ["user-tag", "dub"]


def test_dry_run_writes_nothing_and_the_next_run_applies_it(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    nfo = tv_library.folder("Anime Dubbed") / "tvshow.nfo"
    nfo_before = nfo.read_bytes()
    run = scan_inline(sonarr_instance, dry_run=True)
    assert run.status == ScanRun.Status.SUCCEEDED
    assert arr_writes(sonarr) == 0
    assert nfo.read_bytes() == nfo_before
    assert set(arr_tags(sonarr).values()) == {"none"}
    dubbed = Media.objects.get(title="Anime Dubbed")
    assert (dubbed.planned_tag, dubbed.applied_tag) == ("dub", "none")
    assert Event.objects.filter(run=run, kind=Event.Kind.TAG_PLANNED).count() == 4

    run = scan_inline(sonarr_instance)
    assert run.files_probed == 0  # nothing changed on disk
    assert arr_tags(sonarr) == tv_library.expected
    assert nfo_tags(nfo) == ["user-tag", "dub"]


def test_remove_mode_takes_every_managed_tag_off(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    scan_inline(sonarr_instance)
    run = scan_inline(sonarr_instance, mode=ScanRun.Mode.REMOVE)
    assert run.status == ScanRun.Status.SUCCEEDED
    assert run.files_probed == 0
    assert set(arr_tags(sonarr).values()) == {"none"}
    assert nfo_tags(tv_library.folder("Anime Dubbed") / "tvshow.nfo") == ["user-tag"]
    assert Media.objects.get(title="Anime Dubbed").planned_tag == "dub"  # the verdict stays
    scan_inline(sonarr_instance)
    assert arr_tags(sonarr) == tv_library.expected  # a normal run puts them back


def test_rewrite_mode_probes_everything_again(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    scan_inline(sonarr_instance)
    run = scan_inline(sonarr_instance, mode=ScanRun.Mode.REWRITE)
    assert run.files_probed == _all_files(tv_library)


def test_changed_targets_redecide_without_probing(
    sonarr_instance: Instance, sonarr: FakeArr
) -> None:
    scan_inline(sonarr_instance)
    sonarr_instance.target_languages = ["eng", "fra"]
    sonarr_instance.save()
    run = scan_inline(sonarr_instance)
    assert run.files_probed == 0
    assert run.items_total == 6
    assert arr_tags(sonarr)["Anime Wrong"] == "semi-dub"  # French is a target now
    assert arr_tags(sonarr)["Anime Dubbed"] == "semi-dub"  # has eng, misses fra


def test_new_rules_redecide_every_item_without_probing_and_write_nothing_unchanged(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, monkeypatch
) -> None:
    """A release that changes the rules (RULES_VERSION) decides every stored item again
    from its stored tracks; where the verdict stays, nothing is written."""
    scan_inline(sonarr_instance)
    sonarr.state.reset_counters()
    monkeypatch.setattr(instance_options, "RULES_VERSION", instance_options.RULES_VERSION + 1)
    run = scan_inline(sonarr_instance)
    assert (run.items_total, run.files_probed) == (6, 0)
    assert arr_writes(sonarr) == 0
    assert arr_tags(sonarr) == tv_library.expected


def test_user_tags_are_never_touched(sonarr_instance: Instance, sonarr: FakeArr) -> None:
    sonarr.state.set_tags([{"id": 50, "label": "favourite"}])
    items = sonarr.state.items()
    for item in items:
        item["tags"] = [50]
    sonarr.state.set_items(items)
    scan_inline(sonarr_instance)
    assert all(50 in item["tags"] for item in sonarr.state.items())


def test_stale_managed_tags_on_the_arr_are_corrected(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    sonarr.state.set_tags([{"id": 7, "label": "wrong-dub"}, {"id": 8, "label": "dub"}])
    items = sonarr.state.items()
    for item in items:
        item["tags"] = [7, 8]  # both, by hand: exactly one must remain
    sonarr.state.set_items(items)
    scan_inline(sonarr_instance)
    assert arr_tags(sonarr) == tv_library.expected


def test_an_item_that_left_the_arr_leaves_the_database(
    sonarr_instance: Instance, sonarr: FakeArr
) -> None:
    scan_inline(sonarr_instance)
    sonarr.state.set_items([i for i in sonarr.state.items() if i["title"] != "Anime Wrong"])
    run = scan_inline(sonarr_instance)
    assert not Media.objects.filter(title="Anime Wrong").exists()
    event = Event.objects.get(run=run, kind=Event.Kind.MEDIA_REMOVED)
    assert event.data["title"] == "Anime Wrong"


def test_unmounted_share_removes_nothing(sonarr_instance: Instance, tv_library: Library) -> None:
    scan_inline(sonarr_instance)
    for title in tv_library.expected:
        shutil.rmtree(tv_library.folder(title))
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.FAILED
    assert "root folder is empty" in run.error
    assert Media.objects.count() == len(tv_library.expected)


def test_many_missing_folders_at_once_are_not_taken_for_orphans(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    scan_inline(sonarr_instance)
    (tv_library.root / "unrelated").mkdir()
    for title in tv_library.expected:
        shutil.rmtree(tv_library.folder(title))
    run = scan_inline(sonarr_instance)
    assert Media.objects.count() == len(tv_library.expected)
    assert "not removing them" in Event.objects.get(run=run, kind=Event.Kind.CONFIG).message


def test_corrupt_and_missing_files_do_not_stop_the_scan(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    broken = tv_library.files["Anime Dubbed"][0]
    broken.write_bytes(b"not a video at all\n" * 10)
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED
    assert run.file_errors == 1
    assert arr_tags(sonarr)["Anime Dubbed"] == "dub"  # the readable files decide
    media = Media.objects.get(title="Anime Dubbed")
    assert media.error_file_count == 1
    assert MediaFile.objects.get(media=media, result=MediaFile.Result.ERROR).error


def test_broken_nfo_is_reported_and_left_untouched_until_it_is_mended(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    nfo = tv_library.folder("Anime Dubbed") / "tvshow.nfo"
    nfo.write_text("<tvshow><title>Broken</tvshow>", encoding="utf-8")
    before = nfo.read_bytes()
    run = scan_inline(sonarr_instance)
    # The user's file, not a failed write: the run is not partial for it.
    assert (run.status, run.error) == (ScanRun.Status.SUCCEEDED, "")
    assert run.summary["nfo_left_alone"] == 1
    assert nfo.read_bytes() == before
    event = Event.objects.get(kind=Event.Kind.NFO_ERROR, media__title="Anime Dubbed")
    assert event.run == run and "not well-formed" in event.message
    assert arr_tags(sonarr)["Anime Dubbed"] == "dub"

    still = scan_inline(sonarr_instance)  # still broken: looked at again, not told again
    assert (still.status, still.summary["nfo_left_alone"]) == (ScanRun.Status.SUCCEEDED, 1)
    assert nfo.read_bytes() == before
    assert Event.objects.filter(kind=Event.Kind.NFO_ERROR).count() == 1

    nfo.write_text("<tvshow><title>Mended</title></tvshow>", encoding="utf-8")
    again = scan_inline(sonarr_instance)  # nothing else changed: the NFO was due
    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert nfo_tags(nfo) == ["dub"]


@pytest.mark.parametrize("nfo", ["existing", "created"])
@pytest.mark.parametrize("roots", ["root-folders", "no-root-folders"])
def test_no_nfo_is_written_through_a_show_folder_linked_outside_the_library(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, tmp_path, nfo, roots
) -> None:
    """The files are read through the link, the *arr is tagged, but nothing is written
    outside the root folders (without any: outside the folder the item's folder is in)."""
    folder = tv_library.folder("Anime Dubbed")
    outside = tmp_path / "elsewhere" / "Anime Dubbed"
    outside.parent.mkdir()
    shutil.move(folder, outside)
    folder.symlink_to(outside, target_is_directory=True)
    if nfo == "created":
        (outside / "tvshow.nfo").unlink()
    sonarr_instance.create_nfo = nfo == "created"
    sonarr_instance.root_folders = [str(tv_library.root)] if roots == "root-folders" else []
    sonarr_instance.save()
    before = sorted((p.name, p.read_bytes()) for p in outside.iterdir() if p.is_file())
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert arr_tags(sonarr)["Anime Dubbed"] == "dub"
    assert sorted((p.name, p.read_bytes()) for p in outside.iterdir() if p.is_file()) == before
    error = Event.objects.get(kind=Event.Kind.NFO_ERROR, media__title="Anime Dubbed")
    assert "outside the library" in error.message
    assert nfo_tags(tv_library.folder("Anime Half") / "tvshow.nfo") == ["user-tag", "semi-dub"]


def test_unmonitored_seasons_do_not_count_unless_asked(
    sonarr_instance: Instance, sonarr: FakeArr
) -> None:
    items = sonarr.state.items()
    half = next(i for i in items if i["title"] == "Anime Half")
    for season in half["seasons"]:
        season["monitored"] = season["seasonNumber"] != 2  # season 2 has no English
    sonarr.state.set_items(items)
    scan_inline(sonarr_instance)
    assert arr_tags(sonarr)["Anime Half"] == "dub"
    sonarr_instance.count_unmonitored = True
    sonarr_instance.save()
    scan_inline(sonarr_instance)
    assert arr_tags(sonarr)["Anime Half"] == "semi-dub"


def test_movies_on_radarr(
    radarr_instance: Instance, radarr: FakeArr, movie_library: Library
) -> None:
    run = scan_inline(radarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert arr_tags(radarr) == movie_library.expected
    dubbed = Media.objects.get(title="Dubbed Film")
    assert [f.path for f in dubbed.files.all()] == ["Dubbed Film (2020).mkv"]  # not the sample
    nfo = movie_library.root / "Dubbed Film (2020)" / "movie.nfo"
    assert nfo_tags(nfo) == ["user-tag", "dub"]


def test_library_instance_writes_only_nfos(tv_library: Library) -> None:
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY,
        url="",
        root_folders=[str(tv_library.root)],
        original_language="jpn",
        create_nfo=True,
    )
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.arr_requests == 0
    # the original comes from the instance here: Japanese for every show
    assert Media.objects.get(title="Anime Dubbed").applied_tag == "dub"
    assert Media.objects.get(title="Plain English").applied_tag == "dub"
    created = tv_library.folder("Never Dubbed") / "tvshow.nfo"
    assert not created.exists()  # verdict none: nothing worth creating
    assert nfo_tags(tv_library.folder("Anime Wrong") / "tvshow.nfo") == ["user-tag", "wrong-dub"]


def test_a_library_instance_scopes_by_media_and_applies_after_a_dry_run(
    tv_library: Library,
) -> None:
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(tv_library.root)],
        original_language="jpn", create_nfo=True,
    )  # fmt: skip
    scan_inline(instance, dry_run=True)
    wrong = Media.objects.get(title="Anime Wrong")
    nfo = tv_library.folder("Anime Wrong") / "tvshow.nfo"
    assert nfo_tags(nfo) == ["user-tag"]  # planned, not written
    listed = Media.objects.count()
    pending = Media.objects.filter(Media.PENDING_CHANGE).count()
    rescan = scan_inline(instance, mode=ScanRun.Mode.REWRITE, scope=[wrong.pk], dry_run=True)
    assert rescan.items_total == 1 and rescan.files_probed == wrong.file_count
    assert Media.objects.count() == listed  # a scoped listing judges nothing gone
    applied = scan_inline(instance, mode=ScanRun.Mode.APPLY, scope=[wrong.pk])
    assert applied.files_probed == 0 and applied.tags_changed == 1
    assert nfo_tags(nfo) == ["user-tag", "wrong-dub"]
    assert Media.objects.filter(Media.PENDING_CHANGE).count() == pending - 1  # only it


def test_genre_filter_keeps_only_matching_items(sonarr_instance: Instance, sonarr: FakeArr) -> None:
    items = sonarr.state.items()
    for item in items:
        item["genres"] = ["Anime"] if item["title"].startswith("Anime") else ["Drama"]
    sonarr.state.set_items(items)
    sonarr_instance.genre_filter = ["anime"]
    sonarr_instance.save()
    run = scan_inline(sonarr_instance)
    assert set(Media.objects.values_list("title", flat=True)) == {
        "Anime Dubbed",
        "Anime Half",
        "Anime Wrong",
    }
    assert run.summary["not_listed"] == {"genre filter": 3}


def test_second_active_scan_is_refused_by_the_database(sonarr_instance: Instance) -> None:
    first = ScanRun.objects.create(instance=sonarr_instance, trigger=ScanRun.Trigger.API)
    with pytest.raises(ScanAlreadyActive, match=f"scan #{first.pk} \\(queued\\)"):
        start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.MANUAL))


def test_an_emptied_item_folder_keeps_the_tag_it_had(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    scan_inline(sonarr_instance)
    shutil.rmtree(tv_library.folder("Anime Wrong"))
    tv_library.folder("Anime Wrong").mkdir()  # empty again: the item has no files now
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED
    media = Media.objects.get(title="Anime Wrong")
    assert media.file_count == 0
    assert media.planned_tag == "wrong-dub"  # no readable file: keep, never "dub"
    assert "no counted file" in media.verdict_reasons["summary"]
    assert ScanItem.objects.filter(run=run).count() == 0  # done items are cleaned up


@pytest.mark.parametrize("scoped", [False, True], ids=["full-run", "webhook-run"])
def test_series_readded_with_a_new_id_keeps_its_row(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, scoped: bool
) -> None:
    scan_inline(sonarr_instance)
    media = Media.objects.get(title="Anime Dubbed")
    items = sonarr.state.items()
    readded = next(i for i in items if i["title"] == "Anime Dubbed")
    readded["id"], readded["tags"] = 99, []  # deleted and added again: new id, no tags
    sonarr.state.set_items(items)
    run = scan_inline(sonarr_instance, scope=[99] if scoped else ())
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    again = Media.objects.get(title="Anime Dubbed")
    assert (again.pk, again.arr_id) == (media.pk, 99)
    assert run.files_probed == 0  # the same files: nothing to probe
    assert arr_tags(sonarr)["Anime Dubbed"] == "dub"  # the tag goes back on
