"""The facts Jellyfin's track choice depends on, from a household's files as Taggarr
reads their tracks (engine.tracks.make_track, as the probe builds them): a VF2 with a
VFF and a VFQ, a MULTi.VFQ, an anime DUAL whose default is the Japanese, a commentary
and a file without the person's language."""

from __future__ import annotations

from fakes.jellyfin import FakeJellyfin
from scanner.engine.tracks import make_track
from scanner.household.playback_advice import (
    Advice,
    AdviceCode,
    LibraryFacts,
    SharedCode,
    advise,
)
from scanner.household.playback_facts import FileAudio, library_facts
from scanner.media_servers.clients.jellyfin import JellyfinClient, ServerConfig
from scanner.media_servers.clients.jellyfin_original import original_language_settable
from tests.helpers import SERVER_TOKEN

VF2 = FileAudio(
    (make_track(1, "fre", "VFF", default=True), make_track(2, "fre", "VFQ"),
     make_track(3, "eng", None)),
    original="eng",
)  # fmt: skip
MULTI_VFQ = FileAudio(
    (make_track(1, "eng", None, default=True), make_track(2, "fre", "VFQ")), original="eng"
)
DUAL = FileAudio(
    (make_track(1, "jpn", None, default=True), make_track(2, "fre", None)), original="jpn"
)
COMMENTARY_DEFAULT = FileAudio(
    (make_track(1, "fre", "Commentaire du réalisateur", default=True),
     make_track(2, "eng", None)),
    original="eng",
)  # fmt: skip
ENGLISH_ONLY = FileAudio((make_track(1, "eng", None, default=True),), original="eng")
HOUSE = [VF2, MULTI_VFQ, DUAL, COMMENTARY_DEFAULT, ENGLISH_ONLY]


def test_the_tracks_are_read_as_the_probe_reads_them() -> None:
    assert [t.variety for t in VF2.tracks] == ["fr-FR", "fr-CA", None]
    assert COMMENTARY_DEFAULT.tracks[0].is_commentary


def test_a_quebec_child_who_wants_the_dub() -> None:
    facts = library_facts(HOUSE, ("fr-CA", "fr"), "dub")
    # MULTi.VFQ and DUAL flag another language default; in the VF2 the default is French
    # (the VFF: the shared code, not a wrong default); the commentary has no French
    # programme track; the English-only file none at all.
    assert facts == LibraryFacts(
        wrong_default_files=2, shared_codes=(SharedCode("fre", ("fr-CA", "fr-FR"), 1),)
    )


def test_any_french_will_do_no_variety_to_tell() -> None:
    assert library_facts(HOUSE, ("fr",), "dub").shared_codes == ()


def test_a_parent_who_wants_the_original() -> None:
    # The VF2 and the commentary flag a French track default over the English original.
    facts = library_facts(HOUSE, ("fr",), "original-subtitled")
    assert facts == LibraryFacts(wrong_default_files=2)


def test_an_unknown_original_counts_nothing() -> None:
    unknown = FileAudio(VF2.tracks, original=None)
    assert library_facts([unknown], ("fr",), "original") == LibraryFacts()


def test_the_household_on_a_fake_jellyfin_12() -> None:
    """From the account's settings read over HTTP to the advice: the Quebec child
    chose "French (Canada)" and kept the default track on; the parent has "Original
    language", the default track on and French subtitles in Smart mode."""
    with FakeJellyfin(token=SERVER_TOKEN, version="12.0.0") as fake:
        lea = fake.state.add_user("Léa", playback={"AudioLanguagePreference": "frc"})
        marc = fake.state.add_user(
            "Marc",
            playback={
                "AudioLanguagePreference": "OriginalLanguage",
                "SubtitleLanguagePreference": "fra",
                "SubtitleMode": "Smart",
            },
        )
        config = ServerConfig(name="jf", url=fake.url, token=SERVER_TOKEN)
        with JellyfinClient(config) as client:
            choice = original_language_settable(client.info())
            child, parent = client.user_playback(lea), client.user_playback(marc)
    quebec = ("fr-CA", "fr")
    child_facts = library_facts(HOUSE, quebec, "dub")
    assert advise(quebec, "dub", child, child_facts, original_choice=choice) == (
        Advice(AdviceCode.AUDIO_REGIONAL, {"language": "fra", "current": "fr-CA"}),
        Advice(AdviceCode.DEFAULT_TRACK_OFF, {"count": 2}),
        Advice(AdviceCode.CANNOT_TELL_VARIETY, {"variety": "fr-CA", "code": "fre", "count": 1}),
    )
    parent_facts = library_facts(HOUSE, ("fr",), "original-subtitled")
    assert advise(("fr",), "original-subtitled", parent, parent_facts, original_choice=choice) == (
        Advice(AdviceCode.DEFAULT_TRACK_OFF, {"count": 2}),
    )
