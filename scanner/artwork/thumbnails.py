"""An image from another program made into Taggarr's own small JPEG (Pillow): what is
stored and served is always an image Taggarr encoded, never the bytes it was sent."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

# The box each kind is scaled into: a poster 250 high (the size of the *arr's
# poster-250.jpg), fanart 360 (fanart-360.jpg); never scaled up.
BOXES: dict[str, tuple[int, int]] = {"poster": (400, 250), "fanart": (640, 360)}
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# A poster is well under a megapixel; anything past this is refused before decoding.
MAX_PIXELS = 25_000_000
QUALITY = 80


class NotAnImage(ValueError):
    """The bytes are no image Taggarr reads (or one too large to decode)."""


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    width: int
    height: int
    digest: str
    content_type: str = "image/jpeg"


def thumbnail(data: bytes, kind: str) -> Thumbnail:
    """``data`` decoded, scaled into the kind's box and encoded as a JPEG."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise NotAnImage(f"an image of {image.width} by {image.height} pixels")
                image.draft("RGB", BOXES[kind])  # JPEG: decode at a fraction of the size
                scaled = image.convert("RGB")
    except NotAnImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotAnImage("not an image (JPEG, PNG, GIF or WebP)") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise NotAnImage(f"an image that cannot be read ({exc})") from None
    scaled.thumbnail(BOXES[kind])
    out = io.BytesIO()
    scaled.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    encoded = out.getvalue()
    return Thumbnail(
        data=encoded,
        width=scaled.width,
        height=scaled.height,
        digest=hashlib.sha256(encoded).hexdigest(),
    )
