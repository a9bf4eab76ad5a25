"""Each target language's state of an item as a chip: "Deutsch dub-de", "Französisch —"
(issue 61: the per-language answer in every list, without opening the item).

Read from the item's stored verdicts (Media.language_verdicts: per target, ``dub``,
``semi-dub`` or ``none``) and its instance's targets and labels (the list selects the
instance with the item): no query, no file. A chip is coloured as the tag badges are
and says its state in words and a sign too, never by its colour alone; its title says
it in a sentence ("Deutsch: in every file (tag dub-de)").

A regional target (``fr-CA``) in no file gives one answer per chip (issue 68): "no
French" (no track of its language), "French, variety unknown — settle" (a link to the
item's settling), "French (France) only" (another known variety), from the verdict's
``regional`` reasons (engine.regional_states); an item decided before they were kept
shows "—" until its next scan.

For the pages: ``chips(media)`` gives the values, ``render(media)`` the HTML (the
template ``admin/scanner/language_chips.html``, which a page can also include with
``chips``); in a template, ``{{ media|language_chips }}`` (web.templatetags.taggarr).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from scanner.engine import regional_states as regional
from scanner.engine.per_language import render_label
from scanner.engine.targets import settled_language
from scanner.engine.verdict import Tag
from scanner.language_names import language_name
from scanner.models import Instance, Media

TEMPLATE = "admin/scanner/language_chips.html"
# The state's sign beside its words: full, half, empty (aria-hidden: the words say it).
SIGNS = {Tag.DUB.value: "●", Tag.SEMI_DUB.value: "◐", Tag.NONE.value: "○"}
CLASSES = {Tag.DUB.value: "tag-dub", Tag.SEMI_DUB.value: "tag-semi-dub"}
NONE_CLASS = "tag-none"
# A regional target in no file, by why (engine.regional_states): a sign, a class that
# draws its border (language-chips.css); the words say it.
REGIONAL_SIGNS = {regional.ABSENT: "○", regional.UNKNOWN: "◌", regional.OTHER: "◇"}
REGIONAL_CLASSES = {
    regional.ABSENT: f"{NONE_CLASS} taggarr-chip-absent",
    regional.UNKNOWN: f"{NONE_CLASS} taggarr-chip-unknown",
    regional.OTHER: f"{NONE_CLASS} taggarr-chip-other",
}
WHY_NONE = tuple(REGIONAL_SIGNS)
SETTLE_ANCHOR = "#settle-varieties"  # the item page's settling (series_page.html)
DEFAULT_TEMPLATES = {Tag.DUB.value: "dub-{lang}", Tag.SEMI_DUB.value: "semi-dub-{lang}"}


@dataclass(frozen=True, slots=True)
class Chip:
    code: str  # the stored target: "deu", "fr-CA"
    state: str  # dub, semi-dub or none
    name: str  # the target in the reader's language: "Deutsch", "français canadien"
    shown: str  # the state as the chip shows it: "dub-de" (the tag it gets), "dub", "—"
    description: str  # the chip's title: "Deutsch: in every file (tag dub-de)"
    css: str  # the badge class (taggarr/admin.css): tag-dub, tag-semi-dub, tag-none
    sign: str
    url: str = ""  # where to settle its variety, for a chip of unknown variety


def states(media: Media) -> dict[str, str]:
    """Per target of the item, its stored state, in the instance's order of targets (a
    target the verdict left out, the original's language, has none)."""
    verdicts: Mapping[str, str] = media.language_verdicts or {}
    order = list(media.instance.target_languages or [])
    ordered = [code for code in order if code in verdicts]
    ordered += sorted(code for code in verdicts if code not in ordered)
    return {code: str(verdicts[code]) for code in ordered if verdicts[code] in SIGNS}


def chips(media: Media) -> list[Chip]:
    """The item's chips, one per target it is judged on; none before its first verdict."""
    templates = _templates(media.instance)
    reasons = media.verdict_reasons if isinstance(media.verdict_reasons, Mapping) else {}
    why = reasons.get("regional")
    whys: Mapping[str, object] = why if isinstance(why, Mapping) else {}
    found = []
    for code, state in states(media).items():
        said = whys.get(code)
        if state == Tag.NONE and isinstance(said, Mapping) and said.get("state") in WHY_NONE:
            found.append(_regional_chip(media, code, said))
        else:
            found.append(_chip(code, state, templates))
    return found


def _regional_chip(media: Media, code: str, said: Mapping[str, object]) -> Chip:
    """A regional target in no file: no track of its language, one of unknown variety
    (to settle), or only another variety (named when known)."""
    state = str(said.get("state"))
    name, language = language_name(code), language_name(settled_language(code))
    values = {"target": name, "language": language}
    url = ""
    if state == regional.UNKNOWN:
        shown = gettext("%(language)s, variety unknown — settle") % values
        description = (
            gettext("%(target)s: %(language)s of unknown variety (no source names it); settle it")
            % values
        )
        url = reverse("admin:scanner_media_change", args=[media.pk]) + SETTLE_ANCHOR
    elif state == regional.OTHER:
        listed = said.get("varieties")
        varieties = [v for v in listed if isinstance(v, str)] if isinstance(listed, list) else []
        if len(varieties) == 1:
            values["variety"] = language_name(varieties[0])
            shown = gettext("%(variety)s only") % values
            description = gettext("%(target)s: in no file; only %(variety)s") % values
        else:
            shown = gettext("%(language)s of another variety") % values
            description = (
                gettext("%(target)s: in no file; only %(language)s of another variety") % values
            )
    else:
        shown = gettext("no %(language)s") % values
        description = gettext("%(target)s: in no file; no %(language)s at all") % values
    return Chip(
        code, Tag.NONE.value, name, shown, description, REGIONAL_CLASSES[state],
        REGIONAL_SIGNS[state], url,
    )  # fmt: skip


def _templates(instance: Instance) -> dict[str, str] | None:
    """The per-language tags' templates when the instance writes them, else None."""
    if not instance.language_tags:
        return None
    return {
        Tag.DUB.value: instance.tag_language_dub or DEFAULT_TEMPLATES[Tag.DUB.value],
        Tag.SEMI_DUB.value: instance.tag_language_semi_dub or DEFAULT_TEMPLATES[Tag.SEMI_DUB],
    }


def _chip(code: str, state: str, templates: Mapping[str, str] | None) -> Chip:
    name = language_name(code)
    values = {"language": name}
    if state == Tag.NONE:
        said = gettext("%(language)s: in no file") % values
        return Chip(code, state, name, "—", said, NONE_CLASS, SIGNS[state])
    label = render_label(templates[state], code) if templates is not None else ""
    if label:
        values["tag"] = label
        if state == Tag.DUB:
            said = gettext("%(language)s: in every file (tag %(tag)s)") % values
        else:
            said = gettext("%(language)s: in some files (tag %(tag)s)") % values
    elif state == Tag.DUB:
        said = gettext("%(language)s: in every file") % values
    else:
        said = gettext("%(language)s: in some files") % values
    return Chip(code, state, name, label or state, said, CLASSES[state], SIGNS[state])


def render(media: Media) -> SafeString:
    """The item's chips as HTML; "—" (with "no verdict yet" for a screen reader) before
    its first verdict. Kept on the item, per language, for the rest of the request: the
    media list shows them twice (its column and its grid) for each of its 50 rows."""
    key = translation.get_language() or ""
    done: dict[str, SafeString] = media.__dict__.setdefault(RENDERED, {})
    if key not in done:
        done[key] = render_chips(chips(media))
    return done[key]


RENDERED = "_language_chips_html"


def render_chips(values: Sequence[Chip]) -> SafeString:
    return SafeString(render_to_string(TEMPLATE, {"chips": values}))
