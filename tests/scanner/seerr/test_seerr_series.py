"""A series asked for in Seerr (issue 72) has the asked language when every episode
file has it: in some only, the Audio issue is told how many, a search is queued, and it
is resolved when the last episode file has it. The default audio source (automatic),
the fake Sonarr serving the episode files as Sonarr does (real files, MediaInfo)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fakes.arr import FakeArr
from fakes.seerr import AUDIO, FakeSeerr, Notification
from fakes.seerr.state import ISSUE_OPEN, ISSUE_RESOLVED
from scanner import tasks
from scanner.models import Instance, Media, Person, SeerrAsk
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.work import Plan, Work
from tests.helpers import scan_inline, sonarr_over
from tests.library import Library, arr_file
from tests.media import MediaFactory, layout
from tests.scanner.seerr.seerr_setup import SEERR_KEY, connect, unmarked

pytestmark = pytest.mark.django_db(transaction=True)

HALF = "Anime Half"  # season 1 with English, season 2 without (tests.library.SHOWS)


@pytest.fixture
def seerr() -> Iterator[FakeSeerr]:
    with FakeSeerr(api_key=SEERR_KEY, app="overseerr", version="1.34.0") as fake:
        yield fake


@pytest.fixture
def tv(sonarr: FakeArr, tv_library: Library) -> Instance:
    """Sonarr on every default: the audio source automatic, 20 searches a day."""
    instance = sonarr_over(sonarr, str(tv_library.root), Instance.AudioSource.AUTO)
    assert instance.search_daily_limit == Instance._meta.get_field("search_daily_limit").default
    assert scan_inline(instance).status == "succeeded"
    return instance


def test_a_series_in_some_episodes_is_told_searched_then_resolved(
    seerr: FakeSeerr,
    sonarr: FakeArr,
    tv: Instance,
    tv_library: Library,
    media: MediaFactory,
    live_server: Any,
    sent_work: list[Work],
    answers: list[list[int]],
) -> None:
    kim = seerr.state.add_user("kim@example.org", username="kim")
    connect(
        seerr,
        live_server.url,
        "overseerr",
        {kim.email: Person.objects.create(name="Kim", languages=["eng"])},
    )
    item = Media.objects.get(instance=tv, title=HALF)
    show = seerr.state.add_media("tv", 300001, tvdb_id=item.tvdb_id, status=5)
    issue = seerr.state.add_issue(AUDIO, show, kim, "No English in season 2?")
    assert seerr.notify(Notification("ISSUE_CREATED", media=show, issue=issue)) == 202
    # English has no variety to doubt: answered from what the last scan stored, no scan.
    assert not [work for work in sent_work if isinstance(work, Plan)]
    (asks,) = answers
    assert tasks.answer_seerr_asks(asks) == 1
    assert [unmarked(comment.message) for comment in issue.comments][1:] == [
        "English audio is in 2 files of Anime Half. Taggarr is searching for releases with "
        "it for the 2 other files."
    ]
    assert issue.status == ISSUE_OPEN
    # The missing-dub search asks Sonarr for the episodes without it: season 2's.
    series_id = next(i["id"] for i in tv_library.arr_items if i["title"] == HALF)
    season_2 = sorted(
        episode["id"]
        for episode in sonarr.state.episodes(series_id)
        if episode["seasonNumber"] == 2
    )
    assert len(season_2) == 2
    searches = [c["body"] for c in sonarr.state.commands() if c["name"] == "EpisodeSearch"]
    assert [sorted(search["episodeIds"]) for search in searches] == [season_2]

    # One episode of season 2 arrives with English: still partial, nothing said again.
    folder = tv_library.folder(HALF)
    files = tv_library.files[HALF]
    _dub(media, sonarr, tv_library, series_id, folder, files[2])
    scan_inline(tv)
    assert len(issue.comments) == 2
    _dub(media, sonarr, tv_library, series_id, folder, files[3])
    scan_inline(tv)
    assert issue.status == ISSUE_RESOLVED
    assert (
        unmarked(issue.comments[-1].message) == "English audio of Anime Half is now in the library."
    )


def test_an_audio_issue_about_one_season_is_answered_for_it(
    seerr: FakeSeerr, tv: Instance, live_server: Any, answers: list[list[int]]
) -> None:
    """An issue names the season it is about (Issue.ts ``problemSeason``, GET
    /issue/:id; 0 is every season): season 1 of Anime Half has English in every file,
    so an issue about it is told so, not that half the series lacks it."""
    kim = seerr.state.add_user("kim@example.org", username="kim")
    connect(
        seerr,
        live_server.url,
        "overseerr",
        {kim.email: Person.objects.create(name="Kim", languages=["eng"])},
    )
    item = Media.objects.get(instance=tv, title=HALF)
    show = seerr.state.add_media("tv", 300001, tvdb_id=item.tvdb_id, status=5)
    issue = seerr.state.add_issue(AUDIO, show, kim, "No English?", problem_season=1)
    assert seerr.notify(Notification("ISSUE_CREATED", media=show, issue=issue)) == 202
    (asks,) = answers
    assert tasks.answer_seerr_asks(asks) == 1
    assert [unmarked(comment.message) for comment in issue.comments][1:] == [
        "English audio is already in 2 files of Anime Half, season 1: "
        "Anime Half - S01E01.mkv, Anime Half - S01E02.mkv."
    ]
    assert SeerrAsk.objects.get().seasons == [1]


def _dub(
    media: MediaFactory,
    sonarr: FakeArr,
    library: Library,
    series_id: int,
    folder: Any,
    path: Any,
    languages: tuple[str, ...] = ("jpn", "eng"),
) -> None:
    """A release with ``languages`` (English too, by default) imported over the episode
    file, Sonarr's entry too."""
    media.make_video(path, layout(*languages))
    season = int(path.parent.name.split()[-1])
    for entry in library.episode_files[series_id]:
        if entry["relativePath"] == path.relative_to(folder).as_posix():
            entry.update(arr_file(path, folder, languages, season=season))
    library.load_episode_files(sonarr)


def test_a_season_request_is_answered_and_searched_for_that_season_only(
    seerr: FakeSeerr,
    sonarr: FakeArr,
    tv: Instance,
    tv_library: Library,
    media: MediaFactory,
    live_server: Any,
    sent_work: list[Work],
) -> None:
    """Seerr's requests are per season: GET /request/:id holds the seasons asked
    (MediaRequest.seasons, eager SeasonRequest rows, ``seasonNumber``; the same in
    Overseerr 1.34, Jellyseerr 2.3 and Seerr 3.1), and MEDIA_AVAILABLE comes once those
    are available (MediaRequestSubscriber). A request for season 2 is answered for season
    2's files and searched for its episodes: season 1's missing episode is none of it."""
    series_id = next(i["id"] for i in tv_library.arr_items if i["title"] == HALF)
    folder, files = tv_library.folder(HALF), tv_library.files[HALF]
    _dub(media, sonarr, tv_library, series_id, folder, files[1], ("jpn",))  # S01E02
    scan_inline(tv)  # season 1: English in 1 of 2 files; season 2: in none
    kim = seerr.state.add_user("kim@example.org", username="kim")
    connect(
        seerr,
        live_server.url,
        "overseerr",
        {kim.email: Person.objects.create(name="Kim", languages=["eng"])},
    )
    item = Media.objects.get(instance=tv, title=HALF)
    show = seerr.state.add_media("tv", 300001, tvdb_id=item.tvdb_id, status=4)
    request = seerr.state.add_request(show, kim, seasons=(2,))
    for kind in ("MEDIA_APPROVED", "MEDIA_AVAILABLE"):
        note = Notification(kind, media=show, request_id=request.id, requested_by=kim)
        assert seerr.notify(note) == 202
    plans = [work for work in sent_work if isinstance(work, Plan)]
    assert len(plans) == 1  # the series' scan; its end answers the request
    run_inline(tuple(plans), on_ended=tasks.follow_seerr_run)

    (issue,) = seerr.state.issues.values()
    assert [unmarked(comment.message) for comment in issue.comments] == [
        "Anime Half, season 2 has no English audio in the library; Taggarr is searching "
        "for a release with it."
    ]
    season_2 = sorted(
        episode["id"]
        for episode in sonarr.state.episodes(series_id)
        if episode["seasonNumber"] == 2
    )
    searches = [c["body"] for c in sonarr.state.commands() if c["name"] == "EpisodeSearch"]
    assert [sorted(search["episodeIds"]) for search in searches] == [season_2]
    assert SeerrAsk.objects.get().seasons == [2]

    # Season 2 arrives with English: the request is met, season 1 still lacking one.
    for path in files[2:]:
        _dub(media, sonarr, tv_library, series_id, folder, path)
    scan_inline(tv)
    assert issue.status == ISSUE_RESOLVED
    assert unmarked(issue.comments[-1].message) == (
        "English audio of Anime Half, season 2 is now in the library."
    )
