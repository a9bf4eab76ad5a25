"""Small real images for the artwork tests, made with Pillow."""

from __future__ import annotations

import io
import zlib

from PIL import Image


def jpeg(width: int, height: int, colour: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (200, 30, 30, 255)).save(out, "PNG")
    return out.getvalue()


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return image.size


# Hostile images (issue 59), crafted small: each costs far more to decode than its size.


def progressive_jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, "JPEG", progressive=True)
    return out.getvalue()


def many_scans_jpeg(width: int, height: int, scans: int, *, truncated: bool = False) -> bytes:
    """A progressive JPEG whose first scan is followed by ``scans`` more that hold no
    data: libjpeg goes over every block of the image at each one (an empty scan is a
    warning, not an error: "Two Issues with the JPEG Standard", libjpeg-turbo.org).
    ``truncated``: cut short, without its end marker."""
    data = progressive_jpeg(width, height)
    first = data.index(b"\xff\xda")
    header = data[first : first + 2 + int.from_bytes(data[first + 2 : first + 4], "big")]
    second = data.index(b"\xff\xda", first + 2)
    crafted = data[:second] + header * scans
    return crafted[: len(crafted) - 7] if truncated else crafted + b"\xff\xd9"


def png_of(width: int, height: int, *, mode: str = "1") -> bytes:
    """A PNG of ``width`` x ``height`` blank pixels written chunk by chunk (Pillow would
    allocate the image to save it): a few kilobytes for millions of pixels. ``mode``
    "1" (a bit a pixel, gray) or "RGBA"."""
    bit_depth, colour, row_bytes = (1, 0, (width + 7) // 8) if mode == "1" else (8, 6, 4 * width)
    header = (
        width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([bit_depth, colour, 0, 0, 0])
    )
    squeeze = zlib.compressobj(9)
    row = b"\x00" * (row_bytes + 1)  # filter type 0, then the row
    rows_at_once = max(1, (1 << 20) // len(row))
    parts = []
    for start in range(0, height, rows_at_once):
        parts.append(squeeze.compress(row * min(rows_at_once, height - start)))
    parts.append(squeeze.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body).to_bytes(4, "big")
    return len(body).to_bytes(4, "big") + kind + body + crc
