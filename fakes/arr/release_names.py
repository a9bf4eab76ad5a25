"""Real release names for the fake's releases, from Sonarr's and Radarr's own test
fixtures (Sonarr/Sonarr develop 97d24ac, Radarr/Radarr develop 1b9662d), each group
with the fixture file and test it comes from. ``COMPOSED`` holds the few names no
fixture has, each made from a fixture name by changing one tag, and says which.
"""

from __future__ import annotations

# -- Sonarr -----------------------------------------------------------------------

# src/NzbDrone.Core.Test/ParserTests/LanguageParserFixture.cs, should_parse_language_french
SONARR_FRENCH_VF = "Title.S01.720p.VF.WEB-DL.AAC2.0.H.264-BTN"
SONARR_FRENCH_VF2 = "Title.S01.720p.VF2.WEB-DL.AAC2.0.H.264-BTN"
SONARR_FRENCH_VFF = "Title.S01.720p.VFF.WEB-DL.AAC2.0.H.264-BTN"
SONARR_FRENCH_VFQ = "Title.S01.720p.VFQ.WEB-DL.AAC2.0.H.264-BTN"
SONARR_TRUEFRENCH = "Title.S01.720p.TRUEFRENCH.WEB-DL.AAC2.0.H.264-BTN"
SONARR_MULTI_VFI = "Series In The Middle S01 Multi VFI VO 1080p WEB x265 HEVC AAC 5.1-Papaya"

# src/NzbDrone.Core.Test/Download/Aggregation/Aggregators/AggregateLanguagesFixture.cs,
# should_return_multi_languages_when_indexer_id_has_multi_languages_configuration,
# ..._when_release_as_specified_language_..., ..._when_release_as_other_language_...
SONARR_MULTI = "Series.Title.S01E01.MULTi.1080p.WEB.H265-RlsGroup"
SONARR_MULTI_VFF_VFQ = "Series.Title.S01E01.MULTi.VFF.VFQ.1080p.BluRay.DTS.HDMA.x264-RlsGroup"
SONARR_MULTI_GERMAN = "Series.Title.S01E01.MULTi.GERMAN.1080p.BluRay.DTS.HDMA.x264-RlsGroup"

# LanguageParserFixture.cs, should_parse_language_german,
# should_add_original_language_to_german_release_with_dl_tag,
# should_add_original_language_and_english_to_german_release_with_ml_tag,
# should_not_add_original_language_to_german_release_when_title_contains_web_dl
SONARR_GERMAN = "Title.the.Series.2009.S01E14.German.HDTV.XviD-LOL"
SONARR_GERMAN_DL = "Series.Title.2023.S01E01.German.DL.EAC3.1080p.DSNP.WEB.H264-RlsGrp"
SONARR_GERMAN_ML = "Series.Title.2023.S01.German.ML.EAC3.1080p.NF.WEB.H264-RlsGrp"
SONARR_GERMAN_WEB_DL = "Series.Title.2023.S01E01.GERMAN.1080P.WEB-DL.H264-RlsGrp"

# LanguageParserFixture.cs, should_parse_original_title_from_release_name
SONARR_ORIGINAL = "Series.Title.S01E01.Original.1080P.WEB.H264-RlsGrp"
SONARR_ORIG = "Series.Title.S01E01.Orig.1080P.WEB.H264-RlsGrp"

# LanguageParserFixture.cs, should_parse_language_italian, should_parse_language_japanese,
# should_parse_language_spanish_latino, should_parse_language_english
SONARR_ITALIAN = "Title.the.Series.1x19.ita.720p.bdmux.x264-novarip"
SONARR_JAPANESE = "Title.the.Series.2009.S01E14.Japanese.HDTV.XviD-LOL"
SONARR_LATINO = "series title 7x4 audio latino"
SONARR_ENGLISH = "Title.the.Series.2009.S01E14.English.HDTV.XviD-LOL"

# -- Radarr -----------------------------------------------------------------------

# src/NzbDrone.Core.Test/ParserTests/LanguageParserFixture.cs, should_parse_language_french
RADARR_FRENCH = "Movie.Title.1994.French.1080p.XviD-LOL"
RADARR_VFF = "Movie Title - Other Title 2011 Bluray 4k HDR HEVC AC3 VFF"
RADARR_MULTI_VF = "Movie.Title.1956.MULTi.VF.Bluray.1080p.REMUX.AC3.x264"

# src/NzbDrone.Core.Test/ParserTests/ParsingServiceTests/ParseQualityDefinitionFixture.cs
# (languages English and French)
RADARR_MULTI_VFQ = "Movie (2016) MULTi VFQ [1080p] BluRay x264-PopHD"

# src/NzbDrone.Core.Test/Download/Aggregation/Aggregators/AggregateLanguagesFixture.cs
RADARR_MULTI_VFF_VFQ = "Some.Movie.2024.MULTi.VFF.VFQ.1080p.BluRay.DTS.HDMA.x264-RlsGroup"
RADARR_MULTI_GERMAN = "Some.Movie.2024.MULTi.GERMAN.1080p.BluRay.DTS.HDMA.x264-RlsGroup"
# src/NzbDrone.Core.Test/IndexerTests/IndexerBaseFixture.cs, should_parse_multi_language
RADARR_MULTI = "The.Movie.Name.2016.Multi.DTS.720p.BluRay.x264-RlsGrp"

# src/NzbDrone.Core.Test/ParserTests/ParserFixture.cs (the movie title tests)
RADARR_GERMAN_DL = "World.Movie.Z.EXTENDED.2013.German.DL.1080p.BluRay.AVC-XANOR"
RADARR_GERMAN = "8.2019.GERMAN.720p.BluRay.x264-UNiVERSUM"
RADARR_GERMAN_WEB = "2.Movie.in.L.A.1996.GERMAN.DL.720p.WEB.H264-SOV"
# LanguageParserFixture.cs, should_add_original_language_and_english_to_german_release_with_ml_tag
RADARR_GERMAN_ML = "The.Movie.Name.2023.German.ML.EAC3.720p.NF.WEB.H264-RlsGrp"

# LanguageParserFixture.cs, should_parse_original_title_from_release_name
RADARR_ORIGINAL = "Movie.Title.2025.Original.1080P.WEB.H264-RlsGrp"
RADARR_ORIG = "Movie.Title.2025.Orig.1080P.WEB.H264-RlsGrp"

# ParserFixture.cs: an English release with no language tag (the original language).
RADARR_UNTAGGED = "The.Italian.Movie.2025.720p.BluRay.X264-AMIABLE"

# -- Composed ---------------------------------------------------------------------

# No fixture of either app has a MULTi release with the France dub alone; these are
# Sonarr's LanguageParserFixture names (SONARR_FRENCH_VFF, SONARR_FRENCH_VFQ) with
# "MULTi." put before the dub tag.
SONARR_MULTI_VFF = "Title.S01.720p.MULTi.VFF.WEB-DL.AAC2.0.H.264-BTN"
SONARR_MULTI_VFQ = "Title.S01.720p.MULTi.VFQ.WEB-DL.AAC2.0.H.264-BTN"
# SONARR_GERMAN_DL with the tag removed: an untagged release of the same series.
SONARR_UNTAGGED = "Series.Title.2023.S01E01.1080p.DSNP.WEB.H264-RlsGrp"
COMPOSED = (SONARR_MULTI_VFF, SONARR_MULTI_VFQ, SONARR_UNTAGGED)

# -- Sets of candidates -------------------------------------------------------------

# A French-speaking household's choice of one series' releases, all WEBDL-720p: the
# quality ties, the custom format score decides.
SONARR_FRENCH_CHOICE = (
    SONARR_FRENCH_VFF,
    SONARR_MULTI_VFF,
    SONARR_FRENCH_VFQ,
    SONARR_TRUEFRENCH,
    SONARR_FRENCH_VF2,
)
# An anime's releases: the original (untagged: the original language), dubs.
SONARR_ORIGINAL_CHOICE = (SONARR_GERMAN_DL, SONARR_GERMAN_WEB_DL, SONARR_UNTAGGED, SONARR_ORIGINAL)
# A film's releases for a German household (Radarr), all Bluray-1080p but the last.
RADARR_GERMAN_CHOICE = (RADARR_MULTI_VFQ, RADARR_GERMAN_DL, RADARR_MULTI_GERMAN, RADARR_ORIGINAL)
