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
    if code in TRASH_VARIETY_FORMATS:  # the profile guard's table: one list of names
        formats = TRASH_VARIETY_FORMATS[code]
        how = ngettext(
            "TRaSH guides' custom format %(names)s",
            "TRaSH guides' custom formats %(names)s",
            len(formats),
        ) % {"names": ", ".join(f"“{name}”" for name in formats)}
    elif arr_language(code):
        how = _("a custom format with the Language condition “%(name)s”") % {
            "name": arr_language(code)
        }
    elif release_words(code):
        how = _(
            "a custom format with the Language condition “%(condition)s” and a Release "
            "Title condition matching %(words)s"
        ) % {**values, "words": ", ".join(word.upper() for word in release_words(code))}
    else:
        how = (
            _(
                "a custom format with the Language condition “%(condition)s” and a Release "
                "Title condition matching how its releases name %(variety)s"
            )
            % values
        )
    return _(
        "The *arr searches for %(language)s, not for %(variety)s: to prefer %(variety)s, "
        "its quality profile needs %(how)s, scored above other %(language)s releases."
    ) % {**values, "how": how}
