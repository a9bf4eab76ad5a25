"""The badges drawn on a poster (issue 95), with Pillow, at the poster's own resolution:
a column of rounded word badges in one corner, each as tall as a share of the poster's
height, so that they read the same on a phone's grid and a television. A full dub is
filled, a partial one ("semi") is filled in another colour and marked with a
half-filled circle (a drawn mark: no font's glyph to miss, no word to translate), the original
and the subtitles each their own colour; white words with a white edge, so a badge
stands out on a dark poster and a light one alike.

A poster is somebody else's file: its size and its decode cost are checked from its
header before a pixel is decoded (scanner.artwork.image_bounds: a 40 MP poster, a JPEG
of thousands of scans or a PNG bomb is refused, never decoded), its orientation applied,
and it is written back in its own format (JPEG, PNG or WebP) and colour profile. The
same poster and badges give the same bytes (Pillow's encoders are deterministic): the
act can tell its own poster from one the user or the server put there since."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from scanner.arr.covers import COVER_MAX_BYTES
from scanner.artwork.image_bounds import TooCostly, check_decode_cost, check_header
from scanner.badges.flags import RATIO, draw_flag, has_flag
from scanner.badges.says import DUB, ORIGINAL, SEMI, SUB, Badge

CORNERS: Final = ("top-left", "top-right", "bottom-left", "bottom-right")
LOOKS: Final = ("words", "flags")  # a flag beside the word, where the target has one
FORMATS: Final = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
# A badge's height as a share of the poster's: 6 % of a 1500-pixel poster is 90 pixels,
# of the 300-pixel thumbnail a phone's grid shows about 18, still a readable word.
SIZES: Final = {"small": 0.045, "medium": 0.06, "large": 0.08}
FILLS: Final = {
    DUB: (27, 94, 32, 235),  # dark green: white words at a contrast above 7:1
    SEMI: (138, 80, 0, 235),  # dark amber, above 5:1
    ORIGINAL: (38, 50, 56, 235),  # slate
    SUB: (13, 71, 161, 235),  # dark blue
}
WHITE: Final = (255, 255, 255, 255)
EDGE: Final = (255, 255, 255, 200)
JPEG_QUALITY: Final = 92


def style_of(corner: object, size: object, look: object = "words") -> Style:
    """The look an instance's options say (its badges' corner, size and look); the
    default for a value the drawing does not know (never an error: stored values are not
    trusted)."""
    return Style(
        str(corner) if corner in CORNERS else "top-left",
        str(size) if size in SIZES else "medium",
        str(look) if look in LOOKS else "words",
    )


class PosterRefused(ValueError):
    """The poster cannot be drawn on; the reason in English, for the logs and the
    journal's detail."""


@dataclass(frozen=True, slots=True)
class Style:
    """How the badges look: the corner, the size (SIZES' names)."""

    corner: str = "top-left"
    size: str = "medium"
    look: str = "words"

    def __post_init__(self) -> None:
        if self.corner not in CORNERS or self.size not in SIZES or self.look not in LOOKS:
            raise ValueError(f"no such style: {self.corner}, {self.size}, {self.look}")


def draw(poster: bytes, badges: Sequence[Badge], style: Style = Style()) -> bytes:
    """``poster`` with ``badges`` drawn on it, in its own format and size. Raises
    PosterRefused for a poster too large, too costly to decode, or unreadable."""
    if len(poster) > COVER_MAX_BYTES:
        raise PosterRefused(f"a poster of {len(poster)} bytes, more than {COVER_MAX_BYTES}")
    try:
        with warnings.catch_warnings():  # Pillow's own bomb guard, an error here too
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(poster))
        kind = FORMATS.get(str(image.format))
        if kind is None:
            raise PosterRefused(f"a poster in {image.format or 'an unknown format'}")
        check_header(image, poster)
        check_decode_cost(image, image.size)
        image.load()
        upright = ImageOps.exif_transpose(image)
    except TooCostly as exc:
        raise PosterRefused(str(exc)) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PosterRefused(f"an image of too many pixels: {exc}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PosterRefused(f"an unreadable poster: {exc}") from exc
    icc = image.info.get("icc_profile")
    mode = "RGB" if kind == "JPEG" or not _has_alpha(upright) else "RGBA"
    canvas = upright if upright.mode == mode else upright.convert(mode)
    _badges(canvas, badges, style)
    out = io.BytesIO()
    if kind == "JPEG":
        canvas.save(out, "JPEG", quality=JPEG_QUALITY, icc_profile=icc)
    elif kind == "PNG":
        canvas.save(out, "PNG", icc_profile=icc)
    else:
        canvas.save(out, "WEBP", quality=JPEG_QUALITY, icc_profile=icc)
    return out.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    """Whether the poster has transparency to keep (an alpha band, or a palette's)."""
    return "A" in image.getbands() or "transparency" in image.info


@dataclass(frozen=True, slots=True)
class _Placed:
    badge: Badge
    box: tuple[int, int, int, int]
    words: int  # the word's width
    flag: int  # the flag's width and its gap (0: none)


def _badges(canvas: Image.Image, badges: Sequence[Badge], style: Style) -> None:
    """The badges drawn on ``canvas`` (RGB or RGBA), in place: laid out first, then drawn
    on a transparent layer the size of their column only and blended into that part of
    the poster (the rest of the poster is never converted nor blended: a poster's
    decoding and encoding are then most of a drawing's cost)."""
    width, height = canvas.size
    tall = max(12, round(height * SIZES[style.size]))
    font = ImageFont.load_default(size=max(8, round(tall * 0.6)))
    pad, gap, edge = round(tall * 0.35), max(2, round(tall * 0.18)), max(1, round(tall * 0.04))
    mark = round(tall * 0.42) if any(badge.kind == SEMI for badge in badges) else 0
    flag_tall = round(tall * 0.56)
    placed = _layout(canvas.size, badges, style, font, tall, pad, gap, mark, flag_tall)
    if not placed:
        return
    left = max(0, min(p.box[0] for p in placed) - edge)
    top = max(0, min(p.box[1] for p in placed) - edge)
    right = min(width, max(p.box[2] for p in placed) + edge + 1)
    bottom = min(height, max(p.box[3] for p in placed) + edge + 1)
    overlay = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    pen = ImageDraw.Draw(overlay)
    for each in placed:
        x, y = each.box[0] - left, each.box[1] - top
        box = (x, y, x + each.box[2] - each.box[0], y + tall)
        badge = each.badge
        pen.rounded_rectangle(box, radius=round(tall * 0.25), fill=FILLS[badge.kind],
                              outline=EDGE, width=edge)  # fmt: skip
        if each.flag:  # the flag first, then the word: a flag never stands alone
            up = y + (tall - flag_tall) / 2
            draw_flag(pen, (x + pad, up, x + pad + flag_tall * RATIO, up + flag_tall), badge.code)
        pen.text((x + pad + each.flag + each.words / 2, y + tall / 2), badge.text, font=font,
                 fill=WHITE, anchor="mm")  # fmt: skip
        if badge.kind == SEMI:  # a half-filled circle after the word: "part of it"
            cx, cy = box[2] - pad - mark / 2, y + tall / 2
            circle = (cx - mark / 2, cy - mark / 2, cx + mark / 2, cy + mark / 2)
            pen.ellipse(circle, outline=WHITE, width=max(1, edge))
            pen.pieslice(circle, 90, 270, fill=WHITE)
    region = canvas.crop((left, top, right, bottom)).convert("RGBA")
    region.alpha_composite(overlay)
    canvas.paste(region if canvas.mode == "RGBA" else region.convert(canvas.mode), (left, top))


def _layout(
    size: tuple[int, int],
    badges: Sequence[Badge],
    style: Style,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    tall: int,
    pad: int,
    gap: int,
    mark: int,
    flag_tall: int,
) -> list[_Placed]:
    """Where each badge stands: a column in the style's corner, as many as fit."""
    width, height = size
    margin = max(4, round(min(width, height) * 0.03))
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    right = style.corner.endswith("right")
    bottom = style.corner.startswith("bottom")
    y = height - margin - tall if bottom else margin
    placed = []
    for badge in badges:
        left, _top, text_right, _bottom = measure.textbbox((0, 0), badge.text, font=font)
        words = round(text_right - left)
        flagged = style.look == "flags" and has_flag(badge.code)
        flag = round(flag_tall * RATIO) + pad // 2 if flagged else 0
        marked = mark + pad // 2 if badge.kind == SEMI else 0
        wide = min(width - 2 * margin, flag + words + 2 * pad + marked)
        x = width - margin - wide if right else margin
        placed.append(_Placed(badge, (x, y, x + wide, y + tall), words, flag))
        y = y - tall - gap if bottom else y + tall + gap
        if y < margin or y + tall > height - margin:
            break  # the poster is full: the rest would cover its title
    return placed
