"""Why an item's tag rests on a guess, in the reader's language, said again when the page
is drawn from the facts the engine recorded beside its English sentence
(scanner/engine/guesses.py ``review_reasons``: the code, the numbers, the language, an
example as recorded). A reason recorded before those facts were kept is shown as it was
recorded, until the item's next scan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext

from scanner.engine import guesses
from scanner.language_names import language_name


def review_sentence(reason: Mapping[str, Any]) -> str:
    values = reason.get("values")
    code = reason.get("code")
    if not isinstance(values, Mapping) or code not in guesses.CODES:
        return str(reason.get("reason") or "")
    counted = int(values.get("counted") or 0)
    facts: dict[str, Any] = {
        "count": int(values.get("files") or 0),
        "counted": counted,
        "language": language_name(str(values.get("language") or "")),
        "example": str(values.get("example") or ""),
    }
    if code == guesses.VARIETY_UNKNOWN:  # the example is the target it decides: fr-CA
        facts["variety"] = language_name(facts["example"])
    return _sentence(str(code), int(facts["count"])) % facts


def _sentence(code: str, count: int) -> str:
    """The sentence for ``code``; one that starts with "n files" follows n, the files it is
    true of (issue 84: one count per plural, so not "n of m files")."""
    if code == guesses.ORIGINAL_DOUBTFUL:
        return gettext("the *arr says English, but every file starts with %(language)s")
    if code == guesses.UNKNOWN_FIRST_TRACK:
        return ngettext(
            "%(count)d file: the first audio track has no language and is "
            "taken as the original (%(language)s)",
            "%(count)d files: the first audio track has no language and is "
            "taken as the original (%(language)s)",
            count,
        )
    if code == guesses.ARR_UNTAGGED_STREAMS:
        return ngettext(
            "%(count)d file: the *arr lists fewer languages than audio "
            "streams (the others have no language tag; the files were not read)",
            "%(count)d files: the *arr lists fewer languages than audio "
            "streams (the others have no language tag; the files were not read)",
            count,
        )
    if code == guesses.TITLE_NAMES_OTHER_LANGUAGE:
        return ngettext(
            "%(count)d file: a track's title names another language than its tag (%(example)s)",
            "%(count)d files: a track's title names another language than its tag (%(example)s)",
            count,
        )
    if code == guesses.VARIETY_UNKNOWN:
        # The target stands alone after a colon (issue 84): "which decides %(variety)s"
        # was calqued in every catalog, and a name mid-sentence wants an article or a case.
        return ngettext(
            "%(count)d file: %(language)s of unknown variety (no source "
            "names it); undecided target: %(variety)s",
            "%(count)d files: %(language)s of unknown variety (no source "
            "names it); undecided target: %(variety)s",
            count,
        )
    if code == guesses.HEARD_UNSURE:
        return ngettext(
            "%(count)d file: listening could not tell a track's language (%(example)s)",
            "%(count)d files: listening could not tell a track's language (%(example)s)",
            count,
        )
    return ngettext(
        "%(count)d file: a track's label is not what is spoken; what was "
        "heard counts (%(example)s)",
        "%(count)d files: a track's label is not what is spoken; what was "
        "heard counts (%(example)s)",
        count,
    )
