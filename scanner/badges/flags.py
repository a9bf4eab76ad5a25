"""Flags beside the badges' words, on request (issue 95): a flag names a country, not a
language, so a flag never replaces a word: VFQ keeps its word beside Quebec's flag, VFF
beside France's. Each flag is drawn with Pillow from plain shapes (bands, a cross, a
disc, a lozenge) in the proportions a poster's badge can show, a few dozen pixels tall:
no emblem, no star, no font's glyph (a font may lack them). A language that is spoken
in many countries with none of them its own (English, Arabic) has no flag: its badge is
its word alone.

Keyed by the tag labels' code of a target (scanner.engine.targets.label_code: ``fr-ca``,
``es-419``, ``de``). The varieties follow what the dubs' own audiences use: Latin
American Spanish (*Latino*), which no one country owns, gets Mexico's flag, the country
most *Latino* dubs are made in and the one its release groups show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PIL import ImageDraw

Box = tuple[float, float, float, float]  # left, top, right, bottom
Color = tuple[int, int, int]
Shape = Callable[[ImageDraw.ImageDraw, Box], None]


def _bands(colors: tuple[Color, ...], *, across: bool, weights: tuple[int, ...] = ()) -> Shape:
    """Bands of ``colors``, side by side (``across``: top to bottom), in ``weights``."""
    shares = weights or (1,) * len(colors)

    def shape(pen: ImageDraw.ImageDraw, box: Box) -> None:
        left, top, right, bottom = box
        span = (bottom - top) if across else (right - left)
        at = top if across else left
        for color, share in zip(colors, shares, strict=True):
            size = span * share / sum(shares)
            band = (left, at, right, at + size) if across else (at, top, at + size, bottom)
            pen.rectangle(band, fill=color)
            at += size

    return shape


def _with(*shapes: Shape) -> Shape:
    def shape(pen: ImageDraw.ImageDraw, box: Box) -> None:
        for each in shapes:
            each(pen, box)

    return shape


def _disc(color: Color, *, radius: float, x: float = 0.5) -> Shape:
    """A disc of ``radius`` (a share of the height), centred at ``x`` of the width."""

    def shape(pen: ImageDraw.ImageDraw, box: Box) -> None:
        left, top, right, bottom = box
        r = (bottom - top) * radius
        cx, cy = left + (right - left) * x, (top + bottom) / 2
        pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)

    return shape


def _cross(color: Color, *, width: float, x: float = 0.5) -> Shape:
    """A cross of arms ``width`` (a share of the height), its upright at ``x``."""

    def shape(pen: ImageDraw.ImageDraw, box: Box) -> None:
        left, top, right, bottom = box
        arm = (bottom - top) * width
        cx, cy = left + (right - left) * x, (top + bottom) / 2
        pen.rectangle((cx - arm / 2, top, cx + arm / 2, bottom), fill=color)
        pen.rectangle((left, cy - arm / 2, right, cy + arm / 2), fill=color)

    return shape


def _lozenge(color: Color, *, inset: float) -> Shape:
    def shape(pen: ImageDraw.ImageDraw, box: Box) -> None:
        left, top, right, bottom = box
        dx, dy = (right - left) * inset, (bottom - top) * inset
        cx, cy = (left + right) / 2, (top + bottom) / 2
        pen.polygon([(left + dx, cy), (cx, top + dy), (right - dx, cy), (cx, bottom - dy)],
                    fill=color)  # fmt: skip

    return shape


WHITE: Final = (255, 255, 255)
_FRANCE = _bands(((0, 85, 164), WHITE, (239, 65, 53)), across=False)
_SPAIN = _bands(((170, 21, 27), (241, 191, 0), (170, 21, 27)), across=True, weights=(1, 2, 1))
_PORTUGAL = _with(
    _bands(((0, 102, 0), (255, 0, 0)), across=False, weights=(2, 3)),
    _disc((255, 204, 0), radius=0.22, x=0.4),
)
FLAGS: Final[dict[str, Shape]] = {
    "fr": _FRANCE,
    "fr-fr": _FRANCE,
    "fr-ca": _with(_bands(((0, 61, 165),), across=True), _cross(WHITE, width=0.2)),  # Québec
    "es": _SPAIN,
    "es-es": _SPAIN,
    "es-419": _with(  # Mexico's, its emblem a disc
        _bands(((0, 104, 71), WHITE, (206, 17, 38)), across=False),
        _disc((140, 90, 43), radius=0.16),
    ),
    "es-mx": _with(
        _bands(((0, 104, 71), WHITE, (206, 17, 38)), across=False),
        _disc((140, 90, 43), radius=0.16),
    ),
    "pt": _PORTUGAL,
    "pt-pt": _PORTUGAL,
    "pt-br": _with(
        _bands(((0, 156, 59),), across=True),
        _lozenge((255, 223, 0), inset=0.1),
        _disc((0, 39, 118), radius=0.24),
    ),
    "de": _bands(((0, 0, 0), (221, 0, 0), (255, 206, 0)), across=True),
    "it": _bands(((0, 146, 70), WHITE, (206, 43, 55)), across=False),
    "nl": _bands(((174, 28, 40), WHITE, (33, 70, 139)), across=True),
    "pl": _bands((WHITE, (220, 20, 60)), across=True),
    "ja": _with(_bands((WHITE,), across=True), _disc((188, 0, 45), radius=0.3)),
    "ru": _bands((WHITE, (0, 57, 166), (213, 43, 30)), across=True),
    "uk": _bands(((0, 87, 183), (255, 215, 0)), across=True),
    "sv": _with(_bands(((0, 106, 167),), across=True), _cross((254, 204, 0), width=0.2, x=0.38)),
    "da": _with(_bands(((200, 16, 46),), across=True), _cross(WHITE, width=0.2, x=0.38)),
    "fi": _with(_bands((WHITE,), across=True), _cross((0, 47, 108), width=0.25, x=0.38)),
    "cs": _with(
        _bands((WHITE, (215, 20, 26)), across=True),
        lambda pen, box: pen.polygon(
            [(box[0], box[1]), ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), (box[0], box[3])],
            fill=(17, 69, 126),
        ),
    ),
    "hu": _bands(((206, 41, 57), WHITE, (71, 112, 80)), across=True),
    "tr": _with(_bands(((227, 10, 23),), across=True), _disc(WHITE, radius=0.25, x=0.4)),
}
RATIO: Final = 1.5  # a flag's width to its height, as most of these are drawn


def has_flag(code: str) -> bool:
    return code.lower() in FLAGS


def draw_flag(pen: ImageDraw.ImageDraw, box: Box, code: str) -> None:
    """The flag of ``code`` in ``box``, edged so that it stands out on any badge."""
    FLAGS[code.lower()](pen, box)
    pen.rectangle(box, outline=(255, 255, 255, 220), width=max(1, round((box[3] - box[1]) / 16)))
