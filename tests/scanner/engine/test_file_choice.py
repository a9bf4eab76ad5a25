"""The decision of which track plays from a file as Taggarr stores it
(scanner.engine.file_choice): the dry run and the step that sets each person's track in
Plex both take it, so it reads the stored tracks as the verdict judges them and the
item's original language with a person's override first."""

from __future__ import annotations

from scanner.engine.file_choice import file_choice, judged_tracks, stored_tracks
from scanner.engine.listener import make_listener
from scanner.engine.track_choice import ChoiceOutcome, choose_tracks
from scanner.engine.tracks import make_subtitle, make_track

AUDIO = [make_track(1, "eng", None, default=True).to_dict(), make_track(2, "fre", None).to_dict()]
SUBTITLES = [make_subtitle(1, "fre", None).to_dict()]
LEA = make_listener("Léa", ("fr",), {"series": "dub", "movie": "original"}, {7: "original"})


def test_the_stored_tracks_read_back() -> None:
    tracks = stored_tracks(AUDIO, SUBTITLES)
    assert [track.position for track in tracks.audio] == [1, 2]
    assert [track.position for track in tracks.subtitles] == [1]
    assert stored_tracks(None, None).audio == ()


def test_a_dub_is_the_persons_language() -> None:
    tracks = judged_tracks(AUDIO, SUBTITLES, settled=None, lat_is_latino=False)
    choice = file_choice(LEA, tracks, kind="series", media_id=1, original="eng", override="")
    assert choice.outcome == ChoiceOutcome.LANGUAGE
    assert choice.audio == 2


def test_the_items_own_want_and_the_override_come_first() -> None:
    tracks = judged_tracks(AUDIO, SUBTITLES, settled={}, lat_is_latino=False)
    chosen = file_choice(LEA, tracks, kind="series", media_id=7, original="fra", override="eng")
    assert chosen == choose_tracks(("fr",), "original", "eng", tracks)
    assert chosen.audio == 1
    unknown = file_choice(LEA, tracks, kind="movie", media_id=None, original=None, override=None)
    assert unknown == choose_tracks(("fr",), "original", None, tracks)
