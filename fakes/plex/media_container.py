"""The XML answers of the fake Plex: ``MediaContainer`` documents shaped like Plex Media
Server's (the attributes python-plexapi reads, and the ones it needs to not reload an
item), and Plex's HTML error pages."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree.ElementTree import Element, SubElement, tostring

from fakes.http import Response
from fakes.plex.state import PlexEpisode, PlexItem, PlexSection
from fakes.plex.streams import FakePart
from fakes.plex.streams_xml import Selection, media_elements

XML = "text/xml;charset=utf-8"
_ITEM_TAG = {"movie": "Video", "show": "Directory"}


def xml_answer(container: Element) -> Response:
    return Response(200, b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(container), XML)


def error_answer(status: int, title: str) -> Response:
    head = f"<head><title>{title}</title></head>"
    body = f"<html>{head}<body><h1>{status} {title}</h1></body></html>"
    return Response(status, body.encode(), "text/html")


def library_container(section: PlexSection | None, size: int, **attrs: str) -> Element:
    container = Element(
        "MediaContainer",
        {
            "size": str(size),
            "allowSync": "1",
            "identifier": "com.plexapp.plugins.library",
            "mediaTagPrefix": "/system/bundle/media/flags/",
            **attrs,
        },
    )
    if section is not None:
        container.set("librarySectionID", section.key)
        container.set("librarySectionTitle", section.title)
        container.set("librarySectionUUID", f"fake-section-{section.key}")
    return container


def item_element(
    parent: Element,
    section: PlexSection,
    item: PlexItem,
    *,
    guids: bool,
    location: bool,
    full: bool = False,
    parts: Sequence[FakePart] = (),
    selection: Selection | None = None,
    thumb: str | None = None,
    thumb_locked: bool = False,
) -> Element:
    """``parts``: the movie's files with streams (streams.py), their streams shown as
    ``selection`` gives them (an item's metadata); none: one part of ``item.path``.
    ``thumb``: the selected poster's ``/library/metadata/{id}/thumb/{n}`` (posters.py),
    whose number is also the item's ``updatedAt`` (*inferred*: Plex's thumb number is
    the time the poster changed); ``thumb_locked``: a ``Field name="thumb"`` in full."""
    key = f"/library/metadata/{item.rating_key}"
    element = SubElement(
        parent,
        _ITEM_TAG.get(section.type, "Directory"),
        ratingKey=str(item.rating_key),
        key=f"{key}/children" if section.type == "show" else key,
        guid=item.agent_guid or f"plex://{section.type}/{item.rating_key:024x}",
        type=section.type,
        title=item.title,
        librarySectionID=section.key,
        librarySectionTitle=section.title,
        librarySectionKey=f"/library/sections/{section.key}",
        addedAt="1600000000",
        updatedAt="1700000000",
    )
    if thumb is not None:
        element.set("thumb", thumb)
        element.set("updatedAt", max(thumb.rsplit("/", 1)[-1], "1700000000", key=int))
    if item.year is not None:
        element.set("year", str(item.year))
    if section.type == "show":  # plexapi reloads a show without them
        element.set("childCount", "1")
        element.set("leafCount", "1")
        element.set("viewedLeafCount", "0")
    if full:
        element.set("summary", f"{item.title}, as the fake tells it.")
    if section.type == "movie" and parts:
        media_elements(element, parts, selection)
    elif section.type == "movie":
        media = SubElement(element, "Media", id=str(item.rating_key * 10), container="mkv")
        SubElement(
            media,
            "Part",
            id=str(item.rating_key * 10),
            key=f"/library/parts/{item.rating_key * 10}/1600000000/file.mkv",
            file=item.path,
            container="mkv",
        )
    SubElement(element, "Genre", {"tag": "Drama"})  # a "tag" attribute, not the name
    for label in item.labels:
        SubElement(element, "Label", {"tag": label})
    if guids and item.agent_guid is None:
        for guid in item.guids:
            SubElement(element, "Guid", id=guid)
    if location and section.type == "show":
        SubElement(element, "Location", path=item.path)
    if full:
        SubElement(element, "Field", locked="1", name="label")
    if full and thumb_locked:
        SubElement(element, "Field", locked="1", name="thumb")
    return element


def episode_element(
    parent: Element,
    section: PlexSection,
    show: PlexItem,
    episode: PlexEpisode,
    parts: Sequence[FakePart] = (),
    selection: Selection | None = None,
) -> Element:
    """An episode as ``/library/metadata/{show}/allLeaves`` lists it (the attributes
    plexapi's ``Episode`` reads to name it and its show), with its parts; their streams
    as ``selection`` gives them (an episode's metadata)."""
    key = f"/library/metadata/{episode.rating_key}"
    element = SubElement(
        parent,
        "Video",
        ratingKey=str(episode.rating_key),
        key=key,
        type="episode",
        title=episode.title,
        index=str(episode.index),
        parentIndex=str(episode.season),
        grandparentRatingKey=str(show.rating_key),
        grandparentKey=f"/library/metadata/{show.rating_key}",
        grandparentTitle=show.title,
        librarySectionID=section.key,
        addedAt="1600000000",
    )
    media_elements(element, parts, selection)
    return element
