"""Where things are in an NFO's text: expat finds the root and its children, by offset.

nfo.py edits the text at these offsets and never re-serialises the XML, so
everything it does not touch stays byte for byte. The text is decoded with the
file's own encoding (its byte order mark, else the declaration, else UTF-8) and must encode
back to the same bytes; expat then reads a UTF-8 copy and its byte offsets
are turned into character offsets.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from scanner.errors import NfoError

_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class NfoElement:
    name: str
    start: int  # offset of "<" in the document text
    end: int  # offset just after the element
    text: str  # its own character data


@dataclass(frozen=True, slots=True)
class NfoDocument:
    text: str
    codec: str
    bom: bytes
    root: NfoElement
    root_close: int  # offset of "</root>", or of "/>" when the root is empty
    root_empty: bool
    children: tuple[NfoElement, ...]  # direct children of the root


class _Collector:
    """expat callbacks recording where the root and its direct children start and end."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.depth = 0
        self.root: tuple[str, int] | None = None
        self.root_end: int | None = None
        self.children: list[tuple[str, int, int, str]] = []
        self._child: tuple[str, int] | None = None
        self._text: list[str] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            self.root = (name, self.parser.CurrentByteIndex)
        elif self.depth == 2:
            self._child = (name, self.parser.CurrentByteIndex)
            self._text = []

    def characters(self, data: str) -> None:
        if self.depth == 2:
            self._text.append(data)

    def end(self, name: str) -> None:
        # For <a>..</a> the index is at "</a>"; for an empty <a/> it is just after it.
        if self.depth == 2 and self._child is not None:
            child_name, start = self._child
            self.children.append(
                (child_name, start, self.parser.CurrentByteIndex, "".join(self._text))
            )
        elif self.depth == 1:
            self.root_end = self.parser.CurrentByteIndex
        self.depth -= 1


def _forbid_entities(*_: object) -> None:
    # Entity declarations are how XML bombs and external-file reads start; no NFO needs one.
    raise NfoError("", "entity declarations are not allowed")


def parse_nfo(data: bytes, path: Path) -> NfoDocument:
    bom, codec = _encoding(data, path)
    try:
        text = data[len(bom) :].decode(codec)
    except UnicodeDecodeError as error:
        raise NfoError(str(path), f"not valid {codec} text: {error.reason}") from error
    if bom + text.encode(codec) != data:
        raise NfoError(str(path), f"{codec} text that would not be written back unchanged")
    utf8 = text.encode("utf-8")
    # The override makes expat read our UTF-8 whatever the declaration says.
    parser = expat.ParserCreate(encoding="UTF-8")
    collector = _Collector(parser)
    parser.StartElementHandler = collector.start
    parser.EndElementHandler = collector.end
    parser.CharacterDataHandler = collector.characters
    parser.EntityDeclHandler = _forbid_entities
    try:
        parser.Parse(utf8, True)
    except expat.ExpatError as error:
        # Anything after the root element closed is junk we keep as it is.
        if collector.root_end is None:
            raise NfoError(str(path), f"not well-formed XML: {error}") from error
    except NfoError as error:
        raise NfoError(str(path), error.reason) from None
    if collector.root is None or collector.root_end is None:
        raise NfoError(str(path), "no root element")
    offsets = _char_offsets(
        utf8,
        [collector.root[1], collector.root_end]
        + [offset for _, start, end, _ in collector.children for offset in (start, end)],
    )
    children = tuple(
        _element(text, name, offsets[start], offsets[end], content)
        for name, start, end, content in collector.children
    )
    root_name, root_start = collector.root
    root = _element(text, root_name, offsets[root_start], offsets[collector.root_end], "")
    root_empty = offsets[collector.root_end] == root.end and text[root.end - 2 : root.end] == "/>"
    return NfoDocument(
        text=text,
        codec=codec,
        bom=bom,
        root=root,
        root_close=root.end - 2 if root_empty else offsets[collector.root_end],
        root_empty=root_empty,
        children=children,
    )


def _encoding(data: bytes, path: Path) -> tuple[bytes, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return bom, codec
    declared = _DECLARED_ENCODING.match(data)
    if declared is None:
        return b"", "utf-8"
    try:
        return b"", codecs.lookup(declared.group(1).decode("ascii")).name
    except LookupError:
        raise NfoError(str(path), f"unknown encoding {declared.group(1)!r}") from None


def _char_offsets(utf8: bytes, byte_offsets: list[int]) -> dict[int, int]:
    """expat counts bytes of the UTF-8 text; edits need character offsets."""
    result: dict[int, int] = {}
    previous_byte, previous_char = 0, 0
    for offset in sorted(set(byte_offsets)):
        previous_char += len(utf8[previous_byte:offset].decode("utf-8"))
        previous_byte = offset
        result[offset] = previous_char
    return result


def _element(text: str, name: str, start: int, end_event: int, content: str) -> NfoElement:
    start_tag_end = _start_tag_end(text, start)
    if text[start_tag_end - 2 : start_tag_end] == "/>":
        return NfoElement(name, start, start_tag_end, content)
    return NfoElement(name, start, text.index(">", end_event) + 1, content)


def _start_tag_end(text: str, start: int) -> int:
    """Offset just after the ``>`` closing the start tag at ``start`` (quotes may hold ``>``)."""
    quote = ""
    for index in range(start + 1, len(text)):
        character = text[index]
        if quote:
            if character == quote:
                quote = ""
        elif character in "\"'":
            quote = character
        elif character == ">":
            return index + 1
    return len(text)
