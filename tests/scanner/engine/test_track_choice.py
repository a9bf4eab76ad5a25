"""Each person's track (scanner.engine.track_choice; tagging-rules.md, "Each person's
track"): a table per rule, over tracks built as probe builds them (make_track, the
release name's varieties through with_file_varieties)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from scanner.engine.file_varieties import with_file_varieties
from scanner.engine.heard import Heard
from scanner.engine.listener import Listener, WantCode
from scanner.engine.sidecars import Sidecar
from scanner.engine.track_choice import (
    SUBTITLES_OFF,
    ChoiceOutcome,
    Doubt,
    SubtitleChoice,
    TrackChoice,
    choose_tracks,
    want_of,
)
from scanner.engine.tracks import (
    AudioTrack,
    FileTracks,
    SubtitleTrack,
    make_subtitle,
    make_track,
    sidecar_subtitle,
)

CHILD = ("fr-CA", "fr")  # a Quebec child: the VFQ, else any French
PARENT = ("fr", "en")


def _file(
    audio: Sequence[AudioTrack], subtitles: Sequence[SubtitleTrack] = (), name: str = "x.mkv"
) -> FileTracks:
    return with_file_varieties(FileTracks(tuple(audio), tuple(subtitles)), name)


def _choose(
    languages: Sequence[str], tracks: FileTracks, want: WantCode = "dub", original: str = "eng"
) -> TrackChoice:
    return choose_tracks(languages, want, original, tracks)


VF2 = _file(
    [
        make_track(1, "eng", None, default=True),
        make_track(2, "fre", None),
        make_track(3, "fre", None),
    ],
    name="Show.S01E01.VF2.1080p.WEB.mkv",
)
VF2_TITLED = _file(
    [make_track(1, "eng", None), make_track(2, "fre", "VFF 5.1"), make_track(3, "fre", "VFQ 5.1")],
    name="Show.S01E01.VF2.1080p.WEB.mkv",
)
MULTI_VFQ = _file(
    [make_track(1, "eng", None, default=True), make_track(2, "fre", None)],
    name="Film.2020.MULTi.VFQ.1080p.BluRay.mkv",
)
TWO_FRENCH = _file([make_track(1, "fre", None), make_track(2, "fre", None, default=True)])
ONE_FRENCH = _file([make_track(1, "eng", None), make_track(2, "fre", None)])
VFF_ONLY = _file([make_track(1, "eng", None), make_track(2, "fre", "VFF")])


@pytest.mark.parametrize(
    ("languages", "tracks", "expected"),
    [
        # VF2 over two untitled French tracks: both dubs, which is which unsaid.
        (CHILD, VF2, TrackChoice(None, None, ChoiceOutcome.UNCERTAIN, "fr-CA", Doubt.RELEASE_SET)),
        (
            ("fr-FR", "fr"),
            VF2,
            TrackChoice(None, None, ChoiceOutcome.UNCERTAIN, "fr-FR", Doubt.RELEASE_SET),
        ),
        # A person for whom any French will do: the first French track.
        (("fr",), VF2, TrackChoice(2, SUBTITLES_OFF, ChoiceOutcome.LANGUAGE, "fra")),
        # Titles tell them apart.
        (CHILD, VF2_TITLED, TrackChoice(3, SUBTITLES_OFF, ChoiceOutcome.VARIETY, "fr-CA")),
        (("fr-FR",), VF2_TITLED, TrackChoice(2, SUBTITLES_OFF, ChoiceOutcome.VARIETY, "fr-FR")),
        # MULTi.VFQ: the release names the one French track.
        (CHILD, MULTI_VFQ, TrackChoice(2, SUBTITLES_OFF, ChoiceOutcome.VARIETY, "fr-CA")),
        # Two French tracks of unknown variety: either could be the VFQ.
        (
            CHILD,
            TWO_FRENCH,
            TrackChoice(None, None, ChoiceOutcome.UNCERTAIN, "fra", Doubt.SAME_LANGUAGE),
        ),
        (("fr",), TWO_FRENCH, TrackChoice(2, SUBTITLES_OFF, ChoiceOutcome.LANGUAGE, "fra")),
        # One of unknown variety: their language, variety unknown.
        (CHILD, ONE_FRENCH, TrackChoice(2, SUBTITLES_OFF, ChoiceOutcome.LANGUAGE, "fra")),
        # Only the France dub: said, it is not what the child asked for.
        (CHILD, VFF_ONLY, TrackChoice(2, SUBTITLES_OFF, ChoiceOutcome.OTHER_VARIETY, "fr-FR")),
        # The VFQ or English, no other French: English before the VFF.
        (("fr-CA", "en"), VFF_ONLY, TrackChoice(1, SUBTITLES_OFF, ChoiceOutcome.LANGUAGE, "eng")),
    ],
)
def test_variety_first_then_language(
    languages: Sequence[str], tracks: FileTracks, expected: TrackChoice
) -> None:
    assert _choose(languages, tracks) == expected


def test_the_stronger_source_of_a_variety_first() -> None:
    """Two Quebec tracks: the one whose language tag says so before the one whose title
    does (varieties.SOURCES, best first), whatever their order and default flag."""
    tracks = _file([make_track(1, "fre", "VFQ stéréo", default=True), make_track(2, "fr-CA", None)])
    assert _choose(CHILD, tracks).audio == 2


def test_the_default_track_before_the_first() -> None:
    tracks = _file([make_track(1, "eng", "Stereo"), make_track(2, "eng", "5.1", default=True)])
    assert _choose(("en",), tracks).audio == 2


@pytest.mark.parametrize("title", ["Commentary", "Commentaire du réalisateur", "Audio Description"])
def test_never_a_commentary_or_description_track(title: str) -> None:
    tracks = _file([make_track(1, "fr-CA", title, default=True), make_track(2, "eng", None)])
    choice = _choose(CHILD, tracks)
    assert (choice.audio, choice.outcome) == (2, ChoiceOutcome.FALLBACK)  # the original, not theirs


GERMAN = ("de",)


# A German Blu-ray's remux: the commentary is the first German track and flagged default
# (its menu name kept as the track name, issue 92): the German person gets the programme.
@pytest.mark.parametrize("title", ["Audiokommentar", "Regiekommentar", "Hörfilmfassung"])
def test_never_a_german_compound_commentary_over_the_german_track(title: str) -> None:
    tracks = _file(
        [
            make_track(1, "eng", "English DTS-HD MA 5.1"),
            make_track(2, "ger", title, default=True),
            make_track(3, "ger", "Deutsch DTS-HD MA 5.1"),
        ]
    )
    choice = _choose(GERMAN, tracks)
    assert (choice.audio, choice.outcome) == (3, ChoiceOutcome.LANGUAGE)


def _heard(language: str) -> Heard:
    return Heard(language, 0.95, ((language, 0.95),))


MISLABELLED = FileTracks(
    (
        AudioTrack(1, "fre", "fra", None, True, False, False, heard=_heard("eng")),
        make_track(2, "eng", None),
    )
)


def test_a_mislabelled_track_is_not_chosen_on_its_label() -> None:
    """Labelled French, heard English: the French person gets no answer (uncertain),
    the English one the clean English track, never the mislabelled one."""
    assert _choose(("fr",), MISLABELLED) == TrackChoice(
        None, None, ChoiceOutcome.UNCERTAIN, "fra", Doubt.MISLABELED
    )
    assert _choose(("en",), MISLABELLED).audio == 2
    with_clean_french = FileTracks((*MISLABELLED.audio, make_track(3, "fre", None)))
    assert _choose(("fr",), with_clean_french).audio == 3


def test_unlabelled_tracks() -> None:
    unlabelled = FileTracks((make_track(1, "und", None),))
    assert _choose(("fr",), unlabelled) == TrackChoice(
        None, None, ChoiceOutcome.UNCERTAIN, None, Doubt.UNLABELLED
    )
    heard = FileTracks((AudioTrack(1, "und", None, None, True, False, False, _heard("fra")),))
    assert _choose(("fr",), heard) == TrackChoice(1, SUBTITLES_OFF, ChoiceOutcome.LANGUAGE, "fra")


ANIME = _file(
    [make_track(1, "jpn", None, default=True), make_track(2, "eng", None)],
    [
        make_subtitle(1, "eng", "Signs & Songs"),
        make_subtitle(2, "eng", "Full"),
        make_subtitle(3, "fre", "Full"),
        make_subtitle(4, "fre", "Forced", forced=True),
    ],
    name="Show.S01E01.DUAL.1080p.mkv",
)


@pytest.mark.parametrize(
    ("languages", "want", "subtitles", "expected"),
    [
        # The parent: Japanese with the full French subtitle.
        (
            PARENT,
            "original-subtitled",
            ANIME.subtitles,
            (1, SubtitleChoice(3), ChoiceOutcome.ORIGINAL),
        ),
        # No French subtitle: the next language they read.
        (
            PARENT,
            "original-subtitled",
            ANIME.subtitles[:2],
            (1, SubtitleChoice(2), ChoiceOutcome.ORIGINAL),
        ),
        # None of theirs: the original, said to be without their subtitles.
        (PARENT, "original-subtitled", (), (1, SUBTITLES_OFF, ChoiceOutcome.ORIGINAL_NO_SUBTITLE)),
        # "original" alone: no subtitles but forced ones for foreign parts.
        (PARENT, "original", ANIME.subtitles, (1, SubtitleChoice(4), ChoiceOutcome.ORIGINAL)),
        (PARENT, "original", ANIME.subtitles[1:3], (1, SUBTITLES_OFF, ChoiceOutcome.ORIGINAL)),
        # The Quebec child wants a dub: none in French, so the original with French
        # subtitles, said to be a fallback.
        (CHILD, "dub", ANIME.subtitles, (1, SubtitleChoice(3), ChoiceOutcome.FALLBACK)),
        # An English speaker wanting a dub: the English dub, with its signs and songs.
        (("en",), "dub", ANIME.subtitles, (2, SubtitleChoice(1), ChoiceOutcome.LANGUAGE)),
        (("en",), "dub", ANIME.subtitles[1:], (2, SUBTITLES_OFF, ChoiceOutcome.LANGUAGE)),
    ],
)
def test_anime_dual(
    languages: Sequence[str],
    want: WantCode,
    subtitles: tuple[SubtitleTrack, ...],
    expected: tuple[int, SubtitleChoice, ChoiceOutcome],
) -> None:
    tracks = FileTracks(ANIME.audio, subtitles)
    choice = _choose(languages, tracks, want, original="jpn")
    assert (choice.audio, choice.subtitle, choice.outcome) == expected


def test_no_subtitles_for_an_original_they_understand() -> None:
    film = _file(
        [make_track(1, "eng", None), make_track(2, "fre", None)], [make_subtitle(1, "fre")]
    )
    assert _choose(("en",), film, "original-subtitled").subtitle == SUBTITLES_OFF
    # French first: the English original with French subtitles.
    assert _choose(PARENT, film, "original-subtitled").subtitle == SubtitleChoice(1)


def test_their_variety_of_subtitle_first_and_a_sidecar() -> None:
    sidecar = sidecar_subtitle(
        Sidecar("Film.fr-CA.srt", "fra", False, False, False, variety="fr-CA")
    )
    film = _file([make_track(1, "jpn", None)], [make_subtitle(1, "fre"), sidecar])
    choice = _choose(CHILD, film, "original-subtitled", "jpn")
    assert choice.subtitle == SubtitleChoice(file="Film.fr-CA.srt")
    assert not choice.subtitle.off


def test_a_dub_with_the_forced_subtitle_of_its_language() -> None:
    film = _file(
        [make_track(1, "eng", None), make_track(2, "fre", None)],
        [make_subtitle(1, "eng", forced=True), make_subtitle(2, "fre", "Forcés")],
    )
    assert _choose(("fr",), film).subtitle == SubtitleChoice(2)


def test_original_asked_but_absent_plays_their_dub_as_fallback() -> None:
    french_release = _file([make_track(1, "fre", None)], name="Show.S01E01.VFQ.mkv")
    choice = _choose(PARENT, french_release, "original-subtitled", "jpn")
    assert choice == TrackChoice(1, SUBTITLES_OFF, ChoiceOutcome.FALLBACK, "fr-CA")
    # The original unknown: the same.
    assert _choose(PARENT, french_release, "original", "").outcome == ChoiceOutcome.FALLBACK


def test_nothing_in_their_languages() -> None:
    german = _file([make_track(1, "ger", None)])
    assert _choose(("fr",), german, original="") == TrackChoice(
        None, None, ChoiceOutcome.NONE, None
    )
    assert _choose(("fr",), german, original="deu") == TrackChoice(
        1, SUBTITLES_OFF, ChoiceOutcome.FALLBACK, "deu"
    )


def test_want_of_an_item_before_its_kind() -> None:
    lea = Listener("Léa", CHILD, {"series": "dub", "movie": "original"}, {7: "original"})
    assert [want_of(lea, "series"), want_of(lea, "movie"), want_of(lea, "series", 7)] == [
        "dub",
        "original",
        "original",
    ]
    assert want_of(Listener("Guest", ("en",), {}), "movie") == "dub"
