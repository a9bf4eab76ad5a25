"""The few words every event's sentence shares, whoever tells it: the shape of a sentence
(``Sentence``: an event and its data to words in the reader's language), who made a
change (``by_text``), the item's title (``title_of``) and a figure read safely
(``count_of``). Below the words layer (scanner.reports) and the features alike: each
feature words its own events with them (its ``event_text`` module, registered by the
wiring in scanner.reports.sentences), and the words layer never imports a feature."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from scanner.models import Event
from scanner.models.choices import EventKind

# An event's sentence, made when it is shown from its kind's data (scanner.models.event_data).
Sentence: TypeAlias = Callable[[Event, Mapping[str, Any]], str]
# A module's published sentences, by the kind of event (Event.Kind) each tells.
Sentences: TypeAlias = Mapping[EventKind, Sentence]

# How a change came in (Event.Via), after "by <user>"; the web pages need no words.
VIA = {
    Event.Via.API: _("by %(user)s through the API"),
    Event.Via.CLI: _("by %(user)s from the command line"),
    Event.Via.WEBHOOK: _("by %(user)s by a webhook"),
}


def by_text(data: Mapping[str, Any]) -> str:
    """`` by alice through the API``, or nothing when no one is named."""
    user = data.get("user")
    if not user:
        return ""
    via = Event.Via.read(data.get("via"))  # "API", as stored before issue 69, is "api"
    said = VIA.get(via) if via else None
    said = said or pgettext_lazy("who made a change", "by %(user)s")
    return " " + str(said) % {"user": user}


def title_of(event: Event, data: Mapping[str, Any]) -> str:
    """The item's title: its own, the one the event kept, or "an item"."""
    if event.media_id and event.media is not None:
        return event.media.title
    return str(data.get("title") or "") or gettext("an item")


def count_of(value: Any) -> int:
    """A count the data kept, or 0 when it kept none (or not a number)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
