"""What the fake Sonarr/Radarr reads in a release title: its languages and its quality.

A small subset of the real parsers, followed rule by rule (Sonarr/Sonarr develop 97d24ac,
Radarr/Radarr develop 1b9662d):

- ``src/NzbDrone.Core/Parser/LanguageParser.cs`` ``ParseLanguages``: the words looked for
  in the lowercased title (Sonarr: "spanish", "japanese", "portuguese", "brazilian" or
  "dublado", "latino", then the regular expressions, then "english"; Radarr: "english"
  first), the alternatives of ``LanguageRegex`` (and Radarr's ``CaseSensitiveLanguageRegex``)
  for the languages below, kept in the source's order, Unknown when nothing was found,
  and the German DL / ML rule (``GermanDualLanguageRegex``, ``GermanMultiLanguageRegex``):
  a German-only title tagged DL is German + Original, tagged ML German + Original +
  English. Sonarr first cuts the series title off (``CleanSeriesTitleRegex``).
- ``src/NzbDrone.Core/Download/Aggregation/Aggregators/AggregateLanguages.cs``: a title
  with MULTi (``Parser.HasMultipleLanguages``: ``[_. ](?<multi>multi)[_. ]``) gets the
  indexer's "Multi Languages" setting (none by default); a title with no language is in
  the item's original language; Original becomes the item's original language (Unknown
  when that is already there). Not played: dropping a language that only the episode or
  movie title holds.
- ``src/NzbDrone.Core/Parser/QualityParser.cs``: ``SourceRegex`` (Blu-ray, WEB-DL, WEBRip,
  HDTV, BDRip/BRRip), ``ResolutionRegex`` (480p, 720p, 1080p, 2160p), ``ProperRegex`` and
  ``RepackRegex`` (revision 2), mapped to the qualities of profiles.QUALITIES; anything
  else is Unknown.

Languages are names here ("French", "Original", "Unknown"); the resource gives them the
release's ids (languages.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fakes.arr.profiles import QUALITIES

# Sonarr LanguageParser.CleanSeriesTitleRegex.
_SONARR_CLEAN_SERIES_TITLE = re.compile(r".*?[_. ](S\d{2}(?:E\d{2,4})*[_. ].*)", re.IGNORECASE)

# Sonarr LanguageParser.LanguageRegex, the alternatives of these languages in its order.
_SONARR_LANGUAGE = re.compile(
    r"(?:\W|_)(?P<english>\b(?:ing|eng)\b)"
    r"|(?P<italian>\b(?:ita|italian)\b)"
    r"|(?P<german>german\b|videomann|ger[. ]dub)"
    r"|(?P<french>(?:\W|_)(?:FR|VF|VF2|VFF|VFI|VFQ|TRUEFRENCH|FRENCH)(?:\W|_))"
    r"|(?P<spanish>\b(?:español|castellano|esp|spa(?!\(Latino\)))\b)"
    r"|(?P<original>\b(?:orig|original)\b)",
    re.IGNORECASE,
)

# Radarr LanguageParser.LanguageRegex, the same way.
_RADARR_LANGUAGE = re.compile(
    r"(?:\W|_|^)(?P<english>\beng\b)"
    r"|(?P<italian>\b(?:ita|italian)\b)"
    r"|(?P<german>(?:swiss)?german\b|videomann|ger[. ]dub|\bger\b)"
    r"|(?P<brazilian>\b(dublado|pt-BR)\b)"
    r"|(?P<french>\b(?:FR|VO|VF|VFF|VFQ|VFI|VF2|TRUEFRENCH|FRENCH|FRE|FRA)\b)"
    r"|(?P<spanish>\b(?:español|castellano)\b)"
    r"|(?P<japanese>\bJAP\b)"
    r"|(?P<original>\b(?:orig|original)\b)",
    re.IGNORECASE,
)

# Radarr LanguageParser.CaseSensitiveLanguageRegex (.NET's inline "(?i)" scoped here).
_RADARR_CASE_SENSITIVE = re.compile(
    r"(?i:(?<!SUB[\W|_|^]))"
    r"(?:(?P<english>\bEN\b)|(?P<german>\bDE\b)|(?P<spanish>\b(?<!DTS[._ -])ES\b))"
    r"(?i:(?![\W|_|^]SUB))"
)

_GROUP_NAMES = {
    "english": "English",
    "italian": "Italian",
    "german": "German",
    "french": "French",
    "spanish": "Spanish",
    "brazilian": "Portuguese (Brazil)",
    "japanese": "Japanese",
    "original": "Original",
}

# Python's lookbehind is fixed-width: .NET's (?<!WEB[-_. ]?) is written as two.
_GERMAN_DUAL = re.compile(r"(?<!WEB)(?<!WEB[-_. ])\bDL\b", re.IGNORECASE)
_GERMAN_MULTI = re.compile(r"\bML\b", re.IGNORECASE)

# Parser.MultiRegex (both apps).
_MULTI = re.compile(r"[_. ](?P<multi>multi)[_. ]", re.IGNORECASE)

# The words ParseLanguages looks for before its regular expressions, in its order.
_SONARR_WORDS = (
    (("spanish",), "Spanish"),
    (("japanese",), "Japanese"),
    (("portuguese",), "Portuguese"),
    (("brazilian", "dublado"), "Portuguese (Brazil)"),
    (("latino",), "Spanish (Latino)"),
)
_RADARR_WORDS = (
    (("english",), "English"),
    (("spanish",), "Spanish"),
    (("japanese",), "Japanese"),
    (("portuguese",), "Portuguese"),
    (("brazilian",), "Portuguese (Brazil)"),
    (("latino",), "Spanish (Latino)"),
)


def parse_languages(title: str, app: str) -> list[str]:
    """LanguageParser.ParseLanguages (the subset above): names, in the order found."""
    if app == "sonarr":
        title = _SONARR_CLEAN_SERIES_TITLE.sub(r"\1", title, count=1)
    lower = title.lower()
    words = _SONARR_WORDS if app == "sonarr" else _RADARR_WORDS
    found = [name for needles, name in words if any(needle in lower for needle in needles)]
    if app == "radarr":
        for match in _RADARR_CASE_SENSITIVE.finditer(title):
            found += [_GROUP_NAMES[key] for key, value in match.groupdict().items() if value]
    regex = _SONARR_LANGUAGE if app == "sonarr" else _RADARR_LANGUAGE
    for match in regex.finditer(title):
        found += [
            _GROUP_NAMES[key]
            for key, value in match.groupdict().items()
            if value is not None and key in _GROUP_NAMES
        ]
    if app == "sonarr" and "english" in lower:
        found.append("English")
    if not found:
        found = ["Unknown"]
    if found == ["German"]:
        if _GERMAN_DUAL.search(title):
            found.append("Original")
        elif _GERMAN_MULTI.search(title):
            found += ["Original", "English"]
    return list(dict.fromkeys(found))


def has_multiple_languages(title: str) -> bool:
    """Parser.HasMultipleLanguages."""
    return _MULTI.search(title) is not None


def release_languages(
    title: str, app: str, original: str, multi_languages: Sequence[str] = ()
) -> list[str]:
    """AggregateLanguages.Aggregate for a release of an item whose original language is
    ``original`` ("Unknown" when the item has none), from an indexer whose Multi
    Languages setting is ``multi_languages`` (names, "Original" allowed)."""
    languages = parse_languages(title, app)
    if multi_languages and has_multiple_languages(title):
        if languages in ([], ["Unknown"]):
            languages = list(multi_languages)
        else:
            languages += [name for name in multi_languages if name not in languages]
    if languages in ([], ["Unknown"]):
        languages = [original]
    if "Original" in languages:
        languages.remove("Original")
        languages.append(original if original not in languages else "Unknown")
    return languages


# QualityParser.SourceRegex: the alternatives of these sources, in its order.
_SOURCE = re.compile(
    r"\b(?:"
    r"(?P<bluray>BluRay|Blu-Ray|HD-?DVD|BDMux|BD(?!$))"
    r"|(?P<webdl>WEB[-_. ]DL(?:mux)?|WEBDL|[. ]WEB[. ](?:[xh][ .]?26[45]|AVC|HEVC|DDP?5[. ]1)"
    r"|[. ](?-i:WEB)$|(?:720|1080|2160)p[-. ]WEB[-. ]|[-. ]WEB[-. ](?:720|1080|2160)p"
    r"|(?:AMZN|NF|DP)[. -]WEB[. -](?!Rip))"
    r"|(?P<webrip>WebRip|Web-Rip|WEBMux)"
    r"|(?P<hdtv>HDTV)"
    r"|(?P<bdrip>BDRip|BDLight)"
    r"|(?P<brrip>BRRip)"
    r")(?:\b|$|[ .])",
    re.IGNORECASE,
)
_RESOLUTION = re.compile(
    r"\b(?:(?P<R480p>480p|480i|640x480|848x480)|(?P<R720p>720p|1280x720|960p)"
    r"|(?P<R1080p>1080p|1920x1080|1440p|FHD|1080i|4kto1080p)"
    r"|(?P<R2160p>2160p|3840x2160|4k[-_. ](?:UHD|HEVC|BD|H265)|(?:UHD|HEVC|BD|H265)[-_. ]4k))\b",
    re.IGNORECASE,
)
_PROPER = re.compile(r"\b(?P<proper>proper)\b", re.IGNORECASE)
_REPACK = re.compile(r"\b(?P<repack>repack\d?|rerip\d?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedQuality:
    name: str  # a profiles.QUALITIES name
    revision: int  # 1, or 2 for a PROPER / REPACK


def parse_quality(title: str) -> ParsedQuality:
    """QualityParser.ParseQuality (the subset above)."""
    revision = 2 if _PROPER.search(title) or _REPACK.search(title) else 1
    resolution_match = _RESOLUTION.search(title)
    resolution = 0
    if resolution_match:
        group = next(key for key, value in resolution_match.groupdict().items() if value)
        resolution = int(group[1:-1])
    source_match = _SOURCE.search(title)
    source = None
    if source_match:
        source = next(key for key, value in source_match.groupdict().items() if value)
    name = _quality_name(source, resolution)
    return ParsedQuality(name if name in QUALITIES else "Unknown", revision)


def _quality_name(source: str | None, resolution: int) -> str:
    if source in ("bluray", "bdrip", "brrip"):
        return f"Bluray-{resolution}p"
    if source == "webdl":
        return f"WEBDL-{resolution}p"
    if source == "webrip":
        return f"WEBRip-{resolution}p"
    if source == "hdtv":
        return f"HDTV-{resolution}p" if resolution >= 720 else "SDTV"
    # No source: QualityParser takes a 1080p / 720p title for HDTV.
    return f"HDTV-{resolution}p" if resolution in (720, 1080) else "Unknown"
