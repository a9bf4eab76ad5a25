"""What Taggarr stores of an image is its own small JPEG: scaled into the kind's box
(never up), any format it reads made a JPEG, and anything else refused, an image too
large to decode before it is decoded."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from scanner.artwork.thumbnails import NotAnImage, thumbnail
from tests.scanner.artwork.images import jpeg, png, size_of


@pytest.mark.parametrize(
    ("data", "kind", "size"),
    [
        (jpeg(1000, 1500), "poster", (167, 250)),
        (jpeg(100, 150), "poster", (100, 150)),  # never scaled up
        (png(1920, 1080), "fanart", (640, 360)),
        (jpeg(680, 1000), "fanart", (245, 360)),
    ],
)
def test_scaled_into_the_box_as_a_jpeg(data: bytes, kind: str, size: tuple[int, int]) -> None:
    made = thumbnail(data, kind)
    assert size_of(made.data) == size == (made.width, made.height)
    assert made.content_type == "image/jpeg" and len(made.digest) == 64


def _huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")  # 64 megapixels in a few kilobytes
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"", b"<html>sign in</html>", b"\xff\xd8\xff\xe0 cut short", b"GIF89a", _huge_png()],
)
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(NotAnImage):
        thumbnail(data, "poster")
