"""The item's original language in its NFO: ``<originallanguage>`` (issue 70, item 3).

Kodi 22 reads it from a movie's or a TV show's NFO, the first step toward its "original
language" audio choice (xbmc/xbmc pull request 27187, ``xbmc/video/VideoInfoTag.cpp``,
``ParseNative``; docs/media-servers.md, "The original language"): it takes ISO 639-1,
ISO 639-2/B or /T codes and English names, and as merged rejected anything else (a
region-qualified tag, an ISO 639-3-only code such as ``yue``); the Kodi wiki's "NFO
files/Movies" has it take BCP 47 since. So the language is written as its ISO 639-1 code
when it has one (``fr``, ``ja``): every Kodi 22 reads that, and it is the form Jellyfin
12's NFO saver writes from its item (``MediaBrowser.XbmcMetadata/Savers/BaseNfoSaver.cs``;
``BaseItem.OriginalLanguage`` stores ``TwoLetterISOLanguageName``), so neither rewrites
the other's value. A language without one keeps its ISO 639-3 code (a valid BCP 47
subtag). Taggarr's original language is a language, never a variety: no ``fr-CA``.

Taggarr owns the element only while it holds the value Taggarr last wrote
(``Media.nfo_original``), as it owns only its managed ``<tag>`` labels: it adds one when
there is none, replaces its own stale value, removes its own when the original is no
longer known, and never touches a value a person or another program wrote (one naming
another language, or a value no table reads). One naming the same language in another
form (``fre``, ``French``, Kodi's ``fre`` export) is right already and stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.engine.languages import canonical, short_code
from scanner.engine.nfo_xml import NfoDocument, NfoElement

ELEMENT = "originallanguage"
# Where a new one goes: after these (Jellyfin's saver writes it after <originaltitle>),
# else after the last child.
_ANCHORS = ("originaltitle", "title")


@dataclass(frozen=True, slots=True)
class OriginalLanguage:
    """What the NFO should say: ``wanted`` (a canonical ISO 639-3 code, None when the
    original is not known or in doubt) and ``owned`` (the code Taggarr last wrote into
    the item's NFOs, None when it holds none there)."""

    wanted: str | None
    owned: str | None = None


@dataclass(frozen=True, slots=True)
class OriginalEdit:
    """The edits (offset spans and their new text) and what is Taggarr's after them."""

    replace: tuple[tuple[int, int, str], ...] = ()  # (start, end, text); text "" removes
    insert: str | None = None  # one new element, when the NFO has none
    anchor: NfoElement | None = None  # insert after it (None: where the tags go)
    owned: str | None = None


def nfo_value(code: str) -> str:
    """The value Taggarr writes for a canonical code: ISO 639-1 when there is one."""
    return short_code(code)


def element(code: str) -> str:
    return f"<{ELEMENT}>{nfo_value(code)}</{ELEMENT}>"


def plan_original(document: NfoDocument, original: OriginalLanguage) -> OriginalEdit:
    """The edits that leave ``document``'s ``<originallanguage>`` as ``original`` asks,
    touching no value that is not Taggarr's."""
    wanted, owned = original.wanted, original.owned
    present = [child for child in document.children if child.name == ELEMENT]
    if not present:
        if wanted is None:
            return OriginalEdit()
        return OriginalEdit(insert=element(wanted), anchor=_anchor(document), owned=wanted)
    named = [(child, _language(child)) for child in present]
    allowed = {code for code in (wanted, owned) if code} | {""}
    if any(language not in allowed for _, language in named):
        return OriginalEdit()  # someone else's value: theirs, and nothing is ours now
    ours = [child for child, language in named if owned and language == owned != wanted]
    removals = tuple((child.start, child.end, "") for child in ours)
    if any(language == wanted for _, language in named):  # right already
        return OriginalEdit(replace=removals, owned=wanted if owned == wanted else None)
    if wanted is None:
        return OriginalEdit(replace=removals)
    # Ours takes the new value in its place; else the first empty one is filled.
    target = ours[0] if ours else next(child for child, language in named if language == "")
    edits = ((target.start, target.end, element(wanted)), *removals[1 if ours else 0 :])
    return OriginalEdit(replace=edits, owned=wanted)


def _language(child: NfoElement) -> str | None:
    """The canonical code an element names; "" for an empty one (a template's, no value),
    None for a value no table reads."""
    text = child.text.strip()
    return canonical(text) if text else ""


def _anchor(document: NfoDocument) -> NfoElement | None:
    for name in _ANCHORS:
        for child in document.children:
            if child.name == name:
                return child
    return None
