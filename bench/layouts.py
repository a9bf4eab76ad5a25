"""The audio layouts of the benchmark library and the tag each one must get.

Every series follows one profile: a cycle of per-episode layouts (the episodes
take the layouts in turn) and an original language. The expected tag is
derived here from the layouts with the rules of docs/tagging-rules.md (target
English), by ``expected_tag`` - written for this benchmark, independent of
``scanner.engine.verdict``, so a wrong verdict in Taggarr shows up as a
mismatch instead of being copied into the manifest. Each profile also states
the tag it was designed for; the two must agree (``check_profiles``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tests.media import AudioSpec

TARGETS = frozenset({"eng"})


@dataclass(frozen=True)
class Track:
    language: str | None  # as written into the file; None = no language tag
    title: str | None = None


Layout = tuple[Track, ...]


def tracks(*languages: str | None) -> Layout:
    return tuple(Track(language) for language in languages)


@dataclass(frozen=True)
class Profile:
    name: str
    original: str  # the *arr's originalLanguage name
    episodes: tuple[Layout, ...]  # episode n gets episodes[n % len(episodes)]
    designed_for: str  # the tag this profile was made to produce
    container: str = "mkv"


SERIES_PROFILES: tuple[Profile, ...] = (
    Profile("anime-dub", "Japanese", (tracks("jpn", "eng"),), "dub"),
    Profile("anime-semi", "Japanese", (tracks("jpn", "eng"), tracks("jpn")), "semi-dub"),
    # One French-only dub among English ones: that file is wrong, so the show is.
    Profile(
        "anime-wrong",
        "Japanese",
        (tracks("jpn", "eng"),) * 4 + (tracks("jpn", "fre"),),
        "wrong-dub",
    ),
    Profile("english", "English", (tracks("eng"),), "none"),  # targets minus original: empty
    Profile("korean-only", "Korean", (tracks("kor"),), "none"),
    Profile("french-dub-mp4", "French", (tracks("fre", "eng"),), "dub", container="mp4"),
    # Spanish besides English is a dubbed release, not a wrong one.
    Profile("german-multi", "German", (tracks("ger", "eng", "spa"),), "dub"),
    # An untagged first track is the original; en-US is English.
    Profile("spanish-und", "Spanish", (tracks(None, "en-US"), tracks("spa")), "semi-dub"),
    # An English commentary track is not programme audio.
    Profile(
        "commentary", "Japanese", ((Track("jpn"), Track("eng", "Director's Commentary")),), "none"
    ),
    Profile("italian-wrong-ts", "Italian", (tracks("ita", "ger"),), "wrong-dub", container="ts"),
)

MOVIE_PROFILES: tuple[Profile, ...] = (
    Profile("movie-french-dub", "French", (tracks("fre", "eng"),), "dub"),
    Profile("movie-german", "German", (tracks("ger"),), "none"),
    Profile("movie-korean-wrong", "Korean", (tracks("kor", "ita"),), "wrong-dub"),
    Profile("movie-english", "English", (tracks("eng"),), "none"),
    Profile("movie-japanese-mp4", "Japanese", (tracks("jpn", "eng"),), "dub", container="mp4"),
    Profile("movie-italian-us", "Italian", (tracks("ita", "en-US"),), "dub"),
)

# The webhook phase flips series of this profile between these two layouts.
FLIP_PROFILE = "korean-only"
FLIP_LAYOUTS: dict[str, Layout] = {"none": tracks("kor"), "dub": tracks("kor", "eng")}

# --- the rules, for the languages used above ------------------------------------

_NAMES = {
    "English": "eng",
    "Japanese": "jpn",
    "French": "fra",
    "German": "deu",
    "Spanish": "spa",
    "Korean": "kor",
    "Italian": "ita",
}
_CODES = {"fre": "fra", "ger": "deu", "en-US": "eng"}
_NOT_PROGRAMME = ("commentary", "director", "audio description", "descriptive")


def _code(language: str) -> str:
    return _CODES.get(language, language)


def present_languages(layout: Layout) -> frozenset[str]:
    """Languages of the counted tracks (policy: an unknown first track is the original)."""
    present: set[str] = set()
    for position, track in enumerate(layout):
        title = (track.title or "").lower()
        if any(word in title for word in _NOT_PROGRAMME):
            continue
        if track.language is None:
            if position == 0:
                present.add("original")
            continue
        present.add(_code(track.language))
    return frozenset(present)


def expected_tag(original_name: str, layouts: Sequence[Layout]) -> str:
    """The tag of an item whose counted files have these layouts (tagging-rules.md)."""
    original = _NAMES[original_name]
    targets = TARGETS - {original}
    if not targets:
        return "none"
    has_all: list[bool] = []
    has_some: list[bool] = []
    for layout in layouts:
        present = {original if lang == "original" else lang for lang in present_languages(layout)}
        unexpected = present - targets - {original}
        if unexpected and not present & targets:
            return "wrong-dub"
        has_all.append(targets <= present)
        has_some.append(bool(targets & present))
    if all(has_all):
        return "dub"
    return "semi-dub" if any(has_some) else "none"


def episode_layouts(profile: Profile, count: int) -> list[Layout]:
    return [profile.episodes[index % len(profile.episodes)] for index in range(count)]


def audio_specs(layout: Layout) -> list[AudioSpec]:
    """The layout as tests/media.py makes it: first track default."""
    return [
        AudioSpec(track.language, title=track.title, default=index == 0)
        for index, track in enumerate(layout)
    ]


def check_profiles() -> None:
    """Each profile, with every layout of its cycle used, gets the tag it was designed for."""
    for profile in SERIES_PROFILES + MOVIE_PROFILES:
        derived = expected_tag(profile.original, profile.episodes)
        if derived != profile.designed_for:
            raise AssertionError(
                f"{profile.name}: rules give {derived}, not {profile.designed_for}"
            )
    for tag, layout in FLIP_LAYOUTS.items():
        flip = next(p for p in SERIES_PROFILES if p.name == FLIP_PROFILE)
        if expected_tag(flip.original, [layout]) != tag:
            raise AssertionError(f"flip layout for {tag} does not give {tag}")
