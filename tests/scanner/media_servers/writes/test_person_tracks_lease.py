"""The step that sets each person's track in Plex, held per account and incremental
(scanner/media_servers/writes/track_lease.py, track_checks.py), on the fake Plex over
HTTP with its request counters (the household of test_person_tracks.py).

The routes counted are what python-plexapi 4.18 asks for (docs/media-servers.md):
``GET /library/sections/{id}/all`` (the library), ``GET
/library/metadata/{id}/allLeaves`` (a show's episodes with their files), ``GET
/library/metadata/{ids}`` (the parts with their streams as the account sees them; a
comma-separated list of keys, as plexapi's ``PlexObject.fetchItems`` asks for a list:
``plexapi/base.py``, "the key will be translated to /library/metadata/<key1,key2,key3>",
so one request reads several items' parts), ``PUT /library/parts/{id}`` (one
selection). Which items a person's task read is what the fake was asked with their
token (``metadata_asked``), not how many requests carried them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scanner.household import plex_tracks as step
from scanner.media_servers.writes import track_lease
from scanner.models import (
    Event,
    MediaFile,
    ScanRun,
    TrackCheck,
    TrackLease,
    TrackRun,
    TrackSetting,
)
from tests.factories import ScanRunFactory
from tests.scanner.household.test_plex_tracks import (  # noqa: F401 (the fixture)
    ANIME,
    CARTOON,
    VF2,
    Household,
    household,
)

pytestmark = pytest.mark.django_db

LIBRARY = ("GET", "/library/sections/{id}/all")
EPISODES = ("GET", "/library/metadata/{id}/allLeaves")
PARTS = ("GET", "/library/metadata/{ids}")
PUT = ("PUT", "/library/parts/{id}")
MINE, OTHER = 1111, 2222  # two tasks' tokens


def _apply(home: Household) -> None:
    home.server.set_person_tracks = True
    home.server.save()


def _run(home: Household, **fields: Any) -> ScanRun:
    instance = home.server.instances.get()
    return ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED, **fields)


def _read_as_person(home: Household) -> tuple[int, set[str]]:
    """Since the last ``_reads``: the requests for parts made with the child's token, and
    the files whose parts they read (their episodes' keys asked)."""
    who = str(home.child_user.id)
    asked = [keys for account, keys in home.plex.state.metadata_asked() if account == who]
    keys = {key for ids in asked for key in ids}
    streams = home.plex.state.streams
    read = set()
    for name, part_id in home.parts.items():
        part = streams.part(part_id)
        if part is not None and part.rating_key in keys:
            read.add(name)
    return len(asked), read


def _reads(home: Household) -> dict[tuple[str, str], int]:
    """The requests the fake Plex received since the last call, by route."""
    counted = home.plex.state.counters()
    home.plex.state.reset_counters()
    return counted


# --- the lease ----------------------------------------------------------------------


def test_one_token_holds_an_account_s_step_until_it_lets_go_or_its_lease_runs_out(
    household: Household,  # noqa: F811 (the fixture imported above)
) -> None:
    account = household.account(household.child).pk
    assert track_lease.take(account, MINE)
    assert track_lease.take(account, MINE)  # its own again (a message delivered again)
    assert not track_lease.take(account, OTHER)
    assert track_lease.ask_again(account, OTHER)
    assert track_lease.release(account, MINE)  # asked meanwhile: held, once more
    assert not TrackLease.objects.get(account_id=account).asked_again
    assert not track_lease.release(account, MINE)  # nobody asked: freed
    assert not track_lease.ask_again(account, OTHER)  # nobody holds it: take it
    assert track_lease.take(account, OTHER)
    # OTHER's worker dies; time passes past its lease (injected): MINE takes the step
    # and OTHER, were it only paused, writes nothing more.
    TrackLease.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    assert track_lease.take(account, MINE)
    with pytest.raises(track_lease.TrackLeaseLost):
        track_lease.hold(account, OTHER)
    track_lease.hold(account, MINE)
    track_lease.let_go(account, MINE)
    assert TrackLease.objects.get(account_id=account).token is None


def test_a_task_for_an_account_whose_step_is_held_asks_for_once_more_and_ends(
    household: Household,  # noqa: F811 (the fixture imported above)
    caplog: pytest.LogCaptureFixture,
) -> None:
    home = household
    _apply(home)
    account = home.account(home.child).pk
    assert track_lease.take(account, OTHER)  # another task is in the middle of it
    _reads(home)

    with caplog.at_level("INFO"):
        assert step.set_account_tracks(account, _run(home).pk, token=MINE) is None

    held = f"the step setting the tracks of account {account} is held by another task"
    assert f"{held}: it runs once more" in caplog.text
    assert TrackLease.objects.get(account_id=account).asked_again
    assert _reads(home) == {} and not TrackRun.objects.exists()
    # A dry-run scan asks for nothing: the holder's run once more would write.
    TrackLease.objects.update(asked_again=False)
    assert step.set_account_tracks(account, _run(home, dry_run=True).pk, token=MINE) is None
    assert not TrackLease.objects.get(account_id=account).asked_again


def test_a_holder_whose_step_another_task_took_writes_nothing_more(
    household: Household,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Once the first item is stored, the holder is paused past its lease and another
    task takes the step (injected at its next fence): the second item is not sent, and
    no TrackRun nor event of it is stored."""
    home = household
    _apply(home)
    account = home.account(home.child).pk
    fence = track_lease.hold

    def paused_past_its_lease(account_id: int, token: int) -> None:
        if TrackSetting.objects.exists() and not TrackLease.objects.filter(token=OTHER).exists():
            TrackLease.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
            assert track_lease.take(account_id, OTHER)
        fence(account_id, token)

    monkeypatch.setattr(track_lease, "hold", paused_past_its_lease)
    with caplog.at_level("WARNING"):
        assert step.set_account_tracks(account, _run(home).pk, token=MINE) is None

    assert "superseded, nothing more written" in caplog.text
    anime = {home.parts[name] for name, _, _ in ANIME}
    cartoon = {home.parts[name] for name, _, _ in CARTOON}
    sent = {w.part_id for w in home.plex.state.streams.writes()}
    # The first item's selections, stored; the second item's never sent.
    assert sent and (sent <= anime or sent <= cartoon)
    assert set(TrackSetting.objects.values_list("part_id", flat=True)) == sent
    assert not TrackRun.objects.exists()
    assert TrackLease.objects.get(account_id=account).token == OTHER  # left to its holder


# --- one statement per item, and only the items that need it -------------------------


def test_an_item_s_selections_are_stored_in_one_statement(
    household: Household,  # noqa: F811 (the fixture imported above)
) -> None:
    home = household
    _apply(home)
    account = home.account(home.child).pk
    # At each progress the task reports (its hold limit counts from there): how many
    # items were stored by then (their checks).
    stored: list[int] = []
    with CaptureQueriesContext(connection) as queries:
        result = step.set_account_tracks(
            account, _run(home).pk, progressed=lambda: stored.append(TrackCheck.objects.count())
        )
    assert result is not None and result.counts["sent"] == 3  # two of the cartoon's, the anime
    # Each show's episodes read is progress (the shows are listed before any item's
    # parts are read: a long listing is not a hung step), then each item stored is.
    assert stored == [0, 0, 1, 2]
    table = TrackSetting._meta.db_table
    writes = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    inserts = [sql for sql in writes if sql.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 2  # one per item (the cartoon's two rows in one)
    assert not [sql for sql in writes if sql.lstrip().upper().startswith("UPDATE")]
    assert TrackSetting.objects.count() == 3


def test_after_a_scan_only_the_items_whose_choice_may_have_changed_are_read(
    household: Household,  # noqa: F811 (the fixture imported above)
) -> None:
    home = household
    _apply(home)
    account = home.account(home.child)
    cartoon = {name for name, _, _ in CARTOON}
    anime = {name for name, _, _ in ANIME}
    _reads(home)
    # Before: every run read every item (two series: a show's episodes and parts each).
    first = step.set_account_tracks(account.pk, _run(home).pk)
    assert first is not None and first.counts["sent"] == 3
    requests, files = _read_as_person(home)
    read = _reads(home)
    # The library's listing (its guids by ``/library/metadata/{ids}``, the server's
    # token), per show its episodes, every file's parts with the person's token (both
    # shows' in one request: read in batches across items), and the three selections.
    assert files == cartoon | anime and requests == 1
    assert (read[LIBRARY], read[EPISODES], read[PARTS], read[PUT]) == (1, 2, 1 + 1, 3)
    assert sum(read.values()) == 11  # with the connection's three (/, /library, sections)
    assert TrackCheck.objects.filter(account=account).count() == 2

    # After: nothing changed, nothing asked of Plex (nor of plex.tv for a token), and no
    # run nor event stored: the first run's still says what is set.
    asked_of_plex_tv = home.tv.state.counters()
    runs, events = TrackRun.objects.count(), Event.objects.filter(kind=Event.Kind.TRACKS_SET)
    told = events.count()
    again = step.set_account_tracks(account.pk, _run(home).pk)
    assert again is not None and dict(again.counts) == {}
    assert _reads(home) == {}
    assert home.tv.state.counters() == asked_of_plex_tv
    assert (TrackRun.objects.count(), events.count()) == (runs, told)

    # One file of the cartoon read again by a scan, with another title on a track: the
    # cartoon alone is read again (its four files counted), the anime not.
    vf2 = MediaFile.objects.get(path=f"Season 01/{VF2}")
    vf2.audio_tracks = [{**vf2.audio_tracks[0], "title": "Doublage"}, *vf2.audio_tracks[1:]]
    vf2.save()
    changed = step.set_account_tracks(account.pk, _run(home).pk)
    assert _read_as_person(home) == (1, cartoon)
    read = _reads(home)
    assert (read[LIBRARY], read[EPISODES], read[PARTS], read.get(PUT, 0)) == (1, 1, 1 + 1, 0)
    assert changed is not None and sum(changed.counts.values()) == 4

    # The anime's file replaced by another with the same tracks (a new size and time:
    # Plex may list it as a new part): the anime alone is read again.
    MediaFile.objects.filter(media__title="Anime").update(size=1234, mtime_ns=5678)
    step.set_account_tracks(account.pk, _run(home).pk)
    assert _read_as_person(home) == (1, anime)
    read = _reads(home)
    assert (read[EPISODES], read[PARTS]) == (1, 1 + 1)

    # The person's languages change: every item is read again.
    home.child.languages = ["fra"]
    home.child.save()
    step.set_account_tracks(account.pk, _run(home).pk)
    assert _read_as_person(home) == (1, cartoon | anime)
    read = _reads(home)
    assert (read[EPISODES], read[PARTS]) == (2, 1 + 1)


def test_a_scoped_run_stays_scoped_and_a_dry_run_reads_all_it_counts(
    household: Household,  # noqa: F811 (the fixture imported above)
) -> None:
    home = household
    _apply(home)
    account = home.account(home.child)
    instance = home.server.instances.get()
    anime = instance.media.get(title="Anime")
    _reads(home)
    scoped = step.set_account_tracks(account.pk, _run(home, scope=[anime.arr_id]).pk)
    assert scoped is not None and sum(scoped.counts.values()) == len(ANIME)
    assert _reads(home)[EPISODES] == 1
    assert set(TrackCheck.objects.values_list("media_id", flat=True)) == {anime.pk}
    # A dry-run scan counts every item of its run (its page says what would be set),
    # and stores no check: nothing was set.
    dry = step.set_account_tracks(account.pk, _run(home, dry_run=True).pk)
    assert dry is not None and dry.dry_run and dry.counts["sent"] == 2  # the cartoon's
    assert _reads(home)[EPISODES] == 2
    assert TrackCheck.objects.count() == 1
