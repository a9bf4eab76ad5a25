"""One person's streams of one Plex part (scanner/household/stream_choice.py):
unchanged, kept (a manual choice made in Plex after Taggarr's), sent (only what
changes); then over real HTTP against the fake Plex, whose selections are per account."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from fakes.plex import AUDIO, SUBTITLE, FakePlex, FakePlexTv, FakeStream
from scanner.household.stream_choice import Selection, apply_choice, decide
from scanner.media_servers.clients.base import ServerBusy
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.clients.plex_streams import SUBTITLES_OFF, PlexPart, PlexStream

TOKEN = "plex-adm1n-t0ken-for-choices"


def part(audio: int, subtitle: int) -> PlexPart:
    def stream(sid: int, kind: str) -> PlexStream:
        selected = sid in (audio, subtitle)
        return PlexStream(sid, kind, sid, "ac3", "fre", "fr", "", "", selected, False)  # type: ignore[arg-type]

    return PlexPart(
        5, "70", "/f.mkv", (stream(1, "audio"), stream(2, "audio"), stream(3, "subtitle"))
    )


def test_unchanged_when_the_person_plays_what_taggarr_wants() -> None:
    outcome = decide(part(2, 3), Selection(2, 3), last=None)

    assert (outcome.outcome, outcome.sent, outcome.chosen_by) == (
        "unchanged",
        Selection(),
        "taggarr",
    )
    assert outcome.record == Selection(2, 3)


def test_sent_carries_only_what_changes() -> None:
    outcome = decide(part(1, 3), Selection(2, 3), last=Selection(1, 3))

    assert outcome.outcome == "sent"
    assert outcome.sent == Selection(2, None)
    assert outcome.playing == Selection(2, 3)
    assert outcome.record == Selection(2, 3)


def test_subtitles_off_is_a_change_like_another() -> None:
    outcome = decide(part(2, 3), Selection(2, SUBTITLES_OFF), last=None)

    assert outcome.sent == Selection(None, SUBTITLES_OFF)


def test_a_manual_choice_after_taggarrs_is_kept() -> None:
    # Taggarr set audio 2 with no subtitles; the person chose audio 1 and subtitle 3.
    outcome = decide(part(1, 3), Selection(2, SUBTITLES_OFF), last=Selection(2, SUBTITLES_OFF))

    assert (outcome.outcome, outcome.sent, outcome.chosen_by) == ("kept", Selection(), "person")
    assert outcome.record == Selection(2, SUBTITLES_OFF)  # what Taggarr set stays its record


def test_a_kind_taggarr_never_set_is_not_a_manual_choice() -> None:
    outcome = decide(part(2, 3), Selection(2, SUBTITLES_OFF), last=Selection(2, None))

    assert outcome.outcome == "sent"
    assert outcome.sent == Selection(None, SUBTITLES_OFF)


# -- over HTTP ----------------------------------------------------------------------


@pytest.fixture
def fakes() -> Iterator[tuple[FakePlex, FakePlexTv]]:
    with FakePlex(token=TOKEN) as plex, FakePlexTv(plex.state) as tv:
        plex.state.add_section("2", "Movies", "movie", ["/movies"])
        film = plex.state.add_item("2", "Film", "/movies/Film.mkv")
        plex.state.streams.add_part(
            film.rating_key,
            "/movies/Film.mkv",
            [
                FakeStream(11, AUDIO, 1, "eac3", "fre", "fr", "Français", "VFF", default=True),
                FakeStream(12, AUDIO, 2, "ac3", "fre", "fr", "Français", "VFQ"),
                FakeStream(13, AUDIO, 3, "aac", "jpn", "ja", "日本語"),
                FakeStream(14, SUBTITLE, 4, "ass", "fre", "fr", "Français"),
            ],
        )
        yield plex, tv


def test_a_person_s_choice_over_two_scans(fakes: tuple[FakePlex, FakePlexTv]) -> None:
    plex, tv = fakes
    kid = tv.state.add_user("Léa", "managed")
    parent = tv.state.add_user("Paul", "home")
    film = str(plex.state.items("2")[0].rating_key)
    with PlexClient(plex.url, TOKEN, timeout=5, plex_tv_url=tv.url) as client:
        accounts = {a.name: a for a in client.accounts()}
        kid_token = client.account_token(accounts["Léa"])
        parent_token = client.account_token(accounts["Paul"])

        (seen,) = client.parts([film], token=kid_token)
        first = apply_choice(client, seen, kid_token, Selection(12, SUBTITLES_OFF), None)
        (seen,) = client.parts([film], token=parent_token)
        theirs = apply_choice(client, seen, parent_token, Selection(13, 14), None)
        assert (first.outcome, theirs.outcome) == ("sent", "sent")
        assert first.sent == Selection(12, None)  # subtitles were already off

        (seen,) = client.parts([film], token=kid_token)
        again = apply_choice(client, seen, kid_token, Selection(12, SUBTITLES_OFF), first.record)
        assert again.outcome == "unchanged"

        plex.state.streams.select(str(kid.id), seen.id, 11, None)  # Léa picks the VFF in Plex
        writes = len(plex.state.streams.writes())
        (seen,) = client.parts([film], token=kid_token)
        kept = apply_choice(client, seen, kid_token, Selection(12, SUBTITLES_OFF), again.record)

    assert kept.outcome == "kept" and kept.chosen_by == "person"
    assert len(plex.state.streams.writes()) == writes  # nothing sent
    assert plex.state.streams.selected(str(kid.id), seen.id) == (11, 0)
    assert plex.state.streams.selected(str(parent.id), seen.id) == (13, 14)
    assert plex.state.streams.selected("owner", seen.id) == (11, 0)


def test_the_write_goes_through_the_callers_retries(fakes: tuple[FakePlex, FakePlexTv]) -> None:
    plex, tv = fakes
    film = str(plex.state.items("2")[0].rating_key)
    tries: list[str] = []

    def retrying(call: Callable[[], None]) -> None:
        for _ in range(3):
            try:
                call()
                return
            except ServerBusy:
                tries.append("busy")
        raise AssertionError("never sent")

    with PlexClient(plex.url, TOKEN, timeout=5, plex_tv_url=tv.url) as client:
        (seen,) = client.parts([film])
        plex.state.fail_with(503, times=1)
        outcome = apply_choice(client, seen, None, Selection(13), None, retrying=retrying)

    assert outcome.outcome == "sent" and tries == ["busy"]
    assert plex.state.streams.selected("owner", seen.id) == (13, 0)
