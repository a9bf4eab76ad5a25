"""Each feature publishes its events' sentences in its own folder and the wiring
registers them at app ready (scanner.apps, scanner.reports.sentences): the words layer
imports no feature, yet every feature's event is told through the registry; a kind no
one registered is still told, by its kind's plain sentence, never the English message."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.default_tracks import event_text as default_tracks
from scanner.history.event_text import event_message
from scanner.models import Event
from scanner.reports import event_sentences, sentences
from scanner.searches import event_text as searches
from scanner.seerr import event_text as seerr
from scanner.wish_profiles import event_text as wish_profiles

pytestmark = pytest.mark.django_db

WRITTEN = {"what": "written", "file": "Incendies.mkv", "audio_before": 1,
           "audio_before_language": "en", "audio_after": 2, "audio_after_language": "fr-CA",
           "user": "alice", "via": "cli"}  # fmt: skip


def test_each_features_sentences_are_registered_at_app_ready() -> None:
    for published in (default_tracks, searches, seerr, wish_profiles):
        for kind, sentence in published.SENTENCES.items():
            assert sentences.SENTENCES[kind] is sentence
    assert sentences.sentence_for(Event.Kind.DEFAULT_TRACK) is (
        default_tracks.default_track_sentence
    )


def test_a_features_event_is_told_through_the_registry() -> None:
    event = Event.objects.create(kind=Event.Kind.DEFAULT_TRACK, message="the log's", data=WRITTEN)
    with translation.override("en"):
        told = event_message(event)
    assert told == (
        "Incendies.mkv: the default audio track is now track 2 (Canadian French), was "
        "track 1 (English) by alice from the command line"
    )
    assert event_sentences.sentence(event, WRITTEN) == told


def test_a_kind_no_one_registered_falls_back_to_its_plain_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sentences._by_kind, Event.Kind.DEFAULT_TRACK)
    event = Event.objects.create(kind=Event.Kind.DEFAULT_TRACK, message="the log's", data=WRITTEN)
    assert sentences.sentence_for(Event.Kind.DEFAULT_TRACK) is None
    with translation.override("en"):
        assert event_message(event) == "an item: something happened"
        assert event_sentences.sentence(event, {"title": "Incendies"}) == (
            "Incendies: something happened"
        )


def test_an_unknown_kind_is_no_one_s() -> None:
    assert sentences.sentence_for("no such kind") is None


def test_one_sentence_per_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentences, "_by_kind", dict(sentences._by_kind))
    sentences.register(Event.Kind.SEERR, seerr.seerr_text)  # the same again: harmless
    with pytest.raises(sentences.SentenceTaken):
        sentences.register(Event.Kind.SEERR, default_tracks.default_track_sentence)
