"""Issue 14: audio languages from Sonarr/Radarr's own media info. The hidden-media case
(the root folders not mounted at all) tags the whole library; hybrid probes exactly
the files whose *arr info is in doubt; bad *arr data is one item's problem."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from scanner.models import Event, Instance, Media, MediaFile, RunRequest, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.scanning import arr_files, plan
from scanner.pipeline.scanning.arr_files import clients_for
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan
from tests.factories import InstanceFactory
from tests.helpers import (
    ARR_KEY,
    arr_labels,
    arr_tags,
    arr_writes,
    free_port,
    manage,
    nfo_tags,
    scan_inline,
)
from tests.library import REMOTE_MOVIES, REMOTE_TV, Library
from tests.worker import celery_worker, live_database_url, run_finished

COVER_ROUTE = ("GET", "/api/v3/mediacover/{id}/{file}")
pytestmark = pytest.mark.django_db(transaction=True)

UNMOUNTED = "/mnt/not-mounted-here/tv"


def _instance(fake: FakeArr, root: str, source: str, **options: object) -> Instance:
    return InstanceFactory(
        name="hidden",
        url=fake.url,
        api_key=ARR_KEY,
        root_folders=[root],
        path_mappings=[{"remote": REMOTE_TV, "local": root}],
        target_languages=["eng"],
        audio_source=source,
        **options,
    )


def _episodefile_requests(fake: FakeArr) -> int:
    return fake.state.counters().get(("GET", "/api/v3/episodefile"), 0)


def test_hidden_media_is_tagged_from_the_arr_alone(sonarr: FakeArr, tv_library: Library) -> None:
    assert not Path(UNMOUNTED).exists()
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.AUTO)
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.audio_source == "arr"  # auto: the folders are not here
    assert arr_tags(sonarr) == tv_library.expected
    assert run.files_probed == 0  # nothing is opened: the folders do not even exist
    assert set(MediaFile.objects.values_list("source", flat=True)) == {"arr"}
    assert _episodefile_requests(sonarr) == len(tv_library.arr_items)  # one per series
    # The items' requests count too (the posters follow on a worker: none here).
    assert sonarr.state.counters().get(COVER_ROUTE, 0) == 0
    assert run.arr_requests == sonarr.state.total_requests()

    sonarr.state.reset_counters()
    again = scan_inline(instance)
    assert (again.items_total, arr_writes(sonarr), _episodefile_requests(sonarr)) == (0, 0, 0)


def test_a_series_whose_files_changed_in_the_arr_is_asked_again(
    sonarr: FakeArr, tv_library: Library
) -> None:
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR)
    scan_inline(instance)
    items = sonarr.state.items()
    half = next(item for item in items if item["title"] == "Anime Half")
    files = sonarr.state.episode_files(half["id"])
    for file in files:  # season 2 gets its English dub: new files, new sizes
        file["mediaInfo"]["audioLanguages"] = "jpn/eng"
        file["size"] += 1000
    half["statistics"]["sizeOnDisk"] += 1000 * len(files)
    sonarr.state.set_items(items)
    sonarr.state.set_episode_files(half["id"], files)
    sonarr.state.reset_counters()
    run = scan_inline(instance)
    assert (run.items_total, _episodefile_requests(sonarr)) == (1, 1)
    assert arr_tags(sonarr)["Anime Half"] == "dub"


def test_a_webhook_scan_of_the_whole_instance_reads_the_named_items_and_no_other(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """More items than webhooks remember one by one (issue 59): one run of the whole
    instance, as a schedule's, but the items they named are read whatever the lists say
    (the *arr's statistics may not show an import)."""
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR)
    scan_inline(instance)
    named = sonarr.state.items()[0]["id"]
    sonarr.state.reset_counters()
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.WEBHOOK), webhook_items=[named])
    run_inline((Plan(run.pk),))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.items_total == 1 and run.items_skipped == len(tv_library.arr_items) - 1
    assert _episodefile_requests(sonarr) == 1  # the named series' files, asked again


def test_hybrid_probes_exactly_the_files_in_doubt(sonarr: FakeArr, tv_library: Library) -> None:
    dubbed = next(item for item in sonarr.state.items() if item["title"] == "Anime Dubbed")
    files = sonarr.state.episode_files(dubbed["id"])
    del files[0]["mediaInfo"]  # "Analyse video files" was off for this one
    files[1]["mediaInfo"]["audioLanguages"] = "jpn"  # an untagged stream left out
    sonarr.state.set_episode_files(dubbed["id"], files)
    edited = tv_library.files["Anime Dubbed"][2]  # changed in place after the import
    later = edited.stat().st_mtime_ns + 3600 * 10**9
    os.utime(edited, ns=(later, later))
    instance = _instance(sonarr, str(tv_library.root), Instance.AudioSource.AUTO)
    run = scan_inline(instance)
    assert run.audio_source == "hybrid"
    assert run.files_probed == 3
    probed = dict(MediaFile.objects.filter(source="arr+probe").values_list("path", "source_note"))
    names = {Path(path).name: note for path, note in probed.items()}
    assert sorted(names) == sorted(path.name for path in tv_library.files["Anime Dubbed"][:3])
    # Why, as a code the page words in the reader's language (issue 61).
    assert names[tv_library.files["Anime Dubbed"][0].name] == "no_media_info"
    assert names[tv_library.files["Anime Dubbed"][1].name] == "untagged_streams"
    assert names[edited.name] == "changed_after_read"
    assert arr_tags(sonarr) == tv_library.expected
    # The NFOs are written: the folders are here.
    assert nfo_tags(tv_library.folder("Anime Half") / "tvshow.nfo") == ["user-tag", "semi-dub"]


def test_without_media_info_the_item_says_why_it_has_no_verdict(
    sonarr: FakeArr, tv_library: Library
) -> None:
    for item in sonarr.state.items():
        files = sonarr.state.episode_files(item["id"])
        for file in files:
            file.pop("mediaInfo", None)
        sonarr.state.set_episode_files(item["id"], files)
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR)
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED
    media = Media.objects.get(title="Anime Dubbed")
    assert media.planned_tag == ""  # never decided
    assert "no counted file could be read" in media.verdict_reasons["summary"]
    errors = {f["error"] for s in media.verdict_reasons["seasons"] for f in s["files"]}
    assert errors == {"the *arr has no media info for it (is 'Analyse video files' off?)"}
    assert set(arr_tags(sonarr).values()) == {"none"}


def test_a_malformed_languages_value_is_one_files_problem(
    sonarr: FakeArr, tv_library: Library
) -> None:
    dubbed = next(item for item in sonarr.state.items() if item["title"] == "Anime Dubbed")
    files = sonarr.state.episode_files(dubbed["id"])
    files[0]["mediaInfo"]["audioLanguages"] = {"not": "a string"}
    sonarr.state.set_episode_files(dubbed["id"], files)
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR)
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    row = MediaFile.objects.get(media__title="Anime Dubbed", path=files[0]["relativePath"])
    assert row.result == MediaFile.Result.ERROR
    assert row.source_note == "malformed_media_info"
    assert arr_tags(sonarr) == tv_library.expected  # the other three episodes decide


def test_sonarr_v3_names_are_understood(sonarr: FakeArr, tv_library: Library) -> None:
    for item in sonarr.state.items():
        files = sonarr.state.episode_files(item["id"])
        names = {"jpn": "Japanese", "eng": "English", "fre": "French", "spa": "Spanish"}
        for file in files:
            codes = file["mediaInfo"]["audioLanguages"].split("/")
            file["mediaInfo"]["audioLanguages"] = " / ".join(names[code] for code in codes)
        sonarr.state.set_episode_files(item["id"], files)
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR)
    scan_inline(instance)
    assert arr_tags(sonarr) == tv_library.expected


def _hidden_films(radarr: FakeArr, **options: object) -> Instance:
    """A Radarr instance whose movies are not mounted here."""
    return InstanceFactory(
        name="films",
        kind=Instance.Kind.RADARR,
        url=radarr.url,
        api_key=ARR_KEY,
        root_folders=["/mnt/not-here/movies"],
        path_mappings=[{"remote": REMOTE_MOVIES, "local": "/mnt/not-here/movies"}],
        **options,
    )


def test_radarr_needs_no_request_beyond_its_movie_list(
    radarr: FakeArr, movie_library: Library
) -> None:
    instance = _hidden_films(radarr, target_languages=["eng"])
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert arr_tags(radarr) == movie_library.expected
    reads = {route for (method, route), _ in radarr.state.counters().items() if method == "GET"}
    # (the posters and fanart follow on a worker: scanner.artwork)
    assert reads == {"/api/v3/movie", "/api/v3/tag"}


def test_radarrs_subtitle_files_count_without_a_mount(
    radarr: FakeArr, movie_library: Library
) -> None:
    """With subtitle tags on, each movie's item asks Radarr for its extra files (one
    request) and parses their names as the rules say: `.en.hi.srt` is English, which
    Radarr itself would call Hindi."""
    instance = _hidden_films(
        radarr, target_languages=["eng", "deu"], subtitle_tags=True,
        audio_source=Instance.AudioSource.ARR,
    )  # fmt: skip
    original = next(i for i in radarr.state.items() if i["title"] == "Original Film")
    radarr.state.set_extra_files(
        original["id"],
        ["Original Film (2020).en.hi.srt", "Subs/Original Film (2020).de.forced.srt"],
    )
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert "sub-en" in arr_labels(radarr)["Original Film"]
    assert "sub-de" not in arr_labels(radarr)["Original Film"]  # forced: does not count
    movies = len(movie_library.arr_items)
    assert radarr.state.counters()[("GET", "/api/v3/extrafile")] == movies  # one each
    media = Media.objects.get(title="Original Film")
    assert media.verdict_reasons["seasons"][0]["files"][0]["sidecars"] == [
        "Original Film (2020).en.hi.srt", "Subs/Original Film (2020).de.forced.srt",
    ]  # fmt: skip


def test_the_plan_makes_and_stores_its_payloads_a_chunk_at_a_time(
    radarr: FakeArr, movie_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large library's scan items are made with their payloads (Radarr's files) a chunk
    at a time, never all at once (``plan.STORE_CHUNK``); each item still carries its own
    movie's file."""
    monkeypatch.setattr(plan, "STORE_CHUNK", 2)
    chunks: list[int] = []
    made: dict[int, Any] = {}  # media id -> its payload
    real = plan.planned_payloads

    def counted(work: Any, *args: Any, **kwargs: Any) -> Any:
        chunks.append(len(work))
        payloads = real(work, *args, **kwargs)
        made.update(payloads)
        return payloads

    monkeypatch.setattr(plan, "planned_payloads", counted)
    instance = _hidden_films(radarr, target_languages=["eng"])
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert arr_tags(radarr) == movie_library.expected
    movies = len(movie_library.arr_items)
    assert movies > 2  # more than one chunk
    assert chunks == [2] * (movies // 2) + ([movies % 2] if movies % 2 else [])
    arr_ids = dict(Media.objects.values_list("pk", "arr_id"))
    files = {
        arr_ids[pk]: [file["relative_path"] for file in payload["files"]]
        for pk, payload in made.items()
    }
    assert files == {
        movie["id"]: [movie["movieFile"]["relativePath"]] for movie in radarr.state.items()
    }


def test_hidden_media_through_the_cli_and_a_worker(sonarr: FakeArr, tv_library: Library) -> None:
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.AUTO)
    env = {**os.environ, "DATABASE_URL": live_database_url()}
    result = manage("scan", "--inline", "--instance", instance.name, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert arr_tags(sonarr) == tv_library.expected
    # Untagged again, and every item decided again: now through a worker.
    sonarr.state.set_items(tv_library.arr_items)
    Media.objects.all().delete()
    from scanner.actions.scans import start_scan

    with celery_worker() as worker:
        run = start_scan(instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(run.pk))
    run.refresh_from_db()
    assert (run.status, run.files_probed) == (ScanRun.Status.SUCCEEDED, 0)
    assert arr_tags(sonarr) == tv_library.expected


def test_a_vanished_folder_in_hybrid_falls_back_to_the_arr(
    sonarr: FakeArr, tv_library: Library
) -> None:
    instance = _instance(sonarr, str(tv_library.root), Instance.AudioSource.HYBRID)
    run = scan_inline(instance)
    assert run.files_probed == 0  # every file's *arr info is good: nothing opened
    shutil.rmtree(tv_library.folder("Anime Wrong"))
    items = sonarr.state.items()
    wrong = next(item for item in items if item["title"] == "Anime Wrong")
    wrong["statistics"]["sizeOnDisk"] += 1  # the *arr noticed a change too
    sonarr.state.set_items(items)
    again = scan_inline(instance)
    assert again.items_failed == 0
    assert arr_tags(sonarr)["Anime Wrong"] == "wrong-dub"


def test_a_webhook_carries_the_files_media_info_no_request_no_file(
    sonarr: FakeArr, tv_library: Library, client, sent_work
) -> None:
    """Download events bring the imported file's media info: the scan needs no
    episodefile request and opens no file."""
    from scanner.pipeline.runtime.inline import run_inline

    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR)
    scan_inline(instance)
    half = next(item for item in sonarr.state.items() if item["title"] == "Anime Half")
    token = instance.get_webhook_token()
    for episode in (1, 2):  # season 2 gets its English dub, one upgrade at a time
        relative = f"Season 02/Anime Half - S02E{episode:02d}.mkv"
        imported = {
            "relativePath": relative, "size": 999, "dateAdded": "2026-11-01T00:00:00Z",
            "mediaInfo": {"audioLanguages": ["jpn", "eng"], "subtitles": []},
        }  # fmt: skip
        body = {
            "eventType": "Download", "series": {"id": half["id"], "title": "Anime Half"},
            "episodeFile": imported, "isUpgrade": True,
            "deletedFiles": [{"relativePath": relative, "size": 1}],
        }  # fmt: skip
        response = client.post(f"/api/webhooks/{token}/", body, content_type="application/json")
        assert response.status_code == 202
        run = ScanRun.objects.get(pk=response.json()["scan"])
        sonarr.state.reset_counters()
        run_inline(tuple(sent_work))
        sent_work.clear()
        run.refresh_from_db()
        assert run.status == ScanRun.Status.SUCCEEDED, run.error
        assert _episodefile_requests(sonarr) == 0
        assert run.files_probed == 0
    assert arr_tags(sonarr)["Anime Half"] == "dub"
    assert Media.objects.get(title="Anime Half").file_count == 4


def test_the_connection_test_says_where_languages_come_from(
    sonarr: FakeArr, tv_library: Library
) -> None:
    from scanner.actions.check_instance import connection_report

    hidden = connection_report(_instance(sonarr, UNMOUNTED, Instance.AudioSource.AUTO))
    assert hidden.ok, hidden.lines
    assert any("no file is opened" in line and "not reachable" in line for line in hidden.lines)
    Instance.objects.all().delete()
    here = connection_report(_instance(sonarr, str(tv_library.root), Instance.AudioSource.AUTO))
    assert any("files read only when it is in doubt" in line for line in here.lines)


def test_the_connection_test_reports_an_arr_without_media_info(
    sonarr: FakeArr, tv_library: Library
) -> None:
    from scanner.actions.check_instance import connection_report

    for item in sonarr.state.items():
        files = sonarr.state.episode_files(item["id"])
        for file in files:
            file.pop("mediaInfo", None)
        sonarr.state.set_episode_files(item["id"], files)
    report = connection_report(_instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR))
    assert not report.ok
    assert any("'Analyse video files'" in line for line in report.lines)


def test_an_arr_restart_while_the_items_ask_for_their_files_is_ridden_out(
    tv_library: Library, settings
) -> None:
    """The items ask for their files: an *arr that restarts meanwhile is waited for with
    the *arr's budget (TAGGARR_ARR_RETRY_SECONDS), not the folders' shorter one."""
    settings.ARR_RETRY_SECONDS = 120
    settings.STORAGE_RETRY_SECONDS = 14  # its waits start at 0.23 s, the *arr's at 2 s
    port = free_port()
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY)
    with FakeArr(options, items=tv_library.arr_items, port=port) as before:
        tv_library.load_episode_files(before)
        instance = _instance(before, UNMOUNTED, Instance.AudioSource.ARR)
        run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
        (work,) = plan_run(run.pk)
    assert _episodefile_requests(before) == 0  # the plan asks for none: the items do
    after = FakeArr(options, items=tv_library.arr_items, port=port)
    tv_library.load_episode_files(after)
    sleeps: list[float] = []

    def wait(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) > 1 and sum(sleeps) >= 2 + 4 + 8 + 16:  # four rounds of retries
            after.start()  # the restart is over

    try:
        run_inline((work,), sleep=wait)
    finally:
        after.stop()
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert sleeps[0] >= 2  # the *arr's first wait, not the folders' 0.23 s
    assert arr_tags(after) == tv_library.expected


def test_the_items_ask_over_the_connections_the_process_keeps(
    sonarr: FakeArr, tv_library: Library, settings
) -> None:
    """One item at a time, as many items as series: their episodefile requests go over
    one kept-alive connection, not a new one per item (on a remote *arr behind TLS, a
    handshake each)."""
    settings.ITEM_BATCH = 1
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR)
    run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert arr_tags(sonarr) == tv_library.expected
    assert _episodefile_requests(sonarr) == len(tv_library.arr_items) >= 4
    # The listing's client, the apply step's client and the one the items share (the
    # artwork's is a worker's).
    assert sonarr.state.connections() == 3


def test_kept_clients_follow_the_instances_connection_settings(sonarr: FakeArr) -> None:
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR)
    kept = clients_for(instance)
    assert clients_for(Instance.objects.get(pk=instance.pk)) is kept
    instance.set_api_key("a-new-key-after-a-reset")
    instance.save()
    renewed = clients_for(Instance.objects.get(pk=instance.pk))
    assert renewed is not kept
    assert renewed.config.api_key == "a-new-key-after-a-reset"


def test_kept_clients_unused_for_a_while_are_made_again(
    sonarr: FakeArr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between runs a proxy may have dropped their connections silently."""
    instance = _instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR)
    kept = clients_for(instance)
    with kept.lend():
        monkeypatch.setattr(arr_files, "KEPT_IDLE_SECONDS", 0.0)
        assert clients_for(instance) is kept  # one is out: in use, not idle
    assert clients_for(instance) is not kept


def test_a_forked_process_keeps_none_of_its_parents_clients(sonarr: FakeArr) -> None:
    kept = clients_for(_instance(sonarr, UNMOUNTED, Instance.AudioSource.ARR))
    with kept.lend() as client:
        client.system_status()  # a connection of the parent's, open in the pool
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's verdict is its exit status)
        os._exit(0 if not arr_files._kept else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert arr_files._kept  # the parent's are untouched


def test_a_key_refused_while_the_items_ask_fails_the_run_once(tv_library: Library) -> None:
    """The key changes in the *arr after the plan listed the series with it: the first
    refused item fails the run with the reason; the others are not asked, and no item
    gets an error of its own."""
    port = free_port()
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), port=port) as before:
        before.state.set_items(tv_library.arr_items)
        tv_library.load_episode_files(before)
        instance = _instance(before, UNMOUNTED, Instance.AudioSource.ARR)
        run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
        (work,) = plan_run(run.pk)
    options = FakeArrOptions(app="sonarr", api_key="a-key-made-after-a-reset")
    with FakeArr(options, items=tv_library.arr_items, port=port) as after:
        tv_library.load_episode_files(after)
        run_inline((work,), sleep=lambda seconds: None)
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED
    assert "API key" in run.error, run.error
    assert not Media.objects.exclude(error="").exists()
    assert not Event.objects.filter(kind=Event.Kind.ITEM_FAILED).exists()
    # The batch asked for every series at once, then one item alone failed the run (item
    # by item, each series was asked twice).
    assert _episodefile_requests(after) <= len(tv_library.arr_items) + 1
