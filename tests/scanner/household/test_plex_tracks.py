"""Each person's track set in Plex, end to end on the fakes
(scanner/household/plex_tracks.py; issue 70 items 2 and 4).

A household of three over a library on the fake Plex (its selections per account, the
tokens plex.tv hands the admin: python-plexapi 4.18's ``switchHomeUser`` and
``MyPlexAccount.user().get_token``): a Quebec child (fr-CA, fra; a dub), a parent (fra,
eng; the original with subtitles for series) and a guest with no account on the server.
The files' tracks are stored as the scanner stores them (``with_file_varieties``: a
release name's ``VF2`` and ``MULTi.VFQ``, titles, commentary)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import translation

from fakes.plex import AUDIO, SUBTITLE, FakePlex, FakePlexTv, FakeStream
from fakes.plex.plex_tv import PlexTvUser
from scanner import tasks
from scanner.engine.file_varieties import with_file_varieties
from scanner.engine.heard import Heard
from scanner.engine.sidecars import sidecars_of
from scanner.engine.tracks import AudioTrack, FileTracks, make_subtitle, make_track
from scanner.household import plex_tracks as step
from scanner.household.plex_parts import EXTERNAL_AUDIO
from scanner.household.track_reasons import reason_sentences
from scanner.household.track_requests import start_person_tracks
from scanner.household.track_results import latest_track_results
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.writes import retries as server_retries
from scanner.models import (
    Event,
    Media,
    MediaServer,
    Person,
    PersonAccount,
    TrackRun,
    TrackSetting,
)
from scanner.pipeline.work import RunEnded
from scanner.reports.event_sentences import SENTENCES
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory, ScanRunFactory
from tests.helpers import SERVER_TOKEN, find_leak

pytestmark = pytest.mark.django_db

TV = "/media/tv"
BUDGET = 30  # seconds of retries for a busy server


@dataclass
class Household:
    plex: FakePlex
    tv: FakePlexTv
    server: MediaServer
    child: Person
    parent: Person
    guest: Person
    child_user: PlexTvUser
    parent_user: PlexTvUser
    parts: dict[str, int]  # file name -> Plex part id
    streams: dict[str, int]  # "<file name>:<n>" -> Plex stream id (n: the file's order)
    waits: list[float]  # the retries' waits, recorded instead of waited out

    def account(self, person: Person) -> PersonAccount:
        return PersonAccount.objects.get(person=person)

    def selected(self, user: PlexTvUser, name: str) -> tuple[int | None, int]:
        return self.plex.state.streams.selected(str(user.id), self.parts[name])

    def stream(self, name: str, n: int) -> int:
        return self.streams[f"{name}:{n}"]


def _heard(language: str) -> Heard:
    return Heard(language, 0.95, ((language, 0.95),))


# (file name, Taggarr's audio tracks, subtitles, Plex's streams: (kind, codec, code, title))
VFQ = "Cartoon.S01E01.MULTi.VFQ.1080p.mkv"
VF2 = "Cartoon.S01E02.VF2.1080p.mkv"
COMMENTARY = "Cartoon.S01E03.MULTi.1080p.mkv"
MISLABELLED = "Cartoon.S01E04.MULTi.1080p.mkv"
DUAL = "Anime.S01E01.DUAL.1080p.mkv"
CARTOON: list[tuple[str, list[AudioTrack], list[Any]]] = [
    (
        VFQ,
        [make_track(1, "eng", None), make_track(2, "fre", "VFF"), make_track(3, "fre", "VFQ")],
        [],
    ),
    (VF2, [make_track(1, "fre", None), make_track(2, "fre", None)], []),
    (
        COMMENTARY,
        [
            make_track(1, "fre", "Commentaire VFQ"),
            make_track(2, "eng", None),
            make_track(3, "fre", "VFQ"),
        ],
        [],
    ),
    (
        MISLABELLED,
        [
            AudioTrack(1, "fre", "fra", None, True, False, False, heard=_heard("eng")),
            make_track(2, "eng", None),
        ],
        [],
    ),
]  # fmt: skip
ANIME = [
    (
        DUAL,
        [make_track(1, "jpn", None, default=True), make_track(2, "eng", None)],
        [make_subtitle(1, "fre", "Full")],
    )
]
PLEX_CODES = {"fra": "fre", "eng": "eng", "jpn": "jpn"}


def _stored(name: str, audio: Sequence[AudioTrack], subtitles: Sequence[Any]) -> dict[str, Any]:
    tracks = with_file_varieties(FileTracks(tuple(audio), tuple(subtitles)), name)
    return {
        "audio_tracks": [track.to_dict() for track in tracks.audio],
        "subtitle_tracks": [track.to_dict() for track in tracks.subtitles],
    }


def _plex_streams(
    plex: FakePlex, audio: Sequence[AudioTrack], subtitles: Sequence[Any]
) -> list[FakeStream]:
    """The file as Plex analyses it: its audio then subtitle streams in the file's order,
    the language tag and title the file says (a mislabelled track is labelled so)."""
    streams = []
    index = 1
    for track in audio:
        code = PLEX_CODES.get(track.language or "", "")
        streams.append(
            FakeStream(plex.state.streams.new_stream_id(), AUDIO, index, "ac3", code,
                       title=track.title or "", default=track.default)
        )  # fmt: skip
        index += 1
    for subtitle in subtitles:
        code = PLEX_CODES.get(subtitle.language or "", "")
        streams.append(
            FakeStream(plex.state.streams.new_stream_id(), SUBTITLE, index, "srt", code,
                       title=subtitle.title or "")
        )  # fmt: skip
        index += 1
    return streams


@pytest.fixture
def household(monkeypatch: pytest.MonkeyPatch) -> Iterator[Household]:
    waits: list[float] = []
    monkeypatch.setattr(server_retries, "sleep", waits.append)
    monkeypatch.setattr(server_retries, "clock", lambda: sum(waits))
    with FakePlex(token=SERVER_TOKEN) as plex, FakePlexTv(plex.state) as tv:
        instance = InstanceFactory(name="sonarr")
        plex.state.add_section("1", "TV Shows", "show", [TV])
        parts: dict[str, int] = {}
        streams: dict[str, int] = {}
        for tvdb, title, original, files in (
            (300, "Cartoon", "eng", CARTOON),
            (400, "Anime", "jpn", ANIME),
        ):
            media = MediaFactory(
                instance=instance, title=title, path=f"{TV}/{title}", tvdb_id=tvdb,
                original_language=original,
            )  # fmt: skip
            show = plex.state.add_item("1", title, f"{TV}/{title}", guids=[f"tvdb://{tvdb}"])
            for number, (name, audio, subtitles) in enumerate(files, start=1):
                MediaFileFactory(
                    media=media, path=f"Season 01/{name}", episodes=[number],
                    **_stored(name, audio, subtitles),
                )  # fmt: skip
                episode = plex.state.add_episode(show.rating_key, 1, number)
                given = _plex_streams(plex, audio, subtitles)
                part = plex.state.streams.add_part(
                    episode.rating_key, f"{TV}/{title}/Season 01/{name}", given
                )
                parts[name] = part.id
                for n, stream in enumerate(given, start=1):
                    streams[f"{name}:{n}"] = stream.id
        server = MediaServer(name="plex", kind=MediaServer.Kind.PLEX, url=plex.url)
        server.set_token(SERVER_TOKEN)
        server.save()
        server.instances.set([instance])
        child_user = tv.state.add_user("Léa", "managed")
        parent_user = tv.state.add_user("Marc", "home")
        child = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
        parent = Person.objects.create(
            name="Marc", languages=["fra", "eng"], series_want=Person.Want.ORIGINAL_SUBTITLED
        )
        guest = Person.objects.create(name="Guest", languages=["eng"])
        for person, user, kind in (
            (child, child_user, "plex-managed"),
            (parent, parent_user, "plex-home"),
        ):
            PersonAccount.objects.create(
                person=person, media_server=server, account_id=str(user.id),
                account_name=user.title, account_kind=kind,
            )  # fmt: skip
        with override_settings(PLEX_TV_URL=tv.url, MEDIA_SERVER_RETRY_SECONDS=BUDGET):
            yield Household(
                plex, tv, server, child, parent, guest, child_user, parent_user, parts,
                streams, waits,
            )  # fmt: skip


def _run_all(home: Household) -> dict[str, step.AccountTracks]:
    results = {}
    for account_id in step.accounts_to_set(server=home.server):
        result = step.set_account_tracks(account_id)
        assert result is not None
        results[PersonAccount.objects.get(pk=account_id).person.name] = result
    return results


def _apply(home: Household) -> None:
    home.server.set_person_tracks = True
    home.server.save()


def test_a_dry_run_sends_nothing_and_counts(household: Household) -> None:
    home = household
    results = _run_all(home)

    assert home.plex.state.streams.writes() == []
    child = results["Léa"]
    assert child.dry_run
    # VFQ, commentary file (its VFQ), anime (fallback): would be sent; VF2 and the
    # mislabelled file: uncertain, each with its reason.
    assert dict(child.counts) == {"sent": 3, "uncertain": 2}
    assert dict(child.doubts) == {"release-set": 1, "mislabeled": 1}
    assert set(results) == {"Léa", "Marc"}  # the guest has no account: nothing
    assert not TrackSetting.objects.exists()
    run = TrackRun.objects.get(account__person=home.child)
    assert (run.dry_run, run.counts) == (True, {"sent": 3, "uncertain": 2})


def test_each_person_gets_their_track_then_nothing_is_sent_again(household: Household) -> None:
    home = household
    _apply(home)
    results = _run_all(home)

    # The child hears the VFQ (the third track, not the VFF Plex would pick first).
    assert home.selected(home.child_user, VFQ) == (home.stream(VFQ, 3), 0)
    # Never the commentary, though it is labelled French and Quebec.
    assert home.selected(home.child_user, COMMENTARY)[0] == home.stream(COMMENTARY, 3)
    # The parent: the anime in Japanese with the French subtitles, on the same file.
    assert home.selected(home.parent_user, DUAL) == (home.stream(DUAL, 1), home.stream(DUAL, 3))
    # The VF2 and the mislabelled file: uncertain for the child, nothing sent.
    sent_parts = {(w.account, w.part_id) for w in home.plex.state.streams.writes()}
    assert (str(home.child_user.id), home.parts[VF2]) not in sent_parts
    assert (str(home.child_user.id), home.parts[MISLABELLED]) not in sent_parts
    assert dict(results["Léa"].doubts) == {"release-set": 1, "mislabeled": 1}
    assert results["Léa"].counts["uncertain"] == 2
    # The owner's own selection is untouched.
    assert home.plex.state.streams.selected("owner", home.parts[VFQ])[0] == home.stream(VFQ, 1)

    writes = len(home.plex.state.streams.writes())
    again = _run_all(home)
    assert len(home.plex.state.streams.writes()) == writes
    assert again["Léa"].counts["sent"] == 0 and again["Léa"].counts["unchanged"] == 3
    assert again["Marc"].counts["sent"] == 0

    events = Event.objects.filter(kind=Event.Kind.TRACKS_SET)
    assert events.count() == 4  # one per account per run
    assert find_leak(" ".join(str(e.data) + e.message for e in events)) is None


def test_a_choice_made_in_plex_is_kept(household: Household) -> None:
    home = household
    _apply(home)
    _run_all(home)
    # Léa picks the VFF in Plex, as her app sends it: a PUT with her own token.
    part = home.parts[VFQ]
    with PlexClient(home.plex.url, SERVER_TOKEN) as app:
        app.select_streams(part, token=home.child_user.server_token, audio=home.stream(VFQ, 2))
    writes = len(home.plex.state.streams.writes())

    results = _run_all(home)

    assert results["Léa"].counts["kept"] == 1
    assert len(home.plex.state.streams.writes()) == writes
    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 2)
    setting = TrackSetting.objects.get(account__person=home.child, part_id=part)
    assert setting.chosen_by == "person"
    assert setting.audio_stream == home.stream(VFQ, 3)  # what Taggarr set stays its record


def test_a_busy_part_is_retried_and_a_refused_part_fails_alone(
    household: Household, caplog: pytest.LogCaptureFixture
) -> None:
    home = household
    _apply(home)
    home.plex.state.streams.fail_writes(home.parts[VFQ], 503, times=1)
    home.plex.state.streams.fail_writes(home.parts[COMMENTARY], 500, times=5)

    results = _run_all(home)

    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 3)  # retried
    assert home.selected(home.child_user, COMMENTARY)[0] != home.stream(COMMENTARY, 3)
    child = results["Léa"]
    assert (child.counts["sent"], child.counts["failed"], child.problem) == (2, 1, "")
    assert len(home.waits) == 1  # one wait, then the 503'd PUT went through
    # The parent's PUT to that part failed too; the parent's other parts went on.
    assert results["Marc"].counts["failed"] == 1 and results["Marc"].problem == ""
    assert home.selected(home.parent_user, DUAL) == (home.stream(DUAL, 1), home.stream(DUAL, 3))
    # The accounts' tokens were sent, never said.
    said = caplog.text + " ".join(e.message + str(e.data) for e in Event.objects.all())
    assert "answered 503" in caplog.text and "answered 500" in caplog.text
    for token in (home.child_user.server_token, home.parent_user.home_token, SERVER_TOKEN):
        assert token and token not in said


def test_a_server_busy_past_the_budget_stops_the_account_s_run(household: Household) -> None:
    home = household
    _apply(home)
    home.plex.state.streams.fail_writes(home.parts[VFQ], 503, times=1000)

    results = _run_all(home)

    assert results["Léa"].problem == "unreachable"
    assert sum(home.waits) >= BUDGET - 5  # the budget was spent waiting
    run = TrackRun.objects.get(account__person=home.child)
    assert run.problem == "unreachable"
    event = Event.objects.get(kind=Event.Kind.TRACKS_SET, data__person="Léa")
    assert event.data["problem"] == "unreachable"


def test_latest_results_for_the_person_page(household: Household) -> None:
    home = household
    _run_all(home)
    _apply(home)
    _run_all(home)

    (latest,) = latest_track_results(home.child)
    assert latest.server == "plex" and not latest.dry_run
    assert latest.counts["sent"] == 3 and latest.doubts == {"mislabeled": 1, "release-set": 1}
    assert latest_track_results(home.guest) == []
    assert Media.objects.count() == 2


def test_after_a_run_one_task_per_account_ids_only(
    household: Household, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    home = household
    sent: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.set_person_tracks, "delay", lambda *args: sent.append(args))
    monkeypatch.setattr(tasks.set_run_person_tracks, "delay", lambda *args: sent.append(args))
    run = ScanRunFactory(instance=home.server.instances.get())

    tasks.enqueue(RunEnded(run.pk))  # what the end of a run sends (with its artwork, ...)
    assert sent == [(run.pk,)]
    assert tasks.set_run_person_tracks(run.pk) == 2  # the guest has no account
    accounts = [home.account(home.child).pk, home.account(home.parent).pk]
    assert sorted(sent[1:]) == sorted((account, run.pk) for account in accounts)

    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert start_person_tracks(home.server, home.child) == 1
    assert sent == [(home.account(home.child).pk,)]

    assert tasks.set_person_tracks(home.account(home.child).pk, run.pk) == 3  # a dry run's
    assert home.plex.state.streams.writes() == []
    assert Event.objects.get(kind=Event.Kind.TRACKS_SET).run_id == run.pk


def test_a_run_of_one_item_sets_that_item_s_files_only(household: Household) -> None:
    """A webhook's run (its scope: one series) reads and sets only that series' parts:
    the rest of the library is not asked for again for every imported episode."""
    home = household
    _apply(home)
    instance = home.server.instances.get()
    anime = instance.media.get(title="Anime")
    run = ScanRunFactory(instance=instance, scope=[anime.arr_id])
    child = PersonAccount.objects.get(person=home.child)
    result = step.set_account_tracks(child.pk, run.pk)
    assert result is not None
    written = {w.part_id for w in home.plex.state.streams.writes()}
    anime_parts = {home.parts[name] for name, _, _ in ANIME}
    assert written and written <= anime_parts
    assert sum(result.counts.values()) == len(ANIME)


def test_after_a_dry_run_scan_nothing_is_sent_though_the_option_is_on(
    household: Household,
) -> None:
    home = household
    _apply(home)
    run = ScanRunFactory(instance=home.server.instances.get(), dry_run=True)
    child = PersonAccount.objects.get(person=home.child)
    result = step.set_account_tracks(child.pk, run.pk)
    assert result is not None and result.dry_run
    assert result.counts["sent"] == 3  # would be sent
    assert home.plex.state.streams.writes() == []


def test_nothing_for_a_server_that_is_off_or_not_plex(household: Household) -> None:
    home = household
    home.server.enabled = False
    home.server.save()
    assert step.accounts_to_set(server=home.server) == []
    assert step.set_account_tracks(home.account(home.child).pk) is None
    assert not TrackRun.objects.exists()


def test_the_event_says_it_in_the_reader_s_language(household: Household) -> None:
    home = household
    event_text = SENTENCES[Event.Kind.TRACKS_SET]
    _run_all(home)
    _apply(home)
    _run_all(home)
    dry, applied = Event.objects.filter(kind=Event.Kind.TRACKS_SET, data__person="Léa").order_by(
        "pk"
    )
    assert dry.data["counts"] == {"sent": 3, "uncertain": 2}
    assert dry.data["doubts"] == {"mislabeled": 1, "release-set": 1}
    assert event_text(dry, dry.data) == (
        "plex, dry run: 3 files would be set to the track of Léa. 2 files were left alone: "
        "their tracks are uncertain."
    )
    with translation.override("fr"):
        said = event_text(applied, applied.data)
    assert said.startswith("plex\u00a0: 3 fichiers") and "Léa" in said


def test_an_account_plex_tv_gives_no_token_for_sends_nothing_and_says_why(
    household: Household,
) -> None:
    home = household
    _apply(home)
    friend = home.tv.state.add_user("Ami", "shared", shared=False)
    PersonAccount.objects.create(
        person=home.guest, media_server=home.server, account_id=str(friend.id),
        account_name="Ami", account_kind="plex-shared",
    )  # fmt: skip

    result = step.set_account_tracks(home.account(home.guest).pk)

    assert result is not None and (result.problem, result.reason) == ("token", "not-shared")
    assert home.plex.state.streams.writes() == []
    (latest,) = latest_track_results(home.guest)
    assert (latest.problem, latest.reason, dict(latest.counts)) == ("token", "not-shared", {})
    event = Event.objects.get(kind=Event.Kind.TRACKS_SET)
    assert SENTENCES[Event.Kind.TRACKS_SET](event, event.data) == (
        "plex: the tracks of Guest were not set: this server is not shared with their account"
    )


PIN = "7391"  # a protected Plex Home member's
WRONG = "5826"


def _protected(home: Household, pin: str = "") -> tuple[PlexTvUser, PersonAccount]:
    """The guest as a protected Plex Home member (the server not shared with them:
    plex.tv hands their token out only by ``switchHomeUser`` with the PIN), their PIN
    saved when given."""
    user = home.tv.state.add_user("Zoé", "home", pin=PIN)
    home.guest.languages = ["fr-CA", "fra"]
    home.guest.save()
    account = PersonAccount(
        person=home.guest, media_server=home.server, account_id=str(user.id),
        account_name="Zoé", account_kind="plex-home",
    )  # fmt: skip
    account.set_pin(pin)
    account.save()
    return user, account


def test_a_protected_member_without_a_pin_gets_nothing_and_the_reason(
    household: Household, admin_client: Client
) -> None:
    home = household
    _apply(home)
    _user, account = _protected(home)

    result = step.set_account_tracks(account.pk)

    assert result is not None and (result.problem, result.reason) == ("token", "pin-required")
    assert home.plex.state.streams.writes() == []
    (latest,) = latest_track_results(home.guest)
    assert (latest.problem, latest.reason) == ("token", "pin-required")
    page = admin_client.get(f"/admin/scanner/person/{home.guest.pk}/tracks/")
    assert page.status_code == 200
    assert (
        "The Plex Home profile of Guest is protected by a PIN: enter it (again, if it "
        "changed) with their account on their page." in page.content.decode()
    )


def test_a_protected_member_with_their_pin_gets_their_tracks(
    household: Household, caplog: pytest.LogCaptureFixture, admin_client: Client
) -> None:
    home = household
    _apply(home)
    user, account = _protected(home, PIN)

    with caplog.at_level("DEBUG"):
        result = step.set_account_tracks(account.pk)

    assert result is not None and result.problem == ""
    assert result.counts["sent"] == 3
    # As the child: the VFQ, not the VFF Plex would pick first.
    assert home.selected(user, VFQ) == (home.stream(VFQ, 3), 0)
    assert account.pin_encrypted and PIN not in account.pin_encrypted
    event = Event.objects.get(kind=Event.Kind.TRACKS_SET)
    assert PIN not in str(event.data) + event.message
    assert PIN not in caplog.text
    for url in (
        f"/admin/scanner/person/{home.guest.pk}/tracks/",
        f"/admin/scanner/person/{home.guest.pk}/change/",
        "/api/persons/",
        f"/api/persons/{home.guest.pk}/",
    ):
        page = admin_client.get(url)
        assert page.status_code == 200, url
        assert PIN not in page.content.decode(), url


def test_a_wrong_pin_is_refused_as_no_pin_and_nothing_is_sent(
    household: Household, caplog: pytest.LogCaptureFixture
) -> None:
    home = household
    _apply(home)
    _user, account = _protected(home, WRONG)

    with caplog.at_level("DEBUG"):
        result = step.set_account_tracks(account.pk)

    assert result is not None and (result.problem, result.reason) == ("token", "pin-required")
    assert home.plex.state.streams.writes() == []
    assert WRONG not in caplog.text


# plex.tv's rules of 2026 (issue 79, finding 6): an invited friend gets no token, and
# plex.tv's refusals and outages are plex.tv's, never the server's.


def _friend(home: Household) -> PersonAccount:
    """The guest as an invited friend the server is shared with."""
    friend = home.tv.state.add_user("Ami", "shared")
    return PersonAccount.objects.create(
        person=home.guest, media_server=home.server, account_id=str(friend.id),
        account_name="Ami", account_kind="plex-shared",
    )  # fmt: skip


def test_an_invited_friend_is_told_plex_tv_gives_no_token_and_what_works(
    household: Household, admin_client: Client
) -> None:
    """plex.tv lists the friend's share without ``accessToken`` (March 2026): the reason
    is that, not "not shared"; the Home member (switched) and the managed user get
    their tracks as before."""
    home = household
    _apply(home)
    home.tv.state.withhold_friend_tokens()
    account = _friend(home)

    results = _run_all(home)

    guest = results["Guest"]
    assert (guest.problem, guest.reason) == ("token", "friend-no-token")
    sent = {w.account for w in home.plex.state.streams.writes()}
    assert str(home.tv.state.users()[-1].id) not in sent  # nothing as the friend
    assert home.selected(home.parent_user, DUAL) == (home.stream(DUAL, 1), home.stream(DUAL, 3))
    assert home.selected(home.child_user, VFQ)[0] == home.stream(VFQ, 3)
    event = Event.objects.get(kind=Event.Kind.TRACKS_SET, data__person="Guest")
    assert SENTENCES[Event.Kind.TRACKS_SET](event, event.data) == (
        "plex: the tracks of Guest were not set: they are an invited friend, and since March "
        "2026 plex.tv hands out no token of a server for invited friends"
    )
    page = admin_client.get(f"/admin/scanner/person/{home.guest.pk}/tracks/").content.decode()
    assert (
        "Guest is an invited friend on plex, and since March 2026 plex.tv hands out no server "
        "token for invited friends: make them a member of the owner&#x27;s Plex Home, or a "
        "managed user there, and pick that account on their page." in page
    )
    assert account.track_runs.get().reason == "friend-no-token"


def test_plex_tv_refusing_the_owner_s_token_is_plex_tv_s_refusal(
    household: Household, caplog: pytest.LogCaptureFixture
) -> None:
    """The server takes the token (it answered the identity request first); plex.tv
    answers 401: the run names plex.tv, never "the server refused the key"."""
    home = household
    _apply(home)
    home.tv.state.fail_with(401)

    with caplog.at_level("WARNING"):
        result = step.set_account_tracks(home.account(home.child).pk)

    assert result is not None and result.problem == "plex_tv_key"
    assert home.plex.state.streams.writes() == []
    event = Event.objects.get(kind=Event.Kind.TRACKS_SET)
    said = SENTENCES[Event.Kind.TRACKS_SET](event, event.data)
    assert said == (
        "plex: the tracks of Léa were not set: plex.tv refused the token that the server "
        "accepts (plex.tv hands out people's tokens only for the server owner's)"
    )
    assert "the server refused the key" not in said
    assert f"plex.tv at {home.tv.url}: refused the server's token (401)" in caplog.text
    with translation.override("de"):
        assert "plex.tv" in SENTENCES[Event.Kind.TRACKS_SET](event, event.data)


def test_plex_tv_answering_503_is_named_plex_tv(
    household: Household, caplog: pytest.LogCaptureFixture
) -> None:
    """plex.tv down past the retry budget: the run, its event and the log name plex.tv
    (the log read "Plex at <plex.tv's URL>")."""
    home = household
    _apply(home)
    home.tv.state.fail_with(503)

    with caplog.at_level("WARNING"):
        result = step.set_account_tracks(home.account(home.child).pk)

    assert result is not None and result.problem == "plex_tv_unreachable"
    assert sum(home.waits) >= BUDGET - 5  # retried as the server's 503 is
    event = Event.objects.get(kind=Event.Kind.TRACKS_SET)
    assert SENTENCES[Event.Kind.TRACKS_SET](event, event.data) == (
        "plex: the tracks of Léa were not set: plex.tv, which hands out their token, did not "
        "answer or was out of service; Taggarr tries again after the next scan"
    )
    assert f"plex.tv at {home.tv.url}: answered 503" in caplog.text
    assert f"Plex at {home.tv.url}" not in caplog.text


def test_an_audio_file_beside_the_video_chosen_sends_nothing_and_says_why(
    household: Household,
) -> None:
    """The Quebec dub kept beside the video (``.fr-CA.mka``, docs/tagging-rules.md
    "External audio files") is the child's track: Plex does not play an audio file beside
    a video (it lists only the file's own streams), so nothing is sent, with the reason.
    The parent's original is the file's own track: the file's streams still match, the
    audio file being none of them."""
    home = household
    name = "Cartoon.S01E05.1080p.mkv"
    own = [make_track(1, "eng", None, default=True)]
    tracks = FileTracks(tuple(own)).with_sidecars(
        tuple(sidecars_of(name, [f"{name[:-4]}.fr-CA.mka"]))
    )
    media = Media.objects.get(title="Cartoon")
    MediaFileFactory(
        media=media, path=f"Season 01/{name}", episodes=[5],
        audio_tracks=[track.to_dict() for track in tracks.audio], subtitle_tracks=[],
    )  # fmt: skip
    (show,) = [item for item in home.plex.state.items("1") if item.title == "Cartoon"]
    episode = home.plex.state.add_episode(show.rating_key, 1, 5)
    given = _plex_streams(home.plex, own, [])
    part = home.plex.state.streams.add_part(
        episode.rating_key, f"{TV}/Cartoon/Season 01/{name}", given
    )
    _apply(home)
    results = _run_all(home)

    sent = {(w.account, w.part_id) for w in home.plex.state.streams.writes()}
    assert (str(home.child_user.id), part.id) not in sent
    assert dict(results["Léa"].doubts) == {
        "release-set": 1, "mislabeled": 1, EXTERNAL_AUDIO: 1,
    }  # fmt: skip
    # The parent: the original English, the file's own track, set.
    assert home.plex.state.streams.selected(str(home.parent_user.id), part.id)[0] == given[0].id
    with translation.override("en"):
        said = reason_sentences({EXTERNAL_AUDIO: 1})
    assert said == [
        "1 file: the track chosen is an audio file beside the video, and Plex does not play "
        "audio files kept beside a video."
    ]
