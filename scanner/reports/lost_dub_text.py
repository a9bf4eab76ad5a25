"""A lost dub's action (scanner.searches.lost_dubs) as a sentence in the reader's
language, from the code and values its event keeps in ``data``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from scanner.engine.dub_news import episode_list
from scanner.language_names import language_name
from scanner.models import Event, Instance
from scanner.models.choices import LostDubOutcome as Outcome
from scanner.models.choices import LostDubUndo, stored_code

# Per outcome: the sentence (the marked-failed one is counted, below).
SENTENCES = {
    Outcome.SEARCHED: _(
        "%(title)s lost %(languages)s in an upgrade: %(arr)s asked to search %(what)s again"
    ),
    Outcome.NOT_SEARCHED: _(
        "%(title)s lost %(languages)s in an upgrade: not searched again (%(reason)s)"
    ),
    Outcome.NO_GRAB: _(
        "%(title)s lost %(languages)s in an upgrade: %(arr)s's history has no grab of the new "
        "file to mark failed"
    ),
    Outcome.BOUND: _(
        "%(title)s lost %(languages)s in an upgrade: nothing done, the daily bound (%(limit)s) "
        "is reached"
    ),
    Outcome.FAILED: _(
        "%(title)s lost %(languages)s in an upgrade: %(arr)s could not be asked: %(error)s"
    ),
    Outcome.PENDING: _(
        "%(title)s lost %(languages)s in an upgrade: an action was started, its outcome is not "
        "recorded"
    ),
    Outcome.ALREADY_MARKED: _(
        "%(title)s lost %(languages)s in an upgrade: its grab was already marked failed in "
        "%(arr)s"
    ),
}  # fmt: skip

# Why a loss was not proven enough to mark a release failed (issue 67): the event's
# ``reason`` (scanner.engine.lost_proof, scanner.searches.lost_dub_grabs).
NOT_CERTAIN = {
    "unlabelled": _(
        "%(title)s lost %(languages)s: nothing was marked failed, because an audio track of "
        "the new file has no language and may be the dub"
    ),
    "language_left": _(
        "%(title)s lost %(languages)s: nothing was marked failed, because the new file still "
        "has a track in that language (its title may call it a commentary)"
    ),
    "variety_unsure": _(
        "%(title)s lost %(languages)s: nothing was marked failed, because only a word or "
        "nothing tells the variety of the new file's tracks in that language, not their "
        "language tag"
    ),
    "no_new_import": _(
        "%(title)s lost %(languages)s: nothing was marked failed, because %(arr)s imported no "
        "new file since the old one was read, so the file was changed in place, not upgraded"
    ),
    "not_read": _(
        "%(title)s lost %(languages)s: nothing was marked failed, because the new file's "
        "tracks could not be read"
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
    values: dict[str, Any] = {
        "title": event.media.title if event.media is not None else gettext("an item"),
        "languages": ", ".join(language_name(code) for code in data.get("languages") or []),
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
        text = str(NOT_CERTAIN.get(str(data.get("reason")), NOT_CERTAIN["not_read"]))
    elif outcome == Outcome.MARKED_FAILED:
        text = ngettext(
            "%(title)s lost %(languages)s in an upgrade: its release %(releases)s was marked "
            "failed in %(arr)s, which blocklists it and searches for another",
            "%(title)s lost %(languages)s in an upgrade: its releases %(releases)s were marked "
            "failed in %(arr)s, which blocklists them and searches for others",
            len(releases),
        )
    else:
        text = str(SENTENCES.get(outcome, SENTENCES[Outcome.PENDING]))
    return text % values


def _what(episodes: list[Any]) -> str:
    seasons: dict[int, list[int]] = defaultdict(list)
    for pair in episodes:
        if isinstance(pair, list) and len(pair) == 2:
            seasons[int(pair[0])].append(int(pair[1]))
    found = ", ".join(episode_list(season, numbers) for season, numbers in sorted(seasons.items()))
    return found or gettext("the movie")
