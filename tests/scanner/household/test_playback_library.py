"""The library's facts for a person's Jellyfin advice, read from the stored tracks of
one kind of item (scanner.household.playback_library): one streamed read whatever
the number of files, the tracks judged as the pages show them, the item's original
language (a person's override first) for those who want originals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scanner.engine.tracks import AudioTrack, make_track
from scanner.household.playback_advice import LibraryFacts, SharedCode
from scanner.household.playback_library import kind_facts
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory

pytestmark = pytest.mark.django_db


def _audio(tracks: Sequence[AudioTrack]) -> dict[str, Any]:
    return {"audio_tracks": [track.to_dict() for track in tracks]}


def test_one_streamed_read_and_the_facts_of_that_kind_only() -> None:
    tv, films = InstanceFactory(name="tv"), InstanceFactory(name="films", kind="radarr")
    cartoon = MediaFactory(instance=tv, title="Cartoon", original_language="eng")
    vf2 = (
        make_track(1, "eng", None, default=True), make_track(2, "fre", "VFF"),
        make_track(3, "fre", "VFQ"),
    )  # fmt: skip
    for number in range(5):
        MediaFileFactory(media=cartoon, path=f"C{number}.mkv", episodes=[number], **_audio(vf2))
    MediaFileFactory(media=cartoon, path="broken.mkv", result="error", **_audio(vf2))
    anime = MediaFactory(instance=tv, title="Anime", original_language="eng")
    anime.original_override = "jpn"  # a person's word: the original is Japanese
    anime.save()
    dual = (make_track(1, "fre", None, default=True), make_track(2, "jpn", None))
    MediaFileFactory(media=anime, path="A1.mkv", episodes=[1], **_audio(dual))
    film = MediaFactory(instance=films, kind="movie", title="Film", original_language="eng")
    MediaFileFactory(media=film, path="F.mkv", **_audio(vf2))
    with CaptureQueriesContext(connection) as queries:
        dub = kind_facts("series", ("fr-CA", "fra"), "dub")
    assert len(queries) == 1  # one query, its rows fetched a chunk at a time
    assert dub == LibraryFacts(
        wrong_default_files=5,  # the English is the default
        shared_codes=(SharedCode("fre", ("fr-CA", "fr-FR"), 5),),
    )
    original = kind_facts("series", ("fra",), "original")
    assert original.wrong_default_files == 1  # the anime's default is the French dub
    assert kind_facts("movie", ("fr-CA",), "dub").shared_codes[0].files == 1
