"""The tag labels an instance writes, and their rules (tagging-rules.md, "The item's
tag" and "Per-language tags and subtitles").

One summary label per verdict (``dub``, ``semi-dub``, ``wrong-dub``), and, when the
instance turns them on, one per target language from templates (``dub-{lang}``,
``semi-dub-{lang}``, ``sub-{lang}``, ``semi-sub-{lang}``). Every label a setting can
produce must be a valid *arr tag (``^[a-z0-9-]+$``, what Radarr v6 accepts) and no two
may be the same: checked when the instance is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scanner.engine.per_language import SubtitleTag, render_label
from scanner.engine.verdict import Tag

TAG_LABEL = re.compile(r"^[a-z0-9-]+$")
LANG = "{lang}"


@dataclass(frozen=True, slots=True)
class LabelSet:
    summary: Mapping[str, str]  # verdict -> label, for dub / semi-dub / wrong-dub
    summary_on: bool = True
    language_on: bool = False
    subtitles_on: bool = False
    language_dub: str = "dub-{lang}"
    language_semi_dub: str = "semi-dub-{lang}"
    subtitle: str = "sub-{lang}"
    subtitle_semi: str = "semi-sub-{lang}"

    def summary_label(self, tag: str | None) -> str | None:
        """The summary label for a verdict; None for none, unknown, or summary tags off."""
        if not self.summary_on or tag is None or tag == Tag.NONE:
            return None
        return self.summary.get(tag)

    def language_labels(
        self, languages: Mapping[str, str], subtitles: Mapping[str, str]
    ) -> list[str]:
        """The per-language and subtitle labels for the item's verdicts, sorted."""
        labels = []
        if self.language_on:
            dubs: dict[str, str] = {
                Tag.DUB: self.language_dub,
                Tag.SEMI_DUB: self.language_semi_dub,
            }
            for code, tag in languages.items():
                if tag in dubs:
                    labels.append(render_label(dubs[tag], code))
        if self.subtitles_on:
            subs: dict[str, str] = {
                SubtitleTag.SUB: self.subtitle,
                SubtitleTag.SEMI_SUB: self.subtitle_semi,
            }
            for code, tag in subtitles.items():
                if tag in subs:
                    labels.append(render_label(subs[tag], code))
        return sorted(labels)

    def templates(self) -> list[str]:
        return [self.language_dub, self.language_semi_dub, self.subtitle, self.subtitle_semi]

    def every_label(self, targets: Iterable[str]) -> set[str]:
        """Every label these settings could write for these targets (on or off)."""
        codes = list(targets)
        rendered = {render_label(template, code) for template in self.templates() for code in codes}
        return set(self.summary.values()) | rendered


def label_errors(labels: LabelSet, targets: Iterable[str]) -> dict[str, str]:
    """Field (summary / templates) -> what is wrong; empty when the labels are usable."""
    errors: dict[str, str] = {}
    summary = list(labels.summary.values())
    if len(set(summary)) < len(summary):
        errors["summary"] = "the dub, semi-dub and wrong-dub tag labels must differ"
    for name, template in zip(
        ("language_dub", "language_semi_dub", "subtitle", "subtitle_semi"),
        labels.templates(),
        strict=True,
    ):
        if template.count(LANG) != 1:
            errors[name] = f"write {LANG} once where the language goes, e.g. dub-{LANG}"
    if errors:
        return errors
    codes = list(dict.fromkeys(targets))
    seen: dict[str, str] = {label: "a summary tag" for label in summary}
    for name, template in zip(
        ("language_dub", "language_semi_dub", "subtitle", "subtitle_semi"),
        labels.templates(),
        strict=True,
    ):
        for code in codes:
            label = render_label(template, code)
            if not TAG_LABEL.match(label):
                errors[name] = f"gives {label!r}: use only a-z, 0-9 and '-'"
            elif label in seen:
                errors[name] = f"gives {label!r}, which is also {seen[label]}"
            else:
                seen[label] = f"what {template} gives"
    return errors
