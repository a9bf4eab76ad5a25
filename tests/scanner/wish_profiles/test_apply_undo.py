"""Writing an item's quality profile against the fake Sonarr v4/v5 and Radarr v5/v6 (their
editors from SeriesEditorController / MovieEditorController): one editor PUT per item
and the read back; the user's hand left alone; undo; the *arr's errors named; nothing
lost when the *arr does not answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from fakes.arr import RADARR_V5, RADARR_V6, SONARR_V4, SONARR_V5, FakeArr
from scanner.history.event_text import event_message
from scanner.leases import new_token
from scanner.models import (
    Event,
    Instance,
    ItemProfile,
    Media,
    MediaFile,
    MissingSearch,
    ProfileChange,
)
from scanner.wish_profiles import apply, arr_calls, plan, refusals, undo
from scanner.wish_profiles.act import ACT
from scanner.wish_profiles.requests import follow, release_hand
from tests.factories import MediaFileFactory
from tests.helpers import ARR_KEY
from tests.scanner.wish_profiles.helpers import (
    ANY,
    ORIGINAL,
    VFQ,
    fake_arr,
    listed,
    mapped_instance,
    stored_item,
)

State = ProfileChange.State
pytestmark = pytest.mark.django_db

RELEASES = [
    ("sonarr", SONARR_V4, "/api/v3/series/editor"),
    ("sonarr", SONARR_V5, "/api/v5/series/editor"),
    ("radarr", RADARR_V5, "/api/v3/movie/editor"),
    ("radarr", RADARR_V6, "/api/v3/movie/editor"),
]


@pytest.fixture
def radarr() -> Iterator[FakeArr]:
    with fake_arr("radarr", RADARR_V5) as fake:
        yield fake


def _editor_puts(fake: FakeArr) -> int:
    return sum(
        count
        for (method, route), count in fake.state.counters().items()
        if method == "PUT" and route.endswith("/editor")
    )


def _kind(app: str) -> str:
    return Instance.Kind.SONARR if app == "sonarr" else Instance.Kind.RADARR


def _profile_in_arr(fake: FakeArr, arr_id: int) -> int:
    item = fake.state.item(arr_id)
    assert item is not None
    return int(item["qualityProfileId"])


def _change_by_hand(fake: FakeArr, arr_id: int, profile: int) -> None:
    """What the *arr's own page does when a person picks another profile: the item PUT
    back whole (SeriesController / MovieController Update)."""
    resource = "series" if fake.state.options.app == "sonarr" else "movie"
    url = f"{fake.url}/api/v3/{resource}/{arr_id}"
    headers = {"X-Api-Key": ARR_KEY}
    item = requests.get(url, headers=headers, timeout=5).json()
    answer = requests.put(
        url, json={**item, "qualityProfileId": profile}, headers=headers, timeout=5
    )
    assert answer.status_code == 202


@pytest.mark.parametrize(("app", "version", "editor"), RELEASES)
def test_set_writes_one_editor_put_per_item_reads_it_back_and_a_rescan_writes_nothing(
    app: str, version: str, editor: str
) -> None:
    with fake_arr(app, version) as fake:
        instance = mapped_instance(fake.url, kind=_kind(app))
        media = stored_item(instance, arr_id=2)
        result = ACT.run_item(media.pk)
        assert result.written == 1
        assert fake.state.counters()[("PUT", editor)] == 1
        assert _profile_in_arr(fake, 2) == VFQ
        assert _profile_in_arr(fake, 1) == ANY
        change = ProfileChange.objects.get()
        assert (change.state, change.profile_before, change.profile_after) == (
            State.WRITTEN,
            ANY,
            VFQ,
        )
        item = ItemProfile.objects.get(media=media)
        assert (item.set_profile_id, item.earlier_profile_id, item.hand) == (VFQ, ANY, False)
        media.refresh_from_db()
        assert media.quality_profile_id == VFQ
        event = Event.objects.get(kind=Event.Kind.PROFILE)
        assert event.data["what"] == "written"
        assert (
            event_message(event) == f"{media.title}: its quality profile is now VFQ, was HD-1080p"
        )
        # Planned again unchanged (an unchanged rescan): nothing more is sent.
        fake.state.reset_counters()
        again = ACT.run_item(media.pk)
        assert again.written == 0
        assert _editor_puts(fake) == 0
        assert ProfileChange.objects.count() == 1


def test_the_users_hand_is_seen_before_the_write_and_left_alone(radarr: FakeArr) -> None:
    instance = mapped_instance(radarr.url)
    media = stored_item(instance)
    ACT.run_item(media.pk)
    assert _profile_in_arr(radarr, 1) == VFQ
    # A person picks "Original" on the movie's page in Radarr; the next listing sees it.
    _change_by_hand(radarr, 1, ORIGINAL)
    Media.objects.filter(pk=media.pk).update(quality_profile_id=ORIGINAL)
    listed(instance)
    radarr.state.reset_counters()
    assert ACT.run_item(media.pk).plans[0].outcome == plan.HAND
    assert ItemProfile.objects.get(media=media).hand
    for _ in range(2):  # and again: left alone
        ACT.run_item(media.pk)
    assert _editor_puts(radarr) == 0
    assert _profile_in_arr(radarr, 1) == ORIGINAL


def test_a_change_by_hand_between_the_plan_and_the_write_is_refused_and_is_the_hand(
    radarr: FakeArr,
) -> None:
    instance = mapped_instance(radarr.url, mode=Instance.WishProfiles.PLAN)
    media = stored_item(instance)
    ItemProfile.objects.create(
        media=media, wish="original", set_profile_id=ANY, earlier_profile_id=ANY
    )
    (change_id,) = ACT.run_item(media.pk).plans[0].planned
    _change_by_hand(radarr, 1, ORIGINAL)
    radarr.state.reset_counters()
    result = ACT.apply_held(media.pk, None, token=new_token(), by="", via="")
    assert result is not None
    assert result.counts == {apply.REFUSED: 1}
    change = ProfileChange.objects.get(pk=change_id)
    assert (change.state, change.refusal, change.detail["found"]) == (
        State.REFUSED,
        refusals.CHANGED,
        ORIGINAL,
    )
    assert ItemProfile.objects.get(media=media).hand
    assert _editor_puts(radarr) == 0


def test_undo_gives_back_the_earlier_profile_and_the_item_is_the_users_until_released(
    radarr: FakeArr,
) -> None:
    instance = mapped_instance(radarr.url)
    media = stored_item(instance)
    ACT.run_item(media.pk)
    change = ProfileChange.objects.get()
    result = undo.undo(change_ids=[change.pk], by="alice", via=Event.Via.API)
    assert result.counts == {undo.UNDONE: 1}
    assert _profile_in_arr(radarr, 1) == ANY
    change.refresh_from_db()
    assert (change.state, change.undone_by) == (State.UNDONE, "alice")
    item = ItemProfile.objects.get(media=media)
    assert (item.hand, item.hand_profile_id) == (True, ANY)
    undone = Event.objects.filter(kind=Event.Kind.PROFILE, data__what="undone").get()
    assert event_message(undone).endswith("it has HD-1080p again by alice through the API")
    # The next runs leave it alone ...
    radarr.state.reset_counters()
    assert ACT.run_item(media.pk).plans[0].outcome == plan.HAND
    assert _editor_puts(radarr) == 0
    # ... until a person lets it follow its wish again: planned and written at once.
    assert release_hand(Media.objects.get(pk=media.pk), "alice", inline=True)
    assert _profile_in_arr(radarr, 1) == VFQ
    assert not ItemProfile.objects.get(media=media).hand
    assert ProfileChange.objects.filter(state=State.WRITTEN).count() == 1


def test_undo_of_an_item_changed_since_is_refused(radarr: FakeArr) -> None:
    instance = mapped_instance(radarr.url)
    media = stored_item(instance)
    ACT.run_item(media.pk)
    _change_by_hand(radarr, 1, ORIGINAL)
    change = ProfileChange.objects.get()
    result = undo.undo(change_ids=[change.pk])
    assert result.refusals == {change.pk: refusals.CHANGED}
    assert _profile_in_arr(radarr, 1) == ORIGINAL
    assert ProfileChange.objects.get().state == State.WRITTEN


def test_a_profile_the_arr_refuses_is_named_with_its_words(radarr: FakeArr) -> None:
    instance = mapped_instance(radarr.url, mapping={"fr-CA": VFQ})
    media = stored_item(instance)
    instance.mapped_profiles.update(profile_id=99)  # deleted in Radarr since it was mapped
    assert ACT.run_item(media.pk).applies[0].counts == {apply.REFUSED: 1}
    change = ProfileChange.objects.get()
    assert change.refusal == refusals.ARR_REFUSED
    # QualityProfileExistsValidator's message (MovieEditorValidator).
    assert change.detail["messages"] == ["QualityProfileId: Quality Profile does not exist"]
    assert refusals.refusal_text(change.refusal, change.detail) == (
        "the *arr refused the change: QualityProfileId: Quality Profile does not exist"
    )
    assert _profile_in_arr(radarr, 1) == ANY


def test_an_arr_that_does_not_answer_fails_after_the_retries_and_nothing_is_lost(
    monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    settings.ARR_RETRY_SECONDS = 30  # type: ignore[attr-defined]
    waited: list[float] = []
    now = [0.0]
    monkeypatch.setattr(
        arr_calls,
        "sleep",
        lambda seconds: (waited.append(seconds), now.__setitem__(0, now[0] + seconds)),
    )
    monkeypatch.setattr(arr_calls, "clock", lambda: now[0])
    with fake_arr("radarr", RADARR_V6, fail_put_ids=frozenset({1})) as radarr:
        instance = mapped_instance(radarr.url)
        media = stored_item(instance)
        result = ACT.run_item(media.pk)
        assert result.applies[0].counts == {apply.FAILED: 1}
        change = ProfileChange.objects.get()
        assert (change.state, change.refusal) == (State.FAILED, refusals.ARR_UNANSWERED)
        assert _editor_puts(radarr) == len(waited) + 1 > 1  # tried again within the budget
        assert sum(waited) == pytest.approx(30)
        assert _profile_in_arr(radarr, 1) == ANY
        failed = Event.objects.get(kind=Event.Kind.PROFILE)
        assert failed.data["refusal"] == refusals.ARR_UNANSWERED
        # Nothing lost: the next run plans it again, and the *arr answers then.
        radarr.stop()
    with fake_arr("radarr", RADARR_V6) as again:
        Instance.objects.filter(pk=instance.pk).update(url=again.url)
        assert ACT.run_item(media.pk).written == 1
        assert _profile_in_arr(again, 1) == VFQ


def test_an_item_gone_from_the_arr_is_refused(radarr: FakeArr) -> None:
    instance = mapped_instance(radarr.url)
    media = stored_item(instance, arr_id=7)  # the fake has items 1 and 2
    ACT.run_item(media.pk)
    change = ProfileChange.objects.get()
    assert (change.state, change.refusal) == (State.REFUSED, refusals.GONE)


def test_a_seerr_request_is_written_then_searched_once(radarr: FakeArr) -> None:
    instance = mapped_instance(radarr.url)
    media = stored_item(instance)
    MediaFileFactory(media=media, result=MediaFile.Result.NONE)  # its file lacks the VFQ
    follow(media.pk, reason="seerr", asked_by="Seerr (léa)", inline=True)
    change = ProfileChange.objects.get()
    assert (change.state, change.search_sent) == (State.WRITTEN, True)
    searches = [c for c in radarr.state.commands() if c["name"] == "MoviesSearch"]
    assert [c["body"]["movieIds"] for c in searches] == [[1]]
    # Asked again (Seerr's webhook twice): the profile is set, the item searched already.
    Media.objects.filter(pk=media.pk).update(quality_profile_id=ANY)
    _change_by_hand(radarr, 1, ANY)
    ItemProfile.objects.filter(media=media).update(set_profile_id=ANY)
    follow(media.pk, reason="seerr", asked_by="Seerr (léa)", inline=True)
    assert len([c for c in radarr.state.commands() if c["name"] == "MoviesSearch"]) == 1


def _episode(episode_id: int, number: int, *, file_id: int = 0, monitored: bool = True) -> dict:
    """A row of Sonarr's GET /api/v3/episode?seriesId= (EpisodeResource)."""
    return {"id": episode_id, "seriesId": 1, "seasonNumber": 1, "episodeNumber": number,
            "episodeFileId": file_id, "monitored": monitored, "hasFile": bool(file_id)}  # fmt: skip


def test_a_requested_series_without_files_is_searched_as_the_arr_searches_a_new_one() -> None:
    """Seerr just added it: no file to lack a dub; its monitored episodes without a file
    are asked for (Sonarr's EpisodeSearch), once, under the searches' bound and interval."""
    with fake_arr("sonarr", SONARR_V4) as sonarr:
        sonarr.state.set_episodes(
            1,
            [_episode(11, 1), _episode(12, 2, file_id=5), _episode(13, 3, monitored=False)],
        )
        instance = mapped_instance(sonarr.url, kind=Instance.Kind.SONARR)
        media = stored_item(instance)
        follow(media.pk, reason="seerr", asked_by="Seerr (léa)", inline=True)
        assert ProfileChange.objects.get().search_sent
        searches = [c["body"] for c in sonarr.state.commands() if c["name"] == "EpisodeSearch"]
        assert searches == [{"name": "EpisodeSearch", "episodeIds": [11]}]
        row = MissingSearch.objects.get(media=media)
        assert (row.arr_ids, row.user) == ([11], "Seerr (léa)")
        # Asked again within the interval: the profile set again, no second search.
        _change_by_hand(sonarr, 1, ANY)
        Media.objects.filter(pk=media.pk).update(quality_profile_id=ANY)
        ItemProfile.objects.filter(media=media).update(set_profile_id=ANY)
        follow(media.pk, reason="seerr", asked_by="Seerr (léa)", inline=True)
        assert _profile_in_arr(sonarr, 1) == VFQ
        assert len([c for c in sonarr.state.commands() if c["name"] == "EpisodeSearch"]) == 1
