"""The guard's judgement of a quality profile for a wish (issue 82): which of the same
film's releases, at the same quality, the profile would grab first, and whether that is
one the wish wants: "this profile would grab Movie.2019.MULTi.VFF over
Movie.2019.MULTi.VFQ". Read from the *arr's profiles and custom formats
(scanner.arr.profiles), never written; no Django: the words are
scanner.wish_profiles.words'.

How the *arr chooses, Sonarr/Sonarr and Radarr/Radarr
``src/NzbDrone.Core/DecisionEngine/DownloadDecisionComparer.cs``: the quality first,
then the custom-format score (``CustomFormatCalculationService.cs``: the sum of the
profile's scores of every format the release matches), then protocol, indexer, seeders,
age and size, which say nothing of the language. The samples (scanner.wish_profiles.
samples) share one quality, so the score decides; a tie is left to the rest. A release
is rejected, whatever it scores, when its score is below the profile's
``minFormatScore`` (``CustomFormatAllowedByProfileSpecification.cs``) or, in Radarr,
when it lacks the profile's ``language`` (``LanguageSpecification.cs``: Any takes
every release, Original the movie's original language, another that language;
docs/arr-api.md, "Quality profiles and custom formats").

The wish is judged kept when the best sample that has what it wants (the dub, the
original, or both) scores strictly above every sample that has not, and is not
rejected. What a sample has is what the release holds; what a format or the profile's
language sees is what the instance's *arr reads in its name (scanner.wish_profiles.
samples: a ``DUAL.LATINO`` holds the original, but Sonarr and Radarr read Spanish
(Latino) alone). A format is matched by its conditions (scanner.arr.format_match),
never by its name.

Bounded as the guard is (scanner.arr.profile_guard.Budget): each format is matched
against each sample once, whatever the number of profiles and wishes, and the budget is
looked at per format; past it, GuardTooSlow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from scanner.arr.format_match import ORIGINAL as ORIGINAL_ID
from scanner.arr.format_match import Release, matches
from scanner.arr.profile_guard import ANY, Budget, GuardTooSlow
from scanner.arr.profiles import ProfileSettings, QualityProfile
from scanner.engine.wishes import parse_wish
from scanner.wish_profiles import samples as sampled
from scanner.wish_profiles.samples import ORIGINAL, Sample

# The codes of a judgement (its sentence: scanner.wish_profiles.words).
OK: Final = "ok"  # the wanted release scores strictly highest
ONLY_WANTED: Final = "only-wanted"  # every other release is rejected
ALL_WANTED: Final = "all-wanted"  # no sample lacks what the wish wants: nothing to prefer
OTHER_FIRST: Final = "other-first"  # another release scores higher
TIE: Final = "tie"  # another release scores as high: the indexer, age, size decide
NO_SCORES: Final = "no-scores"  # the profile scores no custom format at all
BELOW_MINIMUM: Final = "below-minimum"  # the wanted releases score below minFormatScore
LANGUAGE_ORIGINAL: Final = "language-original"  # Radarr's profile language Original
LANGUAGE_OTHER: Final = "language-other"  # Radarr's profile language another one
UNKNOWN_WISH: Final = "unknown-wish"
CODES: Final = (
    OK, ONLY_WANTED, ALL_WANTED, OTHER_FIRST, TIE, NO_SCORES, BELOW_MINIMUM, LANGUAGE_ORIGINAL,
    LANGUAGE_OTHER, UNKNOWN_WISH,
)  # fmt: skip
# Why a sample is rejected.
MINIMUM: Final = "minimum"
LANGUAGE: Final = "language"
# Names of formats kept per sample (what a page lists): a release matches a few.
MAX_FORMATS: Final = 10


@dataclass(frozen=True, slots=True)
class Scored:
    """One sample as a profile sees it."""

    title: str
    score: int
    formats: tuple[str, ...]  # the formats it matches that the profile scores
    wanted: bool
    rejected: str = ""  # "", MINIMUM or LANGUAGE


@dataclass(frozen=True, slots=True)
class Judgement:
    """A profile for a wish: ``ok``, the ``code`` of its sentence and the ``values`` it
    names (``wanted``, ``other``: release names; their scores; ``minimum``;
    ``language``: the *arr's language name); every sample as scored."""

    ok: bool
    code: str
    values: dict[str, str | int] = field(default_factory=dict)
    samples: tuple[Scored, ...] = ()


def targets_of(wishes: Iterable[str]) -> list[str]:
    """The targets the wishes name, each once, in order (malformed wishes left out)."""
    found: dict[str, None] = {}
    for wish in wishes:
        try:
            target, _original = parse_wish(wish)
        except ValueError:
            continue
        if target is not None:
            found.setdefault(target, None)
    return list(found)


def judge_all(
    settings: ProfileSettings,
    wishes: Sequence[str],
    budget: Budget | None = None,
    *,
    app: str | None = None,
) -> dict[str, dict[int, Judgement]]:
    """Every profile for every wish: ``{wish: {profile id: Judgement}}``. The samples
    are those of every target the wishes name (a German household's wish for the
    original is judged against the German dub too), read as the instance's kind
    ``app`` reads them (``sonarr``, ``radarr``; None: only what both read). Raises
    GuardTooSlow past ``budget`` (default: the guard's)."""
    budget = budget or Budget()
    targets = targets_of(wishes)
    original = sampled.original_for(targets)
    pool = sampled.samples(targets, app, _known(settings))
    matched = _matched_formats(settings, pool, original, budget)
    judged: dict[str, dict[int, Judgement]] = {}
    for wish in wishes:
        judged[wish] = {}
        for profile in settings.profiles:
            if budget.spent():
                raise GuardTooSlow(budget.seconds, len(settings.profiles), len(settings.formats))
            judged[wish][profile.id] = judge(wish, profile, settings, pool, matched, original)
    return judged


def _known(settings: ProfileSettings) -> frozenset[str] | None:
    """The *arr's language names, casefolded, when all were read (None: unknown)."""
    if not settings.languages or settings.unread.get("languages"):
        return None
    return frozenset(name.casefold() for name in settings.languages.values())


def _matched_formats(
    settings: ProfileSettings, pool: Sequence[Sample], original: str, budget: Budget
) -> list[list[int]]:
    """Per sample, the ids of the formats it matches, in the *arr's order."""
    releases = [_release(sample, original) for sample in pool]
    found: list[list[int]] = [[] for _ in pool]
    for cf in settings.formats:
        if budget.spent():  # per format: one has at most a hundred conditions
            raise GuardTooSlow(budget.seconds, len(settings.profiles), len(settings.formats))
        if not cf.titles and not cf.languages:
            continue
        for index, release in enumerate(releases):
            if matches(cf, release, settings.languages):
                found[index].append(cf.id)
    return found


def _release(sample: Sample, original: str) -> Release:
    languages = tuple(original if name == ORIGINAL else name for name in sample.languages)
    return Release(sample.title, languages, original=original)


def judge(
    wish: str,
    profile: QualityProfile,
    settings: ProfileSettings,
    pool: Sequence[Sample],
    matched: Sequence[Sequence[int]],
    original: str,
) -> Judgement:
    """One profile for one wish, over the samples and the formats each matches."""
    try:
        target, original_wanted = parse_wish(wish)
    except ValueError:
        return Judgement(ok=False, code=UNKNOWN_WISH)
    names = {cf.id: cf.name for cf in settings.formats}
    scored = tuple(
        _scored(sample, ids, profile, settings, names, original, wanted=wanted)
        for sample, ids in zip(pool, matched, strict=True)
        for wanted in (_wanted(sample, target, original_wanted),)
    )
    return _verdict(profile, settings, scored)


def _wanted(sample: Sample, target: str | None, original_wanted: bool) -> bool:
    if target is None:
        return ORIGINAL in sample.holds
    if original_wanted and ORIGINAL not in sample.holds:
        return False
    return sampled.holds(sample, target)


def _scored(
    sample: Sample,
    ids: Sequence[int],
    profile: QualityProfile,
    settings: ProfileSettings,
    names: dict[int, str],
    original: str,
    *,
    wanted: bool,
) -> Scored:
    scores = [(cf_id, profile.scores.get(cf_id, 0)) for cf_id in ids]
    score = sum(value for _, value in scores)
    formats = tuple(names.get(cf_id, "") for cf_id, value in scores if value)[:MAX_FORMATS]
    rejected = ""
    if not _language_allowed(profile, settings, sample, original):
        rejected = LANGUAGE
    elif score < profile.min_format_score:
        rejected = MINIMUM
    return Scored(sample.title, score, formats, wanted, rejected)


def _language_allowed(
    profile: QualityProfile, settings: ProfileSettings, sample: Sample, original: str
) -> bool:
    """Radarr's profile language (LanguageSpecification.cs); Sonarr's profiles have none."""
    wanted = profile.language_id
    if wanted is None or wanted == ANY:
        return True
    if wanted == ORIGINAL_ID:
        return ORIGINAL in sample.languages
    name = settings.languages.get(wanted, "")
    spoken = {original if n == ORIGINAL else n for n in sample.languages}
    return name.casefold() in {n.casefold() for n in spoken}


def _best(scored: Iterable[Scored]) -> Scored | None:
    """The highest score, the first sample of it (the samples' order breaks a tie)."""
    best: Scored | None = None
    for each in scored:
        if best is None or each.score > best.score:
            best = each
    return best


def _verdict(
    profile: QualityProfile, settings: ProfileSettings, scored: tuple[Scored, ...]
) -> Judgement:
    wanted = _best(s for s in scored if s.wanted and not s.rejected)
    other = _best(s for s in scored if not s.wanted and not s.rejected)
    values: dict[str, str | int] = {}
    if wanted is None:
        refused = _best(s for s in scored if s.wanted)
        if refused is None:
            return Judgement(ok=False, code=UNKNOWN_WISH, samples=scored)
        values = {"wanted": refused.title, "wanted_score": refused.score}
        if refused.rejected == MINIMUM:
            values["minimum"] = profile.min_format_score
            return Judgement(ok=False, code=BELOW_MINIMUM, values=values, samples=scored)
        if profile.language_id == ORIGINAL_ID:
            return Judgement(ok=False, code=LANGUAGE_ORIGINAL, values=values, samples=scored)
        values["language"] = settings.languages.get(profile.language_id or 0, "")
        return Judgement(ok=False, code=LANGUAGE_OTHER, values=values, samples=scored)
    values = {"wanted": wanted.title, "wanted_score": wanted.score}
    if other is None and all(s.wanted for s in scored):
        return Judgement(ok=True, code=ALL_WANTED, values=values, samples=scored)
    if other is None:
        return Judgement(ok=True, code=ONLY_WANTED, values=values, samples=scored)
    values |= {"other": other.title, "other_score": other.score}
    if wanted.score > other.score:
        return Judgement(ok=True, code=OK, values=values, samples=scored)
    if not any(profile.scores.values()):
        return Judgement(ok=False, code=NO_SCORES, values=values, samples=scored)
    code = TIE if wanted.score == other.score else OTHER_FIRST
    return Judgement(ok=False, code=code, values=values, samples=scored)
