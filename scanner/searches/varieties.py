"""What a search for a missing regional dub needs (tagging-rules.md, "Regional
targets"): Sonarr and Radarr search by language, never by variety, so asking them for
the Quebec dub finds any French release; only a custom format in the quality profile
makes them prefer (and upgrade to) the variety. Each hint names the custom format a
user needs: TRaSH guides' own where the guides have one (the profile guard's table,
scanner.arr.profile_guard.TRASH_VARIETY_FORMATS), else its condition.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scanner.arr.profile_guard import TRASH_VARIETY_FORMATS
from scanner.engine.languages import language_name as arr_name
from scanner.engine.languages import macrolanguage
from scanner.engine.targets import is_regional
from scanner.engine.varieties import arr_language, release_words, variety_language
from scanner.language_names import language_name


def custom_format_hints(codes: Iterable[str]) -> list[str]:
    """One sentence per regional target among ``codes`` (each once, in their order), in
    the reader's language."""
    return [_hint(code) for code in dict.fromkeys(codes) if is_regional(code)]


def _hint(code: str) -> str:
    individual = variety_language(code) or code
    language = macrolanguage(individual) or individual  # yue: the *arr's Chinese
    values = {
        "variety": language_name(code),
        "language": language_name(language),
        "condition": arr_name(language),  # as the *arr lists it, in English
    }
    # One whole message per case (issue 71): the variety, the language and the formats each
    # stand alone (after a colon, in brackets), never after a preposition or an article.
    if code in TRASH_VARIETY_FORMATS:  # the profile guard's table: one list of names
        formats = TRASH_VARIETY_FORMATS[code]
        text = ngettext(
            "Regional target %(variety)s: the *arr searches by language (%(language)s), not "
            "by variety. To prefer this variety, give this custom format from the TRaSH guides "
            "a score above the other releases of that language in the quality profile: "
            "%(names)s.",
            "Regional target %(variety)s: the *arr searches by language (%(language)s), not "
            "by variety. To prefer this variety, give one of these custom formats from the "
            "TRaSH guides a score above the other releases of that language in the quality "
            "profile: %(names)s.",
            len(formats),
        )
        values["names"] = ", ".join(f"“{name}”" for name in formats)
    elif arr_language(code):
        text = _(
            "Regional target %(variety)s: the *arr searches by language (%(language)s), not "
            "by variety. To prefer this variety, add to the quality profile a custom format "
            "scored above the other releases of that language, with this condition: Language "
            "“%(name)s”."
        )
        values["name"] = arr_language(code) or ""
    elif release_words(code):
        text = _(
            "Regional target %(variety)s: the *arr searches by language (%(language)s), not "
            "by variety. To prefer this variety, add to the quality profile a custom format "
            "scored above the other releases of that language, with these conditions: "
            "Language “%(condition)s” and Release Title matching %(words)s."
        )
        values["words"] = ", ".join(word.upper() for word in release_words(code))
    else:
        text = _(
            "Regional target %(variety)s: the *arr searches by language (%(language)s), not "
            "by variety. To prefer this variety, add to the quality profile a custom format "
            "scored above the other releases of that language, with these conditions: "
            "Language “%(condition)s” and Release Title matching the words its releases use "
            "for this variety."
        )
    return text % values
