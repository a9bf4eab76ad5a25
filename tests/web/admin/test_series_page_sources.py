"""Issue 71, item 5: the series page as Sonarr shows it on every audio source. The
files source (MediaInfo reads the real files) and the default ``auto`` (here: hybrid,
the folders are mounted) both ask Sonarr's episode list (GET /api/v3/episode?seriesId=N,
docs/arr-api.md) once per series and keep it: the page shows the titles, the air dates,
the specials and the unmonitored season as not counted with why. An unchanged rescan
asks nothing more; a series whose files changed is asked again; a 500 on the list
(Sonarr's error middleware answering an unhandled exception,
src/Sonarr.Http/ErrorManagement/SonarrErrorPipeline.cs) fails nothing, and the next
scan asks again. Read in German and French, the page has no English."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from fakes.arr import FakeArr, FakeArrOptions
from scanner.actions.scans import start_scan
from scanner.models import Instance, Media, RunRequest, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.i18n.english_words import unwritten_words
from tests.library import REMOTE_TV, Library, arr_file, build_tv
from tests.media import MediaFactory as Videos
from tests.media import layout
from tests.web.admin.test_series_page import SHOW, TITLES, _episode, _panels
from tests.worker import celery_worker, run_finished

LIST = ("GET", "/api/v3/episode")
FILES = ("GET", "/api/v3/episodefile")
SOURCES = [Instance.AudioSource.FILES, Instance.AudioSource.AUTO]


def _sonarr_show(tmp_path: Path, videos: Videos) -> tuple[Library, dict[str, Any]]:
    """Long Show on disk: specials and season 2 unmonitored in Sonarr, S03E03 without a
    file yet."""
    library = build_tv(tmp_path / "tv", videos, (SHOW,))
    item = library.arr_items[0]
    item["seasons"] = [{"seasonNumber": n, "monitored": n not in (0, 2)} for n in range(4)]
    return library, item


def _instance(sonarr: FakeArr, library: Library, source: str) -> Instance:
    local = str(library.root)
    return InstanceFactory(
        name="tv", url=sonarr.url, api_key=ARR_KEY, root_folders=[local],
        path_mappings=[{"remote": REMOTE_TV, "local": local}], target_languages=["eng"],
        audio_source=source,
    )  # fmt: skip


def _scanned(instance: Instance) -> ScanRun:
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    return run


def _page(client: Client, media: Media, language: str = "en") -> str:
    url = f"/admin/scanner/media/{media.pk}/change/"
    return client.get(url, headers={"accept-language": language}).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("source", SOURCES)
def test_titles_air_dates_and_what_is_not_counted_on_every_source(
    tmp_path: Path, media: Videos, admin_client: Client, source: str
) -> None:
    library, item = _sonarr_show(tmp_path, media)
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=[item]) as sonarr:
        library.load_episode_files(sonarr)
        sonarr.state.set_episodes(1, [_episode(s, n, (s, n) != (3, 3)) for s, n in TITLES])
        instance = _instance(sonarr, library, source)
        _scanned(instance)
        asked = sonarr.state.counters()
        assert asked.get(LIST) == 1  # once for the one series
        if source == Instance.AudioSource.FILES:
            assert FILES not in asked  # the files are read, not asked for
        series = Media.objects.get(title="Long Show")
        assert series.planned_tag == "dub"
        panels = _panels(_page(admin_client, series))
        newest, unmonitored, first, specials = (text for _, _, text in panels)
        assert "1 New Dawn 2023-03-01 Long Show - S03E01.mkv Audio English" in newest
        assert newest.endswith("3 Tomorrow 2023-03-03 No file ")
        assert "Pilot 2021-03-01" in first and "The Return 2021-03-02" in first
        assert "not counted" in unmonitored and "not monitored in Sonarr" in unmonitored
        assert "Side Story 2022-03-01" in unmonitored and "Audio" not in unmonitored
        assert "specials count only when" in specials and "The Lost Tapes 2020-03-01" in specials

        # Unchanged: the plan skips the series, and no list is asked (nor on a rewrite,
        # which reads it again: its files did not change).
        _scanned(instance)
        scan_inline(instance, mode=ScanRun.Mode.REWRITE)
        assert sonarr.state.counters().get(LIST) == 1

        # S03E03 imported: Sonarr's statistics change, the series is asked again.
        folder = library.folder("Long Show")
        path = media.make_video(
            folder / "Season 03" / "Long Show - S03E03.mkv", layout("jpn", "eng")
        )
        files = library.episode_files[1] + [arr_file(path, folder, ("jpn", "eng"), season=3)]
        sonarr.state.set_episode_files(1, files)
        sonarr.state.set_episodes(1, [_episode(s, n, True) for s, n in TITLES])
        _scanned(instance)
        assert sonarr.state.counters().get(LIST) == 2
    newest = _panels(_page(admin_client, series))[0][2]
    assert "3 Tomorrow 2023-03-03 Long Show - S03E03.mkv Audio English" in newest


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("source", SOURCES)
def test_a_500_on_the_list_fails_nothing_and_the_next_scan_asks_again(
    tmp_path: Path, media: Videos, admin_client: Client, source: str
) -> None:
    library, item = _sonarr_show(tmp_path, media)
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=[item]) as sonarr:
        library.load_episode_files(sonarr)
        sonarr.state.set_episodes(1, [_episode(s, n, (s, n) != (3, 3)) for s, n in TITLES])
        sonarr.state.fail_episode_lists(True)
        instance = _instance(sonarr, library, source)
        run = _scanned(instance)
        assert sonarr.state.counters().get(LIST) == 1
        series = Media.objects.get(title="Long Show")
        assert series.planned_tag == "dub" and series.file_count == 4 and not series.error
        assert run.items_failed == 0 and series.arr_episodes is None
        page = _page(admin_client, series)
        assert "Long Show - S03E01.mkv" in page and "New Dawn" not in page  # no titles

        sonarr.state.fail_episode_lists(False)
        _scanned(instance)  # the files did not change; the list is missing: asked again
        assert sonarr.state.counters().get(LIST) == 2
        _scanned(instance)
        assert sonarr.state.counters().get(LIST) == 2

        # A list kept, then a 500 when the files changed: the kept list stays.
        folder = library.folder("Long Show")
        path = media.make_video(
            folder / "Season 03" / "Long Show - S03E03.mkv", layout("jpn", "eng")
        )
        files = library.episode_files[1] + [arr_file(path, folder, ("jpn", "eng"), season=3)]
        sonarr.state.set_episode_files(1, files)
        sonarr.state.set_episodes(1, [_episode(s, n, True) for s, n in TITLES])
        sonarr.state.fail_episode_lists(True)
        _scanned(instance)
        assert sonarr.state.counters().get(LIST) == 3
        series.refresh_from_db()
        assert series.file_count == 5 and len(series.arr_episodes or ()) == len(TITLES)
        newest = _panels(_page(admin_client, series))[0][2]
        assert "New Dawn" in newest and "Long Show - S03E03.mkv" in newest
        sonarr.state.fail_episode_lists(False)
        _scanned(instance)  # its list is still the one read before the file came
        assert sonarr.state.counters().get(LIST) == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_page_of_the_files_source_in_german_and_french(
    tmp_path: Path, media: Videos, admin_client: Client, language: str
) -> None:
    library, item = _sonarr_show(tmp_path, media)
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=[item]) as sonarr:
        library.load_episode_files(sonarr)
        sonarr.state.set_episodes(1, [_episode(s, n, (s, n) != (3, 3)) for s, n in TITLES])
        _scanned(_instance(sonarr, library, Instance.AudioSource.FILES))
    series = Media.objects.get(title="Long Show")
    panels = _panels(_page(admin_client, series, language))
    text = html.unescape(" ".join(body for _, _, body in panels))
    data = [*TITLES.values(), "Long Show", *(p.name for p in library.files["Long Show"])]
    assert "New Dawn" in text and "The Lost Tapes" in text
    assert unwritten_words(text, language, data) == []
    told = {  # the air date, the specials' why, the unmonitored season's why
        "de": ("1 New Dawn 1. März 2023", "Spezialfolgen zählen nur, wenn die Instanz",
               "Die Staffel wird in Sonarr nicht überwacht"),
        "fr": ("1 New Dawn 1 mars 2023", "les épisodes spéciaux ne comptent que si",
               "la saison n'est pas surveillée dans Sonarr"),
    }  # fmt: skip
    for words in told[language]:
        assert words in text, words


@pytest.mark.django_db(transaction=True)
def test_a_hung_list_fails_nothing_and_is_not_waited_for_series_after_series(
    tmp_path: Path, media: Videos, settings: Any
) -> None:
    # Sonarr accepts the request and never answers (until the fake stops): each item
    # is read from its files all the same; once a list went unanswered, the process
    # asks no more of them (a read timeout per series would add up over a library).
    settings.ITEM_BATCH = 1  # the items one after another: each would wait its own
    library = build_tv(tmp_path / "tv", media)
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY, stall_s=120.0)
    with FakeArr(options, items=library.arr_items) as sonarr:
        library.load_episode_files(sonarr)
        sonarr.state.stall_episode_lists()
        instance = _instance(sonarr, library, Instance.AudioSource.FILES)
        instance.read_timeout = 1.0
        instance.save(update_fields=["read_timeout"])
        run = _scanned(instance)
        asked = sonarr.state.counters().get(LIST, 0)
    assert run.items_failed == 0
    assert dict(Media.objects.values_list("title", "planned_tag")) == library.expected
    assert not Media.objects.filter(arr_episodes__isnull=False).exists()
    assert asked == 1 < len(library.expected)  # the first series' only


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_on_a_real_worker_each_series_is_asked_once(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, admin_client: Client
) -> None:
    # The files source (tests/conftest.py's sonarr_instance); the fake makes each series'
    # episodes from its files (fakes/arr/episodes.py: "Episode N", aired 2024-01-01).
    with celery_worker() as worker:
        run = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(run.pk))
        run.refresh_from_db()
        assert run.status == ScanRun.Status.SUCCEEDED, run.error
        assert sonarr.state.counters().get(LIST) == len(tv_library.expected)
        again = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(again.pk))
        again.refresh_from_db()
        assert again.status == ScanRun.Status.SUCCEEDED, again.error
        assert sonarr.state.counters().get(LIST) == len(tv_library.expected)
    series = Media.objects.get(title="Anime Half")
    first = _panels(_page(admin_client, series))[-1][2]  # the oldest season, last
    assert "1 Episode 1 2024-01-01 Anime Half - S01E01.mkv Audio" in first
