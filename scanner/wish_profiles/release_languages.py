"""The languages Sonarr and Radarr read in a release name, for the samples of the
judgement of a quality profile (scanner.wish_profiles.samples): what their
``src/NzbDrone.Core/Parser/LanguageParser.cs`` ``ParseLanguages`` finds (Sonarr/Sonarr
49df353, Radarr/Radarr 1b9662d), then what ``src/NzbDrone.Core/Download/Aggregation/
Aggregators/AggregateLanguages.cs`` makes of it. Written in Python after the rules, in
their order:

- the words looked for anywhere in the lowercased name (``lowerTitle.Contains``:
  "latino" is Spanish (Latino), "mandarin" and "cantonese" Chinese; Sonarr's
  "dublado" Portuguese (Brazil), and its "english" after the regular expressions);
- ``CaseSensitiveLanguageRegex`` (Sonarr takes its first match, Radarr all of them) and
  ``LanguageRegex`` (each match: "castellano" is Spanish; Radarr's "dublado" Portuguese
  (Brazil); Sonarr's skips a language followed by "subs");
- Unknown when nothing was found; a German-only name tagged DL is German and Original
  (``GermanDualLanguageRegex``), tagged ML German, Original and English
  (``GermanMultiLanguageRegex``). No rule reads "DUAL": a ``DUAL.LATINO`` is Spanish
  (Latino) alone (LanguageParserFixture.cs: "Audio Dual Ingles/Latino" is Spanish
  (Latino); Sonarr's "[Hindi+English] Dual audio" is exactly Hindi and English);
- AggregateLanguages: a name with MULTi (``Parser.HasMultipleLanguages``,
  ``[_. ](?<multi>multi)[_. ]``) gets the indexer's "Multi Languages" setting (none by
  default; in place of Unknown, else beside what was read); Unknown becomes the item's
  original language, as Original does.

Sonarr first cuts a series title off (``CleanSeriesTitleRegex``); Radarr reads the name
with its movie title and release group replaced (``Parser.ParseMovieTitle``): the
samples' title ("Movie") and group ("GRP") name no language, so the whole name is read.
Language names as Language.cs spells them; "Original" for the item's original language.

Pure Python, no Django."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

SONARR: Final = "sonarr"
RADARR: Final = "radarr"
APPS: Final = (SONARR, RADARR)
UNKNOWN: Final = "Unknown"
ORIGINAL: Final = "Original"
ENGLISH: Final = "English"
GERMAN: Final = "German"
BRAZIL: Final = "Portuguese (Brazil)"
LATINO: Final = "Spanish (Latino)"

# ParseLanguages' lowerTitle.Contains(...) before the regular expressions, in order.
_WORDS: Final = {
    SONARR: (
        (("spanish",), "Spanish"),
        (("danish",), "Danish"),
        (("dutch",), "Dutch"),
        (("japanese",), "Japanese"),
        (("icelandic",), "Icelandic"),
        (("mandarin", "cantonese", "chinese"), "Chinese"),
        (("korean",), "Korean"),
        (("russian",), "Russian"),
        (("polish",), "Polish"),
        (("vietnamese",), "Vietnamese"),
        (("swedish",), "Swedish"),
        (("norwegian",), "Norwegian"),
        (("finnish",), "Finnish"),
        (("turkish",), "Turkish"),
        (("portuguese",), "Portuguese"),
        (("hungarian",), "Hungarian"),
        (("hebrew",), "Hebrew"),
        (("arabic",), "Arabic"),
        (("hindi",), "Hindi"),
        (("malayalam",), "Malayalam"),
        (("ukrainian",), "Ukrainian"),
        (("bulgarian",), "Bulgarian"),
        (("slovak",), "Slovak"),
        (("brazilian", "dublado"), BRAZIL),
        (("latino",), LATINO),
        (("latvian",), "Latvian"),
        (("azerbaijani", "azerbaijan"), "Azerbaijani"),
        (("uzbek", "uzbekistan"), "Uzbek"),
    ),
    RADARR: (
        (("english",), ENGLISH),
        (("spanish",), "Spanish"),
        (("danish",), "Danish"),
        (("dutch",), "Dutch"),
        (("japanese",), "Japanese"),
        (("icelandic",), "Icelandic"),
        (("mandarin", "cantonese", "chinese"), "Chinese"),
        (("korean",), "Korean"),
        (("russian",), "Russian"),
        (("romanian",), "Romanian"),
        (("hindi",), "Hindi"),
        (("arabic",), "Arabic"),
        (("thai",), "Thai"),
        (("bulgarian",), "Bulgarian"),
        (("polish",), "Polish"),
        (("vietnamese",), "Vietnamese"),
        (("swedish",), "Swedish"),
        (("norwegian",), "Norwegian"),
        (("finnish",), "Finnish"),
        (("turkish",), "Turkish"),
        (("portuguese",), "Portuguese"),
        (("brazilian",), BRAZIL),
        (("hungarian",), "Hungarian"),
        (("hebrew",), "Hebrew"),
        (("ukrainian",), "Ukrainian"),
        (("persian",), "Persian"),
        (("bengali",), "Bengali"),
        (("slovak",), "Slovak"),
        (("latvian",), "Latvian"),
        (("latino",), LATINO),
        (("tamil",), "Tamil"),
        (("telugu",), "Telugu"),
        (("malayalam",), "Malayalam"),
        (("kannada",), "Kannada"),
        (("albanian",), "Albanian"),
        (("afrikaans",), "Afrikaans"),
        (("marathi",), "Marathi"),
        (("tagalog",), "Tagalog"),
    ),
}

# LanguageRegex's alternatives, (group, pattern), in order; a group's language is
# _GROUP_LANGUAGES' or its own name capitalized.
_SONARR_ALTERNATIVES: Final = (
    ("english", r"\b(?:ing|eng)\b"),
    ("italian", r"\b(?:ita|italian)\b"),
    ("german", r"(?:swiss)?german\b|videomann|ger[. ]dub|\bger\b"),
    ("flemish", r"flemish"),
    ("greek", r"greek"),
    ("french", r"(?:_|\b)(?:FR|VF|VF2|VFF|VFI|VFQ|TRUEFRENCH|FRENCH|FRE|FRA)(?:_|\b)"),
    ("russian", r"\b(?:rus|ru)\b"),
    ("hungarian", r"\b(?:HUNDUB|HUN)\b"),
    ("hebrew", r"\bHebDub\b"),
    ("polish", r"\b(?:PL\W?DUB|DUB\W?PL|LEK\W?PL|PL\W?LEK)\b"),
    ("chinese", r"\[(?:CH[ST]|BIG5|GB)\]|简|繁|字幕|国语音轨[.+]"),
    ("bulgarian", r"\bbgaudio\b"),
    ("spanish", r"\b(?:español|castellano|esp|spa(?!\(Latino\)))\b"),
    ("ukrainian", r"\b(?:\dx?)?(?:ukr)"),
    ("thai", r"\b(?:THAI)\b"),
    ("romanian", r"\b(?:RoDubbed|ROMANIAN)\b"),
    ("catalan", r"[-,. ]cat[. ](?:DD|subs)|\b(?:catalan|catalán)\b"),
    ("latvian", r"\b(?:lat|lav|lv)\b"),
    ("turkish", r"\b(?:tur)\b"),
    ("urdu", r"\burdu\b"),
    ("romansh", r"\b(?:romansh|rumantsch|romansch)\b"),
    ("georgian", r"\b(?:geo|ka|kat|georgian)\b"),
    ("japanese", r"\(JA\)|JAP|JPN"),
    ("portuguese", r"[_. ]por[_. ]"),
    ("original", r"\b(?:orig|original)\b"),
)
_RADARR_ALTERNATIVES: Final = (
    ("english", r"(?:\W|_|^)\beng\b"),  # (?:\W|_|^) is outside the group: it binds here
    ("italian", r"\b(?:ita|italian)\b"),
    ("german", r"(?:swiss)?german\b|videomann|ger[. ]dub|\bger\b"),
    ("flemish", r"flemish"),
    ("bulgarian", r"bgaudio"),
    ("romanian", r"rodubbed"),
    ("brazilian", r"\b(?:dublado|pt-BR)\b"),
    ("greek", r"greek"),
    ("french", r"\b(?:FR|VO|VF|VFF|VFQ|VFI|VF2|TRUEFRENCH|FRENCH|FRE|FRA)\b"),
    ("russian", r"\b(?:rus|ru)\b"),
    ("hungarian", r"\b(?:HUNDUB|HUN)\b"),
    ("hebrew", r"\b(?:HebDub|HebDubbed)\b"),
    ("polish", r"\b(?:PL\W?DUB|DUB\W?PL|LEK\W?PL|PL\W?LEK)\b"),
    ("chinese", r"\[(?:CH[ST]|BIG5|GB)\]|简|繁|字幕"),
    ("ukrainian", r"(?:(?:\dx)?UKR)"),
    ("spanish", r"\b(?:español|castellano)\b"),
    ("catalan", r"\b(?:catalan?|catalán|català)\b"),
    ("latvian", r"\b(?:lat|lav|lv)\b"),
    ("telugu", r"\btel\b"),
    ("vietnamese", r"\bVIE\b"),
    ("japanese", r"\bJAP\b"),
    ("korean", r"\bKOR\b"),
    ("urdu", r"\burdu\b"),
    ("romansh", r"\b(?:romansh|rumantsch|romansch)\b"),
    ("mongolian", r"\b(?:mongolian|khalkha)\b"),
    ("georgian", r"\b(?:georgian|geo|ka|kat)\b"),
    ("original", r"\b(?:orig|original)\b"),
)
# CaseSensitiveLanguageRegex's alternatives (.NET's inline "(?i)" scoped as Python's).
_SONARR_CASE_SENSITIVE: Final = (
    ("lithuanian", r"\bLT\b"),
    ("czech", r"\bCZ\b"),
    ("polish", r"\bPL\b"),
    ("bulgarian", r"\bBG\b"),
    ("slovak", r"\bSK\b"),
    ("german", r"\bDE\b"),
)
_RADARR_CASE_SENSITIVE: Final = (
    ("english", r"\bEN\b"),
    *_SONARR_CASE_SENSITIVE,
    ("spanish", r"\b(?<!DTS[._ -])ES\b"),
)
_GROUP_LANGUAGES: Final = {"brazilian": BRAZIL, "original": ORIGINAL}


def _alternation(alternatives: Sequence[tuple[str, str]], *, named: bool = True) -> str:
    return "|".join(
        f"(?P<{group}>{pattern})" if named else f"(?:{pattern})" for group, pattern in alternatives
    )


def _case_sensitive(alternatives: Sequence[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile(rf"(?i:(?<!SUB[\W|_|^]))(?:{_alternation(alternatives)})(?i:(?![\W|_|^]SUB))")


_LANGUAGE_REGEX: Final = {
    # Sonarr: LanguagesOnlyRegex, unless followed by more of them and "sub(s)".
    SONARR: re.compile(
        rf"(?:{_alternation(_SONARR_ALTERNATIVES)})"
        rf"(?!(?:[-_. ](?:{_alternation(_SONARR_ALTERNATIVES, named=False)}))*[-_. ]subs?)",
        re.IGNORECASE,
    ),
    RADARR: re.compile(_alternation(_RADARR_ALTERNATIVES), re.IGNORECASE),
}
_CASE_SENSITIVE_REGEX: Final = {
    SONARR: _case_sensitive(_SONARR_CASE_SENSITIVE),
    RADARR: _case_sensitive(_RADARR_CASE_SENSITIVE),
}
_CLEAN_SERIES_TITLE: Final = re.compile(r".*?[_. ](S\d{2}(?:E\d{2,4})*[_. ].*)", re.IGNORECASE)
# Python's lookbehind is fixed-width: .NET's (?<!WEB[-_. ]?) is written as two.
_GERMAN_DUAL: Final = re.compile(r"(?<!WEB)(?<!WEB[-_. ])\bDL\b", re.IGNORECASE)
_GERMAN_MULTI: Final = re.compile(r"\bML\b", re.IGNORECASE)
_MULTI: Final = re.compile(r"[_. ](?P<multi>multi)[_. ]", re.IGNORECASE)


def _languages_of(matches: Iterable[re.Match[str]]) -> list[str]:
    found = []
    for match in matches:
        for group, value in match.groupdict().items():
            if value is not None:
                found.append(_GROUP_LANGUAGES.get(group, group.capitalize()))
    return found


def parse_languages(title: str, app: str) -> list[str]:
    """``ParseLanguages`` of ``app`` (SONARR or RADARR): Language.cs names, in the order
    found, each once; ``[UNKNOWN]`` when none."""
    if app == SONARR:
        title = _CLEAN_SERIES_TITLE.sub(r"\1", title, count=1)
    lower = title.lower()
    found = [name for words, name in _WORDS[app] if any(word in lower for word in words)]
    case_sensitive = _CASE_SENSITIVE_REGEX[app]
    if app == SONARR:
        first = case_sensitive.search(title)
        found += _languages_of([first] if first else [])
    else:
        found += _languages_of(case_sensitive.finditer(title))
    found += _languages_of(_LANGUAGE_REGEX[app].finditer(title))
    if app == SONARR and "english" in lower:
        found.append(ENGLISH)
    if not found:
        found = [UNKNOWN]
    if found == [GERMAN]:
        if _GERMAN_DUAL.search(title):
            found.append(ORIGINAL)
        elif _GERMAN_MULTI.search(title):
            found += [ORIGINAL, ENGLISH]
    return list(dict.fromkeys(found))


def has_multiple_languages(title: str) -> bool:
    """``Parser.HasMultipleLanguages``."""
    return _MULTI.search(title) is not None


def release_languages(
    title: str, app: str | None, multi_languages: Sequence[str] = ()
) -> list[str]:
    """What AggregateLanguages gives a release named ``title`` of an indexer whose Multi
    Languages setting is ``multi_languages`` (names, ORIGINAL allowed): Language.cs
    names, ORIGINAL for the item's original language (UNKNOWN becomes it). ``app``
    None (or not one of APPS), the instance's kind unknown: only what both apps read."""
    if app is None or app not in APPS:
        sonarr, radarr = (parse_languages(title, kind) for kind in APPS)
        found = [name for name in sonarr if name in radarr] or [UNKNOWN]
    else:
        found = parse_languages(title, app)
    if multi_languages and has_multiple_languages(title):
        if found == [UNKNOWN]:
            found = list(multi_languages)
        else:
            found += [name for name in multi_languages if name not in found]
    if found in ([], [UNKNOWN]):
        found = [ORIGINAL]
    return list(dict.fromkeys(found))
