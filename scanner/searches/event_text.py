"""The searches' events as sentences in the reader's language, made when shown from the
event's data: a search asked of the *arr for an item's missing dubs (SEARCH), and a lost
dub won back (LOST_DUB_ACTION: scanner.searches.lost_dub_text). Published as
``SENTENCES``, which the wiring registers (scanner.reports.sentences)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext

from scanner.engine.dub_news import episode_list
from scanner.event_words import Sentences, count_of, title_of
from scanner.language_names import language_list, language_name
from scanner.models import Event
from scanner.searches.lost_dub_text import lost_dub_action_text
from scanner.searches.plan import bound_note, describe_missing


def search(event: Event, data: Mapping[str, Any]) -> str:
    missing = [str(code) for code in data.get("missing") or []]
    values: dict[str, Any] = {
        "title": title_of(event, data),
        "arr": event.instance.get_kind_display() if event.instance else gettext("the *arr"),
        "languages": language_list(missing) if missing else describe_missing(missing),
    }
    # The languages stand alone after a colon, "language" by their number (issue 71).
    count = len({language_name(code) for code in missing}) or 1
    seasons: dict[int, list[int]] = {}
    for pair in data.get("episodes") or []:
        if isinstance(pair, list) and len(pair) == 2:
            seasons.setdefault(count_of(pair[0]), []).append(count_of(pair[1]))
    if seasons:
        values["episodes"] = ", ".join(
            episode_list(season, numbers) for season, numbers in sorted(seasons.items())
        )
        text = ngettext(
            "%(title)s: asked %(arr)s to search %(episodes)s (missing language: %(languages)s)",
            "%(title)s: asked %(arr)s to search %(episodes)s (missing languages: %(languages)s)",
            count,
        )
    else:
        text = ngettext(
            "%(title)s: asked %(arr)s to search the movie (missing language: %(languages)s)",
            "%(title)s: asked %(arr)s to search the movie (missing languages: %(languages)s)",
            count,
        )
    text %= values
    bound = data.get("bound")
    if isinstance(bound, list) and len(bound) == 2:
        # The bound is a sentence of its own after the search's (issue 71).
        text = gettext("%(told)s. %(bound)s") % {
            "told": text, "bound": bound_note(count_of(bound[0]), count_of(bound[1]))
        }  # fmt: skip
    return text


def lost_dub_action(event: Event, data: Mapping[str, Any]) -> str:
    """A lost dub's grab marked failed, its search asked, or undone (lost_dub_text)."""
    return lost_dub_action_text(event)


# The kinds of event the searches tell (registered by the wiring: scanner.apps).
SENTENCES: Sentences = {
    Event.Kind.SEARCH: search,
    Event.Kind.LOST_DUB_ACTION: lost_dub_action,
}
