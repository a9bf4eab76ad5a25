"""Listening's answers, combined and applied (scanner/engine/heard.py, listened.py): tables."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scanner.engine.heard import Heard, combine, sample_starts
from scanner.engine.listened import listened, listening_notes, wants_listening
from scanner.engine.tracks import AudioTrack, make_track

GERMAN = Heard("deu", 0.94, (("deu", 0.94), ("eng", 0.02)))
UNSURE = Heard(None, 0.4, (("deu", 0.4), ("nld", 0.3)), "no clear speech: music, noise or silence?")


@pytest.mark.parametrize(
    ("samples", "language", "why"),
    [
        ([{"de": 0.9, "en": 0.05}, {"de": 0.96}], "deu", ""),
        ([{"de": 0.9}, {"de": 0.9}, {"fr": 0.9}], None, "the samples disagree: French, German"),
        ([{"de": 0.98}, {"fr": 0.6, "de": 0.3}], None, "the samples disagree: French, German"),
        ([{"en": 0.5, "la": 0.2}, {"en": 0.55}], None, "no clear speech: music, noise or silence?"),
        ([{}, {}], None, "nothing could be heard"),
    ],
)
def test_samples_combine_into_one_answer_or_unsure(samples, language, why) -> None:
    heard = combine(samples)
    assert (heard.language, heard.why) == (language, why)


def test_the_answer_says_the_language_and_its_share() -> None:
    assert GERMAN.said() == "German, identified by listening, 94 %"
    assert Heard.from_dict(GERMAN.to_dict()) == GERMAN


def test_samples_stay_away_from_the_start_and_a_short_track_is_cut_in_parts() -> None:
    assert sample_starts(2400, 3) == [(675.0, 30.0), (1815.0, 30.0), (1245.0, 30.0)]
    assert sample_starts(30, 3) == [(2.5, 10.0), (17.5, 10.0), (10.0, 10.0)]


@pytest.mark.parametrize(
    ("mode", "languages"),
    [("off", [None, "eng"]), ("unlabelled", ["deu", "eng"]), ("all", ["deu", "deu"])],
)
def test_what_was_heard_counts_as_the_mode_says(mode, languages) -> None:
    tracks = [
        _heard(make_track(1, None, None)),
        _heard(make_track(2, "eng", None)),
    ]
    assert [track.language for track in listened(tracks, mode)] == languages


def test_a_persons_language_wins_and_unsure_changes_nothing() -> None:
    tracks = [_heard(make_track(1, None, None)), _heard(make_track(2, None, None), UNSURE)]
    assert [t.language for t in listened(tracks, "all", "jpn")] == ["jpn", "jpn"]
    assert [t.language for t in listened(tracks, "all")] == ["deu", None]
    assert listening_notes(tracks, "unlabelled")[1].startswith("audio track 2: unsure by listening")


def test_commentary_and_heard_tracks_are_not_listened_to_again() -> None:
    assert wants_listening(make_track(1, None, None), "unlabelled")
    assert not wants_listening(make_track(1, "eng", None), "unlabelled")
    assert wants_listening(make_track(1, "eng", None), "all")
    assert not wants_listening(make_track(1, None, "Commentary"), "all")
    assert not wants_listening(_heard(make_track(1, None, None)), "all")
    assert not wants_listening(make_track(1, None, None), "off")


def _heard(track: AudioTrack, heard: Heard = GERMAN) -> AudioTrack:
    return replace(track, heard=heard)
