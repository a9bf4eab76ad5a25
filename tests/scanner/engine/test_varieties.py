"""tagging-rules.md, "Varieties" (issue 60): a track's variety from its BCP-47 tag (real
Matroska files with the ``LanguageBCP47`` element, which MediaInfo reports as the
track's Language), its title (Matroska and MP4), the file's release name, the *arr's
languages of the file and a sidecar's name; the best source wins and a disagreeing
one is kept as the note. Each layout is made once per session (tests/media.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from scanner.engine.arr_tracks import tracks_from_arr
from scanner.engine.file_varieties import latin_as_latino, with_file_varieties
from scanner.engine.heard import Heard
from scanner.engine.listened import listened
from scanner.engine.probe import probe
from scanner.engine.sidecars import lone_hi_as_flag, sidecars_of
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack, make_track
from scanner.engine.varieties import own_variety, release_varieties, tag_variety, title_variety
from tests.media import AudioSpec, MediaFactory, SubtitleSpec

# (what the file says, the track's language, its variety, source, note)
TAGGED = [
    (AudioSpec("fr-CA"), "fra", "fr-CA", "bcp47", ""),
    (AudioSpec("es-419", bcp47_only=True), "spa", "es-419", "bcp47", ""),
    (AudioSpec("pt-BR"), "por", "pt-BR", "bcp47", ""),
    (AudioSpec("zh-yue", bcp47_only=True), "zho", "yue", "bcp47", ""),
    (AudioSpec("cmn-Hant", bcp47_only=True), "cmn", "cmn-Hant", "bcp47", ""),
    (AudioSpec("de-CH"), "deu", "de-CH", "bcp47", ""),
    (AudioSpec("en-US"), "eng", "en-US", "bcp47", ""),  # English all the same (language)
    (AudioSpec("fr-FR", title="VFQ"), "fra", "fr-FR", "bcp47", "title:fr-CA"),
    (AudioSpec("fre"), "fra", None, None, ""),  # the legacy element alone: no variety
]
TITLED = [
    (AudioSpec("fre", title="VFQ"), "fra", "fr-CA", "title"),
    (AudioSpec("fre", title="Français (VQ)"), "fra", "fr-CA", "title"),
    (AudioSpec("fre", title="Québécois 5.1"), "fra", "fr-CA", "title"),
    (AudioSpec("fre", title="Canadien"), "fra", "fr-CA", "title"),
    (AudioSpec("fre", title="VFF"), "fra", "fr-FR", "title"),
    (AudioSpec("fre", title="TRUEFRENCH"), "fra", "fr-FR", "title"),
    (AudioSpec("fre", title="France"), "fra", "fr-FR", "title"),
    (AudioSpec("fre", title="VFI"), "fra", None, None),  # international: neither
    (AudioSpec("spa", title="Español Latino"), "spa", "es-419", "title"),
    (AudioSpec("spa", title="Latinoamérica"), "spa", "es-419", "title"),
    (AudioSpec("spa", title="Castellano"), "spa", "es-ES", "title"),
    (AudioSpec("spa", title="España"), "spa", "es-ES", "title"),
    (AudioSpec("spa", title="Castilian"), "spa", "es-ES", "title"),
    (AudioSpec("por", title="Brasileiro"), "por", "pt-BR", "title"),
    (AudioSpec("por", title="Dublado"), "por", "pt-BR", "title"),
    (AudioSpec("por", title="PT-BR"), "por", "pt-BR", "title"),
    (AudioSpec("por", title="Portugal"), "por", "pt-PT", "title"),
    (AudioSpec("por", title="Europeu"), "por", "pt-PT", "title"),
    (AudioSpec("chi", title="粵語"), "zho", "yue", "title"),
    (AudioSpec("chi", title="廣東話"), "zho", "yue", "title"),
    (AudioSpec("chi", title="Cantonese"), "zho", "yue", "title"),
    (AudioSpec("chi", title="國語"), "zho", "cmn", "title"),
    (AudioSpec("chi", title="普通话"), "zho", "cmn", "title"),
    (AudioSpec("chi", title="Mandarin"), "zho", "cmn", "title"),
    (AudioSpec("ger", title="Schweizerdeutsch"), "deu", "de-CH", "title"),
    (AudioSpec("ger", title="VFQ"), "deu", None, None),  # a French word on German audio
    (AudioSpec("eng", title="Cantonese"), "eng", None, None),
    (AudioSpec("fre", title="VFQ / VFF"), "fra", None, None),  # both: neither is known
    (AudioSpec(None, title="Latino"), None, None, None),  # no language, no variety
]


@pytest.fixture(scope="module")
def tagged(media: MediaFactory) -> tuple[AudioTrack, ...]:
    return probe(media.template([spec for spec, *_ in TAGGED])).audio


@pytest.fixture(scope="module")
def titled(media: MediaFactory) -> tuple[AudioTrack, ...]:
    return probe(media.template([spec for spec, *_ in TITLED])).audio


@pytest.mark.parametrize(
    ("index", "case"), list(enumerate(TAGGED)), ids=[c[0].language for c in TAGGED]
)
def test_the_bcp47_element_names_the_variety(
    tagged: tuple[AudioTrack, ...], index: int, case: tuple[AudioSpec, str, str, str, str]
) -> None:
    _, language, variety, source, note = case
    track = tagged[index]
    assert (track.language, track.variety, track.variety_source, track.variety_note) == (
        language,
        variety,
        source,
        note,
    )


@pytest.mark.parametrize(
    ("index", "case"),
    list(enumerate(TITLED)),
    ids=[f"{c[0].language}-{c[0].title}" for c in TITLED],
)
def test_a_title_word_names_the_variety_of_its_own_language(
    titled: tuple[AudioTrack, ...], index: int, case: tuple[AudioSpec, str, str, str]
) -> None:
    _, language, variety, source = case
    track = titled[index]
    assert (track.language, track.variety, track.variety_source) == (language, variety, source)


def test_titles_in_mp4_and_bcp47_subtitles_in_matroska(media: MediaFactory) -> None:
    mp4 = probe(
        media.template(
            [AudioSpec("fre", title="VFQ"), AudioSpec("spa", title="Latino")],
            "mp4",
            subtitles=[SubtitleSpec("por", title="Brasil", codec="mov_text")],
        )
    )
    assert [(t.variety, t.variety_source) for t in mp4.audio] == [
        ("fr-CA", "title"),
        ("es-419", "title"),
    ]
    assert (mp4.subtitles[0].variety, mp4.subtitles[0].variety_source) == ("pt-BR", "title")
    mkv = probe(
        media.template([AudioSpec("jpn")], subtitles=[SubtitleSpec("zh-Hant"), SubtitleSpec("en")])
    )
    assert [(t.language, t.variety) for t in mkv.subtitles] == [("zho", "zh-Hant"), ("eng", None)]


def _named(media: MediaFactory, folder: Path, name: str, audio: list[AudioSpec]) -> FileTracks:
    return probe(media.make_video(folder / name, audio))


def test_the_release_name_names_the_one_track_left(media: MediaFactory, tmp_path: Path) -> None:
    plain = [AudioSpec("eng", default=True), AudioSpec("fre")]
    quebec = _named(media, tmp_path, "Film.2020.MULTi.VFQ.1080p.BluRay.x264-GRP.mkv", plain)
    assert [(t.variety, t.variety_source) for t in quebec.audio] == [
        (None, None),
        ("fr-CA", "release"),
    ]
    # VF2: both French dubs. The one titled VFF is from France, so the other is Quebec's.
    both = [AudioSpec("fre", title="VFF"), AudioSpec("fre")]
    vf2 = _named(media, tmp_path, "Film.2020.MULTi.VF2.1080p.mkv", both)
    assert [(t.variety, t.variety_source) for t in vf2.audio] == [
        ("fr-FR", "title"),
        ("fr-CA", "release"),
    ]
    # Two untitled French dubs: the file holds both, which is which is unsaid.
    two = _named(media, tmp_path, "Film.2020.VF2.mkv", [AudioSpec("fre"), AudioSpec("fre")])
    assert [(t.variety, t.variety_source) for t in two.audio] == [
        ("fr-CA", "release_set"),
        ("fr-FR", "release_set"),
    ]
    # The track's own tag wins; the name that says otherwise is its note.
    tagged = _named(media, tmp_path, "Film.2020.TRUEFRENCH.mkv", [AudioSpec("fr-CA")])
    (track,) = tagged.audio
    assert (track.variety, track.variety_source, track.variety_note) == (
        "fr-CA",
        "bcp47",
        "release:fr-FR",
    )
    latino = _named(
        media, tmp_path, "Serie.S01E01.Latino.mkv", [AudioSpec("eng"), AudioSpec("spa")]
    )
    assert latino.audio[1].variety == "es-419"
    dublado = _named(media, tmp_path, "Serie S01E01 DUBLADO.mkv", [AudioSpec("por")])
    assert dublado.audio[0].variety == "pt-BR"


def test_release_words() -> None:
    assert release_varieties("Film.2020.MULTi.VFQ.1080p.mkv") == ("fr-CA",)
    assert release_varieties("Film.2020.VF2.mkv") == ("fr-CA", "fr-FR")
    assert release_varieties("Film.2020.MULTi.VFF.VFQ.mkv") == ("fr-FR", "fr-CA")
    assert release_varieties("Film.2020.DUAL.LATINO.CASTELLANO.mkv") == ("es-419", "es-ES")
    assert release_varieties("Film (2020) [Castellano].mkv") == ("es-ES",)
    assert release_varieties("Serie.S01E01.NACIONAL.mkv") == ("pt-BR",)
    assert release_varieties("Vffilm.2020.mkv") == ()  # whole words only
    assert release_varieties("Film.PT.BRRip.mkv") == ()  # PT-BR is two words, one after the other
    assert release_varieties("Film.BR.PT.mkv") == ()


# Release names of Sonarr's and Radarr's own language parser tests,
# src/NzbDrone.Core.Test/ParserTests/LanguageParserFixture.cs (Sonarr 49df353f, Radarr
# 1b9662d5): should_parse_language_chinese, _portuguese_brazil /
# _brazilian_portuguese, _french, _spanish_latino.
@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Title.the.Series.2009.S01E14.Cantonese.HDTV.XviD-LOL", ("yue",)),
        ("Title.the.Series.2009.S01E14.Mandarin.HDTV.XviD-LOL", ("cmn",)),
        # Chinese script counts anywhere, as in a title: 国语音轨 is "Mandarin audio track".
        ("Series.Towards.You.S01.国语音轨.2023.1080p.NF.WEB-DL.H264.DDP2.0-SeeWEB", ("cmn",)),
        ("Title.the.Series.2009.S01E14.Chinese.HDTV.XviD-LOL", ()),  # any Chinese
        ("Title.the.Series.2009.S01E14.Brazilian.HDTV.XviD-LOL", ("pt-BR",)),
        ("Title.the.Series.2009.S01E14.Dublado.HDTV.XviD-LOL", ("pt-BR",)),
        ("Movie.Title.2014.1080p.Bluray.Brazilian.WWW.TPF.GRATIS", ("pt-BR",)),
        ("Movie.Title.2014.1080p.AMZN.WEB-DL.DDP2.0.H.264.pt-BR.ENG-LCD", ("pt-BR",)),
        ("Series.Title.S01.2019.720p_Eng-Spa(Latino)_MovieClubMx", ("es-419",)),
        ("Title.S01.720p.VF2.WEB-DL.AAC2.0.H.264-BTN", ("fr-CA", "fr-FR")),
        ("Title.S01.720p.VFQ.WEB-DL.AAC2.0.H.264-BTN", ("fr-CA",)),
        ("Series Title S01 AVC.1080p.Blu-ray HD.VOSTFR.VFF", ("fr-FR",)),
        # No false VFQ: VF, VFI, MULTi, VOSTFR, SUBFRENCH and plain French name no variety.
        ("Title.S01.720p.VF.WEB-DL.AAC2.0.H.264-BTN", ()),
        ("Series In The Middle S01 Multi VFI VO 1080p WEB x265 HEVC AAC 5.1-Papaya", ()),
        ("Movie.Title.1956.MULTi.VF.Bluray.1080p.REMUX.AC3.x264", ()),
        ("Title.the.Series.2009.S01E14.French.HDTV.XviD-LOL", ()),
        ("Movie.Title.2019.VOSTFR.1080p.WEB.x264-GRP", ()),
        ("Movie.Title.2019.SUBFRENCH.1080p.WEB.x264-GRP", ()),
    ],
)
def test_release_names_of_the_arrs_parser_tests(name: str, said: tuple[str, ...]) -> None:
    assert release_varieties(name) == said


def test_a_release_naming_as_many_varieties_as_tracks_names_each(
    media: MediaFactory, tmp_path: Path
) -> None:
    """Issue 68, item 3: N varieties of a language in the release name over N tracks of
    it of unknown variety: the file holds each (RELEASE_SET), which track is which is
    unsaid; a track's own source and a VFI title take theirs first."""

    def said(name: str, audio: list[AudioSpec]) -> list[tuple[str | None, str | None]]:
        return [(t.variety, t.variety_source) for t in _named(media, tmp_path, name, audio).audio]

    fre, korean = AudioSpec("fre"), AudioSpec("kor", default=True)
    squid = said(
        "Squid.Game.S01E01.MULTi.VF2.1080p.NF.WEB-DL.mkv", [korean, AudioSpec("eng"), fre, fre]
    )
    assert squid == [(None, None), (None, None), ("fr-CA", "release_set"), ("fr-FR", "release_set")]
    assert said("Film.2019.MULTi.VFF.VFQ.1080p.mkv", [AudioSpec("eng"), fre, fre])[1:] == [
        ("fr-FR", "release_set"),
        ("fr-CA", "release_set"),
    ]
    spanish = [AudioSpec("spa"), AudioSpec("spa")]
    assert said("Film.2019.DUAL.LATINO.CASTELLANO.mkv", spanish) == [
        ("es-419", "release_set"),
        ("es-ES", "release_set"),
    ]
    # A VFI title is neither; a commentary is not a dub: the two others hold the two.
    vfi = [AudioSpec("fre", title="VFI"), fre, AudioSpec("fre", title="Commentaire"), fre]
    assert said("Film.2019.MULTi.VFF.VFQ.mkv", vfi) == [
        (None, None),
        ("fr-FR", "release_set"),
        (None, None),
        ("fr-CA", "release_set"),
    ]
    # Counts that differ say nothing: three French tracks, or one.
    assert said("Film.2019.VF2.mkv", [fre, fre, fre]) == [(None, None)] * 3
    assert said("Film.2019.VF2.mkv", [AudioSpec("eng"), fre]) == [(None, None)] * 2
    # Cantonese and Mandarin are both Chinese: two Chinese tracks hold the two.
    chinese = [AudioSpec("chi"), AudioSpec("chi")]
    assert said("Film.2019.粵語.國語.mkv", chinese) == [
        ("yue", "release_set"),
        ("cmn", "release_set"),
    ]
    # One named by its own tag: the one left takes the variety left, exactly.
    assert said("Film.2019.Cantonese.Mandarin.mkv", [AudioSpec("cmn"), AudioSpec("chi")]) == [
        ("cmn", "bcp47"),
        ("yue", "release"),
    ]


def test_lat_is_latin_american_spanish_when_judged(media: MediaFactory) -> None:
    tracks = probe(
        media.template(
            [AudioSpec("eng", default=True), AudioSpec("lat")], subtitles=[SubtitleSpec("lat")]
        )
    )
    # Stored as the file says: Latin.
    assert [(t.language, t.variety) for t in tracks.audio] == [("eng", None), ("lat", None)]
    judged = latin_as_latino(tracks)
    assert [(t.language, t.variety, t.variety_source) for t in judged.audio] == [
        ("eng", None, None),
        ("spa", "es-419", "lat"),
    ]
    assert (judged.subtitles[0].language, judged.subtitles[0].variety) == ("spa", "es-419")
    unchanged = probe(media.template([AudioSpec("eng")]))
    assert latin_as_latino(unchanged) is unchanged


def test_the_arrs_languages_of_the_file() -> None:
    """Sonarr's Language.cs: PortugueseBrazil "Portuguese (Brazil)" (33), SpanishLatino
    "Spanish (Latino)" (34); IsoLanguages.cs maps pt-BR and es-MX to them, and its
    LanguageParser finds them in a release name ("dublado", "latino"). The media info's
    audioLanguages holds ffprobe's plain codes."""
    brazil = tracks_from_arr(["jpn", "por"], 2, file_languages=["Portuguese (Brazil)"])
    assert [(t.variety, t.variety_source) for t in brazil.audio] == [(None, None), ("pt-BR", "arr")]
    latino = tracks_from_arr(["eng", "spa"], 2, file_languages=["English", "Spanish (Latino)"])
    assert latino.audio[1].variety == "es-419"
    # The file's name comes first; the *arr's word that says otherwise is kept as a note.
    named = tracks_from_arr(
        ["spa"], 1, file_name="Film.Castellano.mkv", file_languages=["Spanish (Latino)"]
    )
    (track,) = named.audio
    assert (track.variety, track.variety_source, track.variety_note) == (
        "es-ES",
        "release",
        "arr:es-419",
    )
    # Squid Game on the *arr source: ffprobe's codes, Sonarr's "French", the name's VF2.
    squid = tracks_from_arr(
        ["kor", "eng", "fre", "fre"], 4,
        file_name="Squid.Game.S01E01.MULTi.VF2.1080p.NF.WEB-DL.DDP5.1.x264-GRP.mkv",
        file_languages=["Korean", "English", "French"],
    )  # fmt: skip
    assert [(t.variety, t.variety_source) for t in squid.audio][2:] == [
        ("fr-CA", "release_set"),
        ("fr-FR", "release_set"),
    ]
    # Sonarr v3's media info names, where the track's own language is an *arr name.
    (v3,) = tracks_from_arr(["Portuguese (Brazil)"], 1).audio
    assert (v3.language, v3.variety, v3.variety_source) == ("por", "pt-BR", "arr")


def test_sidecar_names_with_regions() -> None:
    names = [
        "Show.S01E01.pt-BR.srt",
        "Show.S01E01.es-419.forced.srt",
        "Show.S01E01.fr-CA.hi.srt",
        "Show.S01E01.zh-Hant.srt",
        "Show.S01E01.en.srt",
        "Show.S01E01.hi.srt",
    ]
    found = {s.name: (s.language, s.variety) for s in sidecars_of("Show.S01E01.mkv", names)}
    assert found == {
        "Show.S01E01.pt-BR.srt": ("por", "pt-BR"),
        "Show.S01E01.es-419.forced.srt": ("spa", "es-419"),
        "Show.S01E01.fr-CA.hi.srt": ("fra", "fr-CA"),
        "Show.S01E01.zh-Hant.srt": ("zho", "zh-Hant"),
        "Show.S01E01.en.srt": ("eng", None),
        "Show.S01E01.hi.srt": ("hin", None),
    }
    tracks = FileTracks(()).with_sidecars(tuple(sidecars_of("Show.S01E01.mkv", names[:1])))
    (subtitle,) = tracks.subtitles
    assert (subtitle.variety, subtitle.variety_source) == ("pt-BR", "sidecar")
    flagged = lone_hi_as_flag(tuple(sidecars_of("V.mkv", ["V.hi.srt"])))
    assert flagged[0].variety is None


def test_stored_rows_keep_the_variety_and_old_rows_read_as_none() -> None:
    track = make_track(1, "fr-FR", "VFQ")
    stored = track.to_dict()
    assert (stored["variety"], stored["variety_source"], stored["variety_note"]) == (
        "fr-FR",
        "bcp47",
        "title:fr-CA",
    )
    assert AudioTrack.from_dict(stored) == track
    old = make_track(1, "fre", None).to_dict()
    assert "variety" not in old and "variety_note" not in old  # rows stay as they were
    assert AudioTrack.from_dict(old).variety is None
    subtitle = {"position": 1, "raw_language": "pt-BR", "language": "por", "title": None}
    read = SubtitleTrack.from_dict({**subtitle, "forced": False, "full": True})
    assert (read.variety, read.variety_source, read.variety_note) == (None, None, "")


def test_listening_never_decides_a_variety() -> None:
    """A track labelled fr-CA that is heard to be German is German, of no variety."""
    labelled = make_track(1, "fr-CA", None)
    heard = Heard("deu", 0.95, (("deu", 0.95),))
    (track,) = listened([replace(labelled, heard=heard)], "all")
    assert (track.language, track.variety, track.variety_source) == ("deu", None, None)
    (same,) = listened([replace(labelled, heard=Heard("fra", 0.95, (("fra", 0.95),)))], "all")
    assert (same.language, same.variety) == ("fra", "fr-CA")


def test_tags_are_normalised_and_plain_languages_have_none() -> None:
    assert tag_variety("fra_ca") == "fr-CA"
    assert tag_variety("por-br") == "pt-BR"
    assert tag_variety("zh-cmn-Hans-CN") == "cmn-Hans-CN"
    for plain in ("fr", "fre", "zh", "chi", "und-CA", "fr-XX", "x-klingon", "", None):
        assert tag_variety(plain) is None
    assert title_variety("Qvfq", "fra") is None  # whole words
    assert own_variety(None, None, "VFQ") == (None, None, "")


def test_a_file_without_a_word_is_the_same_value() -> None:
    tracks = tracks_from_arr(["eng"], 1)
    assert with_file_varieties(tracks, "Film.2020.1080p.mkv") is tracks
