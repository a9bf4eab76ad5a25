"""What listening to an audio track found, and how it counts (tagging-rules.md,
"Listening"). Pure: scanner/listening decodes and asks the model; this module says
where to sample, combines the samples' answers into one, and applies it to the tracks.

A sample's answer is the model's probability per language. The samples are averaged;
the track's language is the top one when it is the top of most samples and its mean
reaches ``THRESHOLD`` (measured: bench/RESULTS.md, "Listening"). Anything else is
*unsure*, with the candidates, and changes nothing: music, silence, samples that
disagree. How an answer counts for a track: scanner/engine/listened.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.engine.languages import canonical, language_name

THRESHOLD = 0.70
WINDOW_SECONDS = 30.0  # what the model hears at once
CANDIDATES = 3  # kept per track, for the review list
MODES = ("off", "unlabelled", "all")


@dataclass(frozen=True, slots=True)
class Heard:
    """One track listened to. ``language`` (canonical) is None when unsure; ``why``
    then says why. ``candidates``: the top languages with their mean probability."""

    language: str | None
    probability: float
    candidates: tuple[tuple[str, float], ...]
    why: str = ""
    by: str = "listening"  # or "text": a subtitle file's language read from its text

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "language": self.language,
            "probability": self.probability,
            "candidates": [list(pair) for pair in self.candidates],
        }
        if self.why:
            data["why"] = self.why
        if self.by != "listening":
            data["by"] = self.by
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Heard:
        return cls(
            language=data.get("language"),
            probability=float(data.get("probability") or 0.0),
            candidates=tuple((str(c), float(p)) for c, p in data.get("candidates") or ()),
            why=str(data.get("why") or ""),
            by=str(data.get("by") or "listening"),
        )

    def said(self) -> str:
        """For people: "German, identified by listening, 94 %"."""
        how = "from its text" if self.by == "text" else "by listening"
        if self.language is None:
            return f"unsure {how} ({self.why}): {self.shown_candidates()}"
        name, share = language_name(self.language), _percent(self.probability)
        return f"{name}, identified {how}, {share}"

    def shown_candidates(self) -> str:
        return ", ".join(f"{language_name(c)} {_percent(p)}" for c, p in self.candidates) or "-"


def sample_starts(duration: float, count: int) -> list[tuple[float, float]]:
    """``count`` samples (start, length in seconds) spread over a track of ``duration``
    seconds, away from its start (intros, a studio logo, silence): at 1/4, 3/4 and 1/2
    of what follows the first tenth (at most two minutes of it). A track shorter than
    the samples is cut in ``count`` parts, taken in the same order."""
    if duration <= 0:
        return [(0.0, WINDOW_SECONDS)]
    skip = min(duration * 0.1, 120.0)
    span = duration - skip
    # The middle last: a third sample is taken only when the first two disagree.
    fractions = {1: (0.5,), 2: (0.25, 0.75), 3: (0.25, 0.75, 0.5)}[min(count, 3)]
    if span < WINDOW_SECONDS * count:
        length = duration / len(fractions)
        return [(duration * fraction - length / 2, length) for fraction in fractions]
    return [(skip + span * fraction - WINDOW_SECONDS / 2, WINDOW_SECONDS) for fraction in fractions]


def combine(samples: Sequence[Mapping[str, float]], threshold: float = THRESHOLD) -> Heard:
    """One answer from the samples' probabilities (keys: the model's language codes)."""
    answers = [_canonical_keys(sample) for sample in samples if sample]
    if not answers:
        return Heard(None, 0.0, (), "nothing could be heard")
    means: dict[str, float] = {}
    for answer in answers:
        for code, probability in answer.items():
            means[code] = means.get(code, 0.0) + probability / len(answers)
    ranked = sorted(means.items(), key=lambda pair: (-pair[1], pair[0]))[:CANDIDATES]
    candidates = tuple((code, round(probability, 3)) for code, probability in ranked)
    top, probability = candidates[0]
    tops = [max(answer, key=answer.__getitem__) for answer in answers]
    if tops.count(top) * 2 > len(tops) and probability >= threshold:
        return Heard(top, probability, candidates)
    if len(set(tops)) > 1:
        heard = ", ".join(sorted({language_name(code) for code in tops}))
        return Heard(None, probability, candidates, f"the samples disagree: {heard}")
    return Heard(None, probability, candidates, "no clear speech: music, noise or silence?")


def settled(samples: Sequence[Mapping[str, float]], threshold: float = THRESHOLD) -> bool:
    """Whether the samples so far agree clearly enough that no further one is needed."""
    return len(samples) >= 2 and combine(samples, threshold).language is not None


def _canonical_keys(sample: Mapping[str, float]) -> dict[str, float]:
    """The model's codes as ours; two of its codes for one language add up."""
    merged: dict[str, float] = {}
    for code, probability in sample.items():
        ours = canonical(code) or code
        merged[ours] = merged.get(ours, 0.0) + float(probability)
    return merged


def _percent(probability: float) -> str:
    return f"{round(probability * 100)} %"
