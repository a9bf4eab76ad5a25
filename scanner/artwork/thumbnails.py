"""An image from another program made into Taggarr's own small JPEG (Pillow): what is
stored and served is always an image Taggarr encoded, never the bytes it was sent."""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from scanner.artwork.image_bounds import (
    MAX_PIXELS,
    SCALED_AS_IS,
    TooCostly,
    check_decode_cost,
    check_header,
)

# The box each kind is scaled into: a poster 250 high (the size of the *arr's
# poster-250.jpg), fanart 360 (fanart-360.jpg); never scaled up.
BOXES: dict[str, tuple[int, int]] = {"poster": (400, 250), "fanart": (640, 360)}
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
QUALITY = 80
# One decode at a time in a process, whatever the threads fetching: its memory is one
# image's (scanner.artwork.image_bounds), not one per thread.
_decoding = threading.Lock()

__all__ = ["BOXES", "MAX_PIXELS", "NotAnImage", "Thumbnail", "thumbnail"]


class NotAnImage(ValueError):
    """The bytes are no image Taggarr reads (or one too costly to decode)."""


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    width: int
    height: int
    digest: str
    content_type: str = "image/jpeg"


def thumbnail(data: bytes, kind: str) -> Thumbnail:
    """``data`` decoded, scaled into the kind's box and encoded as a JPEG. Raises
    NotAnImage for anything else, whatever the decoder raised; an image too costly to
    decode (image_bounds) is refused from its header, before it is decoded."""
    box = BOXES[kind]
    try:
        with _decoding, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                original = image.size
                check_header(image, data)
                image.draft("RGB", box)  # JPEG: decode at a fraction of the size
                check_decode_cost(image, original)
                scaled = _scaled(image, box)
            out = io.BytesIO()
            scaled.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    except TooCostly as exc:
        raise NotAnImage(str(exc)) from None
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotAnImage("not an image (JPEG, PNG, GIF or WebP)") from None
    except MemoryError:
        raise NotAnImage("an image too large to decode") from None
    except Exception as exc:  # noqa: BLE001 - any decoder error is bytes that are no image
        raise NotAnImage(f"an image that cannot be read ({type(exc).__name__}: {exc})") from None
    encoded = out.getvalue()
    return Thumbnail(
        data=encoded,
        width=scaled.width,
        height=scaled.height,
        digest=hashlib.sha256(encoded).hexdigest(),
    )


def _scaled(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    """Decoded, scaled into ``box`` and made RGB: in its own mode when Pillow scales it
    as it is (no full-size copy), else made RGB first."""
    if image.mode not in SCALED_AS_IS:
        image = image.convert("RGB")
    image.thumbnail(box)
    return image.convert("RGB") if image.mode != "RGB" else image.copy()
