"""The guard at the *arr (issue 62): per target language, whether an upgrade can replace
a dubbed file with one without the dub, read from the *arr's quality profiles and custom
formats (scanner.arr.profiles). Nothing is written to the *arr. No Django: the words
are scanner.actions.profile_guard's.

What is checked, for a target language L and a quality profile P:

- P does not allow upgrades (``upgradeAllowed`` false): **safe**. Sonarr's and Radarr's
  ``UpgradableSpecification.IsUpgradable`` then refuse every upgrade but a proper or
  repack of the same quality.
- Some custom format that P scores **above zero** has a Language condition on L that is
  neither negated nor "except language" (TRaSH's "German DL", "Language: Prefer
  German"): **protected**. A release without L misses that score, so the *arr does not
  take it as a custom-format upgrade over a file that has it.
- Some custom format that P scores **below zero** has only negated Language conditions,
  all on L (TRaSH's reverse scoring, "Language: Not German"): **protected** as well.
- Otherwise **exposed**: nothing in P tells a file with L from one without.

Kept simple on purpose: a release of a better quality below P's quality cutoff is taken
whatever its custom formats score (``IsUpgradable``'s first rule), unless its score
falls below ``minFormatScore``; the guard does not weigh the scores against each other.

L is matched to the *arr's languages by their names, as ``GET /api/v3/language``
answers them (the ids differ between Sonarr and Radarr). A plain target (``de``) is
every *arr language of that language (``pt``: Portuguese and Portuguese (Brazil)); a
regional one is the *arr's language of that variety when it has one (``pt-BR``:
Portuguese (Brazil); ``es-419``: Spanish (Latino)), else the language itself, with the
note that the *arr's languages do not tell the variety (``fr-CA``: Language.cs has no
Canadian French; only a release-title format such as TRaSH's VFQ does).

For a variety the *arr's languages do not tell (``fr-CA``, ``fr-FR``: Language.cs has
one French), the language's formats keep the language only: a format keeps the
variety when it matches a release of that variety and no release of another
(``VARIETY_RELEASES``, weighed as the *arr weighs a format: scanner.arr.format_match),
whatever its name: "Québec" with a release-title condition on VFQ does, "Language:
French" does not (it matches a VFF as well), and is named as such.

Radarr's profiles also have a language a release must have (scanner.arr.profiles):
``Original`` (Radarr v6's default) rejects every release dubbed in the target's
language only, another language every release without it; the guard names those
profiles whatever their upgrades.

Which profiles: those the *arr's series or movies use (``qualityProfileId`` of each
listed item) when the caller knows them, else every profile.

Bounded: the lists read (scanner.arr.profiles), the judgement (a time budget: past it,
``GuardTooSlow``, which the connection test says as it says an *arr it could not ask),
and what is kept of it: at most ``MAX_NAMES`` names per list, the others counted in
``LanguageGuard.more`` (the sentences say "and N more").
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from scanner.arr.format_match import ORIGINAL, Release, matches
from scanner.arr.profiles import MAX_NAME, CustomFormat, ProfileSettings, QualityProfile
from scanner.engine.languages import canonical, same_language
from scanner.engine.targets import is_regional
from scanner.engine.varieties import arr_language, arr_variety
from scanner.errors import TaggarrError
from scanner.http.reasons import Code, Said

# The TRaSH guides' custom formats for a language, by their names
# (TRaSH-Guides/Guides docs/json/sonarr/cf/ and docs/json/radarr/cf/): german-dl.json
# "German DL" (German and the original, both required), german.json "German";
# language-original-plus-french.json "Language: Original + French". By ISO 639-3 code.
TRASH_FORMATS: dict[str, tuple[str, ...]] = {
    "deu": ("German DL", "German"),
    "fra": ("Language: Original + French",),
}
# Varieties the *arrs' languages do not tell apart, kept by a release-title format, by
# TRaSH's names (docs/json/sonarr/cf/ and docs/json/radarr/cf/, the same in both):
# french-vfq.json "VFQ" (VFQ, CAN after a resolution or MULTi; not VF2), french-vq.json
# "VQ" (includes/cf-descriptions/french-vq.md: "Quebec Version"), french-vf2.json "VF2"
# (french-vf2.md: "normally VF2 being VFF and VFQ"), french-vff.json "VFF"
# (TRUEFRENCH|VFF; not VF2).
TRASH_VARIETY_FORMATS: dict[str, tuple[str, ...]] = {
    "fr-FR": ("VFF", "VF2"),
    "fr-CA": ("VFQ", "VQ", "VF2"),
}
# Releases as groups name them, to weigh a format by what it matches: a release with
# both French dubs (VF2, VFF.VFQ), with the Quebec one, with the France one, and French
# of no named variety.
_FRENCH = ("French",)
_MULTI = ("French", "English")
_BOTH = (
    Release("Movie.2019.MULTi.VF2.1080p.BluRay.x264-GRP", _MULTI),
    Release("Show.S01E01.MULTi.VFF.VFQ.1080p.WEB.H264-GRP", _MULTI),
)
_QUEBEC = (
    Release("Show.S01E01.MULTi.VFQ.1080p.WEB.H264-GRP", _MULTI),
    Release("Movie.2019.VFQ.1080p.WEB-DL.H264-GRP", _FRENCH),
    Release("Movie.2007.VQ.1080p.BluRay.x264-GRP", _FRENCH),
)
_FRANCE = (
    Release("Show.S01E01.MULTi.VFF.1080p.WEB.H264-GRP", _MULTI),
    Release("Movie.2019.TRUEFRENCH.1080p.BluRay.x264-GRP", _FRENCH),
)
_FRENCH_ONLY = (Release("Movie.2019.FRENCH.1080p.WEB.H264-GRP", _FRENCH),)
# Per variety: its releases, and those of the other varieties or of none.
VARIETY_RELEASES: dict[str, tuple[tuple[Release, ...], tuple[Release, ...]]] = {
    "fr-CA": (_QUEBEC + _BOTH, _FRANCE + _FRENCH_ONLY),
    "fr-FR": (_FRANCE + _BOTH, _QUEBEC + _FRENCH_ONLY),
}
ANY = -1  # Language.cs: Any
# Any other language: docs/Radarr/Tips/How-to-setup-language-custom-formats.md,
# "Language: Prefer Language X" (docs/json/guide-only/language-prefer-german.json,
# scored 10): "replace the German condition with the language of your choice".
TRASH_PREFER = "Language: Prefer {language}"

SAFE, PROTECTED, EXPOSED = "safe", "protected", "exposed"

# Names kept per list of a guard: what a sentence can name; the rest are counted.
MAX_NAMES = 10
# Targets judged: an item's own list takes 20 (scanner.actions.wanted_languages), and an
# instance has a few.
MAX_TARGETS = 20
# The judgement's time budget: it runs in the connection test's web request, which must
# answer (a translated "could not check", never a 500) whatever the lists hold.
BUDGET_SECONDS = 5.0


class GuardTooSlow(TaggarrError):
    """The judgement ran past its budget: nothing of it is kept."""

    def __init__(self, seconds: float, profiles: int, formats: int) -> None:
        english = (
            f"the check took longer than {seconds:g} s "
            f"({profiles} quality profiles, {formats} custom formats)"
        )
        super().__init__(english)
        self.said = Said(english, Code.GUARD_TOO_SLOW, {"seconds": f"{seconds:g}"})


@dataclass(frozen=True, slots=True)
class Budget:
    """``seconds`` from when it is made, on ``clock`` (tests give their own)."""

    seconds: float = BUDGET_SECONDS
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "started", self.clock())

    def spent(self) -> bool:
        return self.clock() - self.started > self.seconds


@dataclass(frozen=True, slots=True)
class LanguageGuard:
    """What the profiles in question do for one target language. Plain values (stored
    as JSON with a connection test, read back with ``from_data``)."""

    target: str  # as the instance stores it: "de", "fr-CA"
    arr_languages: list[str] = field(default_factory=list)  # the *arr's names matched
    variety_told: bool = True  # False: a regional target the *arr's languages do not tell
    exposed: list[str] = field(default_factory=list)  # profile names
    protected: list[str] = field(default_factory=list)
    safe: list[str] = field(default_factory=list)  # upgrades off
    protecting_formats: list[str] = field(default_factory=list)
    unscored_formats: list[str] = field(default_factory=list)  # match L, no score in exposed
    trash_formats: list[str] = field(default_factory=list)  # what to add, by TRaSH's names
    variety_formats: list[str] = field(default_factory=list)  # release-title ones
    # The variety judged by what formats match (VARIETY_RELEASES), not the language alone.
    variety_checked: bool = False
    # Scored above zero in an exposed profile: keep the language, not the variety.
    language_only_formats: list[str] = field(default_factory=list)
    # Radarr's profiles whose language is Original, or another than the target's.
    original_language_profiles: list[str] = field(default_factory=list)
    other_language_profiles: list[str] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)  # a list's name -> names left out

    @classmethod
    def from_data(cls, data: Any) -> LanguageGuard | None:
        """One stored guard back, or None for anything that is not one; held to the
        bounds whatever was stored (a guard kept before there were any)."""
        if not isinstance(data, dict) or not isinstance(data.get("target"), str):
            return None
        return cls._held(data)

    def bounded(self) -> LanguageGuard:
        """This guard with at most ``MAX_NAMES`` names per list, the rest counted."""
        return LanguageGuard._held(_as_data(self))

    @classmethod
    def _held(cls, data: dict[str, Any]) -> LanguageGuard:
        values: dict[str, Any] = {"target": str(data["target"])[:MAX_NAME]}
        values["variety_told"] = data.get("variety_told") is not False
        values["variety_checked"] = data.get("variety_checked") is True
        found = data.get("more")
        stored_more: dict[str, Any] = found if isinstance(found, dict) else {}
        more: dict[str, int] = {}
        for name in cls.__dataclass_fields__:
            value = data.get(name)
            if name not in values and name != "more" and isinstance(value, list):
                values[name] = [str(item)[:MAX_NAME] for item in value[:MAX_NAMES]]
                earlier = stored_more.get(name)
                left = len(value) - len(values[name]) + _count(earlier)
                if left:
                    more[name] = left
        return cls(**values, more=more)


def guard_languages(
    settings: ProfileSettings,
    targets: Iterable[str],
    used_profiles: Collection[int] | None = None,
    budget: Budget | None = None,
) -> list[LanguageGuard]:
    """One guard per target (the first ``MAX_TARGETS``), in the targets' order, each
    bounded; ``used_profiles``: the ids of the profiles the *arr's items use (None: every
    profile). Raises GuardTooSlow past ``budget`` (default: ``BUDGET_SECONDS`` from now)."""
    budget = budget or Budget()
    profiles = [
        profile
        for profile in settings.profiles
        if used_profiles is None or profile.id in used_profiles
    ]
    guards = []
    for target in list(targets)[:MAX_TARGETS]:
        guards.append(_guard(settings, profiles, target, budget).bounded())
    return guards


def _guard(
    settings: ProfileSettings, profiles: list[QualityProfile], target: str, budget: Budget
) -> LanguageGuard:
    ids, variety_told = language_ids(settings.languages, target)
    guard = LanguageGuard(
        target=target,
        arr_languages=[settings.languages[i] for i in sorted(ids)],
        variety_told=variety_told,
    )
    if not ids:
        return guard
    # Per format once, not per profile and format: which keep L when scored above zero,
    # which when scored below (_protects), by their place in the *arr's list.
    order = {cf.id: index for index, cf in reversed(list(enumerate(settings.formats)))}
    language = {cf.id for cf in settings.formats if _names_language(cf, ids)}
    releases = None if variety_told else VARIETY_RELEASES.get(target)
    if releases is None:
        above = language
        below = {cf.id for cf in settings.formats if _only_not(cf, ids)}
    else:
        above, below = _variety_formats(settings, releases, budget, len(profiles))
    language_only = language - above
    protecting: set[int] = set()
    language_only_found: set[int] = set()
    for profile in profiles:
        if budget.spent():
            raise GuardTooSlow(budget.seconds, len(profiles), len(settings.formats))
        if profile.language_id == ORIGINAL:
            guard.original_language_profiles.append(profile.name)
        elif profile.language_id not in (None, ANY) and profile.language_id not in ids:
            guard.other_language_profiles.append(profile.name)
        if not profile.upgrade_allowed:
            guard.safe.append(profile.name)
            continue
        found = {
            cf_id
            for cf_id, score in profile.scores.items()
            if (score > 0 and cf_id in above) or (score < 0 and cf_id in below)
        }
        if found:
            guard.protected.append(profile.name)
            protecting |= found
        else:
            guard.exposed.append(profile.name)
            language_only_found |= {
                cf_id for cf_id, score in profile.scores.items() if score > 0
            } & language_only
    guard.protecting_formats.extend(_names(settings, order, protecting))
    guard.language_only_formats.extend(_names(settings, order, language_only_found))
    if guard.exposed:
        guard.unscored_formats.extend(cf.name for cf in settings.formats if cf.id in above)
        if releases is not None:
            guard.trash_formats.extend(TRASH_VARIETY_FORMATS.get(target, ()))
        else:
            guard.trash_formats.extend(trash_formats(target, guard.arr_languages))
    if releases is not None:
        return dataclasses.replace(guard, variety_checked=True)
    if not variety_told:
        guard.variety_formats.extend(TRASH_VARIETY_FORMATS.get(target, ()))
    return guard


def _variety_formats(
    settings: ProfileSettings,
    releases: tuple[tuple[Release, ...], tuple[Release, ...]],
    budget: Budget,
    profiles: int,
) -> tuple[set[int], set[int]]:
    """The formats that keep a variety scored above zero (they match one of its releases
    and none of the others), and those that keep it scored below zero (the reverse)."""
    ours, others = releases
    above: set[int] = set()
    below: set[int] = set()

    def matches_one(cf: CustomFormat, among: tuple[Release, ...]) -> bool:
        for release in among:  # the budget looked at per release: a format has 100 patterns
            if budget.spent():
                raise GuardTooSlow(budget.seconds, profiles, len(settings.formats))
            if matches(cf, release, settings.languages):
                return True
        return False

    for cf in settings.formats:
        if not cf.titles and not cf.languages:
            continue
        with_ours = matches_one(cf, ours)
        with_others = matches_one(cf, others)
        if with_ours and not with_others:
            above.add(cf.id)
        elif with_others and not with_ours:
            below.add(cf.id)
    return above, below


def _names(settings: ProfileSettings, order: dict[int, int], ids: set[int]) -> list[str]:
    """The formats' names, once each, in the *arr's order."""
    return list(
        dict.fromkeys(settings.formats[order[i]].name for i in sorted(ids, key=order.__getitem__))
    )


def language_ids(languages: dict[int, str], target: str) -> tuple[set[int], bool]:
    """The ids of the *arr's languages that stand for ``target``, and whether they tell
    its variety (always True for a plain target)."""
    code = canonical(target)
    if code is None:
        return set(), True
    if is_regional(target):
        name = arr_language(target)
        exact = {i for i, n in languages.items() if name and n.casefold() == name.casefold()}
        if exact:
            return exact, True
    plain = {
        i
        for i, n in languages.items()
        if (found := canonical(n)) is not None
        and same_language(found, code)
        and (not is_regional(target) or arr_variety(n) is None)
    }
    return plain, not is_regional(target)


def trash_formats(target: str, arr_names: list[str]) -> list[str]:
    """What to add for ``target``, by the TRaSH guides' names."""
    code = canonical(target)
    named = TRASH_FORMATS.get(code or "", ()) if not arr_language(target) else ()
    if named:
        return list(named)
    return [TRASH_PREFER.format(language=name) for name in arr_names[:1]]


def _names_language(cf: CustomFormat, ids: set[int]) -> bool:
    return any(
        c.language_id in ids and not c.negate and not c.except_language for c in cf.languages
    )


def _only_not(cf: CustomFormat, ids: set[int]) -> bool:
    """Only negated conditions, all on L: scored below zero, it keeps L (reverse scoring)."""
    return bool(cf.languages) and all(
        c.negate and not c.except_language and c.language_id in ids for c in cf.languages
    )


def _as_data(guard: LanguageGuard) -> dict[str, Any]:
    return {name: getattr(guard, name) for name in LanguageGuard.__dataclass_fields__}


def _count(value: Any) -> int:
    """A stored count, or 0 for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
