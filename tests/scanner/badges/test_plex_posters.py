"""The badges on a Plex item's poster (issue 95), against the fake Plex's poster routes
(fakes/plex/posters.py, from python-plexapi's mixins and Kometa's overlays): the item
linked by the listing the labels use; the poster read, the drawing uploaded (which Plex
selects and locks), read back; undo uploads the original back byte for byte and gives
the poster field's lock back as the user had it; a poster chosen in Plex since is left
alone."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from fakes.plex import FakePlex
from scanner.badges import links, posters, refusals
from scanner.badges.lease import ITEM
from scanner.badges.poster_file import sha256
from scanner.models import BadgeChange, Instance, Media, MediaServer, PosterOriginal
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db

State = BadgeChange.State
TOKEN = "plex-badge-t0ken-9a8b7c6d5e"
LEASE = 4646


def _poster(shade: int = 0) -> bytes:
    image = Image.linear_gradient("L").resize((200, 300)).convert("RGB")
    image = Image.eval(image, lambda value: (value + shade) % 256)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def plex() -> Iterator[FakePlex]:
    with FakePlex(token=TOKEN) as server:
        server.state.add_section("2", "Movies", "movie", ["/movies"])
        server.state.add_item("2", "Film", "/movies/Film (2020)/Film.mkv", guids=["tmdb://55"])
        yield server


def _key(plex: FakePlex) -> int:
    return plex.state.items()[0].rating_key


@pytest.fixture
def film(tmp_path: Path, plex: FakePlex) -> Media:
    root = tmp_path / "movies"
    (root / "Film (2020)").mkdir(parents=True)
    instance: Instance = InstanceFactory(
        kind=Instance.Kind.RADARR, target_languages=["es-419"], root_folders=[str(root)]
    )
    server = MediaServer(
        name="Sala",
        kind=MediaServer.Kind.PLEX,
        url=plex.url,
        path_mappings=[{"remote": "/movies", "local": str(root)}],
    )
    server.set_token(TOKEN)
    server.save()
    server.instances.set([instance])
    return MediaFactory(
        instance=instance,
        kind="movie",
        path=str(root / "Film (2020)"),
        tmdb_id=55,
        language_verdicts={"es-419": "dub"},
        verdict_reasons={"targets": ["es-419"]},
    )


def _apply(media: Media) -> None:
    assert ITEM.take(media.pk, LEASE)
    try:
        posters.apply_item(media.pk, token=LEASE)
    finally:
        ITEM.let_go(media.pk, LEASE)


def _selected(plex: FakePlex) -> bytes | None:
    return plex.state.poster(_key(plex))


def test_a_plex_poster_gets_the_latino_badge_and_undo_gives_the_original_and_lock_back(
    film: Media, plex: FakePlex
) -> None:
    original = _poster()
    plex.state.add_poster(_key(plex), original, provider="local", selected=True)
    assert links.refresh_links(film.instance) == {"Sala": 1}
    result = posters.plan_item(film.pk)
    (row,) = BadgeChange.objects.filter(pk__in=result.planned)
    assert [badge["text"] for badge in row.badges] == ["Latino"]
    assert plex.state.poster_uploads() == []  # a plan sends nothing
    _apply(film)
    row.refresh_from_db()
    assert row.state == State.WRITTEN, (row.refusal, row.detail)
    drawn = _selected(plex)
    assert drawn is not None and sha256(drawn) == row.written_digest != sha256(original)
    assert row.detail["locked"] == "0"  # as Taggarr found it, before Plex locked the upload
    assert bytes(PosterOriginal.objects.get(digest=sha256(original)).data) == original
    assert not posters.due(film, writes=True)
    assert posters.undo(change_ids=[row.pk]).counts == {"undone": 1}
    assert _selected(plex) == original  # byte for byte
    item = plex.state.item(_key(plex))
    assert item is not None and not plex.state.poster_store.locked(item.rating_key)


def test_a_poster_chosen_in_plex_since_is_left_alone(film: Media, plex: FakePlex) -> None:
    plex.state.add_poster(_key(plex), _poster(), provider="local", selected=True)
    links.refresh_links(film.instance)
    (row_id,) = posters.plan_item(film.pk).planned
    _apply(film)
    theirs = _poster(shade=90)
    plex.state.add_poster(_key(plex), theirs, provider="tmdb", selected=True)
    assert posters.undo(change_ids=[row_id]).counts == {"refused": 1}
    assert BadgeChange.objects.get(pk=row_id).detail["undo"] == refusals.CHANGED
    assert _selected(plex) == theirs
