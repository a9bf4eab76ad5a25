"""The badges on a Jellyfin's or Emby's poster, through its image API, against the fake
of each release Taggarr supports (fakes/jellyfin/images.py, from ImageController.cs):
the server's items linked by the listing the tag writes use; a plan reads and sends
nothing; the write keeps the original, POSTs the drawing base64-encoded and reads it
back; undo gives the original back byte for byte, but never over a poster the user or
the server put there since; an unchanged rescan sends nothing; a server that does not
answer is refused and planned again."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation
from PIL import Image

from fakes.jellyfin import FakeJellyfin, build_series
from scanner.badges import links, posters, refusals
from scanner.badges.lease import ITEM
from scanner.badges.poster_file import sha256
from scanner.media_servers.writes import retries as server_retries
from scanner.models import BadgeChange, Instance, Media, MediaServer, PosterOriginal
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import SERVER_TOKEN, free_port

pytestmark = pytest.mark.django_db

State = BadgeChange.State
TOKEN = 4343
VERSIONS = ["10.8.13", "10.10.7", "10.11.11", "12.0.0", "emby-4.9.0.22"]


def _poster(shade: int = 0, kind: str = "JPEG") -> bytes:
    image = Image.linear_gradient("L").resize((300, 450)).convert("RGB")
    if shade:
        image = Image.eval(image, lambda value: (value + shade) % 256)
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


@pytest.fixture(params=VERSIONS)
def jellyfin(request: pytest.FixtureRequest) -> Iterator[FakeJellyfin]:
    show = build_series("s1", "Show", "/media/tv/Show", ProviderIds={"Tvdb": "101"})
    with FakeJellyfin(token=SERVER_TOKEN, items=[show], version=request.param) as fake:
        fake.state.set_image("s1", "Primary", _poster(), "image/jpeg")
        fake.state.reset_counters()
        yield fake


def _connect(url: str, instance: Instance, root: Path, kind: str = "jellyfin") -> MediaServer:
    server = MediaServer(
        name="Salon",
        kind=kind,
        url=url,
        path_mappings=[{"remote": "/media/tv", "local": str(root)}],
    )
    server.set_token(SERVER_TOKEN)
    server.save()
    server.instances.set([instance])
    return server


@pytest.fixture
def show(tmp_path: Path, jellyfin: FakeJellyfin) -> Media:
    root = tmp_path / "tv"
    (root / "Show").mkdir(parents=True)  # no poster file: the server's is the one
    instance: Instance = InstanceFactory(target_languages=["fr-CA"], root_folders=[str(root)])
    kind = "emby" if jellyfin.state.release.is_emby else "jellyfin"
    _connect(jellyfin.url, instance, root, kind)
    return MediaFactory(
        instance=instance,
        kind="series",
        path=str(root / "Show"),
        tvdb_id=101,
        language_verdicts={"fr-CA": "dub"},
        verdict_reasons={"targets": ["fr-CA"]},
    )


def _plan(media: Media) -> list[BadgeChange]:
    result = posters.plan_item(media.pk)
    return list(BadgeChange.objects.filter(pk__in=result.planned + result.refused))


def _apply(media: Media) -> None:
    assert ITEM.take(media.pk, TOKEN)
    try:
        posters.apply_item(media.pk, token=TOKEN)
    finally:
        ITEM.let_go(media.pk, TOKEN)


def _image(fake: FakeJellyfin) -> bytes:
    stored = fake.state.image("s1", "Primary")
    assert stored is not None
    return stored.data


def test_the_servers_poster_is_drawn_kept_and_given_back(
    show: Media, jellyfin: FakeJellyfin
) -> None:
    original = _image(jellyfin)
    assert links.refresh_links(show.instance) == {"Salon": 1}
    (row,) = _plan(show)  # the folder has no poster file: no row of its own
    assert (row.where, row.server_item, row.state) == ("server", "s1", State.PLANNED)
    assert row.seen_digest == sha256(original)
    assert jellyfin.state.image_writes() == []  # a plan sends nothing
    _apply(show)
    row.refresh_from_db()
    assert row.state == State.WRITTEN, (row.refusal, row.detail)
    drawn = _image(jellyfin)
    assert drawn != original and sha256(drawn) == row.written_digest
    assert Image.open(io.BytesIO(drawn)).size == (300, 450)
    assert jellyfin.state.image_writes() == [("POST", "s1", "Primary")]
    assert bytes(PosterOriginal.objects.get(digest=sha256(original)).data) == original
    assert not posters.due(show, writes=True)  # an unchanged rescan: nothing to send
    outcome = posters.undo(change_ids=[row.pk], by="ana")
    assert outcome.counts == {"undone": 1}
    assert _image(jellyfin) == original  # byte for byte


def test_a_poster_put_on_the_server_since_is_left_alone(
    show: Media, jellyfin: FakeJellyfin
) -> None:
    links.refresh_links(show.instance)
    (row,) = _plan(show)
    _apply(show)
    theirs = _poster(shade=70, kind="PNG")
    jellyfin.state.set_image("s1", "Primary", theirs, "image/png")  # chosen on the server
    outcome = posters.undo(change_ids=[row.pk])
    assert outcome.counts == {"refused": 1}
    row.refresh_from_db()
    assert row.state == State.WRITTEN and row.detail["undo"] == refusals.CHANGED
    assert _image(jellyfin) == theirs
    # ...and the next plan draws on the user's poster, not Taggarr's original.
    (again,) = _plan(show)
    assert again.state == State.PLANNED and again.original_digest == sha256(theirs)


def test_a_poster_changed_between_plan_and_write_is_not_written(
    show: Media, jellyfin: FakeJellyfin
) -> None:
    links.refresh_links(show.instance)
    (row,) = _plan(show)
    theirs = _poster(shade=30)
    jellyfin.state.set_image("s1", "Primary", theirs, "image/jpeg")
    _apply(show)
    row.refresh_from_db()
    assert (row.state, row.refusal) == (State.REFUSED, refusals.CHANGED)
    assert _image(jellyfin) == theirs and jellyfin.state.image_writes() == []
    assert posters.due(show)  # planned again by the next run


@pytest.mark.parametrize("jellyfin", ["10.10.7"], indirect=True)
def test_an_item_without_a_poster_on_the_server_is_said(
    show: Media, jellyfin: FakeJellyfin
) -> None:
    jellyfin.state.delete_image("s1", "Primary", 0, record=False)
    links.refresh_links(show.instance)
    (row,) = _plan(show)
    assert (row.state, row.refusal) == (State.REFUSED, refusals.NO_SERVER_POSTER)
    assert "Salon" in refusals.refusal_text(row.refusal, row.detail)


@pytest.mark.parametrize("jellyfin", ["10.10.7"], indirect=True)
def test_a_server_that_stops_answering_is_refused_and_planned_again(
    show: Media, jellyfin: FakeJellyfin, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    settings.MEDIA_SERVER_RETRY_SECONDS = 2
    waits: list[float] = []
    monkeypatch.setattr(server_retries, "sleep", waits.append)
    monkeypatch.setattr(server_retries, "clock", lambda: sum(waits))
    links.refresh_links(show.instance)
    MediaServer.objects.update(url=f"http://127.0.0.1:{free_port()}")
    assert links.refresh_links(show.instance) == {"Salon": -1}  # the links are kept
    (row,) = _plan(show)
    assert (row.state, row.refusal) == (State.REFUSED, refusals.SERVER_UNANSWERED)
    assert row.refusal in refusals.PLANNED_AGAIN and posters.due(show)


@pytest.mark.parametrize("jellyfin", ["10.10.7"], indirect=True)
def test_a_server_that_refuses_the_key_is_said_in_the_readers_language(
    show: Media, jellyfin: FakeJellyfin
) -> None:
    links.refresh_links(show.instance)
    server = MediaServer.objects.get()
    server.set_token("not-the-key")
    server.save()
    (row,) = _plan(show)
    assert (row.state, row.refusal) == (State.REFUSED, refusals.SERVER_FAILED)
    with translation.override("de"):
        german = refusals.refusal_text(row.refusal, row.detail)
    assert "Salon" in german and "not-the-key" not in german
    assert german != refusals.refusal_text(row.refusal, row.detail)


@pytest.mark.parametrize("jellyfin", ["10.10.7"], indirect=True)
def test_a_poster_file_beside_the_item_and_the_server_each_get_their_row(
    show: Media, jellyfin: FakeJellyfin
) -> None:
    (Path(show.path) / "poster.jpg").write_bytes(_poster(shade=10))
    links.refresh_links(show.instance)
    rows = _plan(show)
    assert sorted((row.where, row.state) for row in rows) == [
        ("folder", State.PLANNED),
        ("server", State.PLANNED),
    ]
    _apply(show)
    assert set(BadgeChange.objects.values_list("state", flat=True)) == {State.WRITTEN}
