"""The fake Plex's posters (fakes/plex/posters.py, poster_routes.py) over real HTTP, and
with python-plexapi itself (the pinned 4.18): ``posters()``, ``uploadPoster``,
``setPoster``, ``lockPoster``/``unlockPoster``, ``deletePoster`` and ``thumbUrl`` work
against it, and Kometa's restore (``uploadPoster(url=<a poster's key>&X-Plex-Token=..)``)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
import requests
from plexapi.exceptions import NotFound, Unauthorized
from plexapi.server import PlexServer

from fakes.plex import FakePlex, PlexItem
from fakes.plex.posters import MAX_BODY_BYTES

TOKEN = "fake-plex-poster-owner-9a8b"
KID = "fake-plex-poster-kid-7c6d"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x02" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x03" * 64
OWNER = {"X-Plex-Token": TOKEN}


@pytest.fixture
def fake() -> Iterator[FakePlex]:
    with FakePlex(token=TOKEN) as server:
        server.state.add_section("1", "TV Shows", "show", ["/tv"])
        server.state.add_section("2", "Movies", "movie", ["/movies"])
        server.state.add_item("1", "Show", "/tv/Show", guids=["tvdb://1"], labels=["kids"])
        server.state.add_item("1", "Grown-ups", "/tv/Grown-ups", guids=["tvdb://3"])
        server.state.add_item("2", "Film", "/movies/Film/Film.mkv", guids=["tmdb://2"])
        server.state.add_user("Kid", KID, filter_television={"label": ["kids"]})
        yield server


def _item(fake: FakePlex, title: str) -> PlexItem:
    return next(item for item in fake.state.items() if item.title == title)


def _xml(answer: requests.Response) -> ElementTree.Element:
    assert answer.status_code == 200, answer.text
    return ElementTree.fromstring(answer.content)  # noqa: S314 - our own fake's answer


def _metadata(fake: FakePlex, key: int) -> ElementTree.Element:
    answer = requests.get(f"{fake.url}/library/metadata/{key}", headers=OWNER, timeout=5)
    return _xml(answer)[0]


def _thumb_of(fake: FakePlex, key: int) -> str | None:
    return _metadata(fake, key).get("thumb")


def _get(fake: FakePlex, path: str, headers: dict[str, str] = OWNER) -> requests.Response:
    return requests.get(f"{fake.url}{path}", headers=headers, timeout=5)


def _post(fake: FakePlex, key: int, **kwargs: object) -> requests.Response:
    url = f"{fake.url}/library/metadata/{key}/posters"
    return requests.post(url, timeout=10, **kwargs)  # type: ignore[arg-type]


# -- over plain HTTP ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"), [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")]
)
def test_the_thumb_serves_the_selected_posters_bytes_with_their_type(
    fake: FakePlex, data: bytes, content_type: str
) -> None:
    show = _item(fake, "Show")
    assert _thumb_of(fake, show.rating_key) is None  # no poster: no thumb, as Plex
    assert _get(fake, f"/library/metadata/{show.rating_key}/thumb/1").status_code == 404

    fake.state.add_poster(show.rating_key, data)
    thumb = _thumb_of(fake, show.rating_key)

    assert thumb is not None and thumb.startswith(f"/library/metadata/{show.rating_key}/thumb/")
    for path in (thumb, f"/library/metadata/{show.rating_key}/thumb/5", thumb.rsplit("/", 1)[0]):
        answer = requests.get(f"{fake.url}{path}", params=OWNER, timeout=5)
        assert (answer.status_code, answer.content) == (200, data)
        assert answer.headers["Content-Type"] == content_type
    listing = requests.get(f"{fake.url}/library/sections/1/all", headers=OWNER, timeout=5)
    listed = {e.get("ratingKey"): e.get("thumb") for e in _xml(listing)}
    assert listed[str(show.rating_key)] == thumb  # listings carry it too


def test_the_list_says_each_poster_and_which_is_selected(fake: FakePlex) -> None:
    film = _item(fake, "Film").rating_key
    fake.state.add_poster(film, JPEG, provider="local")
    fake.state.add_poster(film, PNG, provider="tv.plex.agents.movie", selected=False)

    photos = list(_xml(_get(fake, f"/library/metadata/{film}/posters")))

    assert [photo.tag for photo in photos] == ["Photo", "Photo"]
    agent, local = photos  # newest first
    assert agent.get("ratingKey", "").startswith("metadata://posters/tv.plex.agents.movie_")
    assert (agent.get("selected"), agent.get("provider")) == ("0", "tv.plex.agents.movie")
    assert (local.get("selected"), local.get("provider")) == ("1", "local")
    key = local.get("key", "")
    assert key.startswith(f"/library/metadata/{film}/file?url=metadata%3A%2F%2Fposters%2F")
    assert local.get("thumb") == key
    assert _get(fake, key).content == JPEG
    assert fake.state.poster(film) == JPEG


def test_an_uploaded_body_becomes_the_selected_poster_and_changes_the_thumb(
    fake: FakePlex,
) -> None:
    film = _item(fake, "Film").rating_key
    fake.state.add_poster(film, JPEG)
    before = _thumb_of(fake, film)

    answer = _post(fake, film, data=PNG, headers=OWNER)
    again = _post(fake, film, data=PNG, headers=OWNER)

    assert (answer.status_code, answer.content, again.status_code) == (200, b"", 200)
    upload = f"upload://posters/{hashlib.sha1(PNG).hexdigest()}"  # noqa: S324
    assert fake.state.posters(film)[0].rating_key == upload
    assert len(fake.state.posters(film)) == 2  # the same bytes twice: one poster
    assert fake.state.poster(film) == PNG
    after = _thumb_of(fake, film)
    assert after is not None and after != before
    assert _metadata(fake, film).get("updatedAt") == after.rsplit("/", 1)[1]
    assert [(u.item_key, u.rating_key, u.size, u.url) for u in fake.state.poster_uploads()] == [
        (film, upload, len(PNG), None)
    ] * 2
    counters = fake.state.counters()
    assert counters[("POST", "/library/metadata/{id}/posters")] == 2


def test_a_url_upload_takes_what_plex_can_fetch_and_refuses_the_rest(fake: FakePlex) -> None:
    film = _item(fake, "Film").rating_key
    original = fake.state.add_poster(film, JPEG)
    _post(fake, film, data=PNG, headers=OWNER)
    fake.state.poster_store.serve("https://posters.example/a.webp", WEBP)
    own = f"{fake.url}{original.key}"

    served = _post(fake, film, params={"url": "https://posters.example/a.webp"}, headers=OWNER)
    unknown = _post(fake, film, params={"url": "https://posters.example/b.jpg"}, headers=OWNER)
    no_token = _post(fake, film, params={"url": own}, headers=OWNER)
    assert fake.state.poster(film) == WEBP
    restored = _post(fake, film, params={"url": f"{own}&X-Plex-Token={TOKEN}"}, headers=OWNER)

    assert (served.status_code, unknown.status_code, no_token.status_code) == (200, 406, 406)
    assert restored.status_code == 200
    assert fake.state.poster(film) == JPEG
    assert [u.url for u in fake.state.poster_uploads()] == [
        None,
        "https://posters.example/a.webp",
        f"{own}&X-Plex-Token={TOKEN}",
    ]


def test_an_empty_or_oversized_upload_is_refused(fake: FakePlex) -> None:
    film = _item(fake, "Film").rating_key

    empty = _post(fake, film, headers=OWNER)
    at_limit = _post(fake, film, data=b"\xff\xd8\xff" + bytes(MAX_BODY_BYTES - 3), headers=OWNER)
    over = _post(fake, film, data=bytes(MAX_BODY_BYTES + 1), headers=OWNER)
    unknown_item = _post(fake, 99999, data=JPEG, headers=OWNER)

    assert (empty.status_code, at_limit.status_code, over.status_code) == (400, 200, 413)
    assert unknown_item.status_code == 404
    assert [u.size for u in fake.state.poster_uploads()] == [MAX_BODY_BYTES]


def test_a_poster_is_selected_by_rating_key_or_key(fake: FakePlex) -> None:
    show = _item(fake, "Show").rating_key
    first = fake.state.add_poster(show, JPEG)
    fake.state.add_poster(show, PNG)
    url = f"{fake.url}/library/metadata/{show}/poster"

    by_rating_key = requests.put(url, params={"url": first.rating_key}, headers=OWNER, timeout=5)
    thumb = _thumb_of(fake, show)
    assert fake.state.poster(show) == JPEG
    fake.state.add_poster(show, WEBP)
    by_key = requests.put(url, params={"url": first.key}, headers=OWNER, timeout=5)
    unknown = requests.put(url, params={"url": "upload://posters/0"}, headers=OWNER, timeout=5)
    missing = requests.put(url, headers=OWNER, timeout=5)

    assert by_rating_key.status_code == 200
    assert by_rating_key.text == thumb  # the new thumb path, as text (plexapi PR #437)
    assert (by_key.status_code, unknown.status_code, missing.status_code) == (200, 404, 400)
    assert fake.state.poster(show) == JPEG
    assert by_key.text != thumb  # a new selection, a new number


def test_the_thumb_lock_is_written_by_a_section_edit_and_shown_as_a_field(
    fake: FakePlex,
) -> None:
    show = _item(fake, "Show").rating_key
    fake.state.add_poster(show, JPEG)

    def lock(value: int) -> set[str]:
        params = {"type": 2, "id": show, "thumb.locked": value}
        url = f"{fake.url}/library/sections/1/all"
        answer = requests.put(url, params=params, headers=OWNER, timeout=5)
        assert answer.status_code == 200
        return {f.get("name", "") for f in _metadata(fake, show).iter("Field")}

    assert lock(1) == {"label", "thumb"}
    assert lock(0) == {"label"}
    assert [edit.thumb_locked for edit in fake.state.edits()] == ["1", "0"]
    assert fake.state.labels(show) == ["kids"]  # a lock is no label edit


def test_a_users_token_reads_the_posters_it_may_see_and_writes_none(fake: FakePlex) -> None:
    show, other = _item(fake, "Show").rating_key, _item(fake, "Grown-ups").rating_key
    fake.state.add_poster(show, JPEG)
    fake.state.add_poster(other, JPEG)  # not labelled "kids": hidden from the kid
    kid = {"X-Plex-Token": KID}

    seen = _get(fake, f"/library/metadata/{show}/posters", kid)
    hidden = _get(fake, f"/library/metadata/{other}/thumb", kid)
    upload = _post(fake, show, data=PNG, headers=kid)
    select = requests.put(
        f"{fake.url}/library/metadata/{show}/poster",
        params={"url": fake.state.posters(show)[0].rating_key},
        headers=kid,
        timeout=5,
    )

    assert (seen.status_code, hidden.status_code) == (200, 404)
    assert (upload.status_code, select.status_code) == (401, 401)
    assert fake.state.poster_uploads() == []
    assert (
        fake.state.counters_by_account()[("POST", "/library/metadata/{id}/posters", "token:Kid")]
        == 1
    )


# -- with python-plexapi ---------------------------------------------------------------


def test_plexapi_uploads_lists_selects_and_reads_posters(fake: FakePlex, tmp_path: Path) -> None:
    show_key = _item(fake, "Show").rating_key
    fake.state.add_poster(show_key, JPEG)
    show = PlexServer(fake.url, TOKEN).fetchItem(show_key)  # the fake searches no titles
    original = show.thumb
    path = tmp_path / "poster.png"
    path.write_bytes(PNG)

    show.uploadPoster(filepath=str(path))
    posters = show.posters()
    show.reload()

    upload, local = posters
    assert upload.ratingKey == f"upload://posters/{hashlib.sha1(PNG).hexdigest()}"  # noqa: S324
    assert (upload.selected, local.selected, upload.provider, local.provider) == (
        True,
        False,
        "",
        "local",
    )
    assert show.thumb != original
    assert requests.get(show.thumbUrl, timeout=5).content == PNG
    assert "thumb" in [field.name for field in show.fields]  # an upload locks it

    show.setPoster(local)  # Plex answers text, which plexapi's select() swallows
    show.reload()
    assert [p.selected for p in show.posters()] == [False, True]
    assert requests.get(show.thumbUrl, timeout=5).content == JPEG

    show.unlockPoster()
    show.reload()
    assert "thumb" not in [field.name for field in show.fields]
    show.lockPoster()
    show.reload()
    assert "thumb" in [field.name for field in show.fields]


def test_plexapi_uploads_a_file_object_and_kometas_restore_url(fake: FakePlex) -> None:
    """Kometa's ``item_posters``: ``{url}{poster.key}&X-Plex-Token=..`` handed back to
    ``uploadPoster(url=...)`` puts the original back."""
    film_key = _item(fake, "Film").rating_key
    fake.state.add_poster(film_key, JPEG)
    plex = PlexServer(fake.url, TOKEN)
    film = plex.library.sectionByID(2).get("Film")

    film.uploadPoster(filepath=io.BytesIO(PNG))  # an overlaid poster
    original = next(p for p in film.posters() if not p.ratingKey.startswith("upload"))
    film.uploadPoster(url=f"{plex._baseurl}{original.key}&X-Plex-Token={TOKEN}")
    film.reload()

    assert requests.get(film.posterUrl, timeout=5).content == JPEG
    assert fake.state.poster(film_key) == JPEG


def test_plexapi_deletes_the_poster_and_a_user_may_not_upload(fake: FakePlex) -> None:
    show_key = _item(fake, "Show").rating_key
    fake.state.add_poster(show_key, JPEG)
    plex = PlexServer(fake.url, TOKEN)
    show = plex.fetchItem(show_key)
    kids_show = PlexServer(fake.url, KID).fetchItem(show_key)

    with pytest.raises(Unauthorized):
        kids_show.uploadPoster(filepath=io.BytesIO(PNG))
    assert requests.get(kids_show.thumbUrl, timeout=5).content == JPEG  # it reads it
    show.deletePoster()
    show.reload()

    assert show.thumb is None and show.thumbUrl is None
    assert fake.state.poster(show_key) is None and show.posters() == []
    with pytest.raises(NotFound):
        plex.query(f"/library/metadata/{show_key}/thumb")
