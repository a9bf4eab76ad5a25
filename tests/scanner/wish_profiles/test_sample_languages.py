"""The samples of the judgement say the languages Sonarr and Radarr read in their names
(scanner.wish_profiles.samples, issue 92 finding 4): checked against a table of the
rules of ``src/NzbDrone.Core/Parser/LanguageParser.cs`` (Sonarr/Sonarr 49df353,
Radarr/Radarr 1b9662d) transcribed here, word by word, apart from the module that
follows them (scanner.wish_profiles.release_languages), itself checked against the
apps' own ``LanguageParserFixture.cs`` cases."""

from __future__ import annotations

import pytest

from scanner.engine.languages import canonical, language_name
from scanner.wish_profiles import samples as sampled
from scanner.wish_profiles.release_languages import (
    RADARR,
    SONARR,
    parse_languages,
    release_languages,
)
from scanner.wish_profiles.samples import BY_LANGUAGE, ORIGINAL, ORIGINAL_ALONE, TAIL, Sample

APPS = (SONARR, RADARR)

# Each word of the tables' names: the rule of LanguageParser.cs that reads it (the same
# in Sonarr and Radarr unless said) and the language it gives; None: read by no rule.
WORDS: dict[str, tuple[str, str | None]] = {
    "VFQ": ("LanguageRegex, french: VFQ", "French"),
    "VFF": ("LanguageRegex, french: VFF", "French"),
    "VF2": ("LanguageRegex, french: VF2", "French"),
    "TRUEFRENCH": ("LanguageRegex, french: TRUEFRENCH", "French"),
    "FRENCH": ("LanguageRegex, french: FRENCH", "French"),
    "GERMAN": ("LanguageRegex, german: german\\b", "German"),
    "DL": ("GermanDualLanguageRegex, on a German-only name: Original", None),
    "SPANISH": ('lowerTitle.Contains("spanish")', "Spanish"),
    "CASTELLANO": ("LanguageRegex, spanish: castellano", "Spanish"),
    "LATINO": ('lowerTitle.Contains("latino")', "Spanish (Latino)"),
    "PORTUGUESE": ('lowerTitle.Contains("portuguese")', "Portuguese"),
    "DUBLADO": (
        'Sonarr lowerTitle.Contains("dublado"); Radarr LanguageRegex, brazilian: dublado',
        "Portuguese (Brazil)",
    ),
    "MANDARIN": ('lowerTitle.Contains("mandarin")', "Chinese"),
    "CANTONESE": ('lowerTitle.Contains("cantonese")', "Chinese"),
    "DUAL": ("no rule: neither the parser nor AggregateLanguages reads it", None),
    "MULTi": ("no language rule: AggregateLanguages.cs, the Multi Languages setting", None),
}
# The indexer's Multi Languages setting the samples assume, per table: the dub's
# language and the original (a French user's).
MULTI_LANGUAGES = {"fra": ("French", "Original"), "zho": ("Chinese", "Original")}


def _words(sample: Sample) -> list[str]:
    prefix, suffix = "Movie.2019.", f".{TAIL}"
    assert sample.title.startswith(prefix) and sample.title.endswith(suffix)
    middle = sample.title[len(prefix) : -len(suffix)]
    return middle.split(".") if middle else []


def _by_the_table(sample: Sample, language: str) -> set[str]:
    """The *arr's languages of a table's sample, by WORDS alone."""
    words = _words(sample)
    unknown = [word for word in words if word not in WORDS]
    assert not unknown, f"{sample.title}: no rule transcribed for {unknown}"
    found = [name for word in words if (name := WORDS[word][1]) is not None]
    if "DL" in words and found == ["German"]:
        found.append("Original")
    if "MULTi" in words:
        found += MULTI_LANGUAGES[language]
    return set(found) or {"Original"}  # Unknown: the item's original language


def _said(sample: Sample) -> set[str]:
    return {"Original" if name == ORIGINAL else name for name in sample.languages}


@pytest.mark.parametrize(
    ("language", "sample"),
    [(language, sample) for language, table in BY_LANGUAGE.items() for sample in table],
    ids=lambda value: value.title if isinstance(value, Sample) else value,
)
def test_each_table_sample_says_what_the_arr_reads(language: str, sample: Sample) -> None:
    assert _said(sample) == _by_the_table(sample, language)


@pytest.mark.parametrize("app", APPS)
def test_the_rules_followed_read_each_table_sample_alike(app: str) -> None:
    """The rules the judgement follows (release_languages) agree with the table, in
    both apps: the tables need not know the instance's kind."""
    for language, table in BY_LANGUAGE.items():
        for sample in table:
            setting = MULTI_LANGUAGES.get(language, ())
            assert set(release_languages(sample.title, app, setting)) == _said(sample), (
                app,
                sample.title,
            )
    assert release_languages(ORIGINAL_ALONE.title, app) == ["Original"]


@pytest.mark.parametrize("word", ["LATINO", "CASTELLANO", "DUBLADO"])
def test_a_dual_release_holds_the_original_the_arr_does_not_read(word: str) -> None:
    dual = next(
        s for t in BY_LANGUAGE.values() for s in t if s.title.endswith(f"DUAL.{word}.{TAIL}")
    )
    assert ORIGINAL in dual.holds
    assert ORIGINAL not in dual.languages
    for app in APPS:
        assert "Original" not in parse_languages(dual.title, app)


# Cases of the apps' own LanguageParserFixture.cs (src/NzbDrone.Core.Test/ParserTests/):
# (app, test, name, languages it asserts, whether exactly those).
FIXTURES = [
    (SONARR, "should_parse_language_spanish_latino",
     "Series Title (Temporada 11 Completa) Audio Dual Ingles/Latino 1920x1080",
     {"Spanish (Latino)"}, False),
    (RADARR, "should_parse_language_spanish_latino",
     "Movie Title (Temporada 11 Completa) Audio Dual Ingles/Latino 1920x1080",
     {"Spanish (Latino)"}, False),
    (RADARR, "should_parse_language_spanish_latino", "Movie.Title.1080p.WEB.H264.Latino.YG",
     {"Spanish (Latino)"}, False),
    (SONARR, "should_parse_hindi_and_english",
     "The Final Sonarr (2020) S04 Complete 720p NF WEBRip [Hindi+English] Dual audio",
     {"Hindi", "English"}, True),
    (SONARR, "should_parse_hindi_and_english",
     "The Shadow Series S01 E01-08 WebRip Dual Audio [Hindi 5.1 + English 5.1] 720p x264 AAC ESub",
     {"Hindi", "English"}, True),
    (RADARR, "should_parse_language_slovak",
     "Movie.Title.2018.SLOVAK.DUAL.2160p.UHD.BluRay.x265-iCZi", {"Slovak"}, False),
    (SONARR, "should_parse_language_spanish",
     "Series Title - Temporada 1 [HDTV 720p][Cap.101][AC3 5.1 Castellano][www.pctnew.ORG]",
     {"Spanish"}, False),
    (RADARR, "should_parse_language_spanish",
     "Movie Title 2022 [HDTV 720p][Cap.101][AC3 5.1 Castellano][www.pctnew.ORG]",
     {"Spanish"}, False),
    (SONARR, "should_parse_language_portuguese_brazil",
     "Title.the.Series.2009.S01E14.Dublado.HDTV.XviD-LOL", {"Portuguese (Brazil)"}, False),
    (RADARR, "should_parse_language_brazilian_portuguese",
     "Movie.Title.1994.Dublado.1080p.XviD-LOL", {"Portuguese (Brazil)"}, False),
    (SONARR, "should_parse_language_chinese",
     "Title.the.Series.2009.S01E14.Cantonese.HDTV.XviD-LOL", {"Chinese"}, False),
    (SONARR, "should_parse_language_chinese",
     "Title.the.Series.2009.S01E14.Mandarin.HDTV.XviD-LOL", {"Chinese"}, False),
    (SONARR, "should_parse_language_french", "Title.S01.720p.VF2.WEB-DL.AAC2.0.H.264-BTN",
     {"French"}, False),
    (SONARR, "should_add_original_language_to_german_release_with_dl_tag",
     "Series.Title.S01E01.GERMAN.DL.1080P.WEB.H264-RlsGrp", {"German", "Original"}, True),
    (RADARR, "should_add_original_language_to_german_release_with_dl_tag",
     "The.Movie.Name.2016.German.DTS.DL.720p.BluRay.x264-RlsGrp", {"German", "Original"}, True),
    (SONARR, "should_not_add_original_language_to_german_release_when_title_contains_web_dl",
     "Series.Title.2023.S01E01.GERMAN.1080P.WEB.DL.H264-RlsGrp", {"German"}, True),
    (RADARR, "should_not_add_original_language_to_german_release_when_title_contains_web_dl",
     "The Movie Name 2016 GERMAN WEB DL h264-RlsGrp", {"German"}, True),
    (SONARR, "should_add_original_language_and_english_to_german_release_with_ml_tag",
     "Series.Title.2023.S01.German.ML.EAC3.1080p.NF.WEB.H264-RlsGrp",
     {"German", "Original", "English"}, True),
    (SONARR, "should_parse_english_spanish_and_catalan",
     "Series S02 (1999\u20132003)[BDRemux 1080p AVC Esp DD2.0,Ing DTS-HD5.1,Cat DD2.0 Subs]"
     "[HD-Olimpo][PACK]", {"English", "Spanish", "Catalan"}, True),
    (RADARR, "should_parse_language_czech", "Movie.Title.1994.CZ.1080p.XviD-LOL", {"Czech"}, False),
]  # fmt: skip


@pytest.mark.parametrize(("app", "test", "title", "languages", "exactly"), FIXTURES)
def test_the_rules_followed_agree_with_the_apps_fixtures(
    app: str, test: str, title: str, languages: set[str], exactly: bool
) -> None:
    found = set(parse_languages(title, app))
    assert found == languages if exactly else languages <= found, (app, test, found)


def test_multi_without_a_setting_reads_no_language() -> None:
    """AggregateLanguages.cs: the Multi Languages setting is empty by default; MULTi
    alone then says nothing, and Unknown is the item's original."""
    assert release_languages("Movie.2019.MULTi.1080p.WEB.H264-GRP", SONARR) == ["Original"]
    assert release_languages("Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP", RADARR) == ["French"]


# Another language: its English name, as each app reads it (Language.cs names).
OTHERS = [
    # (target, Sonarr, Radarr)
    ("it", ("Italian",), ("Italian",)),  # both: LanguageRegex, italian
    ("ta", (ORIGINAL,), ("Tamil",)),  # Radarr only: lowerTitle.Contains("tamil")
    ("az", ("Azerbaijani",), (ORIGINAL,)),  # Sonarr only: Contains("azerbaijani")
    ("cs", (ORIGINAL,), (ORIGINAL,)),  # neither: CaseSensitiveLanguageRegex's "CZ" alone
    ("ko", ("Korean",), ("Korean",)),
]


@pytest.mark.parametrize(("target", "sonarr", "radarr"), OTHERS)
def test_another_language_is_read_as_the_instance_kind_reads_it(
    target: str, sonarr: tuple[str, ...], radarr: tuple[str, ...]
) -> None:
    language = sampled.language_of(target)
    assert language is not None
    for app, expected in ((SONARR, sonarr), (RADARR, radarr)):
        alone, multi = sampled.samples_for(language, app)
        assert alone.languages == expected, (app, alone.title)
        assert set(multi.languages) == {language_name(language), ORIGINAL}, app
    # The kind unknown: only what both read.
    alone, _multi = sampled.samples_for(language)
    assert alone.languages == (sonarr if sonarr == radarr else (ORIGINAL,))


def test_a_multi_release_of_a_language_the_arr_lacks_has_the_original_alone() -> None:
    """The Multi Languages setting names the *arr's languages only: Sonarr has no
    Bengali (Language.cs), a MULTi.BENGALI is Unknown to it, then the original."""
    bengali = sampled.language_of("bn")
    assert bengali is not None
    sonarr_known = {"english", "french", "tamil", "original"}
    _alone, multi = sampled.samples_for(bengali, SONARR, sonarr_known)
    assert multi.languages == (ORIGINAL,)
    _alone, multi = sampled.samples_for(bengali, RADARR, sonarr_known | {"bengali"})
    assert set(multi.languages) == {"Bengali", ORIGINAL}


# Sonarr's and Radarr's src/NzbDrone.Core/Languages/Language.cs, the names of either.
LANGUAGE_CS = (
    "English", "French", "Spanish", "German", "Italian", "Danish", "Dutch", "Japanese",
    "Icelandic", "Chinese", "Russian", "Polish", "Vietnamese", "Swedish", "Norwegian",
    "Finnish", "Turkish", "Portuguese", "Greek", "Korean", "Hungarian", "Hebrew",
    "Lithuanian", "Czech", "Arabic", "Hindi", "Bulgarian", "Malayalam", "Ukrainian",
    "Slovak", "Thai", "Romanian", "Latvian", "Persian", "Catalan", "Croatian",
    "Serbian", "Bosnian", "Estonian", "Tamil", "Indonesian", "Macedonian", "Slovenian",
    "Azerbaijani", "Uzbek", "Malay", "Urdu", "Romansh", "Georgian", "Bengali", "Telugu",
    "Kannada", "Albanian", "Afrikaans", "Marathi", "Tagalog", "Mongolian"
)  # fmt: skip


@pytest.mark.parametrize("app", APPS)
def test_every_language_of_the_arrs_reads_as_the_rules_say(app: str) -> None:
    """The samples of every Language.cs language agree with the rules followed: a
    language word the app does not read is the original's (Unknown)."""
    for name in LANGUAGE_CS:
        code = canonical(name)
        language = sampled.language_of(code) if code else None
        assert language is not None, name
        for sample in sampled.samples_for(language, app):
            if language in BY_LANGUAGE:
                continue  # the tables: checked word by word above
            found = parse_languages(sample.title, app)
            alone = [] if found == ["Unknown"] else found
            expected = set(alone) | (
                {"Original"} if not alone or "MULTi" in sample.title else set()
            )
            if "MULTi" in sample.title:
                expected.add(language_name(language))
            assert _said(sample) == expected, (app, sample.title)
