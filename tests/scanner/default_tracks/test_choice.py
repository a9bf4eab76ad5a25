"""The flags a household wants for one file, from its header's tracks (choice.py): the one
rule that chooses a person's track (engine.track_choice), read from the header as
MediaInfo reads the file."""

from __future__ import annotations

from scanner.default_tracks.choice import Household, engine_tracks, wish
from scanner.default_tracks.matroska import Flag, HeaderTrack
from scanner.engine.targets import AS_INSTANCE, ORIGINAL_ONLY, OWN_LIST
from scanner.engine.track_choice import ChoiceOutcome, Doubt

ABSENT = Flag(True, None, 0)  # no FlagDefault: 1 (RFC 9559)
OFF = Flag(False, 100, 3)


def _audio(
    position: int,
    language: str | None,
    *,
    bcp47: str | None = None,
    name: str | None = None,
    default: Flag = OFF,
) -> HeaderTrack:
    return HeaderTrack(position + 1, "audio", position, language, bcp47, name, default, False)


def _subtitle(
    position: int,
    language: str,
    *,
    bcp47: str | None = None,
    name: str | None = None,
    forced: bool = False,
) -> HeaderTrack:
    return HeaderTrack(10 + position, "subtitle", position, language, bcp47, name, ABSENT, forced)


VIDEO = HeaderTrack(1, "video", 1, None, None, None, ABSENT, False)
QUEBEC = Household(("fr-CA",), AS_INSTANCE, original="eng")
# A MULTi release: the English original flagged default (no FlagDefault), the France dub,
# the Quebec dub said by its LanguageBCP47 and its title.
MULTI = (
    VIDEO,
    _audio(1, "eng", default=ABSENT),
    _audio(2, "fre", bcp47="fr-FR", name="VFF"),
    _audio(3, "fre", bcp47="fr-CA", name="VFQ"),
    _subtitle(1, "fre", name="Forced", forced=True),
    _subtitle(2, "eng"),
)


def test_a_quebec_household_gets_the_vfq_first_and_no_subtitle() -> None:
    wanted = wish(MULTI, "Film.2020.MULTi.1080p.mkv", QUEBEC)
    assert wanted.outcome == ChoiceOutcome.VARIETY
    assert wanted.audio == 3
    assert wanted.flags == {
        ("audio", 1): False,
        ("audio", 2): False,
        ("audio", 3): True,
        # A dub plays with the forced subtitle of its language (its foreign parts).
        ("subtitle", 1): True,
        ("subtitle", 2): False,
    }


def test_the_title_alone_says_the_variety() -> None:
    """'VFQ' in a title names Quebec French (engine.varieties.own_variety)."""
    tracks = (
        VIDEO,
        _audio(1, "eng", default=ABSENT),
        _audio(2, "fre", name="VFF"),
        _audio(3, "fre", name="VFQ"),
    )
    assert wish(tracks, "Film.mkv", QUEBEC).audio == 3


def test_a_commentary_track_is_never_chosen() -> None:
    """engine.track_choice.choose_tracks leaves commentary and audio description out: an
    English household gets the French original, not the English commentary."""
    tracks = (
        VIDEO,
        _audio(1, "fre", default=ABSENT),
        _audio(2, "eng", name="Director's Commentary"),
        _audio(3, "eng", name="Audio Description"),
    )
    wanted = wish(tracks, "Film.mkv", Household(("eng",), AS_INSTANCE, original="fra"))
    assert wanted.outcome == ChoiceOutcome.FALLBACK
    assert wanted.flags == {("audio", 1): True, ("audio", 2): False, ("audio", 3): False}


def test_a_german_audiokommentar_is_never_the_default_over_the_german_track() -> None:
    """A German Blu-ray's remux names its commentary "Audiokommentar" (one word, issue
    92): the German household's default is the German programme track, never it."""
    tracks = (
        VIDEO,
        _audio(1, "eng", default=ABSENT),
        _audio(2, "ger", name="Audiokommentar"),
        _audio(3, "ger", name="Deutsch DTS-HD MA 5.1"),
    )
    wanted = wish(
        tracks,
        "Film.2020.German.DL.1080p.BluRay.mkv",
        Household(("deu",), AS_INSTANCE, original="eng"),
    )
    assert wanted.outcome == ChoiceOutcome.LANGUAGE
    assert wanted.flags == {("audio", 1): False, ("audio", 2): False, ("audio", 3): True}


def test_an_uncertain_choice_wants_nothing_and_says_why() -> None:
    """VF2 over two French tracks that do not say which is which: either could be the
    VFQ (engine.file_varieties: a release set)."""
    tracks = (VIDEO, _audio(1, "eng", default=ABSENT), _audio(2, "fre"), _audio(3, "fre"))
    wanted = wish(tracks, "Film.2020.MULTi.VF2.1080p.mkv", QUEBEC)
    assert wanted.refused
    assert wanted.flags == {}
    assert wanted.outcome == ChoiceOutcome.UNCERTAIN
    assert wanted.doubt == Doubt.RELEASE_SET


def test_nothing_in_the_targets_nor_the_original_wants_nothing() -> None:
    tracks = (VIDEO, _audio(1, "ita", default=ABSENT), _audio(2, "spa"))
    wanted = wish(tracks, "Film.mkv", Household(("deu",), AS_INSTANCE, original="jpn"))
    assert wanted.refused
    assert wanted.outcome == ChoiceOutcome.NONE


def test_original_only_plays_the_original_with_a_full_subtitle_in_the_targets() -> None:
    household = Household(("fr-CA",), ORIGINAL_ONLY, original="eng")
    tracks = (
        VIDEO,
        _audio(1, "fre", bcp47="fr-CA", name="VFQ", default=ABSENT),
        _audio(2, "eng"),
        _subtitle(1, "eng"),
        _subtitle(2, "fre", bcp47="fr-CA"),
    )
    wanted = wish(tracks, "Film.mkv", household)
    assert wanted.outcome == ChoiceOutcome.ORIGINAL
    assert wanted.flags == {
        ("audio", 1): False,
        ("audio", 2): True,
        ("subtitle", 1): False,
        ("subtitle", 2): True,
    }


def test_an_items_own_list_comes_before_the_instances_targets() -> None:
    household = Household(("fr-CA",), OWN_LIST, own_targets=("deu",), original="eng")
    tracks = (VIDEO, _audio(1, "eng", default=ABSENT), _audio(2, "fre"), _audio(3, "ger"))
    assert wish(tracks, "Film.mkv", household).audio == 3


def test_a_track_without_a_language_is_english_as_in_matroska() -> None:
    """RFC 9559: a TrackEntry without a Language element is English ("eng")."""
    tracks = (VIDEO, _audio(1, "jpn", default=ABSENT), _audio(2, None))
    engine = engine_tracks(tracks, "Show.mkv")
    assert [t.language for t in engine.audio] == ["jpn", "eng"]
    wanted = wish(tracks, "Show.mkv", Household(("eng",), AS_INSTANCE, original="jpn"))
    assert wanted.flags == {("audio", 1): False, ("audio", 2): True}


def test_settled_varieties_and_lat_are_judged_as_the_verdict_judges_them() -> None:
    tracks = (VIDEO, _audio(1, "eng", default=ABSENT), _audio(2, "spa"), _audio(3, "lat"))
    latino = Household(("es-419",), AS_INSTANCE, original="eng")
    assert wish(tracks, "Film.mkv", latino).audio == 3
    settled = Household(("es-419",), AS_INSTANCE, original="eng", settled={"spa": "es-ES"})
    assert wish(tracks, "Film.mkv", settled).audio == 3
    no_lat = Household(("es-419",), AS_INSTANCE, original="eng", lat_is_latino=False)
    assert wish(tracks, "Film.mkv", no_lat).audio != 3
