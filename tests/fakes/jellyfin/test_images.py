"""The fake Jellyfin's item images over HTTP (fakes/jellyfin/images.py, from
ImageController): an image posted base64-encoded and read back, its tag in the item's
ImageTags changing with it, deleted, the bodies and Content-Types refused, who may
write, unknown items, the body limit, backdrops, and Emby's (10.8's) way."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fakes.jellyfin import FakeJellyfin, build_movie
from fakes.jellyfin.images import MAX_BODY_BYTES
from fakes.jellyfin.state import USER_ID

TOKEN = "fake-jellyfin-images-9c8d"
HEADERS = {"Authorization": f'MediaBrowser Client="test", Token="{TOKEN}"'}
ITEMS = [build_movie("m1", "Film", "/movies/Film (2020)/Film.mkv", Tags=["kept"])]


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )  # fmt: skip


def _jpeg(width: int, height: int) -> bytes:
    """A JPEG's markers up to its frame header (SOF0), enough to read its size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


PNG = _png(3, 2)
JPEG = _jpeg(640, 360)


@pytest.fixture
def serve() -> Iterator[Any]:
    started: list[FakeJellyfin] = []

    def start(version: str = "10.10.7") -> FakeJellyfin:
        fake = FakeJellyfin(token=TOKEN, items=ITEMS, version=version).start()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.stop()


def _post(
    fake: FakeJellyfin,
    body: bytes,
    content_type: str | None = "image/png",
    *,
    image_type: str = "Primary",
    headers: dict[str, str] | None = None,
    item_id: str = "m1",
) -> requests.Response:
    sent = dict(HEADERS if headers is None else headers)
    if content_type is not None:
        sent["Content-Type"] = content_type
    url = f"{fake.url}/Items/{item_id}/Images/{image_type}"
    return requests.post(url, data=body, headers=sent, timeout=10)


def _whole(fake: FakeJellyfin) -> dict[str, Any]:
    url = f"{fake.url}/Users/{USER_ID}/Items/m1"
    return requests.get(url, headers=HEADERS, timeout=5).json()


def _infos(fake: FakeJellyfin, headers: dict[str, str] | None = None) -> requests.Response:
    url = f"{fake.url}/Items/m1/Images"
    return requests.get(url, headers=HEADERS if headers is None else headers, timeout=5)


def test_a_posted_image_is_served_back_with_its_type_and_tag(serve) -> None:
    fake = serve()
    assert requests.get(f"{fake.url}/Items/m1/Images/Primary", timeout=5).status_code == 404
    assert _post(fake, base64.b64encode(PNG)).status_code == 204
    # Reading an image needs no token (GetItemImage has no [Authorize]).
    served = requests.get(f"{fake.url}/Items/m1/Images/Primary", timeout=5)
    by_index = requests.get(f"{fake.url}/Items/m1/Images/Primary/0", timeout=5)
    (info,) = _infos(fake).json()
    tag = _whole(fake)["ImageTags"]["Primary"]
    assert served.status_code == 200 and served.content == PNG == by_index.content
    assert served.headers["Content-Type"] == "image/png"
    assert "ETag" not in served.headers and served.headers["Last-Modified"].endswith(" GMT")
    assert served.headers["Cache-Control"] == "public"
    assert info == {
        "ImageType": "Primary", "ImageIndex": None, "ImageTag": tag,
        "Path": "/config/metadata/library/m1/m1/poster.png", "BlurHash": None,
        "Height": 2, "Width": 3, "Size": len(PNG),
    }  # fmt: skip
    stored = fake.state.image("m1", "Primary")
    assert stored is not None and stored.data == PNG and stored.tag == tag
    assert fake.state.image_writes() == [("POST", "m1", "Primary")]
    assert fake.state.saves() == {"m1": 1} and fake.state.nfo_writes() == {}
    assert requests.get(f"{fake.url}/Items/m1/Images/Primary/1", timeout=5).status_code == 404


def test_the_tag_changes_when_the_image_does(serve) -> None:
    fake = serve()
    first = fake.state.set_image("m1", "Primary", JPEG, "image/jpeg")
    (listed,) = requests.get(
        f"{fake.url}/Items", params={"Ids": "m1"}, headers=HEADERS, timeout=5
    ).json()["Items"]
    served = requests.get(f"{fake.url}/Items/m1/Images/Primary", timeout=5)
    (info,) = _infos(fake).json()
    assert listed["ImageTags"] == {"Primary": first} and listed["BackdropImageTags"] == []
    assert served.headers["Content-Type"] == "image/jpeg" and served.content == JPEG
    assert (info["Width"], info["Height"]) == (640, 360)
    assert fake.state.image_writes() == []  # a test's set_image is not a write

    assert _post(fake, base64.b64encode(PNG)).status_code == 204
    second = _whole(fake)["ImageTags"]["Primary"]
    assert _post(fake, base64.b64encode(PNG)).status_code == 204  # the same bytes again
    third = _whole(fake)["ImageTags"]["Primary"]
    assert len({first, second, third}) == 3
    served = requests.get(f"{fake.url}/Items/m1/Images/Primary", params={"tag": third}, timeout=5)
    assert served.headers["Content-Type"] == "image/png" and served.content == PNG
    assert served.headers["Cache-Control"] == "public, max-age=31536000"
    since = {"If-Modified-Since": served.headers["Last-Modified"]}
    again = requests.get(f"{fake.url}/Items/m1/Images/Primary", headers=since, timeout=5)
    assert again.status_code == 304 and again.content == b""
    assert [info["ImageTag"] for info in _infos(fake).json()] == [third]
    assert _whole(fake)["Tags"] == ["kept"]  # the rest of the item is untouched


def test_delete_removes_the_image(serve) -> None:
    fake = serve()
    fake.state.set_image("m1", "Primary", PNG, "image/png")
    url = f"{fake.url}/Items/m1/Images/Primary"
    assert requests.delete(url, headers=HEADERS, timeout=5).status_code == 204
    assert requests.get(url, timeout=5).status_code == 404
    assert fake.state.image("m1", "Primary") is None
    assert _whole(fake)["ImageTags"] == {} and _infos(fake).json() == []
    # Nothing to delete is no error (BaseItem.DeleteImageAsync: "Nothing to do").
    assert requests.delete(url, headers=HEADERS, timeout=5).status_code == 204
    assert fake.state.image_writes() == [("DELETE", "m1", "Primary")] * 2
    assert fake.state.saves() == {"m1": 1}  # only the delete that removed something saved


@pytest.mark.parametrize(
    ("version", "body", "content_type", "status", "text"),
    [
        ("10.10.7", PNG, "image/png", 500, "Error processing request."),  # raw, not base64
        ("10.10.7", b"data:image/png;base64," + base64.b64encode(PNG), "image/png", 500, None),
        ("10.10.7", base64.b64encode(PNG), "text/plain", 400, "Incorrect ContentType."),
        ("10.10.7", base64.b64encode(PNG), None, 400, "Incorrect ContentType."),
        ("10.10.7", base64.b64encode(PNG), "image/jpg", 400, None),  # no such extension
        ("12.0.0", PNG, "image/png", 500, None),
        ("10.8.13", PNG, "image/png", 500, None),
        ("10.8.13", base64.b64encode(PNG), None, 400, None),  # the saver's ArgumentException
    ],
)
def test_the_body_must_be_an_image_encoded_in_base64(
    serve, version: str, body: bytes, content_type: str | None, status: int, text: str | None
) -> None:
    fake = serve(version)
    before = fake.state.set_image("m1", "Primary", JPEG, "image/jpeg")
    answer = _post(fake, body, content_type)
    assert answer.status_code == status
    assert text is None or answer.text == text
    stored = fake.state.image("m1", "Primary")
    assert stored is not None and stored.tag == before and stored.data == JPEG
    assert fake.state.image_writes() == [] and fake.state.saves() == {}


def test_base64_with_line_breaks_and_a_charset_is_taken(serve) -> None:
    fake = serve()
    wrapped = base64.encodebytes(_png(40, 30))  # lines of 76 characters
    assert b"\n" in wrapped
    assert _post(fake, wrapped, "image/png; charset=utf-8").status_code == 204
    stored = fake.state.image("m1", "Primary")
    assert stored is not None and stored.data == _png(40, 30)
    assert (stored.width, stored.height, stored.content_type) == (40, 30, "image/png")


def test_writing_needs_an_administrators_token(serve) -> None:
    fake = serve()
    kid = fake.state.add_user("Kid")
    gone = fake.state.add_user("Gone", disabled=True)
    body = base64.b64encode(PNG)
    kid_headers = {"Authorization": f'MediaBrowser Token="{fake.state.user_token(kid)}"'}
    gone_headers = {"Authorization": f'MediaBrowser Token="{fake.state.user_token(gone)}"'}
    admin_headers = {"Authorization": f'MediaBrowser Token="{fake.state.user_token(USER_ID)}"'}
    url = f"{fake.url}/Items/m1/Images/Primary"
    assert _post(fake, body, headers={}).status_code == 401
    assert (
        _post(fake, body, headers={"Authorization": 'MediaBrowser Token="wrong"'}).status_code
        == 401
    )
    assert _post(fake, body, headers=gone_headers).status_code == 401
    assert _post(fake, body, headers=kid_headers).status_code == 403
    assert requests.delete(url, timeout=5).status_code == 401
    assert requests.delete(url, headers=kid_headers, timeout=5).status_code == 403
    assert _infos(fake, headers={}).status_code == 401
    assert fake.state.image("m1", "Primary") is None and fake.state.image_writes() == []
    # Any user may list the images; only an administrator writes them.
    assert _infos(fake, headers=kid_headers).json() == []
    assert _post(fake, body, headers=admin_headers).status_code == 204
    assert requests.get(url, headers=kid_headers, timeout=5).content == PNG
    assert requests.delete(url, headers=admin_headers, timeout=5).status_code == 204
    with pytest.raises(KeyError):
        fake.state.user_token("no-such-user")
    # A user's token opens the image routes only; the rest still want the API key.
    assert (
        requests.get(f"{fake.url}/System/Info", headers=admin_headers, timeout=5).status_code == 401
    )


def test_a_user_finds_only_the_items_he_may_see(serve) -> None:
    fake = serve()
    blocked = fake.state.add_user("Blocked", blocked_tags=["kept"])
    headers = {"Authorization": f'MediaBrowser Token="{fake.state.user_token(blocked)}"'}
    fake.state.set_image("m1", "Primary", PNG, "image/png")
    assert _infos(fake, headers=headers).status_code == 404
    assert requests.get(
        f"{fake.url}/Items/m1/Images/Primary", headers=headers, timeout=5
    ).status_code == 404  # fmt: skip
    assert requests.get(f"{fake.url}/Items/m1/Images/Primary", timeout=5).status_code == 200


def test_an_unknown_item_or_image_type(serve) -> None:
    fake = serve()
    body = base64.b64encode(PNG)
    url = f"{fake.url}/Items/nope/Images"
    assert _post(fake, body, item_id="nope").status_code == 404
    assert requests.get(f"{url}/Primary", timeout=5).status_code == 404
    assert requests.delete(f"{url}/Primary", headers=HEADERS, timeout=5).status_code == 404
    assert requests.get(url, headers=HEADERS, timeout=5).status_code == 404
    assert _post(fake, body, image_type="Poster").status_code == 400
    assert requests.get(f"{fake.url}/Items/m1/Images/Primary/x", timeout=5).status_code == 400
    assert fake.state.image_writes() == []
    with pytest.raises(KeyError):
        fake.state.set_image("nope", "Primary", PNG, "image/png")
    with pytest.raises(ValueError, match="not an image"):
        fake.state.set_image("m1", "Primary", PNG, "text/plain")


def test_a_body_over_the_limit_is_refused(serve) -> None:
    fake = serve()
    body = b"A" * (MAX_BODY_BYTES + 4)  # valid base64, too long
    assert _post(fake, body).status_code == 413
    assert fake.state.image("m1", "Primary") is None and fake.state.image_writes() == []


def test_backdrops_are_many(serve) -> None:
    fake = serve()
    assert _post(fake, base64.b64encode(PNG), image_type="Backdrop").status_code == 204
    assert (
        _post(fake, base64.b64encode(JPEG), "image/jpeg", image_type="Backdrop").status_code == 204
    )
    infos = _infos(fake).json()
    whole = _whole(fake)
    assert [(i["ImageType"], i["ImageIndex"], i["Path"].rsplit("/", 1)[1]) for i in infos] == [
        ("Backdrop", 0, "backdrop.png"),
        ("Backdrop", 1, "backdrop1.jpg"),
    ]
    assert whole["BackdropImageTags"] == [i["ImageTag"] for i in infos]
    assert whole["ImageTags"] == {}
    second = requests.get(f"{fake.url}/Items/m1/Images/Backdrop/1", timeout=5)
    assert second.content == JPEG
    url = f"{fake.url}/Items/m1/Images/Backdrop"
    assert requests.delete(url, params={"imageIndex": 0}, headers=HEADERS, timeout=5).ok
    assert [i["ImageTag"] for i in _infos(fake).json()] == whole["BackdropImageTags"][1:]


def test_emby_takes_the_image_on_its_own_routes(serve) -> None:
    fake = serve("emby-4.9.0.22")
    headers = {"X-Emby-Token": TOKEN, "Content-Type": "image/jpeg"}
    url = f"{fake.url}/emby/Items/m1/Images/Primary"
    assert (
        requests.post(url, data=base64.b64encode(JPEG), headers=headers, timeout=5).status_code
        == 204
    )
    assert requests.get(url, timeout=5).content == JPEG
    assert fake.state.image_writes() == [("POST", "m1", "Primary")]
