"""The API in its reader's language (issue 71, Deliver 4): an event's ``text`` beside its
stable English ``message``, a feed made without a language in its maker's, a typed
language refused in the reader's words; the language is the request's (Accept-Language),
else the user's saved one (accounts.language), for a session and a token alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Profile
from scanner.history.event_text import event_message
from scanner.models import Event, FeedToken
from tests.factories import EventFactory, MediaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tag_change() -> Event:
    media = MediaFactory(title="Dark")
    return EventFactory(
        instance=media.instance, media=media, kind=Event.Kind.TAG_CHANGED,
        message="Dark: tag changed from none to dub", data={"from": None, "to": "dub"},
    )  # fmt: skip


def _told(event: Event, language: str) -> str:
    with translation.override(language):
        return event_message(event)


@pytest.mark.parametrize("language", ["de", "fr", "es", "pt-br"])
def test_an_events_text_is_in_the_requests_language_its_message_stays(
    api: APIClient, tag_change: Event, language: str
) -> None:
    answer = api.get("/api/events/", HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200
    (event,) = answer.json()["results"]
    assert event["message"] == "Dark: tag changed from none to dub"  # the stable record
    assert event["text"] == _told(tag_change, language) != _told(tag_change, "en")
    detail = api.get(f"/api/events/{tag_change.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()
    assert detail["text"] == event["text"]


def test_a_tokens_user_without_accept_language_reads_their_saved_language(
    token_api: APIClient, staff_user: User, tag_change: Event
) -> None:
    Profile.objects.create(user=staff_user, language="fr")
    (event,) = token_api.get("/api/events/").json()["results"]
    assert event["text"] == _told(tag_change, "fr")
    # What the request asks for wins over what was saved.
    (event,) = token_api.get("/api/events/", HTTP_ACCEPT_LANGUAGE="de").json()["results"]
    assert event["text"] == _told(tag_change, "de")


def test_the_schema_documents_text_beside_message(api: APIClient) -> None:
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    fields = schema.json()["components"]["schemas"]["Event"]["properties"]
    assert {"message", "text"} <= set(fields)
    assert "Accept-Language" in fields["text"]["description"]
    assert fields["text"]["readOnly"] and fields["message"]["readOnly"]


def test_a_feed_made_without_a_language_speaks_its_makers(api: APIClient, staff_user: User) -> None:
    made = api.post("/api/feed-tokens/", {"name": "HA"}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert made.status_code == 201 and made.json()["language"] == "es"
    Profile.objects.create(user=staff_user, language="nl")
    saved = api.post("/api/feed-tokens/", {"name": "NL"}, format="json")
    assert saved.json()["language"] == "nl"
    chosen = api.post("/api/feed-tokens/", {"name": "IT", "language": "it"}, format="json")
    assert chosen.json()["language"] == "it"
    assert sorted(FeedToken.objects.values_list("language", flat=True)) == ["es", "it", "nl"]


def test_a_refused_original_language_names_the_nearest_in_the_readers_words(
    api: APIClient,
) -> None:
    media = MediaFactory()
    answer = api.patch(
        f"/api/media/{media.pk}/", {"original_override": "VFX"}, format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["original_override"] == [
        "langue inconnue «\u00a0VFX\u00a0»\u00a0: vouliez-vous dire français (fr)\u202f?"
    ]


def test_a_tokens_user_reads_a_refusal_in_their_saved_language(
    token_api: APIClient, staff_user: User
) -> None:
    """A token's request has no session: its user's saved language is read once DRF has
    authenticated it (api.language), on every endpoint, not only the events."""
    Profile.objects.create(user=staff_user, language="de")
    media = MediaFactory()
    answer = token_api.patch(f"/api/media/{media.pk}/", {"original_override": "VFX"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["original_override"] == [
        "unbekannte Sprache „VFX“: vielleicht Französisch (fr)?"
    ]
