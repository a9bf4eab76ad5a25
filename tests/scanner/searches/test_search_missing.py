"""Searching for missing dubs: real scans of real files, then the fake *arr receives the
search commands over HTTP, with the ids of exactly the episodes whose files lack a
target, within the daily bound and never twice within the interval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from fakes.arr import FakeArr
from scanner.models import Event, Instance, Media, MissingSearch
from scanner.searches.actions import preview_search
from scanner.searches.due import search_due
from scanner.searches.send import search_missing
from tests.helpers import scan_inline

pytestmark = pytest.mark.django_db(transaction=True)
MANUAL = MissingSearch.Trigger.MANUAL


def _ids(*titles: str) -> list[int]:
    return list(Media.objects.filter(title__in=titles).values_list("pk", flat=True))


def _episode_ids(fake: FakeArr, title: str, wanted: list[tuple[int, int]]) -> list[int]:
    series = next(item for item in fake.state.items() if item["title"] == title)
    by_number = {
        (e["seasonNumber"], e["episodeNumber"]): e["id"] for e in fake.state.episodes(series["id"])
    }
    return sorted(by_number[pair] for pair in wanted)


def _searches(fake: FakeArr) -> list[dict]:
    return [c["body"] for c in fake.state.commands() if c["name"] != "RefreshSeries"]


@pytest.fixture
def scanned(sonarr_instance: Instance) -> Instance:
    scan_inline(sonarr_instance)
    return sonarr_instance


def test_sonarr_gets_exactly_the_episodes_that_lack_a_target(
    scanned: Instance, sonarr: FakeArr
) -> None:
    report = search_missing(_ids("Anime Half", "Anime Dubbed"), trigger=MANUAL, user="admin")
    expected = _episode_ids(sonarr, "Anime Half", [(2, 1), (2, 2)])
    assert _searches(sonarr) == [{"name": "EpisodeSearch", "episodeIds": expected}]
    (row,) = report.asked
    assert (row.title, row.searched, row.arr_ids, row.command_id) == ("Anime Half", 2, expected, 1)
    assert [(s.media.title, s.reason) for s in report.skipped] == [
        ("Anime Dubbed", "no counted file of it lacks a target language")
    ]
    event = Event.objects.get(kind=Event.Kind.SEARCH)
    assert event.message == "Anime Half: asked Sonarr to search S02E01-E02 (English missing)"
    assert event.data["arr_ids"] == expected
    assert event.data["user"] == "admin"


def test_an_item_searched_within_the_interval_is_not_searched_again(
    scanned: Instance, sonarr: FakeArr
) -> None:
    search_missing(_ids("Never Dubbed"), trigger=MANUAL)
    again = search_missing(_ids("Never Dubbed"), trigger=MANUAL)
    assert again.asked == []
    assert again.skipped[0].reason.startswith("searched already: again from ")
    assert len(_searches(sonarr)) == 1
    MissingSearch.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert len(search_missing(_ids("Never Dubbed"), trigger=MANUAL).asked) == 1


def test_the_daily_bound_counts_episodes_across_searches(
    scanned: Instance, sonarr: FakeArr
) -> None:
    Instance.objects.filter(pk=scanned.pk).update(search_daily_limit=3)
    report = search_missing(_ids("Anime Half", "Anime Wrong", "Never Dubbed"), trigger=MANUAL)
    assert [(row.title, row.searched) for row in report.asked] == [
        ("Anime Half", 2),
        ("Anime Wrong", 1),
    ]
    assert [(s.media.title, s.reason) for s in report.skipped] == [
        ("Never Dubbed", "the daily bound (3) is reached")
    ]
    wrong = _episode_ids(sonarr, "Anime Wrong", [(1, 1)])
    assert _searches(sonarr)[1] == {"name": "EpisodeSearch", "episodeIds": wrong}
    assert search_missing(_ids("Never Dubbed"), trigger=MANUAL).asked == []
    # A day later the bound is free again.
    MissingSearch.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert len(search_missing(_ids("Never Dubbed"), trigger=MANUAL).asked) == 1


def test_one_season(scanned: Instance, sonarr: FakeArr) -> None:
    half = _ids("Anime Half")
    first = search_missing(half, season=1, trigger=MANUAL)
    assert first.asked == []
    assert first.skipped[0].reason == "no counted file of season 1 lacks a target language"
    second = search_missing(half, season=2, trigger=MANUAL)
    assert second.asked[0].season == 2
    assert _searches(sonarr)[0]["episodeIds"] == _episode_ids(
        sonarr, "Anime Half", [(2, 1), (2, 2)]
    )


def _series_id(fake: FakeArr, title: str) -> int:
    return next(int(item["id"]) for item in fake.state.items() if item["title"] == title)


def test_an_episode_sonarr_does_not_monitor_is_never_searched(
    scanned: Instance, sonarr: FakeArr
) -> None:
    """An EpisodeSearch grabs an unmonitored episode (it is a search a person asked for:
    Sonarr/Sonarr src/NzbDrone.Core/DecisionEngine/Specifications/RssSync/
    MonitoredEpisodeSpecification.cs skips its check when the search is not for monitored
    episodes only), while Sonarr's own missing search asks only for episodes whose own
    flag and their series' are set (src/NzbDrone.Core/IndexerSearch/
    EpisodeSearchService.cs, MissingEpisodeSearchCommand): Taggarr asks as the latter."""
    half = _series_id(sonarr, "Anime Half")
    sonarr.state.set_episode_monitored(half, 2, 1, monitored=False)
    report = search_missing(_ids("Anime Half"), trigger=MANUAL)
    expected = _episode_ids(sonarr, "Anime Half", [(2, 2)])
    assert _searches(sonarr) == [{"name": "EpisodeSearch", "episodeIds": expected}]
    (row,) = report.asked
    row.refresh_from_db()
    assert (row.searched, row.episodes, row.arr_ids) == (1, [[2, 2]], expected)
    event = Event.objects.get(kind=Event.Kind.SEARCH)
    assert event.message == "Anime Half: asked Sonarr to search S02E02 (English missing)"
    # None of them monitored: nothing is asked, nothing is reserved.
    sonarr.state.set_episode_monitored(half, 2, 2, monitored=False)
    MissingSearch.objects.all().delete()
    again = search_missing(_ids("Anime Half"), trigger=MANUAL)
    assert again.asked == [] and len(_searches(sonarr)) == 1
    assert [s.reason for s in again.skipped] == [
        "Sonarr monitors none of its episodes that lack a target"
    ]
    assert not MissingSearch.objects.exists()


def test_a_series_sonarr_does_not_monitor_is_never_searched(
    scanned: Instance, sonarr: FakeArr
) -> None:
    """Sonarr's missing search leaves out every episode of a series it does not monitor
    (src/NzbDrone.Core/IndexerSearch/EpisodeSearchService.cs: ``v.Series.Monitored``):
    neither asked for by hand nor picked by the schedule."""
    wrong = _series_id(sonarr, "Anime Wrong")
    sonarr.state.put_item(wrong, {**sonarr.state.item(wrong), "monitored": False})
    scan_inline(scanned)  # the *arr's list is read again: the series is unmonitored now
    report = search_missing(_ids("Anime Wrong"), trigger=MANUAL)
    assert report.asked == []
    assert [s.reason for s in report.skipped] == ["Sonarr does not monitor it"]
    Instance.objects.filter(pk=scanned.pk).update(
        search_missing_scheduled=True, search_daily_limit=10
    )
    (scheduled,) = search_due()
    assert [row.title for row in scheduled.asked] == ["Anime Half", "Never Dubbed"]


def test_radarr_gets_movies_search_with_the_movies_that_lack_a_target(
    radarr_instance: Instance, radarr: FakeArr
) -> None:
    scan_inline(radarr_instance)
    every = list(Media.objects.values_list("pk", flat=True))
    report = search_missing(every, trigger=MANUAL)
    movie_ids = {item["title"]: item["id"] for item in radarr.state.items()}
    searched = [c["body"] for c in radarr.state.commands()]
    assert searched == [
        {"name": "MoviesSearch", "movieIds": [movie_ids["Original Film"]]},
        {"name": "MoviesSearch", "movieIds": [movie_ids["Wrong Film"]]},
    ]
    assert [s.media.title for s in report.skipped] == ["Dubbed Film"]


def test_an_arr_that_does_not_answer_frees_what_was_reserved(scanned: Instance) -> None:
    Instance.objects.filter(pk=scanned.pk).update(url="http://127.0.0.1:9")
    report = search_missing(_ids("Anime Half", "Never Dubbed"), trigger=MANUAL)
    assert report.asked == []
    assert "127.0.0.1:9" in report.failed[0]
    assert not MissingSearch.objects.exists()  # neither the bound nor the interval counts it
    assert not Event.objects.filter(kind=Event.Kind.SEARCH).exists()


def test_the_schedule_is_off_by_default_and_searches_within_the_bound(
    scanned: Instance, sonarr: FakeArr
) -> None:
    assert search_due() == []
    Instance.objects.filter(pk=scanned.pk).update(
        search_missing_scheduled=True, search_daily_limit=4
    )
    (report,) = search_due()
    assert [(row.title, row.searched, row.trigger) for row in report.asked] == [
        ("Anime Half", 2, "schedule"),
        ("Anime Wrong", 2, "schedule"),
    ]
    assert search_due() == []  # the bound is spent for today
    tomorrow = timezone.now() + timedelta(hours=25)
    (later,) = search_due(now=tomorrow)
    assert [row.title for row in later.asked] == ["Never Dubbed"]  # the others wait 7 days


def test_the_command_line_previews_and_searches(
    scanned: Instance, sonarr: FakeArr, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("search_missing", "--instance", "tv", "--preview")
    assert capsys.readouterr().out.splitlines() == [
        "would search: Anime Half: 2",
        "would search: Anime Wrong: 2",
        "would search: Never Dubbed: 3",
    ]
    assert _searches(sonarr) == []
    (half,) = _ids("Anime Half")
    call_command("search_missing", "--media", str(half), "--season", "2")
    assert capsys.readouterr().out == "searched: Anime Half: 2 (command 1)\n"


def test_the_preview_lists_what_the_search_sends(scanned: Instance, sonarr: FakeArr) -> None:
    """S01E03 of a half-monitored season: Sonarr does not monitor it, so the search never
    asks for it, and the preview (the admin's, the API's, ``--preview``) does not list
    it either: both narrow by one rule (scanner.searches.monitored)."""
    never = _series_id(sonarr, "Never Dubbed")
    sonarr.state.set_episode_monitored(never, 1, 3, monitored=False)
    preview = preview_search(_ids("Never Dubbed"))
    (planned,) = preview.searches
    assert (planned.episodes, planned.count) == ([(1, 1), (1, 2)], 2)
    assert preview.left_today[scanned.name] == scanned.search_daily_limit - 2
    assert sonarr.state.commands() == []  # the preview asks for nothing
    report = search_missing(_ids("Never Dubbed"), trigger=MANUAL)
    expected = _episode_ids(sonarr, "Never Dubbed", [(1, 1), (1, 2)])
    assert _searches(sonarr) == [{"name": "EpisodeSearch", "episodeIds": expected}]
    assert [row.episodes for row in report.asked] == [[[1, 1], [1, 2]]]
    # None monitored: the preview skips it with the search's reason.
    for number in (1, 2):
        sonarr.state.set_episode_monitored(never, 1, number, monitored=False)
    MissingSearch.objects.all().delete()
    preview = preview_search(_ids("Never Dubbed"))
    assert preview.searches == []
    assert [s.reason for s in preview.skipped] == [
        "Sonarr monitors none of its episodes that lack a target"
    ]
    assert preview.left_today[scanned.name] == scanned.search_daily_limit


def test_the_preview_says_when_sonarr_cannot_say(scanned: Instance, sonarr: FakeArr) -> None:
    sonarr.stop()
    preview = preview_search(_ids("Never Dubbed"))
    (planned,) = preview.searches
    assert planned.episodes == [(1, 1), (1, 2), (1, 3)]
    assert "only those are searched" in planned.note
