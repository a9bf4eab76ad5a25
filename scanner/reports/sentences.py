"""Which sentence tells which kind of event: a registry keyed by the event's kind
(Event.Kind). The words layer's own kinds (a scan, an item, a webhook, a media server, a
review: scanner.reports.event_sentences) are registered by their module; each feature
publishes its kinds' sentences in its own ``event_text`` module (``SENTENCES``), and the
wiring (scanner.apps, at app ready) registers them. So the words layer imports no
feature, and a feature's words stay in its folder. A kind nobody registered is still told:
scanner.reports.event_sentences.sentence falls back to the kind's plain sentence."""

from __future__ import annotations

from types import MappingProxyType

from scanner.event_words import Sentence, Sentences
from scanner.models.choices import EventKind

_by_kind: dict[EventKind, Sentence] = {}
# Every kind's sentence registered so far, read-only and live (a later registration shows).
SENTENCES: Sentences = MappingProxyType(_by_kind)


class SentenceTaken(ValueError):
    """Two different sentences registered for one kind of event: one owner per kind."""


def register(kind: EventKind, sentence: Sentence) -> None:
    """``sentence`` tells the events of ``kind``. Registering the same one again is
    harmless (a module imported twice); another one for a kind already told is refused."""
    kind = EventKind(kind)
    told = _by_kind.get(kind)
    if told is not None and told is not sentence:
        raise SentenceTaken(f"{kind} has its sentence already ({told!r})")
    _by_kind[kind] = sentence


def register_all(sentences: Sentences) -> None:
    """A module's published sentences, each registered (``register``)."""
    for kind, sentence in sentences.items():
        register(kind, sentence)


def sentence_for(kind: str) -> Sentence | None:
    """The sentence registered for ``kind``, or None when nobody told it."""
    try:
        return _by_kind.get(EventKind(kind))
    except ValueError:  # a kind no longer known (an older event)
        return None
