"""The dry run of each person's track (scanner.household.dry_run) over a small
library: a household of a Quebec child and a parent who wants originals with French
subtitles, over VF2, MULTi.VFQ, VFF-only and anime DUAL files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scanner.engine.file_varieties import with_file_varieties
from scanner.engine.listener import Listener
from scanner.engine.track_choice import ChoiceOutcome, Doubt
from scanner.engine.tracks import FileTracks, make_subtitle, make_track
from scanner.household.dry_run import OutcomeCount, outcome_page, person_tracks
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory

pytestmark = pytest.mark.django_db

CHILD = Listener("Léa", ("fr-CA", "fr"), {"series": "dub", "movie": "dub"})
PARENT = Listener("Marc", ("fr", "en"), {"series": "original-subtitled", "movie": "dub"})


def _tracks(name: str, audio: Sequence[Any], subtitles: Sequence[Any] = ()) -> dict[str, Any]:
    tracks = with_file_varieties(FileTracks(tuple(audio), tuple(subtitles)), name)
    return {
        "audio_tracks": [track.to_dict() for track in tracks.audio],
        "subtitle_tracks": [track.to_dict() for track in tracks.subtitles],
    }


def _library() -> dict[str, Any]:
    tv = InstanceFactory(name="tv")
    films = InstanceFactory(name="films", kind="radarr")
    anime = MediaFactory(instance=tv, title="Anime", original_language="jpn")
    dual = _tracks(
        "Anime.S01E01.DUAL.mkv",
        [make_track(1, "jpn", None, default=True), make_track(2, "eng", None)],
        [make_subtitle(1, "fre", "Full")],
    )
    for number in (1, 2, 3):  # a double episode in the first file
        episodes = [1, 2] if number == 1 else [number + 1]
        MediaFileFactory(media=anime, path=f"Anime {number}.mkv", episodes=episodes, **dual)
    cartoon = MediaFactory(instance=tv, title="Cartoon", original_language="eng")
    vfq = _tracks(
        "Cartoon.S01E01.MULTi.VFQ.mkv", [make_track(1, "eng", None), make_track(2, "fre", None)]
    )
    vf2 = _tracks(
        "Cartoon.S01E03.VF2.mkv", [make_track(1, "fre", None), make_track(2, "fre", None)]
    )
    MediaFileFactory(media=cartoon, path="C1.mkv", episodes=[1], **vfq)
    MediaFileFactory(media=cartoon, path="C2.mkv", episodes=[2], **vfq)
    MediaFileFactory(media=cartoon, path="C3.mkv", episodes=[3], **vf2)
    MediaFileFactory(media=cartoon, path="C4.mkv", episodes=[4], result="error")
    film = MediaFactory(instance=films, kind="movie", title="Film", original_language="eng")
    vff = _tracks("Film.2020.mkv", [make_track(1, "eng", None), make_track(2, "fre", "VFF")])
    MediaFileFactory(media=film, path="Film.mkv", **vff)
    return {"anime": anime, "cartoon": cartoon, "film": film}


def test_the_child_hears_the_vfq_and_is_told_the_rest() -> None:
    library = _library()
    report = person_tracks(CHILD)
    assert report.counts == (
        OutcomeCount("movie", ChoiceOutcome.OTHER_VARIETY, "fr-FR", 1),
        OutcomeCount("series", ChoiceOutcome.VARIETY, "fr-CA", 2),
        OutcomeCount("series", ChoiceOutcome.FALLBACK, "jpn", 4),  # no French dub: subtitles
        OutcomeCount("series", ChoiceOutcome.UNCERTAIN, "fr-CA", 1),  # VF2
    )
    (uncertain,) = report.items["series", ChoiceOutcome.UNCERTAIN]
    assert (uncertain.media_id, uncertain.doubt) == (library["cartoon"].pk, Doubt.RELEASE_SET)
    assert report.total("series", ChoiceOutcome.FALLBACK) == 4
    assert report.item_totals["series", ChoiceOutcome.VARIETY] == 1


def test_the_parent_and_an_item_of_their_own() -> None:
    library = _library()
    report = person_tracks(PARENT, instance_id=library["anime"].instance_id)
    assert report.counts == (
        OutcomeCount("series", ChoiceOutcome.ORIGINAL, "jpn", 4),
        OutcomeCount("series", ChoiceOutcome.ORIGINAL, "eng", 2),
        OutcomeCount("series", ChoiceOutcome.FALLBACK, "fra", 1),  # VF2: no English
    )
    dubbed = Listener(PARENT.name, PARENT.languages, PARENT.wants, {library["anime"].pk: "dub"})
    counts = person_tracks(dubbed, instance_id=library["anime"].instance_id).counts
    assert OutcomeCount("series", ChoiceOutcome.LANGUAGE, "eng", 4) in counts


def test_bounded_pages_and_one_query_per_chunk() -> None:
    _library()
    with CaptureQueriesContext(connection) as queries:
        report = person_tracks(CHILD, per_outcome=1)
    assert len(queries) == 1  # every file and its item's fields in one read
    assert all(len(items) <= 1 for items in report.items.values())
    page = outcome_page(CHILD, "series", ChoiceOutcome.VARIETY, offset=0, limit=5)
    assert [item.title for item in page] == ["Cartoon"]
    assert outcome_page(CHILD, "series", ChoiceOutcome.VARIETY, offset=1) == ()
