"""Which tracks a household keeps (scanner.engine.keep_tracks): what the persons' choices
pick, the original, each target's dub, the subtitles they read, and whatever may be
wanted, said why."""

from __future__ import annotations

from dataclasses import replace

from scanner.engine.heard import Heard
from scanner.engine.keep_tracks import Household, Reason, Role, keep_tracks
from scanner.engine.listener import DUB, ORIGINAL_SUBTITLED, make_listener
from scanner.engine.tracks import FileTracks, make_subtitle, make_track

QUEBEC = make_listener("Léa", ["fr-CA", "fra"], {"series": DUB, "movie": DUB}, {})


def _kept(tracks: FileTracks, household: Household, original: str | None = "eng", **given):
    found = keep_tracks(tracks, household, original=original, kind="movie", media_id=1, **given)
    return {(t.kind, t.position): (t.keep, t.role, t.reason) for t in found}


def test_a_quebec_household_keeps_the_original_the_vfq_and_what_it_reads() -> None:
    tracks = FileTracks(
        (
            make_track(1, "eng", None, default=True),
            make_track(2, "fre", "VFF"),
            make_track(3, "fre", "VFQ"),
            make_track(4, "eng", "Director's Commentary"),
            make_track(5, "ger", None),
            make_track(6, "eng", "Audio Description"),
        ),
        (
            make_subtitle(1, "eng"),
            make_subtitle(2, "fre"),
            make_subtitle(3, "fre", "Forced", forced=True),
            make_subtitle(4, "ger"),
            make_subtitle(5, "eng", "Signs & Songs"),
            make_subtitle(6, None),
        ),
    )
    kept = _kept(tracks, Household((QUEBEC,), ("fr-CA",), ("fr-CA",)))
    assert kept == {
        ("audio", 1): (True, Role.ORIGINAL, Reason.ORIGINAL),
        ("audio", 2): (False, Role.DUB, Reason.NOT_CHOSEN),
        ("audio", 3): (True, Role.DUB, Reason.CHOSEN),
        ("audio", 4): (False, Role.COMMENTARY, Reason.COMMENTARY),
        ("audio", 5): (False, Role.DUB, Reason.OTHER_LANGUAGE),
        ("audio", 6): (False, Role.AUDIO_DESCRIPTION, Reason.AUDIO_DESCRIPTION),
        ("subtitle", 1): (False, Role.SUBTITLE, Reason.OTHER_LANGUAGE),
        ("subtitle", 2): (True, Role.SUBTITLE, Reason.SUBTITLE_LANGUAGE),
        ("subtitle", 3): (True, Role.FORCED, Reason.CHOSEN),  # the VFQ's foreign parts
        ("subtitle", 4): (False, Role.SUBTITLE, Reason.OTHER_LANGUAGE),
        ("subtitle", 5): (True, Role.FORCED, Reason.FORCED_OF_KEPT),  # the original's
        ("subtitle", 6): (True, Role.UNKNOWN, Reason.UNLABELLED),
    }


def test_a_person_watching_the_original_keeps_their_subtitle() -> None:
    dane = make_listener("Dane", ["dan"], {"movie": ORIGINAL_SUBTITLED}, {})
    tracks = FileTracks(
        (make_track(1, "jpn", None), make_track(2, "eng", None)),
        (make_subtitle(1, "eng"), make_subtitle(2, "dan")),
    )
    kept = _kept(tracks, Household((dane,), (), ("dan",)), original="jpn")
    assert kept[("audio", 1)] == (True, Role.ORIGINAL, Reason.CHOSEN)
    assert kept[("audio", 2)] == (False, Role.DUB, Reason.OTHER_LANGUAGE)
    assert kept[("subtitle", 2)] == (True, Role.SUBTITLE, Reason.CHOSEN)
    assert kept[("subtitle", 1)][0] is False


def test_a_target_keeps_its_dub_and_another_copy_of_that_voice() -> None:
    """A German 5.1 and its stereo copy: Taggarr cannot tell which one a player needs."""
    tracks = FileTracks(
        (
            make_track(1, "eng", None),
            make_track(2, "ger", "5.1", default=True),
            make_track(3, "ger", "Stereo"),
            make_track(4, "ita", None),
        )
    )
    kept = _kept(tracks, Household((), ("deu",), ("deu",)))
    assert kept[("audio", 2)] == (True, Role.DUB, Reason.TARGET)
    assert kept[("audio", 3)] == (True, Role.DUB, Reason.SAME_VOICE)
    assert kept[("audio", 4)] == (False, Role.DUB, Reason.OTHER_LANGUAGE)


def test_what_may_be_wanted_is_kept() -> None:
    """Two French tracks of unknown variety for a Quebec household: the choice is
    uncertain, and neither is known not to be the VFQ; a track without a language may be
    anything; one heard as another language than its label may be either."""
    tracks = FileTracks(
        (
            make_track(1, "eng", None),
            make_track(2, "fre", None),
            make_track(3, "fre", None),
            make_track(4, None, None),
            make_track(5, "ger", None),
        )
    )
    heard = replace(tracks.audio[4], heard=Heard("spa", 0.97, (("spa", 0.97),)))
    tracks = FileTracks((*tracks.audio[:4], heard))
    kept = _kept(tracks, Household((QUEBEC,), ("fr-CA",), ("fr-CA",)))
    assert kept[("audio", 2)] == (True, Role.DUB, Reason.UNCERTAIN)
    assert kept[("audio", 3)] == (True, Role.DUB, Reason.UNCERTAIN)
    assert kept[("audio", 4)] == (True, Role.UNKNOWN, Reason.UNLABELLED)
    assert kept[("audio", 5)] == (True, Role.DUB, Reason.MISLABELLED)
    only_target = _kept(tracks, Household((), ("fr-CA",), ("fr-CA",)))
    assert only_target[("audio", 2)] == (True, Role.DUB, Reason.VARIETY_UNKNOWN)


def test_an_unknown_original_keeps_every_programme_track() -> None:
    tracks = FileTracks((make_track(1, "eng", None), make_track(2, "kor", None)))
    kept = _kept(tracks, Household((), ("deu",), ("deu",)), original=None)
    assert kept == {
        ("audio", 1): (True, Role.UNKNOWN, Reason.ORIGINAL_UNKNOWN),
        ("audio", 2): (True, Role.UNKNOWN, Reason.ORIGINAL_UNKNOWN),
    }


def test_the_arrs_media_info_keeps_everything() -> None:
    """Its positions put untagged streams first (engine.arr_tracks): not the file's."""
    tracks = FileTracks((make_track(1, None, None), make_track(2, "ger", None)))
    kept = _kept(tracks, Household((QUEBEC,), ("fr-CA",), ()), read_from_file=False)
    assert {reason for _, _, reason in kept.values()} == {Reason.NOT_READ}
    assert all(keep for keep, _, _ in kept.values())


def test_sidecar_subtitles_are_not_the_files_tracks() -> None:
    sidecar = replace(make_subtitle(0, "fre"), file="Film.fr.srt")
    tracks = FileTracks((make_track(1, "eng", None),), (make_subtitle(1, "fre"), sidecar))
    found = keep_tracks(
        tracks, Household((QUEBEC,), (), ()), original="eng", kind="movie", media_id=1
    )
    assert [(t.kind, t.position) for t in found] == [("audio", 1), ("subtitle", 1)]


def test_a_file_never_goes_silent() -> None:
    """A Japanese original without its Japanese track, for a French household: nothing
    of theirs, yet every programme track stays (the commentary still goes)."""
    tracks = FileTracks(
        (
            make_track(1, "eng", None),
            make_track(2, "ger", None),
            make_track(3, "eng", "Commentary"),
        )
    )
    kept = _kept(tracks, Household((), ("fra",), ("fra",)), original="jpn")
    assert kept == {
        ("audio", 1): (True, Role.DUB, Reason.LAST_AUDIO),
        ("audio", 2): (True, Role.DUB, Reason.LAST_AUDIO),
        ("audio", 3): (False, Role.COMMENTARY, Reason.COMMENTARY),
    }


def test_a_german_blu_ray_keeps_its_german_programme_not_its_commentary() -> None:
    """A German Blu-ray's remux (its menu names as track names, issue 92): the compound
    commentary and the audio description go, each said for what it is (engine.tracks'
    one word list)."""
    tracks = FileTracks(
        (
            make_track(1, "eng", "English DTS-HD MA 5.1", default=True),
            make_track(2, "ger", "Deutsch DTS-HD MA 5.1"),
            make_track(3, "ger", "Audiokommentar"),
            make_track(4, "ger", "Hörfilmfassung"),
        )
    )
    kept = _kept(tracks, Household((), ("deu",), ()))
    assert kept == {
        ("audio", 1): (True, Role.ORIGINAL, Reason.ORIGINAL),
        ("audio", 2): (True, Role.DUB, Reason.TARGET),
        ("audio", 3): (False, Role.COMMENTARY, Reason.COMMENTARY),
        ("audio", 4): (False, Role.AUDIO_DESCRIPTION, Reason.AUDIO_DESCRIPTION),
    }
