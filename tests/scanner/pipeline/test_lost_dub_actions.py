"""An upgrade that loses German, and what the instance does about it (issue 62):
``tell`` only tells; ``search`` asks Sonarr, through the bounded search for missing
dubs, for the episode again; ``mark_failed`` finds the new file's grab in Sonarr's
history (its import names the file and carries the download's id, which the grab
carries too) and marks it failed. Sonarr's history as the fake serves it, from
Sonarr/Sonarr src/Sonarr.Api.V3/History/HistoryController.cs (GetHistory, MarkAsFailed)
and src/NzbDrone.Core/History/HistoryService.cs (an import's data). Each action once,
with its event; a later scan, or the task delivered again, does not repeat it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from fakes.arr import FakeArr, build_episode_file
from fakes.arr.profiles import quality_profile
from scanner import tasks
from scanner.history.event_text import event_message
from scanner.models import Event, Instance, MissingSearch, ScanRun, WishProfile
from scanner.pipeline.work import RunEnded
from scanner.searches.lost_dubs import win_back
from tests.helpers import UNMOUNTED_TV, arr_source_instance, at_once, scan_inline, sonarr_over
from tests.library import Library
from tests.media import MediaFactory, layout

pytestmark = pytest.mark.django_db(transaction=True)
ACTION = Event.Kind.LOST_DUB_ACTION
BLURAY = "Never.Dubbed.S01E01.1080p.BluRay.x264-GRP"
CHECKOUT = Path(__file__).resolve().parents[3]
NOW = timedelta(0)


def _file(series: dict[str, Any], file_id: int, name: str, languages: str) -> dict[str, Any]:
    # A Blu-ray is larger: the series' statistics change, so the scan reads it again.
    size = 1_400_000_000 if "Bluray" in name else 700_000_000
    file = build_episode_file(series, file_id, season=1, episode=1, audio_languages=languages)
    return file | {"relativePath": f"Season 01/{name}", "size": size}


def _download(
    sonarr: FakeArr, series: dict, episode_id: int, file: dict, key: str, ago: timedelta = NOW
) -> None:
    """Sonarr grabs a release and imports its file (``ago``: that long ago): the two
    history rows."""
    title = BLURAY if "Bluray" in file["relativePath"] else f"Never.Dubbed.{key}"
    history = sonarr.state.history
    date = datetime.now(UTC) - ago
    history.add(
        "grabbed", series["id"], episode_id=episode_id, download_id=key, source_title=title,
        date=date - timedelta(minutes=5),
    )  # fmt: skip
    data = {
        "fileId": str(file["id"]),
        "droppedPath": f"/downloads/{title}/{title}.mkv",
        "importedPath": f"{series['path']}/{file['relativePath']}",
    }
    history.add(
        "downloadFolderImported",
        series["id"],
        episode_id=episode_id,
        download_id=key,
        source_title=title,
        data=data,
        date=date,
    )


def _told_a_day_ago(instance: Instance) -> None:
    """The old file was last told a day ago (its import two days ago): what a real
    upgrade's history looks like beside it, the new import being now."""
    for media in instance.media.exclude(dub_announced=None):
        at = datetime.fromisoformat(media.dub_announced["at"]) - timedelta(days=1)
        media.dub_announced["at"] = at.isoformat()
        media.save(update_fields=["dub_announced"])


def _upgrade_loses_german(
    sonarr: FakeArr,
    action: str,
    before_upgrade: Callable[[Instance], None] | None = None,
    **options: Any,
) -> Instance:
    """ "Never Dubbed" (target German) with German in S01E01, scanned; then Sonarr
    upgrades that file to a Blu-ray without German, and a scan finds it
    (``before_upgrade(instance)`` first)."""
    instance = arr_source_instance(sonarr)
    Instance.objects.filter(pk=instance.pk).update(
        target_languages=["ger"], lost_dub_action=action, **options
    )
    instance.refresh_from_db()
    series = next(item for item in sonarr.state.items() if item["title"] == "Never Dubbed")
    (episode,) = [
        e["id"]
        for e in sonarr.state.episodes(series["id"])
        if (e["seasonNumber"], e["episodeNumber"]) == (1, 1)
    ]
    others = [f for f in sonarr.state.episode_files(series["id"]) if "E01" not in f["relativePath"]]
    webdl = _file(series, 901, "Never Dubbed - S01E01 WEBDL.mkv", "jpn/ger")
    sonarr.state.set_episode_files(series["id"], [*others, webdl])
    _download(sonarr, series, episode, webdl, "AAA", ago=timedelta(days=2))
    assert scan_inline(instance).status == ScanRun.Status.SUCCEEDED
    _told_a_day_ago(instance)
    if before_upgrade is not None:
        before_upgrade(instance)
    bluray = _file(series, 902, "Never Dubbed - S01E01 Bluray.mkv", "jpn")
    _download(sonarr, series, episode, bluray, "BBB")
    sonarr.state.set_episode_files(series["id"], [*others, bluray])
    assert scan_inline(instance).status == ScanRun.Status.SUCCEEDED
    assert Event.objects.filter(kind=Event.Kind.DUB_LOST, data__language="deu").count() == 1
    return instance


def _requests(sonarr: FakeArr, method: str, route: str) -> int:
    return sonarr.state.counters().get((method, route), 0)


def _searches(sonarr: FakeArr) -> list[dict]:
    return [c["body"] for c in sonarr.state.commands() if c["name"] == "EpisodeSearch"]


def _episode_id(sonarr: FakeArr, season: int, number: int) -> int:
    series = next(item for item in sonarr.state.items() if item["title"] == "Never Dubbed")
    return next(
        e["id"]
        for e in sonarr.state.episodes(series["id"])
        if (e["seasonNumber"], e["episodeNumber"]) == (season, number)
    )


def _again_nothing_more(instance: Instance) -> None:
    """A later scan, and the task of the loss's run delivered again, act on nothing."""
    loss_run = Event.objects.get(kind=Event.Kind.DUB_LOST).run_id
    assert loss_run is not None
    assert win_back(loss_run) == 0
    assert scan_inline(instance, mode=ScanRun.Mode.REWRITE).status == ScanRun.Status.SUCCEEDED
    assert Event.objects.filter(kind=ACTION).count() == 1


def test_mark_failed_marks_the_new_files_grab_once(sonarr: FakeArr) -> None:
    instance = _upgrade_loses_german(sonarr, "mark_failed")
    bluray_grab = next(
        row["id"]
        for row in sonarr.state.history.rows()
        if row["eventType"] == "grabbed" and row["downloadId"] == "BBB"
    )
    assert sonarr.state.history.failed == [bluray_grab]
    (event,) = Event.objects.filter(kind=ACTION)
    assert event.data["outcome"] == "marked_failed"
    assert event.data["releases"] == [BLURAY]
    assert event.data["files"] == [["Season 01/Never Dubbed - S01E01 Bluray.mkv", 1_400_000_000]]
    assert event_message(event) == (
        f"Never Dubbed: dub lost in an upgrade (German); its release “{BLURAY}” was marked "
        "failed in Sonarr, which blocklists it and searches for another"
    )
    # The *arr searches again: the daily bound counts it, no search command is sent.
    (row,) = MissingSearch.objects.all()
    assert (row.trigger, row.searched, row.arr_ids) == ("lost_dub", 1, [_episode_id(sonarr, 1, 1)])
    assert _searches(sonarr) == []

    _again_nothing_more(instance)
    assert sonarr.state.history.failed == [bluray_grab]


def test_inline_the_items_profile_is_set_before_its_lost_dub_is_searched(
    sonarr: FakeArr,
) -> None:
    """One run's end (issue 92, finding 5): ``scan --inline`` follows the workers' order
    (scanner.run_end): the quality profile the item's wish maps to is set before the
    search for its lost dub goes out, so the search grabs with the new profile."""
    sonarr.state.set_profiles([quality_profile(1, "HD-1080p"), quality_profile(7, "German DL")])

    def map_german(instance: Instance) -> None:  # the profile changes with the loss's run
        Instance.objects.filter(pk=instance.pk).update(wish_profiles=Instance.WishProfiles.SET)
        WishProfile.objects.create(
            instance=instance, wish="deu", profile_id=7, profile_name="German DL"
        )
        sonarr.state.reset_counters()

    _upgrade_loses_german(sonarr, "search", before_upgrade=map_german)
    series = next(item for item in sonarr.state.items() if item["title"] == "Never Dubbed")
    assert sonarr.state.profile_edits(series["id"]) == [7]
    assert len(_searches(sonarr)) == 1
    routes = sonarr.state.routes()
    search = routes.index(("POST", "/api/v3/command"))
    profile = max(i for i, route in enumerate(routes) if route == ("PUT", "/api/v3/series/editor"))
    assert profile < search, routes


def test_search_asks_for_the_lost_episode_within_the_bound(sonarr: FakeArr) -> None:
    instance = _upgrade_loses_german(sonarr, "search")
    # The other episodes lack German too, but only the lost one is asked for.
    assert _searches(sonarr) == [
        {"name": "EpisodeSearch", "episodeIds": [_episode_id(sonarr, 1, 1)]}
    ]
    (row,) = MissingSearch.objects.all()
    assert (row.trigger, row.searched, row.episodes) == ("lost_dub", 1, [[1, 1]])
    (event,) = Event.objects.filter(kind=ACTION)
    assert event.data["outcome"] == "searched"
    assert event_message(event) == (
        "Never Dubbed: dub lost in an upgrade (German); Sonarr asked to search S01E01 again"
    )
    assert _requests(sonarr, "POST", "/api/v3/history/failed/{id}") == 0

    _again_nothing_more(instance)
    assert len(_searches(sonarr)) == 1


def test_search_respects_the_daily_bound(sonarr: FakeArr) -> None:
    _upgrade_loses_german(sonarr, "search", search_daily_limit=0)
    assert _searches(sonarr) == []
    assert not MissingSearch.objects.exists()
    (event,) = Event.objects.filter(kind=ACTION)
    assert event.data["outcome"] == "not_searched"
    assert event_message(event) == (
        "Never Dubbed: dub lost in an upgrade (German); not searched again (the daily bound "
        "(0) is reached)"
    )


def test_mark_failed_respects_the_daily_bound(sonarr: FakeArr) -> None:
    _upgrade_loses_german(sonarr, "mark_failed", search_daily_limit=0)
    assert sonarr.state.history.failed == []
    assert _requests(sonarr, "GET", "/api/v3/history") == 0
    (event,) = Event.objects.filter(kind=ACTION)
    assert event.data["outcome"] == "bound"


def test_tell_sends_nothing_to_sonarr(sonarr: FakeArr) -> None:
    instance = _upgrade_loses_german(sonarr, "tell")
    assert not Event.objects.filter(kind=ACTION).exists()
    assert _requests(sonarr, "GET", "/api/v3/history") == 0
    assert _requests(sonarr, "POST", "/api/v3/history/failed/{id}") == 0
    assert _searches(sonarr) == []
    assert not MissingSearch.objects.exists()
    scan_inline(instance, mode=ScanRun.Mode.REWRITE)
    assert not Event.objects.filter(kind=ACTION).exists()


def test_no_grab_in_the_history_is_said(sonarr: FakeArr) -> None:
    """A file imported by hand has no grab: nothing is marked, the bound is given back."""
    instance = arr_source_instance(sonarr)
    Instance.objects.filter(pk=instance.pk).update(
        target_languages=["ger"], lost_dub_action="mark_failed"
    )
    series = next(item for item in sonarr.state.items() if item["title"] == "Never Dubbed")
    others = [f for f in sonarr.state.episode_files(series["id"]) if "E01" not in f["relativePath"]]
    sonarr.state.set_episode_files(
        series["id"], [*others, _file(series, 901, "Never Dubbed - S01E01 WEBDL.mkv", "jpn/ger")]
    )
    scan_inline(instance)
    sonarr.state.set_episode_files(
        series["id"], [*others, _file(series, 902, "Never Dubbed - S01E01 Bluray.mkv", "jpn")]
    )
    scan_inline(instance)
    (event,) = Event.objects.filter(kind=ACTION)
    assert event.data["outcome"] == "no_grab"
    assert sonarr.state.history.failed == []
    assert not MissingSearch.objects.exists()


def test_a_worker_gets_the_runs_that_lost_a_dub(
    sonarr: FakeArr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's scan (or a webhook's) ends with RunEnded: the task is sent only for a
    run that told a lost dub on an instance that acts on one, and it acts."""
    instance = _upgrade_loses_german(sonarr, "tell")
    loss_run = Event.objects.get(kind=Event.Kind.DUB_LOST).run_id
    quiet_run = ScanRun.objects.exclude(pk=loss_run).latest("pk").pk
    sent: list[tuple[str, int]] = []
    for task in (
        tasks.notify_run_ended,
        tasks.refresh_run_artwork,
        tasks.set_run_person_tracks,
        tasks.win_back_lost_dubs,
    ):
        monkeypatch.setattr(task, "delay", lambda run, name=task.name: sent.append((name, run)))
    tasks.enqueue(RunEnded(loss_run))
    assert not any("win_back" in name for name, _ in sent)  # "tell": nothing to do
    Instance.objects.filter(pk=instance.pk).update(lost_dub_action="mark_failed")
    tasks.enqueue(RunEnded(loss_run))
    tasks.enqueue(RunEnded(quiet_run))
    assert [run for name, run in sent if "win_back" in name] == [loss_run]
    assert tasks.win_back_lost_dubs(loss_run) == 1
    assert len(sonarr.state.history.failed) == 1
    assert tasks.win_back_lost_dubs(loss_run) == 0  # delivered again: nothing twice
    assert len(sonarr.state.history.failed) == 1


# Issue 67: a destructive action needs proof. The probe's scenarios, each of which once
# blocklisted the release that had the dub, and the one that must still act.


def _never_dubbed(sonarr: FakeArr, targets: list[str]) -> tuple[Instance, dict, list, int]:
    """The defaults a new user gets (audio source automatic: the library not mounted
    here, so the *arr's media info), mark_failed chosen, these targets."""
    instance = sonarr_over(sonarr, UNMOUNTED_TV, Instance.AudioSource.AUTO)
    Instance.objects.filter(pk=instance.pk).update(
        target_languages=targets, lost_dub_action="mark_failed"
    )
    instance.refresh_from_db()
    series = next(item for item in sonarr.state.items() if item["title"] == "Never Dubbed")
    others = [f for f in sonarr.state.episode_files(series["id"]) if "E01" not in f["relativePath"]]
    return instance, series, others, _episode_id(sonarr, 1, 1)


def _scan_with(sonarr: FakeArr, instance: Instance, series: dict, files: list[dict]) -> None:
    sonarr.state.set_episode_files(series["id"], files)
    assert scan_inline(instance).status == ScanRun.Status.SUCCEEDED


def _in_place(series: dict, size: int, languages: str) -> dict[str, Any]:
    """The WEB-DL's file as a post-processor or a remux leaves it: same name, new size."""
    file = _file(series, 901, "Never Dubbed - S01E01 WEBDL.mkv", languages)
    return file | {"size": size}


def test_a_file_changed_in_place_is_never_marked_failed(sonarr: FakeArr) -> None:
    """Rewritten in place without German (Tdarr, a remux), then flapping: no import
    since the old file was told, so the newest import naming the path is the old
    file's, whose grab brought the dub. Told each time, never marked."""
    instance, series, others, episode = _never_dubbed(sonarr, ["ger"])
    webdl = _in_place(series, 700_000_000, "jpn/ger")
    _download(sonarr, series, episode, webdl, "AAA", ago=timedelta(days=2))
    _scan_with(sonarr, instance, series, [*others, webdl])
    _told_a_day_ago(instance)
    for size, languages in ((650_000_000, "jpn"), (700_000_001, "jpn/ger"), (640_000_000, "jpn")):
        _scan_with(sonarr, instance, series, [*others, _in_place(series, size, languages)])
    assert Event.objects.filter(kind=Event.Kind.DUB_LOST).count() == 2
    assert sonarr.state.history.failed == []
    assert _requests(sonarr, "POST", "/api/v3/history/failed/{id}") == 0
    events = Event.objects.filter(kind=ACTION).order_by("pk")
    assert [(e.data["outcome"], e.data["reason"]) for e in events] == [
        ("not_certain", "no_new_import")
    ] * 2
    assert event_message(events[0]) == (
        "Never Dubbed: dub lost (German); nothing was marked failed, because Sonarr imported "
        "no new file since the old one was read, so the file was changed in place, not upgraded"
    )
    assert not MissingSearch.objects.exists()  # nothing asked: the bound given back


def _real_upgrade(
    sonarr: FakeArr, targets: list[str], old: tuple[str, str], new: tuple[str, str]
) -> None:
    """S01E01's file (name, languages) imported two days ago and told a day ago, then
    replaced by an upgrade imported now, and scanned: a real upgrade, by its history."""
    instance, series, others, episode = _never_dubbed(sonarr, targets)
    for file_id, (name, languages), key in ((901, old, "AAA"), (902, new, "BBB")):
        file = _file(series, file_id, f"Never Dubbed - {name}", languages)
        _download(sonarr, series, episode, file, key, ago=timedelta(days=2 if key == "AAA" else 0))
        _scan_with(sonarr, instance, series, [*others, file])
        if key == "AAA":
            _told_a_day_ago(instance)


def test_an_upgrade_whose_german_track_lost_its_label_is_not_marked(sonarr: FakeArr) -> None:
    """A real upgrade (a new import), but its second track has no language: it may be
    the German one ("und", titled "Deutsch"), so the label alone decides nothing."""
    _real_upgrade(
        sonarr, ["ger"], ("S01E01 WEBDL.mkv", "jpn/ger"), ("S01E01 Bluray.mkv", "jpn/und")
    )
    (event,) = Event.objects.filter(kind=ACTION)
    assert (event.data["outcome"], event.data["reason"]) == ("not_certain", "unlabelled")
    assert sonarr.state.history.failed == []


def test_a_release_name_word_is_no_proof_of_a_lost_variety(sonarr: FakeArr) -> None:
    """For a Quebec household, an upgrade named MULTi.VFF over the same untitled French
    track: the uploader's naming says France, the audio says nothing."""
    _real_upgrade(
        sonarr,
        ["fr-CA"],
        ("S01E01 MULTi.VFQ.1080p.mkv", "jpn/fre"),
        ("S01E01 MULTi.VFF.Bluray.mkv", "jpn/fre"),
    )
    assert Event.objects.filter(kind=Event.Kind.DUB_LOST, data__language="fr-CA").count() == 1
    (event,) = Event.objects.filter(kind=ACTION)
    assert (event.data["outcome"], event.data["reason"]) == ("not_certain", "variety_unsure")
    assert sonarr.state.history.failed == []


def test_a_real_upgrade_is_marked_once_and_the_mark_can_be_undone(sonarr: FakeArr) -> None:
    """The grab's ids are kept in the event; undoing takes the release off Sonarr's
    blocklist (BlocklistController: GET by seriesIds, DELETE by id) and says so."""
    from scanner.searches.lost_dub_undo import undo_mark_failed

    _upgrade_loses_german(sonarr, "mark_failed")
    (event,) = Event.objects.filter(kind=ACTION)
    (grab,) = event.data["grabs"]
    assert (grab["id"], grab["download_id"], grab["title"]) == (
        sonarr.state.history.failed[0], "BBB", BLURAY,
    )  # fmt: skip
    assert [row["sourceTitle"] for row in sonarr.state.history.blocked()] == [BLURAY]
    assert undo_mark_failed(event.pk, "admin") == "undone"
    assert sonarr.state.history.blocked() == []
    event.refresh_from_db()
    assert (event.data["undo"]["outcome"], event.data["undo"]["by"]) == ("undone", "admin")
    assert event_message(event) == (
        f"Never Dubbed: the mark as failed was undone, and the blocklist of Sonarr no longer "
        f"holds “{BLURAY}”"
    )
    assert undo_mark_failed(event.pk, "admin") is None  # nothing left to undo
    assert _requests(sonarr, "DELETE", "/api/v3/blocklist/{id}") == 1


def test_an_undo_of_a_release_no_longer_blocklisted_says_so(sonarr: FakeArr) -> None:
    from scanner.searches.lost_dub_undo import undo_mark_failed

    _upgrade_loses_german(sonarr, "mark_failed")
    (event,) = Event.objects.filter(kind=ACTION)
    for row in sonarr.state.history.blocked():  # the user cleared it in Sonarr
        sonarr.state.history.unblock(row["id"])
    assert undo_mark_failed(event.pk, "admin") == "not_found"
    event.refresh_from_db()
    assert "no longer holds" in event_message(event)


def test_a_file_read_while_cut_short_makes_no_loss(
    sonarr: FakeArr, tv_library: Library, media: MediaFactory, tmp_path: Path
) -> None:
    """Read while a copy is under way, or cut off, between its track entries: MediaInfo
    listed one audio track fewer (the German one) and the loss was marked at scan 2 and
    again at scan 4. Now such a read is none: no loss, no action, read again next time."""
    from tests.matroska import SEGMENT, TRACK_ENTRY, TRACKS, elements

    instance = sonarr_over(sonarr, str(tv_library.root), Instance.AudioSource.FILES)
    Instance.objects.filter(pk=instance.pk).update(
        target_languages=["ger"], lost_dub_action="mark_failed"
    )
    instance.refresh_from_db()
    path = tv_library.files["Never Dubbed"][0]
    whole = media.make_video(tmp_path / "whole.mkv", layout("jpn", "ger", "eng")).read_bytes()
    path.write_bytes(whole)
    series = next(item for item in sonarr.state.items() if item["title"] == "Never Dubbed")
    file = {"id": 1, "relativePath": f"Season 01/{path.name}"}
    _download(sonarr, series, _episode_id(sonarr, 1, 1), file, "AAA", ago=timedelta(days=2))
    assert scan_inline(instance).status == ScanRun.Status.SUCCEEDED
    _told_a_day_ago(instance)
    segment = next(e for e in elements(whole, 0, len(whole)) if e.id == SEGMENT)
    tracks = next(
        e for e in elements(whole, segment.data_start, segment.data_end) if e.id == TRACKS
    )
    entries = [
        e for e in elements(whole, tracks.data_start, tracks.data_end) if e.id == TRACK_ENTRY
    ]
    for cut in (entries[2].start, len(whole) * 2 // 3, len(whole)):  # jpn only, no end, whole
        path.write_bytes(whole[:cut])
        scan_inline(instance)
        row = instance.media.get(title="Never Dubbed").files.get(path__endswith="S01E01.mkv")
        assert ("cut short" in row.error) is (cut < len(whole))
    assert not Event.objects.filter(kind=Event.Kind.DUB_LOST).exists()
    assert not Event.objects.filter(kind=ACTION).exists()
    assert sonarr.state.history.failed == []


def test_the_undo_by_the_api_and_the_admin_needs_change_on_instances(
    sonarr: FakeArr, admin_client: Client
) -> None:
    """POST /api/events/{id}/undo/ and the admin's action: permission before existence
    (a user without it reads 403 for an event that exists and one that does not), 409
    when nothing is left to undo, the event's outcome in the answer."""
    from django.contrib.auth.models import Permission, User
    from rest_framework.test import APIClient

    _upgrade_loses_german(sonarr, "mark_failed")
    (event,) = Event.objects.filter(kind=ACTION)
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_event"))
    api = APIClient()
    api.force_login(viewer)
    for pk in (event.pk, event.pk + 1000):
        assert api.post(f"/api/events/{pk}/undo/").status_code == 403
    assert len(sonarr.state.history.blocked()) == 1
    operator = User.objects.create_user("operator", is_staff=True)
    operator.user_permissions.set(
        Permission.objects.filter(codename__in=["view_event", "change_instance"])
    )
    api.force_login(operator)
    assert api.post(f"/api/events/{event.pk + 1000}/undo/").status_code == 404
    answer = api.post(f"/api/events/{event.pk}/undo/")
    assert answer.status_code == 200
    assert answer.json()["data"]["undo"]["outcome"] == "undone"
    assert sonarr.state.history.blocked() == []
    assert api.post(f"/api/events/{event.pk}/undo/").status_code == 409
    # The admin's action on an event with nothing left to undo: said, nothing sent.
    page = admin_client.post(
        "/admin/scanner/event/",
        {"action": "undo_mark_failed", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "Taggarr undid 0 marks as failed" in page.content.decode()
    assert _requests(sonarr, "DELETE", "/api/v3/blocklist/{id}") == 1


def test_the_admins_undo_action_takes_the_release_off(
    sonarr: FakeArr, admin_client: Client
) -> None:
    _upgrade_loses_german(sonarr, "mark_failed")
    (event,) = Event.objects.filter(kind=ACTION)
    page = admin_client.post(
        "/admin/scanner/event/",
        {"action": "undo_mark_failed", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "Taggarr undid 1 mark as failed; each event" in page.content.decode()
    assert sonarr.state.history.blocked() == []
    event.refresh_from_db()
    assert event.data["undo"]["by"] == "admin"


ACTOR = """
import sys
import django
django.setup()
from scanner.searches.lost_dubs import win_back
run = int(sys.argv[1])
sys.stdin.readline()  # both actors start at once
print(win_back(run))
"""


def test_two_workers_acting_on_a_season_packs_two_files_mark_its_grab_once(
    sonarr: FakeArr,
) -> None:
    """A season pack (one download, a grab row per episode: HistoryService.Handle
    (EpisodeGrabbedEvent)) replaced S01E01 in one scan and S01E02 in the next; two
    worker processes act on the two runs at once. The grab is claimed under the
    instance's row lock before Sonarr is asked: marked once, the other action says so."""
    instance, series, others, _ = _never_dubbed(sonarr, ["ger"])
    Instance.objects.filter(pk=instance.pk).update(lost_dub_action="tell")
    rest = [f for f in others if "E02" not in f["relativePath"]]
    old = {
        n: _file(series, 900 + n, f"Never Dubbed - S01E0{n} WEBDL.mkv", "jpn/ger") for n in (1, 2)
    }
    for n, file in old.items():
        _download(sonarr, series, _episode_id(sonarr, 1, n), file, f"A{n}", ago=timedelta(days=2))
    _scan_with(sonarr, instance, series, [*rest, *old.values()])
    _told_a_day_ago(instance)
    pack = {n: _file(series, 910 + n, f"Never Dubbed - S01E0{n} Bluray.mkv", "jpn") for n in (1, 2)}
    for n, file in pack.items():
        _download(sonarr, series, _episode_id(sonarr, 1, n), file, "PACK")
    runs = []
    for files in ([pack[1], old[2]], [pack[1], pack[2]]):
        _scan_with(sonarr, instance, series, [*rest, *files])
        runs.append(ScanRun.objects.latest("pk").pk)
        _told_a_day_ago(instance)
    assert Event.objects.filter(kind=Event.Kind.DUB_LOST).values("run").distinct().count() == 2
    Instance.objects.filter(pk=instance.pk).update(lost_dub_action="mark_failed")
    at_once(ACTOR, [[str(run)] for run in runs])
    pack_grabs = [
        row["id"]
        for row in sonarr.state.history.rows()
        if row["eventType"] == "grabbed" and row["downloadId"] == "PACK"
    ]
    assert len(sonarr.state.history.failed) == 1
    assert sonarr.state.history.failed[0] in pack_grabs
    outcomes = sorted(e.data["outcome"] for e in Event.objects.filter(kind=ACTION))
    assert outcomes == ["already_marked", "marked_failed"]
    assert _requests(sonarr, "POST", "/api/v3/history/failed/{id}") == 1
