"""An item's ``Media``/``Part``/``Stream`` elements as Plex writes them (streams.py):
the listings carry the parts (``file``), an item's metadata their streams too, with
``selected="1"`` on the audio and subtitle stream the requesting account plays."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.etree.ElementTree import Element, SubElement

from fakes.plex.streams import AUDIO, SUBTITLE, FakePart, FakeStream

__all__ = ["media_elements"]

Selection = Callable[[int], tuple[int | None, int]]  # part id -> (audio, subtitle or 0)


def media_elements(parent: Element, parts: Sequence[FakePart], selection: Selection | None) -> None:
    """One ``Media`` per part (a version each), its ``Part`` and, when ``selection`` is
    given (an item's metadata), the part's streams as that account sees them."""
    for part in parts:
        media = SubElement(parent, "Media", id=str(part.id), container="mkv")
        element = SubElement(
            media,
            "Part",
            id=str(part.id),
            key=f"/library/parts/{part.id}/1600000000/file.mkv",
            file=part.file,
            container="mkv",
        )
        if selection is None:
            continue
        audio, subtitle = selection(part.id)
        for stream in part.streams:
            _stream_element(element, stream, stream.id in (audio, subtitle))


def _stream_element(part: Element, stream: FakeStream, selected: bool) -> None:
    attributes = {
        "id": str(stream.id),
        "streamType": str(stream.stream_type),
        "codec": stream.codec,
        "displayTitle": stream.display_title or _display_title(stream),
        "extendedDisplayTitle": stream.display_title or _display_title(stream),
    }
    if stream.index >= 0 and not stream.external:
        attributes["index"] = str(stream.index)
    if stream.external:
        attributes["key"] = f"/library/streams/{stream.id}"
    for name, value in (
        ("language", stream.language),
        ("languageCode", stream.language_code),
        ("languageTag", stream.language_tag),
        ("title", stream.title),
    ):
        if value:
            attributes[name] = value
    for name, flag in (
        ("default", stream.default),
        ("forced", stream.forced),
        ("hearingImpaired", stream.hearing_impaired),
        ("visualImpaired", stream.visual_impaired),
        ("selected", selected and stream.stream_type in (AUDIO, SUBTITLE)),
    ):
        if flag:
            attributes[name] = "1"
    if stream.channels is not None:
        attributes["channels"] = str(stream.channels)
    if stream.stream_type == SUBTITLE:
        attributes["format"] = stream.codec
    SubElement(part, "Stream", attributes)


def _display_title(stream: FakeStream) -> str:
    """Plex's "Français (AC3 5.1)" / "Unknown (SRT External)" form, roughly."""
    name = stream.language or "Unknown"
    detail = stream.codec.upper() + (" External" if stream.external else "")
    return f"{stream.title} ({name} {detail})" if stream.title else f"{name} ({detail})"
