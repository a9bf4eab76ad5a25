"""A series' season posters get their season's badges (issue 95): in the series folder as
Sonarr's Kodi metadata writes them (``season01-poster.jpg``, ``season-specials-poster.jpg``:
XbmcMetadata.cs' SeasonImagesRegex), and on a Jellyfin's or Emby's Season items (linked
by their SeriesId and IndexNumber). A season whose every file holds the dub says it; one
where some do says a partial dub; a season without a poster is said nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from fakes.jellyfin import FakeJellyfin, build_seasons, build_series
from scanner.badges import links, posters, review
from scanner.badges.due import targets_of
from scanner.badges.lease import ITEM
from scanner.badges.poster_file import season_names, sha256
from scanner.badges.says import DUB, SEMI, Badge, season_badges, seasons_of
from scanner.models import BadgeChange, Instance, Media, MediaServer
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import SERVER_TOKEN

pytestmark = pytest.mark.django_db

State = BadgeChange.State
TOKEN = 4545


def _file(missing: list[str], *, error: str | None = None) -> dict[str, Any]:
    return {"path": "x.mkv", "missing": missing, "error": error}


# Season 1: every file has the VFQ; season 2: one of two; season 3: none; season 0 (the
# specials): the one readable file has it (the unreadable one is not counted).
REASONS = {
    "targets": ["fr-CA"],
    "seasons": [
        {"season": 0, "files": [_file([]), _file(["fr-CA"], error="unreadable")]},
        {"season": 1, "files": [_file([]), _file([])]},
        {"season": 2, "files": [_file([]), _file(["fr-CA"])]},
        {"season": 3, "files": [_file(["fr-CA"])]},
    ],
}


def test_a_seasons_badges_come_from_its_own_files() -> None:
    assert seasons_of(REASONS) == [0, 1, 2, 3]
    assert season_badges(REASONS, 0) == (Badge("VFQ", DUB, "fr-ca"),)
    assert season_badges(REASONS, 1) == (Badge("VFQ", DUB, "fr-ca"),)
    assert season_badges(REASONS, 2) == (Badge("VFQ", SEMI, "fr-ca"),)
    assert season_badges(REASONS, 3) == ()
    assert season_badges(REASONS, 9) == ()  # a season with no file: nothing to say
    assert seasons_of({"seasons": [{"season": True}, {"season": "1"}, "x"]}) == []


def test_sonarrs_season_poster_names() -> None:
    assert season_names(1) == ("season01-poster.jpg", "season01-poster.png")
    assert season_names(12) == ("season12-poster.jpg", "season12-poster.png")
    assert season_names(0)[0] == "season-specials-poster.jpg"


def _poster(shade: int) -> bytes:
    image = Image.linear_gradient("L").resize((200, 300)).convert("RGB")
    image = Image.eval(image, lambda value: (value + shade) % 256)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _series(root: Path, **extra: object) -> Media:
    instance: Instance = InstanceFactory(target_languages=["fr-CA"], root_folders=[str(root)])
    values: dict[str, object] = {
        "instance": instance,
        "kind": "series",
        "path": str(root / "Show"),
        "tvdb_id": 101,
        "language_verdicts": {"fr-CA": "semi-dub"},
        "verdict_reasons": REASONS,
        **extra,
    }
    return MediaFactory(**values)


def _apply(media: Media) -> None:
    assert ITEM.take(media.pk, TOKEN)
    try:
        posters.apply_item(media.pk, token=TOKEN)
    finally:
        ITEM.let_go(media.pk, TOKEN)


def test_season_posters_in_the_series_folder_get_their_seasons_badges(tmp_path: Path) -> None:
    folder = tmp_path / "tv" / "Show"
    folder.mkdir(parents=True)
    files = {
        None: folder / "poster.jpg",
        1: folder / "season01-poster.jpg",
        2: folder / "season02-poster.jpg",
        3: folder / "season03-poster.jpg",
    }
    for shade, path in enumerate(files.values()):
        path.write_bytes(_poster(shade * 40))
    before = {season: path.read_bytes() for season, path in files.items()}
    media = _series(tmp_path / "tv")
    result = posters.plan_item(media.pk)
    rows = {row.season: row for row in BadgeChange.objects.filter(pk__in=result.planned)}
    # Season 3 holds no dub and never had a badge: nothing to do; season 0 has no poster.
    assert set(rows) == {None, 1, 2}
    said = {season: [(b["text"], b["kind"]) for b in row.badges] for season, row in rows.items()}
    assert said == {None: [("VFQ", SEMI)], 1: [("VFQ", DUB)], 2: [("VFQ", SEMI)]}
    assert rows[1].path == str(files[1]) and not result.refused
    titles = {line.title for line in review.lines(list(rows.values()))}
    assert titles == {media.title, f"{media.title}, season 1", f"{media.title}, season 2"}
    _apply(media)
    for season, row in rows.items():
        row.refresh_from_db()
        assert row.state == State.WRITTEN
        assert sha256(files[season].read_bytes()) == row.written_digest
    assert files[3].read_bytes() == before[3]
    assert not posters.due(media, writes=True)  # an unchanged rescan: nothing again
    posters.undo(change_ids=[row.pk for row in rows.values()])
    assert {season: path.read_bytes() for season, path in files.items()} == before


@pytest.fixture
def jellyfin() -> Iterator[FakeJellyfin]:
    show = build_series("s1", "Show", "/media/tv/Show", ProviderIds={"Tvdb": "101"})
    seasons = [item for item in build_seasons(show, 2, 1) if item["Type"] == "Season"]
    with FakeJellyfin(token=SERVER_TOKEN, items=[show, *seasons], version="10.10.7") as fake:
        fake.state.set_image("s1", "Primary", _poster(0), "image/jpeg")
        fake.state.set_image("s1-s1", "Primary", _poster(60), "image/jpeg")
        fake.state.set_image("s1-s2", "Primary", _poster(120), "image/jpeg")
        yield fake


def test_a_jellyfin_seasons_poster_gets_its_seasons_badges(
    tmp_path: Path, jellyfin: FakeJellyfin
) -> None:
    root = tmp_path / "tv"
    (root / "Show").mkdir(parents=True)
    media = _series(root)
    server = MediaServer(
        name="Salon", url=jellyfin.url, path_mappings=[{"remote": "/media/tv", "local": str(root)}]
    )
    server.set_token(SERVER_TOKEN)
    server.save()
    server.instances.set([media.instance])
    links.refresh_links(media.instance)
    on_server = {(t.item_id, t.season) for t in targets_of(media) if t.where == "server"}
    assert on_server == {("s1", None), ("s1-s1", 1), ("s1-s2", 2)}
    result = posters.plan_item(media.pk)
    rows = BadgeChange.objects.filter(pk__in=result.planned)
    said = {row.server_item: [b["kind"] for b in row.badges] for row in rows}
    assert said == {"s1": [SEMI], "s1-s1": [DUB], "s1-s2": [SEMI]}
    assert not result.refused  # no poster file in the folder, none for season 0 or 3
    _apply(media)
    for row in rows:
        row.refresh_from_db()
        stored = jellyfin.state.image(row.server_item, "Primary")
        assert stored is not None and sha256(stored.data) == row.written_digest
