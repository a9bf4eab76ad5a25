"""Which audio and subtitle stream Jellyfin starts for a user: the server's own choice,
``MediaSource.DefaultAudioStreamIndex`` and ``DefaultSubtitleStreamIndex``, modelled from
jellyfin/jellyfin's source at the tag of each release the fake plays (releases.py). No
code of Jellyfin's is used; each rule names the file and method it follows.

Where it is computed (every release): ``Emby.Server.Implementations/Library/
MediaSourceManager.cs``, ``SetDefaultAudioAndSubtitleStreamIndices`` (10.8.13:
``SetDefaultAudioAndSubtitleStreamIndexes``), called by ``GetStaticMediaSources`` and
``GetPlaybackMediaSources`` for a user, which ``Jellyfin.Api/Helpers/MediaInfoHelper.cs``
``GetPlaybackInfo`` calls for ``GET``/``POST /Items/{itemId}/PlaybackInfo``
(``Jellyfin.Api/Controllers/MediaInfoController.cs``). For a video:

1. ``SetDefaultAudioStreamIndex``: the audio stream the user picked on that item before
   (``UserItemData.AudioStreamIndex``) while ``RememberAudioSelections`` is on and the
   stream is still there; else (12 only) the "Original language" branch below; else
   ``MediaStreamSelector.GetDefaultAudioStreamIndex(streams,
   NormalizeLanguage(AudioLanguagePreference), PlayDefaultAudioTrack)``.
2. ``SetDefaultSubtitleStreamIndex``: the remembered subtitle (``-1``: off) while
   ``RememberSubtitleSelections`` is on and ``SubtitleMode`` is not None; else
   ``MediaStreamSelector.GetDefaultSubtitleStreamIndex(streams,
   NormalizeLanguage(SubtitleLanguagePreference), SubtitleMode, <the language of the audio
   stream chosen in 1>)``.

``Emby.Server.Implementations/Library/MediaStreamSelector.cs``,
``GetDefaultAudioStreamIndex``: the audio streams sorted (``GetSortedStreams``), then,
with ``preferDefaultTrack`` (PlayDefaultAudioTrack), the FIRST stream of that order
flagged default, else the first stream of that order. The sort, per release:

- 10.8.13: ``OrderBy`` the preferred language's position (100 when not preferred),
  ``ThenBy`` IsDefault, SupportsExternalStream, IsTextSubtitleStream, IsExternal (true
  first), ``ThenBy`` Index;
- 10.10.7, 10.11.11, 12.0-rc5: ``OrderByDescending(GetStreamScore)``, a stable sort (ties
  keep the streams' order, by Index as the repository lists them): the score's digits are,
  most significant first, the language (``101 - position`` when preferred, else 1),
  IsForced, IsDefault, SupportsExternalStream, IsTextSubtitleStream, IsExternal (2 when
  true, else 1).

So the preferred language sorts first, and the default flag decides only among streams
of one language (or no preferred language): with PlayDefaultAudioTrack on, a default
stream of ANOTHER language still wins when no stream of the preferred language is
default, since ``FirstOrDefault(i => i.IsDefault)`` searches the whole sorted list.

``GetDefaultSubtitleStreamIndex`` by ``SubtitlePlaybackMode``, per release (10.8.13,
10.10.7, 10.11.11 = 12.0-rc5): see ``_subtitle_10_8``, ``_subtitle_10_10``,
``_subtitle_10_11``.

``NormalizeLanguage`` (MediaSourceManager): empty -> no preference;
``LocalizationManager.FindLanguageInfo`` (the culture whose display name, name, a
three-letter code or two-letter code equals it, in ``Localization/iso6392.txt``'s order)
-> its three-letter codes (10.8, 10.10: ISO 639-2/B first, ``fre``, ``fra``; 10.11 and
12: /T first, ``fra``, ``fre``), from 10.11 the culture's name instead when it has a
region (``frc`` -> ``fr-ca``); no culture -> the value itself. ``_CULTURES`` holds the
lines of iso6392.txt that can change an answer: every line with two codes or a region,
and the common languages' two-letter codes; any other three-letter code normalises to
itself, as the whole table gives it.

From 10.11 a stream's Language is read back from the database as ISO 639-2/T
(``Jellyfin.Server.Implementations/Item/MediaStreamRepository.cs``, ``Map``:
``TryGetISO6392TFromB``): a track tagged ``fre`` is answered ``fra``
(``stored_language``).

Emby (*inferred*, closed source): Jellyfin forked this code from Emby; the fake gives
Emby 10.8.13's rules, the oldest Jellyfin kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Stream = Mapping[str, Any]


@dataclass(frozen=True)
class Rules:
    """What differs between the releases' selection code."""

    name: str  # the Jellyfin tag the rules are read from
    scored_sort: bool  # GetStreamScore (10.10+) or the OrderBy chain (10.8)
    subtitles: str  # "10.8" | "10.10" | "10.11"
    region_names: bool  # NormalizeLanguage gives a regional culture's name (10.11+)
    t_codes: bool  # the table lists ISO 639-2/T first; the repository reads /T (10.11+)
    original_language: bool  # AudioLanguagePreference "OriginalLanguage" (12)
    # A one-stream external file is default by its name's ".default" alone (10.11+),
    # not by its own flag too (MediaInfoResolver.GetExternalStreamsAsync).
    external_default_by_name: bool


RULES: dict[str, Rules] = {
    "10.8": Rules("v10.8.13", False, "10.8", False, False, False, False),
    "10.10": Rules("v10.10.7", True, "10.10", False, False, False, False),
    "10.11": Rules("v10.11.11", True, "10.11", True, True, False, True),
    "12.0": Rules("v12.0-rc5", True, "10.11", True, True, True, True),
}
# The fake's release keys (releases.py) -> their rules; Emby's are inferred.
BY_RELEASE = {
    "10.8.13": "10.8",
    "10.10.7": "10.10",
    "10.11.11": "10.11",
    "12.0.0": "12.0",
    "emby-4.9.0.22": "10.8",
}


def rules_for(release_key: str) -> Rules:
    """The rules of a release the fake plays (``10.11.11``) or of a rule set (``10.11``)."""
    return RULES[BY_RELEASE.get(release_key, release_key)]


# Lines of iso6392.txt: (three-letter codes as 10.11 lists them, two-letter, name).
# 10.8/10.10 list the two codes the other way round (ISO 639-2/B first).
_CULTURES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("ara",), "ar", "Arabic"),
    (("bod", "tib"), "bo", "Tibetan"),
    (("cat",), "ca", "Catalan; Valencian"),
    (("ces", "cze"), "cs", "Czech"),
    (("cym", "wel"), "cy", "Welsh"),
    (("dan",), "da", "Danish"),
    (("deu", "ger"), "de", "German"),
    (("ell", "gre"), "el", "Greek, Modern (1453-)"),
    (("eng",), "en", "English"),
    (("eus", "baq"), "eu", "Basque"),
    (("fas", "per"), "fa", "Persian"),
    (("fin",), "fi", "Finnish"),
    (("fra", "fre"), "fr", "French"),
    (("frc",), "fr-ca", "French (Canada)"),
    (("heb",), "he", "Hebrew"),
    (("hin",), "hi", "Hindi"),
    (("hun",), "hu", "Hungarian"),
    (("hye", "arm"), "hy", "Armenian"),
    (("ind",), "id", "Indonesian"),
    (("isl", "ice"), "is", "Icelandic"),
    (("ita",), "it", "Italian"),
    (("jpn",), "ja", "Japanese"),
    (("kat", "geo"), "ka", "Georgian"),
    (("kor",), "ko", "Korean"),
    (("mkd", "mac"), "mk", "Macedonian"),
    (("mri", "mao"), "mi", "Maori"),
    (("msa", "may"), "ms", "Malay"),
    (("mya", "bur"), "my", "Burmese"),
    (("nld", "dut"), "nl", "Dutch; Flemish"),
    (("nor",), "no", "Norwegian"),
    (("pol",), "pl", "Polish"),
    (("por",), "pt", "Portuguese"),
    (("pop",), "pt-pt", "Portuguese (Portugal)"),
    (("pob",), "pt-br", "Portuguese (Brazil)"),
    (("ron", "rum"), "ro", "Romanian; Moldavian; Moldovan"),
    (("rus",), "ru", "Russian"),
    (("slk", "slo"), "sk", "Slovak"),
    (("spa",), "es", "Spanish; Castilian"),
    (("spa",), "es-419", "Spanish; Latin"),  # es-mx before 10.11
    (("sqi", "alb"), "sq", "Albanian"),
    (("swe",), "sv", "Swedish"),
    (("tha",), "th", "Thai"),
    (("tur",), "tr", "Turkish"),
    (("ukr",), "uk", "Ukrainian"),
    (("vie",), "vi", "Vietnamese"),
    (("zho", "chi"), "zh", "Chinese"),
)


def _codes(codes: tuple[str, ...], rules: Rules) -> list[str]:
    return list(codes) if rules.t_codes else list(reversed(codes))


def _same(left: str | None, right: str | None) -> bool:
    """``string.Equals(a, b, StringComparison.OrdinalIgnoreCase)``: two nulls are equal."""
    if left is None or right is None:
        return left is None and right is None
    return left.upper() == right.upper()


def _contains(values: Sequence[str], value: str | None) -> bool:
    """Jellyfin.Extensions' ``Contains(value, OrdinalIgnoreCase)``."""
    return value is not None and any(_same(item, value) for item in values)


def normalize_language(language: str | None, rules: Rules) -> list[str]:
    """``MediaSourceManager.NormalizeLanguage``: a stored preference -> the codes it
    matches (empty: no preference)."""
    if not language:
        return []
    for codes, two, name in _CULTURES:
        region_name = rules.region_names and "-" in two
        culture_name = two if region_name else name
        if (
            _same(language, name)
            or _same(language, culture_name)
            or _contains(codes, language)
            or _same(language, two)
        ):
            return [culture_name] if region_name else _codes(codes, rules)
    return [language]


def name_language(part: str, rules: Rules) -> str | None:
    """The language ``Emby.Naming/ExternalFiles/ExternalPathParser.cs`` (``ParseFile``)
    reads from one dot-separated part of an external file's name (``fr-CA`` in
    ``Film.fr-CA.mka``): the culture ``FindLanguageInfo`` finds, as its first
    three-letter code (10.8, 10.10: ``frc``; ``fr`` -> ``fre``), from 10.11 as its name
    when it has a region (``fr-ca``; ``fr`` -> ``fra``). None: no culture."""
    for codes, two, name in _CULTURES:
        region_name = rules.region_names and "-" in two
        culture_name = two if region_name else name
        if (
            _same(part, name)
            or _same(part, culture_name)
            or _contains(codes, part)
            or _same(part, two)
        ):
            return culture_name if region_name else _codes(codes, rules)[0]
    return None


def stored_language(language: str | None, rules: Rules) -> str | None:
    """A stream's Language as the server reads it back: from 10.11 an ISO 639-2/B code
    with a /T form becomes that (``fre`` -> ``fra``; MediaStreamRepository.Map)."""
    if language is None or not rules.t_codes:
        return language
    for codes, _two, _name in _CULTURES:
        if len(codes) == 2 and _same(codes[1], language):
            return codes[0]
    return language


def is_text_subtitle(stream: Stream) -> bool:
    """``MediaStream.IsTextSubtitleStream`` (MediaBrowser.Model/Entities/MediaStream.cs)."""
    if stream.get("Type") != "Subtitle":
        return False
    codec = str(stream.get("Codec") or "")
    if not codec and not stream.get("IsExternal"):
        return False
    lowered = codec.lower()
    return "microdvd" in lowered or (
        "pgs" not in lowered
        and "dvdsub" not in lowered
        and "dvbsub" not in lowered
        and lowered not in ("sup", "sub")
    )


def _is_pgs(stream: Stream) -> bool:
    codec = str(stream.get("Codec") or "").lower()
    return stream.get("Type") == "Subtitle" and ("pgs" in codec or codec == "sup")


def supports_external_stream(stream: Stream) -> bool:
    """``MediaSourceManager.StreamSupportsExternalStream``, set on every stream it lists:
    an external file, a text or PGS subtitle."""
    return bool(stream.get("IsExternal")) or is_text_subtitle(stream) or _is_pgs(stream)


def _flag(stream: Stream, name: str) -> bool:
    return bool(stream.get(name))


def _position(preferred: Sequence[str], language: str | None) -> int:
    """``languagePreferences.FindIndex(x => string.Equals(x, language, ...))``: -1 if none."""
    return next((i for i, code in enumerate(preferred) if _same(code, language)), -1)


def _stream_score(stream: Stream, preferred: Sequence[str]) -> int:
    """``MediaStreamSelector.GetStreamScore`` (10.10+)."""
    position = _position(preferred, stream.get("Language"))
    score = 1 if position == -1 else 101 - position
    for flag in (
        _flag(stream, "IsForced"),
        _flag(stream, "IsDefault"),
        supports_external_stream(stream),
        is_text_subtitle(stream),
        _flag(stream, "IsExternal"),
    ):
        score = score * 10 + (2 if flag else 1)
    return score


def sorted_streams(
    streams: Sequence[Stream], kind: str, preferred: Sequence[str], rules: Rules
) -> list[Stream]:
    """``MediaStreamSelector.GetSortedStreams`` for ``kind`` ("Audio", "Subtitle")."""
    chosen = [stream for stream in streams if stream.get("Type") == kind]
    if rules.scored_sort:  # OrderByDescending: stable, ties keep their order
        return sorted(chosen, key=lambda s: _stream_score(s, preferred), reverse=True)

    def order(stream: Stream) -> tuple[int, ...]:  # 10.8's OrderBy chain, true first
        position = _position(preferred, stream.get("Language"))
        position = 100 if position == -1 else position
        flags = (
            _flag(stream, "IsDefault"),
            supports_external_stream(stream),
            is_text_subtitle(stream),
            _flag(stream, "IsExternal"),
        )
        return (position, *(0 if flag else 1 for flag in flags), int(stream.get("Index") or 0))

    return sorted(chosen, key=order)


def default_audio_index(
    streams: Sequence[Stream], preferred: Sequence[str], prefer_default: bool, rules: Rules
) -> int | None:
    """``MediaStreamSelector.GetDefaultAudioStreamIndex``."""
    ordered = sorted_streams(streams, "Audio", preferred, rules)
    if prefer_default:
        flagged = next((stream for stream in ordered if _flag(stream, "IsDefault")), None)
        if flagged is not None:
            return int(flagged["Index"])
    return int(ordered[0]["Index"]) if ordered else None


def _matches(language: str | None, preferred: Sequence[str]) -> bool:
    """``MatchesPreferredLanguage`` (10.11+): no preference matches every language."""
    return not preferred or _contains(preferred, language)


def _undefined(language: str | None) -> bool:
    """``IsLanguageUndefined`` (10.11+)."""
    return not language or language.lower() in ("und", "unknown", "undetermined", "mul", "zxx")


def _by(streams: list[Stream], *keys: Any) -> list[Stream]:
    """``OrderByDescending(k1).ThenByDescending(k2)...`` of booleans: stable."""
    return sorted(streams, key=lambda s: tuple(bool(key(s)) for key in keys), reverse=True)


def _first(streams: Sequence[Stream], test: Any) -> Stream | None:
    return next((stream for stream in streams if test(stream)), None)


def _flagged(stream: Stream) -> bool:
    return _flag(stream, "IsExternal") or _flag(stream, "IsForced") or _flag(stream, "IsDefault")


def _full_of(preferred: Sequence[str]) -> Any:
    """``s => !s.IsForced && preferredLanguages.Contains(s.Language)``."""
    return lambda s: not _flag(s, "IsForced") and _contains(preferred, s.get("Language"))


def _subtitle_10_8(
    streams: list[Stream],
    every: Sequence[Stream],
    preferred: Sequence[str],
    mode: str,
    audio: str | None,
) -> Stream | None:
    """GetDefaultSubtitleStreamIndex at v10.8.13: external, forced in the audio's language,
    forced, default first. Default: the first external/forced/default one, else the
    preferred language's full subtitles when the audio is not preferred. Smart: when the
    audio is not preferred, the first full (then any) stream of the preferred language
    in ``streams`` as given, which are ALL the source's streams there (not only the
    subtitles: an audio stream of that language is answered as the subtitle). Always:
    the first full one. OnlyForced: the first forced. Then, if none, a forced one in the
    audio's language."""
    ordered = _by(
        streams,
        lambda s: _flag(s, "IsExternal"),
        lambda s: _flag(s, "IsForced") and _same(s.get("Language"), audio),
        lambda s: _flag(s, "IsForced"),
        lambda s: _flag(s, "IsDefault"),
    )
    stream: Stream | None = None
    if mode == "Default":
        stream = _first(ordered, _flagged)
        if stream is None and not _contains(preferred, audio):
            stream = _first(ordered, _full_of(preferred))
    elif mode == "Smart":
        if not _contains(preferred, audio):
            stream = _first(every, _full_of(preferred)) or _first(
                every, lambda s: _contains(preferred, s.get("Language"))
            )
    elif mode == "Always":
        stream = _first(ordered, lambda s: not _flag(s, "IsForced"))
    elif mode == "OnlyForced":
        stream = _first(ordered, lambda s: _flag(s, "IsForced"))
    return stream or _first(
        ordered, lambda s: _flag(s, "IsForced") and _same(s.get("Language"), audio)
    )


def _subtitle_10_10(
    streams: list[Stream],
    every: Sequence[Stream],
    preferred: Sequence[str],
    mode: str,
    audio: str | None,
) -> Stream | None:
    """GetDefaultSubtitleStreamIndex at v10.10.7: sorted external, forced in the audio's
    language, forced, default, preferred language first. Default: the first
    external/forced/default one. Smart: when the audio is not preferred, the first of the
    preferred language, else the Default rule; when it is, the first forced one. Always:
    the first full one of the preferred language, else the Default rule. OnlyForced: the
    first forced one."""
    ordered = _by(
        streams,
        lambda s: _flag(s, "IsExternal"),
        lambda s: _flag(s, "IsForced") and _same(s.get("Language"), audio),
        lambda s: _flag(s, "IsForced"),
        lambda s: _flag(s, "IsDefault"),
        lambda s: _contains(preferred, s.get("Language")),
    )
    if mode == "Default":
        return _first(ordered, _flagged)
    if mode == "Smart":
        if not _contains(preferred, audio):
            return _first(ordered, lambda s: _contains(preferred, s.get("Language"))) or _first(
                ordered, _flagged
            )
        return _first(ordered, lambda s: _flag(s, "IsForced"))
    if mode == "Always":
        return _first(ordered, _full_of(preferred)) or _first(ordered, _flagged)
    if mode == "OnlyForced":
        return _first(ordered, lambda s: _flag(s, "IsForced"))
    return None


def _only_forced(ordered: list[Stream], preferred: Sequence[str]) -> list[Stream]:
    """``BehaviorOnlyForced`` (10.11+): forced ones of a preferred or undefined language,
    the preferred first."""
    forced = [
        s
        for s in ordered
        if _flag(s, "IsForced")
        and (_matches(s.get("Language"), preferred) or _undefined(s.get("Language")))
    ]
    return _by(
        forced,
        lambda s: _matches(s.get("Language"), preferred),
        lambda s: _undefined(s.get("Language")),
    )


def _subtitle_10_11(
    streams: list[Stream],
    every: Sequence[Stream],
    preferred: Sequence[str],
    mode: str,
    audio: str | None,
) -> Stream | None:
    """GetDefaultSubtitleStreamIndex at v10.11.11 (and v12.0-rc5): sorted external,
    default, full of a preferred language, forced of a preferred language, forced of an
    undefined language, forced first ("Default > No tag > Forced"). Default: the first
    external/default/forced one. Smart: when the audio is not preferred, the first of a
    preferred language (no preference: any), else none; when it is, OnlyForced. Always:
    the first full one of a preferred language, else OnlyForced. OnlyForced: the first of
    ``BehaviorOnlyForced``."""
    ordered = _by(
        streams,
        lambda s: _flag(s, "IsExternal"),
        lambda s: _flag(s, "IsDefault"),
        lambda s: not _flag(s, "IsForced") and _matches(s.get("Language"), preferred),
        lambda s: _flag(s, "IsForced") and _matches(s.get("Language"), preferred),
        lambda s: _flag(s, "IsForced") and _undefined(s.get("Language")),
        lambda s: _flag(s, "IsForced"),
    )
    forced = _only_forced(ordered, preferred)
    if mode == "Default":
        return _first(ordered, _flagged)
    if mode == "Smart":
        if not _contains(preferred, audio):
            return _first(ordered, lambda s: _matches(s.get("Language"), preferred))
        return forced[0] if forced else None
    if mode == "Always":
        full = _first(
            ordered, lambda s: not _flag(s, "IsForced") and _matches(s.get("Language"), preferred)
        )
        return full or (forced[0] if forced else None)
    if mode == "OnlyForced":
        return forced[0] if forced else None
    return None


_SUBTITLE_RULES = {"10.8": _subtitle_10_8, "10.10": _subtitle_10_10, "10.11": _subtitle_10_11}


def default_subtitle_index(
    streams: Sequence[Stream],
    preferred: Sequence[str],
    mode: str,
    audio_language: str | None,
    rules: Rules,
) -> int | None:
    """``MediaStreamSelector.GetDefaultSubtitleStreamIndex``: None for mode None."""
    if mode == "None":
        return None
    subtitles = [stream for stream in streams if stream.get("Type") == "Subtitle"]
    found = _SUBTITLE_RULES[rules.subtitles](subtitles, streams, preferred, mode, audio_language)
    return int(found["Index"]) if found is not None else None


def _index_of(streams: Sequence[Stream], kind: str, index: int | None) -> Stream | None:
    """The stream of ``kind`` whose Index is ``index``."""
    return _first(streams, lambda s: s.get("Type") == kind and s.get("Index") == index)


@dataclass(frozen=True)
class Remembered:
    """``UserItemData``'s track choices for the item (None: none saved; subtitle -1: off)."""

    audio: int | None = None
    subtitle: int | None = None


def _original_audio(
    streams: Sequence[Stream], configuration: Mapping[str, Any], original: str | None, rules: Rules
) -> tuple[bool, int | None]:
    """12's "Original language" branch of SetDefaultAudioStreamIndex: (decided, index)."""
    if configuration.get("PlayDefaultAudioTrack", True):
        index = default_audio_index(streams, normalize_language(original, rules), True, rules)
        return True, index
    # FindIndex: the position in the list (the source sets that as the index).
    position = next(
        (i for i, s in enumerate(streams) if s.get("Type") == "Audio" and _flag(s, "IsOriginal")),
        -1,
    )
    if original and original.strip() and position != -1:
        mine = normalize_language(streams[position].get("Language"), rules)
        wanted = normalize_language(original, rules)
        if wanted and _contains(mine, wanted[0]):
            return True, position
    elif position != -1:
        return True, position
    return False, None


def default_indices(
    streams: Sequence[Stream],
    configuration: Mapping[str, Any],
    rules: Rules,
    *,
    remembered: Remembered = Remembered(),
    original_language: str | None = None,
) -> tuple[int | None, int | None]:
    """``MediaSourceManager.SetDefaultAudioAndSubtitleStreamIndices`` for a video:
    (DefaultAudioStreamIndex, DefaultSubtitleStreamIndex) of a media source whose streams
    are ``streams`` (as the server reads them: ``stored_language`` applied, by Index) for
    a user whose Configuration is ``configuration`` (users.py's members).
    ``original_language``: the item's inherited OriginalLanguage (12 only)."""
    audio_pref = configuration.get("AudioLanguagePreference")
    audio: int | None = None
    decided = False
    if (
        remembered.audio is not None
        and configuration.get("RememberAudioSelections", True)
        and _index_of(streams, "Audio", remembered.audio) is not None
    ):
        audio, decided = remembered.audio, True
    is_original = rules.original_language and _same(audio_pref, "OriginalLanguage")
    if not decided and is_original:
        decided, audio = _original_audio(streams, configuration, original_language, rules)
    if not decided:
        if is_original and original_language and original_language.strip():
            preferred = normalize_language(original_language, rules)
        else:
            preferred = normalize_language(audio_pref, rules)
        audio = default_audio_index(
            streams, preferred, bool(configuration.get("PlayDefaultAudioTrack", True)), rules
        )
    mode = str(configuration.get("SubtitleMode") or "Default")
    if (
        remembered.subtitle is not None
        and configuration.get("RememberSubtitleSelections", True)
        and mode != "None"
        and (
            remembered.subtitle == -1
            or _index_of(streams, "Subtitle", remembered.subtitle) is not None
        )
    ):
        return audio, remembered.subtitle
    chosen = _index_of(streams, "Audio", audio)
    audio_language = chosen.get("Language") if chosen is not None else None
    preferred_subs = normalize_language(configuration.get("SubtitleLanguagePreference"), rules)
    return audio, default_subtitle_index(streams, preferred_subs, mode, audio_language, rules)
