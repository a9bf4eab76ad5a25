"""TRaSH-like custom formats and quality profiles for tests of the fake Sonarr/Radarr.

The formats follow TRaSH-Guides/Guides (b14aa70) ``docs/json/{sonarr,radarr}/cf/*.json``
(the same conditions in both apps' files), each turned into the API's shape by
profiles.custom_format: a Release Title condition is ``(pattern, negate, required)``, a
Language condition ``(language name, negate, required)``. The profiles' names and
scores are the fake's own (TRaSH leaves the French formats' scores to the user);
they allow 720p and 1080p ("HD - 720p/1080p"), as TRaSH's "[French MULTi.VF] HD Bluray
+ WEB (1080p)" and "[German] HD Bluray + WEB" do, and Radarr's profile ``language`` is
Any but for "Original", as TRaSH's language formats expect.

``seed(state)`` sets them on a fake, and the indexer's Multi Languages setting to
Original + French, as TRaSH's French guides tell (docs/Sonarr/
sonarr-setup-quality-profiles-french-en.md, "Indexers - Multi Languages option").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakes.arr.profiles import HD_720P_1080P, custom_format, quality_profile

if TYPE_CHECKING:
    from fakes.arr.state import FakeArrState

# french-vf2.json: "Not VF2" in VFQ and VFF.
_NOT_VF2 = r"\b(VF2|(VF(F|Q)[ .]VF(F|Q)))\b"

# french-vfq.json
VFQ = custom_format(
    101,
    "VFQ",
    titles=[
        (r"\b(VFQ|\d{3,4}p[ .]CAN?|(?<=MULTi[ .])(FR(A|ENCH)|CAN?))\b", False, True),
        (_NOT_VF2, True, True),
    ],
)
# french-vff.json
VFF = custom_format(
    102, "VFF", titles=[(r"\b(TRUEFRENCH|VFF)\b", False, True), (_NOT_VF2, True, True)]
)
# french-vf2.json
VF2 = custom_format(
    103, "VF2", titles=[(r"\b(VF2)\b", False, False), (r"\b(VF(F|Q)[ .]VF(F|Q))\b", False, False)]
)
# multi.json
MULTI = custom_format(104, "MULTi", titles=[(r"\b(Multi)(?![ ._-]?sub(s)?)(\b|\d)", False, True)])
# language-original-plus-french.json
ORIGINAL_PLUS_FRENCH = custom_format(
    105,
    "Language: Original + French",
    languages=[("Original", False, True), ("French", False, True)],
    titles=[(r"\b(MULTi)(\b|\d)", False, True)],
)
# german.json
GERMAN = custom_format(
    106,
    "German",
    languages=[("German", False, True), ("Original", True, True)],
    titles=[
        (r"(?<!WEB[-_. ]?)\b(DL)\b", True, True),
        (r"\b(ML)\b", True, True),
        (r"(?=.*(German|Ger))(?=.*(Sub|Multi(ple)?Sub))", True, True),
    ],
)
# german-dl.json
GERMAN_DL = custom_format(
    107, "German DL", languages=[("German", False, True), ("Original", False, True)]
)
# language-not-original.json
NOT_ORIGINAL = custom_format(108, "Language: Not Original", languages=[("Original", True, False)])
# The first condition of language-original-plus-french.json alone: the original language.
ORIGINAL = custom_format(109, "Language: Original", languages=[("Original", False, True)])
# The fake's own: a language besides the original (a dub, also in a MULTi release), the
# Language condition's "Except Language" (LanguageSpecification.ExceptLanguage).
BESIDES_ORIGINAL = custom_format(
    110, "Language: Besides Original", except_languages=[("Original", False, True)]
)

FORMATS: tuple[dict[str, Any], ...] = (
    VFQ,
    VFF,
    VF2,
    MULTI,
    ORIGINAL_PLUS_FRENCH,
    GERMAN,
    GERMAN_DL,
    NOT_ORIGINAL,
    ORIGINAL,
    BESIDES_ORIGINAL,
)

# Profile ids: 1 stays the fake's "HD-1080p" (no format scored).
MULTI_VFF_ID, VFQ_ID, MULTI_VFQ_ID, GERMAN_ID, ORIGINAL_ID = 11, 12, 13, 14, 15

# Prefers a MULTi release with the France dub (VFF), then VFF alone; VFQ gets nothing.
MULTI_VFF = quality_profile(
    MULTI_VFF_ID,
    "MULTi VFF",
    scores={VFF["id"]: 1000, MULTI["id"]: 500, ORIGINAL_PLUS_FRENCH["id"]: 500},
    allowed=HD_720P_1080P,
    language="Any",
)
# The Quebec dub only: VFQ first, a France-only dub pushed down.
VFQ_PROFILE = quality_profile(
    VFQ_ID,
    "VFQ",
    scores={VFQ["id"]: 1000, VFF["id"]: -1000, VF2["id"]: -500},
    allowed=HD_720P_1080P,
    language="Any",
)
# The original and the Quebec dub: MULTi with VFQ first.
MULTI_VFQ = quality_profile(
    MULTI_VFQ_ID,
    "MULTi VFQ",
    scores={VFQ["id"]: 1000, MULTI["id"]: 500, ORIGINAL_PLUS_FRENCH["id"]: 500, VFF["id"]: -1000},
    allowed=HD_720P_1080P,
    language="Any",
)
# A German dub (German DL: German and the original); nothing else is taken
# (minFormatScore, as TRaSH's German profiles score German 10000 and German DL 11000).
GERMAN_PROFILE = quality_profile(
    GERMAN_ID,
    "German",
    scores={GERMAN["id"]: 10000, GERMAN_DL["id"]: 11000},
    min_format_score=10000,
    allowed=HD_720P_1080P,
    language="Any",
)
# The original only: original-language releases first, a dub far down (TRaSH's
# "Language: Not Original" default score -10000), a release with a dub beside the
# original refused too (below the minimum 0).
ORIGINAL_PROFILE = quality_profile(
    ORIGINAL_ID,
    "Original",
    scores={ORIGINAL["id"]: 100, NOT_ORIGINAL["id"]: -10000, BESIDES_ORIGINAL["id"]: -1000},
    allowed=HD_720P_1080P,
    language="Original",
)

PROFILES: tuple[dict[str, Any], ...] = (
    quality_profile(1, "HD-1080p"),
    MULTI_VFF,
    VFQ_PROFILE,
    MULTI_VFQ,
    GERMAN_PROFILE,
    ORIGINAL_PROFILE,
)

MULTI_LANGUAGES = ("Original", "French")


def seed(state: FakeArrState) -> None:
    """These formats and profiles on ``state``, and TRaSH's French Multi Languages."""
    state.set_custom_formats(FORMATS)
    state.set_profiles(PROFILES)
    state.set_multi_languages(MULTI_LANGUAGES)
