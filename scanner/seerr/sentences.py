"""What Taggarr writes in Seerr (issue 72), one whole sentence per message, in the asker's
language (the caller sets it with translation.override): where the item stands for their
language (heard.py), when their dub arrived, and the quality profile Taggarr set in the
*arr for what they asked (issue 82), each a sentence of its own."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext, ngettext

from scanner.language_names import language_name, spoken_list
from scanner.seerr.heard import ABSENT, NO_FILES, OTHER, PARTIAL, PRESENT, UNKNOWN, Standing

MAX_FILES_NAMED = 5


def standing_text(standing: Standing, *, title: str, wanted: str, searching: bool) -> str:
    values = {"title": title, "wanted": language_name(wanted)}
    if standing.state == PRESENT:
        files = [path.rsplit("/", 1)[-1] for path in standing.files[:MAX_FILES_NAMED]]
        count = len(standing.files)
        return ngettext(
            "%(wanted)s audio is already in %(count)d file of %(title)s: %(files)s.",
            "%(wanted)s audio is already in %(count)d files of %(title)s: %(files)s.",
            count,
        ) % {**values, "count": count, "files": ", ".join(files)}
    if standing.state == PARTIAL:
        # Each count in a sentence of its own, with its own plural (issue 84): the files
        # that have it, then those that lack it.
        having = len(standing.files)
        lacking = max(standing.total - having, 0)
        has = ngettext(
            "%(wanted)s audio is in %(count)d file of %(title)s.",
            "%(wanted)s audio is in %(count)d files of %(title)s.",
            having,
        ) % {**values, "count": having}
        if searching:
            rest = ngettext(
                "Taggarr is searching for a release with it for the %(count)d other file.",
                "Taggarr is searching for releases with it for the %(count)d other files.",
                lacking,
            )
        else:
            rest = ngettext(
                "%(count)d other file lacks it; Taggarr will say so when it has it.",
                "%(count)d other files lack it; Taggarr will say so when all of them have it.",
                lacking,
            )
        return f"{has} {rest % {'count': lacking}}"
    if standing.state == OTHER:
        found = spoken_list([language_name(code) for code in standing.varieties])
        if searching:
            return gettext(
                "Only the %(found)s dub of %(title)s is in the library; Taggarr is searching "
                "for a release with %(wanted)s audio."
            ) % {**values, "found": found}
        return gettext(
            "Only the %(found)s dub of %(title)s is in the library; Taggarr will say so "
            "when a release with %(wanted)s audio is imported."
        ) % {**values, "found": found}
    if standing.state == UNKNOWN:
        return (
            gettext(
                "%(title)s has a track of this language whose variety no source names; "
                "Taggarr cannot tell yet whether it is %(wanted)s."
            )
            % values
        )
    if standing.state == NO_FILES:
        return (
            gettext(
                "%(title)s has no file in the library yet; Taggarr will answer when one is "
                "imported."
            )
            % values
        )
    if searching:
        return (
            gettext(
                "%(title)s has no %(wanted)s audio in the library; Taggarr is searching for a "
                "release with it."
            )
            % values
        )
    return (
        gettext(
            "%(title)s has no %(wanted)s audio in the library; Taggarr will say so when a "
            "release with it is imported."
        )
        % values
    )


def asked_title(title: str, seasons: Sequence[int]) -> str:
    """The series' title with the seasons a request asked for (``Anime Half, season 2``),
    as the sentences above name it: what they say is of those seasons only."""
    if not seasons:
        return title
    return ngettext(
        "%(title)s, season %(seasons)s", "%(title)s, seasons %(seasons)s", len(seasons)
    ) % {"title": title, "seasons": ", ".join(str(number) for number in sorted(seasons))}


def arrived_text(*, title: str, wanted: str) -> str:
    return gettext("%(wanted)s audio of %(title)s is now in the library.") % {
        "title": title,
        "wanted": language_name(wanted),
    }


def profile_text(*, arr: str, profile: str, target: str | None, original: bool) -> str:
    """The quality profile Taggarr set in the *arr (``arr``: "Sonarr", "Radarr") and why:
    what it makes the *arr grab, a wish's target (None: the original only) and whether
    the original is wanted with it (scanner.engine.wishes.parse_wish). Sonarr's words:
    "quality profile"."""
    values = {"arr": arr, "profile": profile}
    if target is None:
        return (
            gettext(
                "Taggarr set %(arr)s's quality profile “%(profile)s” so that it grabs "
                "releases in the original language."
            )
            % values
        )
    wanted = language_name(target)
    if original:
        return gettext(
            "Taggarr set %(arr)s's quality profile “%(profile)s” so that it grabs "
            "releases with both the original audio and %(wanted)s audio."
        ) % {**values, "wanted": wanted}
    return gettext(
        "Taggarr set %(arr)s's quality profile “%(profile)s” so that it grabs "
        "releases with %(wanted)s audio."
    ) % {**values, "wanted": wanted}


__all__ = ["ABSENT", "arrived_text", "profile_text", "standing_text"]
