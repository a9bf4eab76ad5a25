"""A lost dub's action (scanner.searches.lost_dubs) as a sentence in the reader's
language, from the code and values its event keeps in ``data``. The languages stand alone
in brackets, joined by the reader's list pattern, never the object of a verb that would
need an article or a case ("Dark a perdu allemand"); "dub" follows their number (issue 71)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from scanner.engine.dub_news import episode_list
from scanner.language_names import language_list, language_name
from scanner.models import Event, Instance
from scanner.models.choices import LostDubOutcome as Outcome
from scanner.models.choices import LostDubUndo, stored_code

# Per outcome: the sentence (the marked-failed one is counted, below).
SENTENCES = {
    Outcome.SEARCHED: ngettext_lazy(
        "%(title)s: dub lost in an upgrade (%(languages)s); %(arr)s asked to search "
        "%(what)s again",
        "%(title)s: dubs lost in an upgrade (%(languages)s); %(arr)s asked to search "
        "%(what)s again",
        "count",
    ),
    Outcome.NOT_SEARCHED: ngettext_lazy(
        "%(title)s: dub lost in an upgrade (%(languages)s); not searched again "
        "(%(reason)s)",
        "%(title)s: dubs lost in an upgrade (%(languages)s); not searched again "
        "(%(reason)s)",
        "count",
    ),
    Outcome.NO_GRAB: ngettext_lazy(
        "%(title)s: dub lost in an upgrade (%(languages)s); %(arr)s's history has no "
        "grab of the new file to mark failed",
        "%(title)s: dubs lost in an upgrade (%(languages)s); %(arr)s's history has no "
        "grab of the new file to mark failed",
        "count",
    ),
    Outcome.BOUND: ngettext_lazy(
        "%(title)s: dub lost in an upgrade (%(languages)s); nothing done, the daily "
        "bound (%(limit)s) is reached",
        "%(title)s: dubs lost in an upgrade (%(languages)s); nothing done, the daily "
        "bound (%(limit)s) is reached",
        "count",
    ),
    Outcome.FAILED: ngettext_lazy(
        "%(title)s: dub lost in an upgrade (%(languages)s); %(arr)s could not be "
        "asked: %(error)s",
        "%(title)s: dubs lost in an upgrade (%(languages)s); %(arr)s could not be "
        "asked: %(error)s",
        "count",
    ),
    Outcome.PENDING: ngettext_lazy(
        "%(title)s: dub lost in an upgrade (%(languages)s); an action was started, its "
        "outcome is not recorded",
        "%(title)s: dubs lost in an upgrade (%(languages)s); an action was started, "
        "its outcome is not recorded",
        "count",
    ),
    Outcome.ALREADY_MARKED: ngettext_lazy(
        "%(title)s: dub lost in an upgrade (%(languages)s); its grab was already "
        "marked failed in %(arr)s",
        "%(title)s: dubs lost in an upgrade (%(languages)s); its grab was already "
        "marked failed in %(arr)s",
        "count",
    ),
}  # fmt: skip

# Why a loss was not proven enough to mark a release failed (issue 67): the event's
# ``reason`` (scanner.engine.lost_proof, scanner.searches.lost_dub_grabs).
NOT_CERTAIN = {
    "unlabelled": ngettext_lazy(
        "%(title)s: dub lost (%(languages)s); nothing was marked failed, because an "
        "audio track of the new file has no language and may be the dub",
        "%(title)s: dubs lost (%(languages)s); nothing was marked failed, because an "
        "audio track of the new file has no language and may be the dub",
        "count",
    ),
    "language_left": ngettext_lazy(
        "%(title)s: dub lost (%(languages)s); nothing was marked failed, because the "
        "new file still has a track in that language (its title may call it a "
        "commentary)",
        "%(title)s: dubs lost (%(languages)s); nothing was marked failed, because the "
        "new file still has a track in that language (its title may call it a "
        "commentary)",
        "count",
    ),
    "variety_unsure": ngettext_lazy(
        "%(title)s: dub lost (%(languages)s); nothing was marked failed, because only "
        "a word or nothing tells the variety of the new file's tracks in that "
        "language, not their language tag",
        "%(title)s: dubs lost (%(languages)s); nothing was marked failed, because only "
        "a word or nothing tells the variety of the new file's tracks in that "
        "language, not their language tag",
        "count",
    ),
    "no_new_import": ngettext_lazy(
        "%(title)s: dub lost (%(languages)s); nothing was marked failed, because "
        "%(arr)s imported no new file since the old one was read, so the file was "
        "changed in place, not upgraded",
        "%(title)s: dubs lost (%(languages)s); nothing was marked failed, because "
        "%(arr)s imported no new file since the old one was read, so the file was "
        "changed in place, not upgraded",
        "count",
    ),
    "not_read": ngettext_lazy(
        "%(title)s: dub lost (%(languages)s); nothing was marked failed, because the "
        "new file's tracks could not be read",
        "%(title)s: dubs lost (%(languages)s); nothing was marked failed, because the "
        "new file's tracks could not be read",
        "count",
    ),
}  # fmt: skip

# Undoing the mark (scanner.searches.lost_dub_undo): the event's ``undo``.
UNDO = {
    LostDubUndo.UNDONE: _(
        "%(title)s: the mark as failed was undone, and the blocklist of %(arr)s no longer "
        "holds %(releases)s"
    ),
    LostDubUndo.NOT_FOUND: _(
        "%(title)s: the mark as failed could not be undone, because the blocklist of %(arr)s "
        "no longer holds %(releases)s"
    ),
    LostDubUndo.FAILED: _(
        "%(title)s: the mark as failed could not be undone, because %(arr)s could not be "
        "asked: %(error)s"
    ),
}  # fmt: skip


def lost_dub_action_text(event: Event) -> str:
    data = event.data if isinstance(event.data, Mapping) else {}
    sonarr = event.instance is not None and event.instance.kind == Instance.Kind.SONARR
    releases = data.get("releases") or []
    codes = [str(code) for code in data.get("languages") or []]
    values: dict[str, Any] = {
        "title": event.media.title if event.media is not None else gettext("an item"),
        # The languages stand alone in brackets, joined as the reader joins a list; "dub"
        # follows their number ("count": the ngettext_lazy messages above choose by it).
        "languages": language_list(codes) or "-",
        "count": max(1, len({language_name(code) for code in codes})),
        "arr": "Sonarr" if sonarr else "Radarr",
        "what": _what(data.get("episodes") or []),
        "reason": data.get("reason") or "-",
        "limit": data.get("limit") or 0,
        "error": data.get("error") or "-",
        "releases": ", ".join(f"“{name}”" for name in releases),
    }
    found = data.get("undo")
    undo: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    undone = stored_code(LostDubUndo, undo.get("outcome"))
    outcome = stored_code(Outcome, data.get("outcome")) or Outcome.PENDING
    if undone is not None:
        values["error"] = undo.get("error") or "-"
        text = str(UNDO[undone])
    elif outcome == Outcome.NOT_CERTAIN:
        return NOT_CERTAIN.get(str(data.get("reason")), NOT_CERTAIN["not_read"]) % values
    elif outcome == Outcome.MARKED_FAILED and values["count"] == 1:
        text = ngettext(
            "%(title)s: dub lost in an upgrade (%(languages)s); its release %(releases)s "
            "was marked failed in %(arr)s, which blocklists it and searches for another",
            "%(title)s: dub lost in an upgrade (%(languages)s); its releases %(releases)s "
            "were marked failed in %(arr)s, which blocklists them and searches for others",
            len(releases),
        )
    elif outcome == Outcome.MARKED_FAILED:
        text = ngettext(
            "%(title)s: dubs lost in an upgrade (%(languages)s); its release %(releases)s "
            "was marked failed in %(arr)s, which blocklists it and searches for another",
            "%(title)s: dubs lost in an upgrade (%(languages)s); its releases %(releases)s "
            "were marked failed in %(arr)s, which blocklists them and searches for others",
            len(releases),
        )
    else:
        return SENTENCES.get(outcome, SENTENCES[Outcome.PENDING]) % values
    return text % values


def _what(episodes: list[Any]) -> str:
    seasons: dict[int, list[int]] = defaultdict(list)
    for pair in episodes:
        if isinstance(pair, list) and len(pair) == 2:
            seasons[int(pair[0])].append(int(pair[1]))
    found = ", ".join(episode_list(season, numbers) for season, numbers in sorted(seasons.items()))
    return found or gettext("the movie")
