"""The wishes and the judgements of quality profiles in the reader's language (issue 82):
a wish's label ("Canadian French (VFQ)", "The original only", "The original and
German") and one sentence per judgement code (scanner.wish_profiles.judge), made when
shown, never stored.

A language or a variety is named by scanner.language_names (CLDR's names, a variety as
its speakers name it: "español latino"), with the word its releases carry beside it
where groups name the variety so (VFQ, VFF, Latino, Castellano), as a person finds it in
a release name and in TRaSH's formats. A release, a score and the *arr's language name
are quoted as the *arr shows them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

from scanner.engine.languages import canonical
from scanner.engine.varieties import VARIETY_WORDS
from scanner.engine.wishes import parse_wish
from scanner.language_names import language_name, noted
from scanner.models import Event
from scanner.wish_profiles import judge
from scanner.wish_profiles.judge import Judgement
from scanner.wish_profiles.recipes import FOLDER, recipe_file

RELEASE_WORDS: Final = VARIETY_WORDS  # the word a variety's releases carry (one table)


def target_label(target: str) -> str:
    """A target named in the reader's language, with its release word (``fr-CA``:
    "français canadien (VFQ)"; "Französisch (Kanada, VFQ)", one bracket level)."""
    name = language_name(target)
    word = RELEASE_WORDS.get(target)
    if not word or word.casefold() in name.casefold():  # "español latino": said already
        return name
    return noted(name, word)


def wish_label(wish: str) -> str:
    """A wish as the mapping page and the changes name it, a label: capitalised ("The
    original only", "Canadian French (VFQ)"); a malformed one as it is."""
    try:
        target, original = parse_wish(wish)
    except ValueError:
        return wish
    if target is None:
        return gettext("The original only")
    if original:
        return gettext("The original and %(language)s") % {"language": target_label(target)}
    return capfirst(target_label(target))  # a label, capitalised as the two above


def judgement_text(judgement: Judgement) -> str:
    """The judgement's sentence, in the reader's language."""
    values = dict(judgement.values)
    code = judgement.code
    if code == judge.OK:
        text = gettext(
            "At the same quality this profile grabs %(wanted)s (score %(wanted_score)s) "
            "over %(other)s (score %(other_score)s)."
        )
    elif code == judge.ONLY_WANTED:
        text = gettext(
            "This profile grabs %(wanted)s (score %(wanted_score)s) and rejects every "
            "release without it."
        )
    elif code == judge.ALL_WANTED:
        text = gettext(
            "No other language is wanted here: every release this profile may grab has what "
            "this wish wants, %(wanted)s included."
        )
    elif code == judge.OTHER_FIRST:
        text = gettext(
            "At the same quality this profile would grab %(other)s (score %(other_score)s) "
            "over %(wanted)s (score %(wanted_score)s)."
        )
    elif code == judge.TIE:
        text = gettext(
            "This profile scores %(other)s as high as %(wanted)s (score %(wanted_score)s): "
            "which one it grabs is left to the indexer, the seeders and the size."
        )
    elif code == judge.NO_SCORES:
        text = gettext(
            "This profile scores no custom format: it grabs %(other)s as readily as "
            "%(wanted)s, whatever the language."
        )
    elif code == judge.BELOW_MINIMUM:
        text = gettext(
            "This profile rejects %(wanted)s: its score %(wanted_score)s is below the "
            "profile's minimum custom format score (%(minimum)s)."
        )
    elif code == judge.LANGUAGE_ORIGINAL:
        text = gettext(
            "This profile rejects %(wanted)s: its language is Original, so it takes only "
            "releases in the movie's original language."
        )
    elif code == judge.LANGUAGE_OTHER:
        values["language"] = _arr_language(str(values.get("language", "")))
        text = gettext(
            "This profile rejects %(wanted)s: it takes only releases in %(language)s (its "
            "language)."
        )
    else:
        return gettext("This wish names no language Taggarr knows: nothing to judge.")
    return text % values


def recipe_text(wish: str, kind: str) -> str:
    """For a wish no quality profile of the *arr grabs: the Recyclarr recipe in the docs
    that makes one ("" when there is none for it: scanner.wish_profiles.recipes)."""
    file = recipe_file(wish, kind)
    if file is None:
        return ""
    return gettext(
        "%(wish)s: no quality profile of yours grabs it; the Recyclarr recipe "
        "%(folder)s/%(file)s makes one."
    ) % {"wish": wish_label(wish), "folder": FOLDER, "file": file}


def _arr_language(name: str) -> str:
    """The *arr's language name (English) in the reader's language, when it names one."""
    code = canonical(name) if name else None
    return language_name(code) if code else name or "?"


def mapping_text(event: Event, data: Mapping[str, Any], by: str) -> str:
    """A saved mapping's event (scanner.wish_profiles.mapping): each wish changed, its
    profile before and after by the names the *arr gave them ("-- not managed --")."""
    name = event.instance.name if event.instance is not None else "?"
    mapping = data.get("mapping")
    names = data.get("names")
    pairs = mapping if isinstance(mapping, Mapping) else {}
    named = names if isinstance(names, Mapping) else {}
    changes = []
    for wish, pair in list(pairs.items())[:60]:
        ids = pair if isinstance(pair, list) and len(pair) == 2 else [None, None]
        texts = named.get(wish)
        texts = texts if isinstance(texts, list) and len(texts) == 2 else ["", ""]
        before, after = (_profile(ids[i], texts[i]) for i in (0, 1))
        changes.append(
            gettext("%(wish)s: %(before)s → %(after)s")
            % {"wish": wish_label(str(wish)), "before": before, "after": after}
        )
    apart = pgettext("between the clauses of a list of changes", "; ")
    text = gettext("Quality profile of each wish of %(name)s saved%(by)s: %(changes)s")
    return text % {"name": name, "by": by, "changes": apart.join(changes) or "-"}


def profile_label(profile_id: int | None, name: str) -> str:
    """A quality profile as every page names it: by the name the *arr gives it
    ("HD-1080p"), by its number only while Taggarr knows no name ("profile 4"; the names
    known: scanner.wish_profiles.profile_names); none: "none"."""
    if name:
        return name
    if profile_id is None:
        return pgettext("no quality profile", "none")
    return gettext("profile %(number)d") % {"number": profile_id}


def _profile(profile_id: Any, name: Any) -> str:
    if profile_id is None:
        return gettext("not managed")
    if isinstance(profile_id, int) and not isinstance(profile_id, bool):
        return profile_label(profile_id, name if isinstance(name, str) else "")
    return name if isinstance(name, str) and name else "?"
