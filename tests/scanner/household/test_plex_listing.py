"""Each person's tracks at scale (issue 83, part 4; scanner/household/plex_listing.py):
after a run, the Plex server is listed once and plex.tv asked once for every person
account, each person's parts read ``batch`` items a request with their own token, and
each person still gets their own track.

The requests are counted by the fake Plex per route and per account (the token's), on
a real socket; python-plexapi asks ``/library/metadata/{key},{key},...`` for a list
of keys (``plexapi/base.py``, ``PlexObject.fetchItems``), which the fake serves as
Plex does (fakes/plex/handlers.py)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings

from fakes.plex import AUDIO, FakePlex, FakePlexTv, FakeStream
from fakes.plex.plex_tv import PlexTvUser
from scanner.arr.paths import PathMapper
from scanner.engine.tracks import make_track
from scanner.household import plex_listing, tasks
from scanner.household.track_checks import File
from scanner.media_servers.clients.plex import DEFAULT_PAGE_SIZE
from scanner.media_servers.clients.plex_parts import MAX_IDS_CHARS, batches
from scanner.media_servers.clients.plex_streams import PlexPart
from scanner.media_servers.writes import retries as server_retries
from scanner.models import Instance, Media, MediaServer, Person, PersonAccount, TrackRun
from scanner.models.event_data import PLEX_TV_UNREACHABLE, SERVER_UNREACHABLE
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory, ScanRunFactory
from tests.helpers import SERVER_TOKEN

pytestmark = pytest.mark.django_db

FILMS = 230  # three batches of DEFAULT_PAGE_SIZE (100), the last one short
METADATA = "/library/metadata/{ids}"
LISTING = "/library/sections/{id}/all"
BUDGET = 30  # seconds of retries for a busy server (waited on a clock the test moves)


@dataclass
class Library:
    plex: FakePlex
    tv: FakePlexTv
    server: MediaServer
    instance: Instance
    users: dict[str, PlexTvUser]  # person's name -> their plex.tv account
    parts: list[int]  # every film's part, in order
    streams: dict[int, tuple[int, int]]  # part -> (English stream, French stream)

    def run_all(self, run_id: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
        """The run's fan-out, then each account's task as a worker runs it: the parts
        each sent."""
        queued: list[tuple[Any, ...]] = []
        monkeypatch.setattr(tasks.set_person_tracks, "delay", lambda *args: queued.append(args))
        assert tasks.set_run_person_tracks(run_id) == len(self.users)
        sent = {}
        for account_id, run in queued:
            account = PersonAccount.objects.get(pk=account_id)
            sent[account.person.name] = tasks.set_person_tracks(account_id, run)
        return sent


@pytest.fixture
def library(monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    monkeypatch.setattr(server_retries, "sleep", lambda seconds: None)
    with FakePlex(token=SERVER_TOKEN) as plex, FakePlexTv(plex.state) as tv:
        instance = InstanceFactory(name="radarr", kind=Instance.Kind.RADARR)
        plex.state.add_section("1", "Movies", "movie", ["/media/films"])
        audio = [make_track(1, "eng", None, default=True), make_track(2, "fre", None)]
        stored = [track.to_dict() for track in audio]
        parts: list[int] = []
        streams: dict[int, tuple[int, int]] = {}
        for n in range(FILMS):
            folder = f"/media/films/Film {n:03d}"
            media = MediaFactory(
                instance=instance, kind=Media.Kind.MOVIE, title=f"Film {n:03d}", path=folder,
                tmdb_id=1000 + n, original_language="eng",
            )  # fmt: skip
            MediaFileFactory(media=media, path="film.mkv", audio_tracks=stored, subtitle_tracks=[])
            film = plex.state.add_item(
                "1", f"Film {n:03d}", f"{folder}/film.mkv", guids=[f"tmdb://{1000 + n}"]
            )
            english, french = (
                FakeStream(plex.state.streams.new_stream_id(), AUDIO, 1, "ac3", "eng",
                           default=True),
                FakeStream(plex.state.streams.new_stream_id(), AUDIO, 2, "ac3", "fre"),
            )  # fmt: skip
            part = plex.state.streams.add_part(
                film.rating_key, f"{folder}/film.mkv", [english, french]
            )
            parts.append(part.id)
            streams[part.id] = (english.id, french.id)
        server = MediaServer(
            name="plex", kind=MediaServer.Kind.PLEX, url=plex.url, set_person_tracks=True
        )
        server.set_token(SERVER_TOKEN)
        server.save()
        server.instances.set([instance])
        users: dict[str, PlexTvUser] = {}
        for name, languages, kind in (
            ("Léa", ["fra", "eng"], "managed"),
            ("Marc", ["eng"], "home"),
            ("Zoé", ["fra"], "managed"),
        ):
            user = tv.state.add_user(name, kind)  # type: ignore[arg-type]
            person = Person.objects.create(name=name, languages=languages)
            PersonAccount.objects.create(
                person=person, media_server=server, account_id=str(user.id),
                account_name=user.title, account_kind=f"plex-{kind}",
            )  # fmt: skip
            users[name] = user
        with override_settings(PLEX_TV_URL=tv.url):
            yield Library(plex, tv, server, instance, users, parts, streams)


def _run(library: Library) -> Any:
    """A run of the films' instance that ended (one at a time per instance)."""
    return ScanRunFactory(instance=library.instance, status="succeeded")


def _by_account(library: Library, route: str) -> dict[str, int]:
    return {
        who: n
        for (method, template, who), n in library.plex.state.counters_by_account().items()
        if (method, template) == ("GET", route)
    }


def test_one_listing_per_run_and_each_person_s_parts_in_batches(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = library
    run = _run(lib)

    sent = lib.run_all(run.pk, monkeypatch)

    batches_per_person = math.ceil(FILMS / DEFAULT_PAGE_SIZE)
    # The library listed once for the run (its pages, and its bulk metadata: the
    # owner's token), not once per person.
    assert _by_account(lib, LISTING) == {"owner": batches_per_person}
    metadata = _by_account(lib, METADATA)
    assert metadata.pop("owner") == batches_per_person  # the listing's metadata
    # Each person's parts read with their own token, ceil(items / batch) requests: not
    # one per film (230 each, 690 in all before).
    assert metadata == {str(user.id): batches_per_person for user in lib.users.values()}
    # plex.tv asked once for the run: the admin's account, the server's shares (every
    # shared account's token) and one switch for the Home member, for all three.
    assert sum(lib.tv.state.counters().values()) == 3
    # Each person's own track, set with their own token.
    french = {part: pair[1] for part, pair in lib.streams.items()}
    for name in ("Léa", "Zoé"):
        account = str(lib.users[name].id)
        assert all(
            lib.plex.state.streams.selected(account, part)[0] == french[part] for part in lib.parts
        )
    marc = str(lib.users["Marc"].id)
    english = {part: pair[0] for part, pair in lib.streams.items()}
    assert all(
        lib.plex.state.streams.selected(marc, part)[0] == english[part] for part in lib.parts
    )
    assert sent == {"Léa": FILMS, "Zoé": FILMS, "Marc": 0}  # Marc already hears English
    writers = {write.account for write in lib.plex.state.streams.writes()}
    assert writers == {str(lib.users["Léa"].id), str(lib.users["Zoé"].id)}  # never the owner
    assert TrackRun.objects.filter(problem="").count() == 3


def test_an_unchanged_rerun_asks_neither_plex_tv_nor_the_server(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = library
    lib.run_all(_run(lib).pk, monkeypatch)
    lib.plex.state.reset_counters()
    before = sum(lib.tv.state.counters().values())

    sent = lib.run_all(_run(lib).pk, monkeypatch)

    assert sent == {"Léa": 0, "Zoé": 0, "Marc": 0}
    assert lib.plex.state.total_requests() == 0
    assert sum(lib.tv.state.counters().values()) == before


def test_a_person_changed_after_the_listing_lists_for_themselves(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listing covers what each account read when it was made; a person whose
    languages changed before their task ran reads more: their task lists for itself
    (and asks plex.tv for its token), and still sets their track."""
    lib = library
    lib.run_all(_run(lib).pk, monkeypatch)
    run = _run(lib)
    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.set_person_tracks, "delay", lambda *args: queued.append(args))
    tasks.set_run_person_tracks(run.pk)  # nothing to read: no listing kept
    assert plex_listing.shared(lib.server, run) is None
    Person.objects.filter(name="Marc").update(languages=["fra"])
    lib.plex.state.reset_counters()

    for account_id, run_id in queued:
        tasks.set_person_tracks(account_id, run_id)

    marc = str(lib.users["Marc"].id)
    assert _by_account(lib, LISTING) == {"owner": math.ceil(FILMS / DEFAULT_PAGE_SIZE)}
    assert _by_account(lib, METADATA)[marc] == math.ceil(FILMS / DEFAULT_PAGE_SIZE)
    assert all(
        lib.plex.state.streams.selected(marc, part)[0] == lib.streams[part][1] for part in lib.parts
    )


def test_parts_are_read_batch_ids_at_a_time_across_items() -> None:
    """Items of 1, 3 and 2 ids (a film, a show's episodes): ``batch`` ids a read,
    ceil(ids / batch) reads, each item handed on whole, in order, once read."""
    items = {pk: Media(pk=pk, kind=Media.Kind.SERIES, path=f"/tv/{pk}") for pk in (1, 2, 3, 4)}
    entries = {
        1: (plex_listing.Entry("10"),),
        2: (plex_listing.Entry("20", ("21", "22", "23")),),
        3: (plex_listing.Entry("30", ("31", "32")),),
        4: (),  # not on the server
    }  # fmt: skip
    files = {
        pk: {name: File(pk * 10 + n, ()) for n, name in enumerate(("a.mkv", "b.mkv", "c.mkv"))}
        for pk in (1, 2, 3)
    }
    files[1] = {"film.mkv": File(100, ())}
    reads: list[list[str]] = []
    handed: list[tuple[int, int]] = []  # (item, reads made when it was handed on)

    def read(ids: list[str]) -> list[PlexPart]:
        reads.append(ids)
        path = {"10": "/tv/1/film.mkv"}
        return [
            PlexPart(int(key), key, path.get(key, f"/tv/{key[0]}/{'abc'[int(key[1]) - 1]}.mkv"), ())
            for key in ids
        ]

    for item, parts, found in plex_listing.parts_in_batches(
        read, items, entries, files, PathMapper([]), batch=4
    ):
        handed.append((item.pk, len(reads)))
        assert {part.item_id for part in parts} <= {"10", "21", "22", "23", "31", "32"}
        assert set(found) == {part.file for part in parts}

    assert reads == [["10", "21", "22", "23"], ["31", "32"]]  # 6 ids: ceil(6 / 4) reads
    assert handed == [(1, 1), (2, 1), (3, 2)]


def test_a_batch_stays_within_its_size_and_the_url_bound() -> None:
    assert batches(list(range(1, 251)), 100) == [
        ",".join(map(str, range(start, min(start + 100, 251)))) for start in (1, 101, 201)
    ]
    long_ids = [10**18 + n for n in range(500)]  # 19 digits each
    found = batches(long_ids, 200)
    assert all(len(batch) <= MAX_IDS_CHARS and batch.count(",") < 200 for batch in found)
    assert [int(key) for batch in found for key in batch.split(",")] == long_ids
    # 19 digits and a comma: 100 ids make 1,999 characters, a 101st would pass 2,000
    assert [batch.count(",") + 1 for batch in found] == [100] * 5


# --- bounded and fenced: one person's token, a server that fails ---------------------


def test_one_person_s_token_failing_leaves_the_others_on_the_shared_listing(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """plex.tv answers 500 to the switch to Marc (a Home member: his token comes from
    ``POST /api/home/users/{id}/switch``, what plexapi's ``MyPlexAccount.switchHomeUser``
    sends): Léa's and Zoé's tokens are kept in the run's listing and their tracks set
    from it (the library listed once); Marc's task asks plex.tv again and says why it
    has no token."""
    lib = library
    lib.tv.state.fail_switches(500)

    sent = lib.run_all(_run(lib).pk, monkeypatch)

    assert _by_account(lib, LISTING) == {"owner": math.ceil(FILMS / DEFAULT_PAGE_SIZE)}
    marc = str(lib.users["Marc"].id)
    assert marc not in _by_account(lib, METADATA)  # no token: nothing read as Marc
    assert sent == {"Léa": FILMS, "Zoé": FILMS, "Marc": 0}
    runs = {
        run.account.person.name: run for run in TrackRun.objects.select_related("account__person")
    }
    assert (runs["Léa"].problem, runs["Zoé"].problem) == ("", "")
    assert runs["Marc"].problem == PLEX_TV_UNREACHABLE
    # Asked twice: by the run's fan-out, then by Marc's own task.
    assert lib.tv.state.counters()[("POST", "/api/home/users/{id}/switch")] == 2


@pytest.mark.parametrize(
    "status",
    [
        500,  # Plex's own failure: not retried (retries.py)
        504,  # a proxy's answer when Plex is late: retried until the budget is spent
    ],
)
def test_a_plex_that_fails_keeps_no_listing_and_each_person_is_told(
    library: Library, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    lib = library
    waits: list[float] = []
    monkeypatch.setattr(server_retries, "sleep", waits.append)
    monkeypatch.setattr(server_retries, "clock", lambda: sum(waits))
    lib.plex.state.fail_with(status)
    run = _run(lib)

    with override_settings(MEDIA_SERVER_RETRY_SECONDS=BUDGET):
        sent = lib.run_all(run.pk, monkeypatch)

    assert plex_listing.shared(lib.server, run) is None
    assert sum(lib.tv.state.counters().values()) == 0  # plex.tv never asked
    assert sent == {"Léa": 0, "Zoé": 0, "Marc": 0}
    assert not lib.plex.state.streams.writes()
    problems = set(TrackRun.objects.values_list("problem", flat=True))
    assert problems == {SERVER_UNREACHABLE} and TrackRun.objects.count() == 3
    # A late Plex is waited for within the retry budget only, by the fan-out and by
    # each account's task (four times in all); a 500 is not retried.
    assert bool(waits) == (status == 504) and sum(waits) <= 4 * BUDGET
