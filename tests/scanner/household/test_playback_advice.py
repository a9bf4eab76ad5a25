"""The advice on a Jellyfin or Emby user's playback settings, rule by rule, on tables
(scanner.household.playback_advice; the rules read from Jellyfin's
MediaSourceManager.SetDefaultAudioStreamIndex and MediaStreamSelector)."""

from __future__ import annotations

import pytest

from scanner.household.playback_advice import (
    Advice,
    AdviceCode,
    LibraryFacts,
    SharedCode,
    Want,
    advise,
)
from scanner.media_servers.clients.jellyfin_users import UserPlayback

C = AdviceCode
RIGHT = Advice(C.ALREADY_RIGHT)
QUEBEC = ("fr-CA", "fr")
VF2 = SharedCode("fre", ("fr-FR", "fr-CA"), 12)


def _playback(
    audio: str | None = None,
    default: bool = True,
    subs: str | None = None,
    mode: str = "Default",
) -> UserPlayback:
    return UserPlayback(audio, default, subs, mode, True, True)  # type: ignore[arg-type]


Case = tuple[str, tuple[str, ...], Want, UserPlayback, LibraryFacts, bool, tuple[Advice, ...]]
CASES: list[Case] = [
    # -- a dub in the person's language ------------------------------------------
    ("dub, nothing set", ("fr",), "dub", _playback(default=False), LibraryFacts(), False,
     (Advice(C.AUDIO_LANGUAGE, {"language": "fra"}),)),
    ("dub, already right (fra)", ("fr",), "dub", _playback("fra", False), LibraryFacts(), False,
     (RIGHT,)),
    ("dub, fre and French are the same culture", ("fr",), "dub", _playback("fre"),
     LibraryFacts(), False, (RIGHT,)),
    ("dub, the English name works too", ("fr",), "dub", _playback("French", False),
     LibraryFacts(wrong_default_files=3), False, (RIGHT,)),
    ("dub, default on and no wrong default: harmless", ("fr",), "dub", _playback("fra"),
     LibraryFacts(), False, (RIGHT,)),
    ("dub, default on with a wrong default: off", ("fr",), "dub", _playback("fra"),
     LibraryFacts(wrong_default_files=7), False,
     (Advice(C.DEFAULT_TRACK_OFF, {"count": 7}),)),
    ("dub, another language set", ("fr",), "dub", _playback("jpn", False), LibraryFacts(),
     False, (Advice(C.AUDIO_LANGUAGE, {"language": "fra"}),)),
    ("dub, OriginalLanguage set", ("fr",), "dub", _playback("OriginalLanguage", False),
     LibraryFacts(), True, (Advice(C.AUDIO_LANGUAGE, {"language": "fra"}),)),
    ("dub, French (Canada) never matches a track", QUEBEC, "dub", _playback("frc", False),
     LibraryFacts(), False,
     (Advice(C.AUDIO_REGIONAL, {"language": "fra", "current": "fr-CA"}),)),
    ("dub, a region name never matches either", ("pt-BR",), "dub", _playback("pt-br", False),
     LibraryFacts(), False,
     (Advice(C.AUDIO_REGIONAL, {"language": "por", "current": "pt-br"}),)),
    ("dub, VFQ wanted, VFF and VFQ share fre: cannot tell", QUEBEC, "dub",
     _playback("fra", False), LibraryFacts(shared_codes=(VF2,)), False,
     (RIGHT, Advice(C.CANNOT_TELL_VARIETY, {"variety": "fr-CA", "code": "fre", "count": 12}))),
    ("dub, the limit comes after the changes", QUEBEC, "dub", _playback(None),
     LibraryFacts(wrong_default_files=2, shared_codes=(VF2,)), False,
     (Advice(C.AUDIO_LANGUAGE, {"language": "fra"}), Advice(C.DEFAULT_TRACK_OFF, {"count": 2}),
      Advice(C.CANNOT_TELL_VARIETY, {"variety": "fr-CA", "code": "fre", "count": 12}))),
    ("dub, any French will do: no variety to tell", ("fr",), "dub", _playback("fra", False),
     LibraryFacts(shared_codes=(VF2,)), False, (RIGHT,)),
    ("dub, two tracks of one variety are no ambiguity", QUEBEC, "dub", _playback("fra", False),
     LibraryFacts(shared_codes=(SharedCode("fre", ("fr-CA", "fr-ca"), 4),)), False, (RIGHT,)),
    ("dub, another language shares a code: not this person's", QUEBEC, "dub",
     _playback("fra", False),
     LibraryFacts(shared_codes=(SharedCode("por", ("pt-BR", "pt-PT"), 5),)), False, (RIGHT,)),
    # -- the original ------------------------------------------------------------
    ("original on Jellyfin 12: the choice", ("fr",), "original", _playback("fra", False),
     LibraryFacts(), True, (Advice(C.AUDIO_ORIGINAL),)),
    ("original on Jellyfin 12, already right", ("fr",), "original",
     _playback("OriginalLanguage", False), LibraryFacts(wrong_default_files=9), True, (RIGHT,)),
    ("original on Jellyfin 12, default on with a wrong default", ("fr",), "original",
     _playback("OriginalLanguage"), LibraryFacts(wrong_default_files=9), True,
     (Advice(C.DEFAULT_TRACK_OFF, {"count": 9}),)),
    ("original without the choice: a limit, the default track on", ("fr",), "original",
     _playback("fra", False), LibraryFacts(), False,
     (Advice(C.DEFAULT_TRACK_ON), Advice(C.NO_ORIGINAL_CHOICE))),
    ("original without the choice, default on: nothing more to do", ("fr",), "original",
     _playback(None), LibraryFacts(), False, (RIGHT, Advice(C.NO_ORIGINAL_CHOICE))),
    # -- the original with subtitles -----------------------------------------------
    ("subtitled: subtitle language and mode", QUEBEC, "original-subtitled",
     _playback("OriginalLanguage", False), LibraryFacts(shared_codes=(VF2,)), True,
     (Advice(C.SUBTITLE_LANGUAGE, {"language": "fra"}), Advice(C.SUBTITLE_MODE))),
    ("subtitled: Smart and fre are right", ("fr",), "original-subtitled",
     _playback("OriginalLanguage", False, "fre", "Smart"), LibraryFacts(), True, (RIGHT,)),
    ("subtitled: Always is right too", ("fr",), "original-subtitled",
     _playback("OriginalLanguage", False, "fra", "Always"), LibraryFacts(), True, (RIGHT,)),
    ("subtitled: OnlyForced shows no full subtitles", ("fr",), "original-subtitled",
     _playback("OriginalLanguage", False, "fra", "OnlyForced"), LibraryFacts(), True,
     (Advice(C.SUBTITLE_MODE),)),
    ("subtitled: a regional subtitle language never matches", QUEBEC, "original-subtitled",
     _playback("OriginalLanguage", False, "frc", "Smart"), LibraryFacts(), True,
     (Advice(C.SUBTITLE_LANGUAGE, {"language": "fra"}),)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("languages", "want", "playback", "library", "choice", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_advice(
    languages: tuple[str, ...],
    want: Want,
    playback: UserPlayback,
    library: LibraryFacts,
    choice: bool,
    expected: tuple[Advice, ...],
) -> None:
    assert advise(languages, want, playback, library, original_choice=choice) == expected


def test_a_person_without_a_language_gets_no_advice() -> None:
    assert advise((), "dub", _playback(), LibraryFacts(), original_choice=True) == ()


def test_kinds() -> None:
    assert Advice(C.AUDIO_LANGUAGE).kind == "change"
    assert Advice(C.CANNOT_TELL_VARIETY).kind == "limit"
    assert RIGHT.kind == "right"
