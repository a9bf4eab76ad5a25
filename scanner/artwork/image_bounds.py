"""What an image costs to decode, told from its header before a pixel is decoded: each
side, the aspect ratio, the pixels and the memory the decode takes, and a JPEG's scans.

Pillow's ``Image.open`` reads the header only (the size, the mode; a JPEG's frame up to
its first scan). The pixel product alone does not bound a decode: a 48 KB PNG of
1 x 24,999,999 pixels took 521 MB (Pillow keeps a pointer per line), and a 4 MB
progressive JPEG of 4000 x 6000 with ~380,000 empty scans kept a thread busy 1,459 s
(libjpeg goes over every block of the image at each scan). Posters and fanart are
never 1:100, and a progressive JPEG has about ten scans: libjpeg-turbo lets a caller
refuse more (``djpeg -maxscans``, ``TJPARAM_SCANLIMIT``, which its own fuzzers set to 500:
"guard against an exploit of the progressive JPEG format", libjpeg-turbo turbojpeg.h).
"""

from __future__ import annotations

import math

from PIL import Image

MB = 1024 * 1024
MAX_SIDE = 10_000
# Fanart is 16:9, a poster 2:3, a banner about 5:1; past this no image is artwork.
MAX_ASPECT = 20
# A poster is well under a megapixel; anything past this is refused before decoding.
MAX_PIXELS = 25_000_000
# The memory one decode may take: its pixels (Pillow keeps RGB in 4 bytes a pixel), a
# copy in another mode, and a progressive JPEG's coefficients (2 bytes each, every block
# of every component held until the last scan: libjpeg's jdcoefct.c whole-image buffer).
MAX_DECODE_BYTES = 64 * MB
# Encoders write about 10 (libjpeg's jpeg_simple_progression), mozjpeg a few more.
MAX_SCANS = 200
# Modes Pillow scales as they are; any other is made RGB (4 bytes a pixel) first.
SCALED_AS_IS = frozenset({"RGB", "RGBA", "L"})


class TooCostly(ValueError):
    """The image would cost too much to decode; the reason in English, for the logs."""


def check_header(image: Image.Image, data: bytes) -> None:
    """Raise TooCostly unless ``image`` (opened, not decoded) has a size and, a JPEG,
    scans to decode. ``data`` are its bytes, for a JPEG's scans."""
    width, height = image.size
    if width < 1 or height < 1 or max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise TooCostly(f"an image of {width} by {height} pixels")
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise TooCostly(f"an image of {width} by {height} pixels, no poster's or fanart's shape")
    if image.format == "JPEG":
        scans = jpeg_scans(data, MAX_SCANS)
        if scans > MAX_SCANS:
            raise TooCostly(f"a JPEG of more than {MAX_SCANS} scans")


def check_decode_cost(image: Image.Image, original: tuple[int, int]) -> None:
    """Raise TooCostly when decoding ``image`` (a JPEG's draft already asked for: it
    decodes at a fraction of its ``original`` size) takes more than MAX_DECODE_BYTES."""
    cost = decode_bytes(image, original)
    if cost > MAX_DECODE_BYTES:
        width, height = original
        raise TooCostly(
            f"an image of {width} by {height} pixels: {cost / MB:.0f} MB to decode, "
            f"more than {MAX_DECODE_BYTES // MB} MB"
        )


def decode_bytes(image: Image.Image, original: tuple[int, int]) -> int:
    """The memory decoding ``image`` and making it RGB takes, at the size it decodes to."""
    per_pixel = _bytes_per_pixel(image.mode)
    if image.mode not in SCALED_AS_IS:
        per_pixel += 4
    cost = image.width * image.height * per_pixel + 8 * image.height  # a pointer per line
    if image.format == "JPEG" and image.info.get("progressive"):
        cost += _coefficient_bytes(getattr(image, "layer", None) or [], *original)
    return cost


def jpeg_scans(data: bytes, limit: int) -> int:
    """The scans (SOS markers) of a JPEG, counted up to ``limit + 1``. The bytes 0xFF 0xDA
    seldom occur but as a marker (the entropy-coded data stuffs each 0xFF with 0x00), so
    when they are few that is the answer; otherwise the markers are walked, segments
    skipped by their length, as libjpeg's jdmarker.c reads them."""
    if data.count(b"\xff\xda") <= limit:
        return data.count(b"\xff\xda")
    scans = 0
    position = 2  # after SOI
    end = len(data)
    while scans <= limit:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= end:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
        elif marker in (0x00, 0x01) or 0xD0 <= marker <= 0xD8:  # stuffed, TEM, RSTn, SOI
            position += 2
        elif marker == 0xD9:  # EOI
            break
        else:
            if marker == 0xDA:
                scans += 1
            if position + 4 > end:
                break
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return scans


def _bytes_per_pixel(mode: str) -> int:
    if mode in ("1", "L", "P"):
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4


def _coefficient_bytes(layers: list[tuple[int, int, int, int]], width: int, height: int) -> int:
    """libjpeg's whole-image coefficient buffer of a progressive JPEG (jdcoefct.c): per
    component, its blocks at its sampling, 64 coefficients of 2 bytes a block, whatever
    the scale it is decoded at. ``layers`` as Pillow reads the frame: (id, horizontal,
    vertical sampling, table); three components unsampled when unknown."""
    factors = [(max(h, 1), max(v, 1)) for _, h, v, _ in layers] or [(1, 1)] * 3
    h_max = max(h for h, _ in factors)
    v_max = max(v for _, v in factors)
    blocks = 0
    for h, v in factors:
        # Rounded up to whole MCUs: the buffer's rows and columns are padded to them.
        across = math.ceil(math.ceil(width * h / h_max) / (8 * h)) * h
        down = math.ceil(math.ceil(height * v / v_max) / (8 * v)) * v
        blocks += across * down
    return blocks * 128
