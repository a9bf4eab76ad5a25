"""The badges drawn on a poster (scanner.badges.draw, issue 95), on real images made by
Pillow: the poster keeps its size, format and orientation, the badges stand in the
corner asked, as tall as the size asked, the rest of the poster is left as it was (but
for the JPEG's re-encoding), the same poster gives the same bytes, and what would cost
too much to decode or cannot be read is refused before a pixel is decoded."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageChops, ImageStat

from scanner.badges.draw import SIZES, PosterRefused, Style, draw
from scanner.badges.says import DUB, SEMI, Badge

BADGES = (Badge("VFQ", DUB), Badge("Latino", SEMI))


def _poster(width: int = 600, height: int = 900, kind: str = "JPEG", **save: object) -> bytes:
    """A poster-like image: a smooth gradient (a flat one would hide a misplaced badge)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, kind, **save)
    return out.getvalue()


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _changed(before: bytes, after: bytes, box: tuple[int, int, int, int]) -> float:
    """The mean difference of the two images inside ``box`` (0 to 255)."""
    diff = ImageChops.difference(_open(before).convert("L"), _open(after).convert("L"))
    return float(ImageStat.Stat(diff.crop(box)).mean[0])


def _badge_rows(before: bytes, after: bytes, column: tuple[int, int]) -> list[int]:
    """The rows where the badges changed the poster, within ``column`` (x from, to)."""
    diff = ImageChops.difference(_open(before).convert("L"), _open(after).convert("L"))
    strip = diff.crop((column[0], 0, column[1], diff.height)).point(lambda v: 255 if v > 40 else 0)
    return [y for y in range(strip.height) if strip.crop((0, y, strip.width, y + 1)).getbbox()]


def test_the_poster_keeps_its_size_and_format_and_the_badges_stand_in_their_corner() -> None:
    poster = _poster()
    drawn = draw(poster, BADGES)
    image = _open(drawn)
    assert (image.format, image.size) == ("JPEG", (600, 900))
    assert _changed(poster, drawn, (0, 0, 120, 160)) > 40  # the corner: the badges
    assert _changed(poster, drawn, (300, 300, 600, 900)) < 2  # the rest: re-encoding only
    right = draw(poster, BADGES, Style(corner="bottom-right"))
    assert _changed(poster, right, (480, 740, 600, 900)) > 40
    assert _changed(poster, right, (0, 0, 300, 600)) < 2


@pytest.mark.parametrize("size", list(SIZES))
def test_each_badge_is_as_tall_as_its_share_of_the_poster(size: str) -> None:
    poster = _poster(1000, 1500)
    rows = _badge_rows(poster, draw(poster, BADGES[:1], Style(size=size)), (30, 60))
    tall = max(rows) - min(rows) + 1
    assert abs(tall - 1500 * SIZES[size]) <= 3, (size, tall)


def test_the_same_poster_and_badges_give_the_same_bytes() -> None:
    poster = _poster()
    assert draw(poster, BADGES) == draw(poster, BADGES)
    assert draw(poster, BADGES) != draw(poster, BADGES[:1])


def test_a_png_stays_a_png_with_its_transparency() -> None:
    image = Image.new("RGBA", (400, 600), (10, 20, 30, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    drawn = _open(draw(out.getvalue(), BADGES))
    assert (drawn.format, drawn.mode, drawn.size) == ("PNG", "RGBA", (400, 600))
    assert drawn.getpixel((399, 599))[3] == 0  # away from the badges: still transparent


def test_a_turned_poster_is_drawn_on_upright() -> None:
    # A camera's portrait JPEG stored on its side, EXIF orientation 6 (turn 90° right).
    exif = Image.Exif()
    exif[0x0112] = 6
    sideways = _poster(900, 600, exif=exif.tobytes())
    drawn = _open(draw(sideways, BADGES))
    assert drawn.size == (600, 900)  # upright: the badges in the top-left a person sees
    assert drawn.getexif().get(0x0112) in (None, 1)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` by ``height`` pixels and holds almost nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


@pytest.mark.parametrize(
    ("poster", "reason"),
    [
        (_png_header(20_000, 30_000), "pixels"),  # a 600 MP bomb: refused from its header
        (_png_header(1, 24_999_999), "pixels"),  # a PNG that takes 500 MB to decode
        (b"\xff\xd8\xff\xe0 not a jpeg" * 10, "unreadable"),
        (b"GIF89a" + b"\x00" * 100, "unreadable"),
        (b"\x00" * (4 * 1024 * 1024 + 1), "bytes"),
    ],
    ids=["bomb", "one-pixel-wide", "corrupt", "gif", "too-large"],
)
def test_what_costs_too_much_or_cannot_be_read_is_refused(poster: bytes, reason: str) -> None:
    with pytest.raises(PosterRefused, match=reason):
        draw(poster, BADGES)


def test_a_gif_poster_is_refused_by_its_format() -> None:
    image = Image.new("P", (200, 300))
    out = io.BytesIO()
    image.save(out, "GIF")
    with pytest.raises(PosterRefused, match="GIF"):
        draw(out.getvalue(), BADGES)


def _near(image: Image.Image, box: tuple[int, int, int, int], color: tuple[int, int, int]) -> int:
    """Pixels of ``box`` within a few steps of ``color`` (a PNG: no JPEG shift)."""
    crop = image.convert("RGB").crop(box)
    return sum(
        1
        for pixel in crop.get_flattened_data()
        if all(abs(a - b) <= 6 for a, b in zip(pixel, color, strict=False))
    )


def test_flags_on_request_stand_beside_the_word_never_instead_of_it() -> None:
    poster = _poster(600, 900, "PNG")
    quebec, latino = Badge("VFQ", DUB, "fr-ca"), Badge("Latino", SEMI, "es-419")
    words = _open(draw(poster, (quebec, latino)))
    flags = _open(draw(poster, (quebec, latino), Style(look="flags")))
    corner = (0, 0, 300, 200)
    assert _near(words, corner, (0, 61, 165)) == 0  # Quebec's blue: only with flags
    assert _near(flags, corner, (0, 61, 165)) > 50
    assert _near(flags, corner, (0, 104, 71)) > 20  # Mexico's green, for the Latino
    # The word is still drawn: the badge is wider by the flag, not replaced by it.
    wide = ImageChops.difference(_open(poster).convert("L"), flags.convert("L")).getbbox()
    narrow = ImageChops.difference(_open(poster).convert("L"), words.convert("L")).getbbox()
    assert wide is not None and narrow is not None and wide[2] > narrow[2]
    # A language with no country of its own has no flag: its badge is its word alone.
    english = (Badge("EN", DUB, "en"),)
    assert draw(poster, english, Style(look="flags")) == draw(poster, english)
