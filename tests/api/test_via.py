"""Through what a decision came in (issue 69, item 4): every caller passes one
``Event.Via``, so a decision made through the API reads "by alice through the API" in
the reader's language, and an event stored before, with "API", reads the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from rest_framework.test import APIClient

from scanner.actions.settled_varieties import settle_varieties
from scanner.history.event_text import data_lines, event_message
from scanner.models import Event, Media
from tests.factories import MediaFactory, unsure_quebec

pytestmark = pytest.mark.django_db

GUESS = [{"code": "unknown_first_track", "reason": "1 of 1 files: ...", "files": [], "count": 1}]


def _settle(api: APIClient) -> Media:
    media = unsure_quebec(target_languages=["fr-CA", "fr-FR"])
    body = {"settled_varieties": {"French": "fr-CA"}}
    assert api.patch(f"/api/media/{media.pk}/", body, format="json").status_code == 200
    return media


def _want(api: APIClient) -> Media:
    media = unsure_quebec(target_languages=["fr-CA", "deu"])
    body = {"wanted_languages": "original"}
    assert api.patch(f"/api/media/{media.pk}/", body, format="json").status_code == 200
    return media


def _confirm(api: APIClient) -> Media:
    media = MediaFactory(review_reasons=GUESS, needs_review=True, original_language="jpn")
    body = {"decision": "confirm"}
    assert api.post(f"/api/media/{media.pk}/review/", body, format="json").status_code == 200
    return media


def _original(api: APIClient) -> Media:
    media = MediaFactory(review_reasons=GUESS, needs_review=True, original_language="jpn")
    body = {"decision": "original", "language": "ko"}
    assert api.post(f"/api/media/{media.pk}/review/", body, format="json").status_code == 200
    return media


@pytest.mark.parametrize("decide", [_settle, _want, _confirm, _original])
def test_a_decision_through_the_api_says_so_and_an_old_event_reads_the_same(
    api: APIClient, staff_user: User, decide: Callable[[APIClient], Media]
) -> None:
    media = decide(api)
    (event,) = Event.objects.filter(media=media)
    assert event.data["via"] == Event.Via.API == "api"
    user = staff_user.get_username()
    # An event stored before issue 69 spelt it "API": it reads the same.
    old = Event.objects.create(
        instance=event.instance, media=media, kind=event.kind, message=event.message,
        data={**event.data, "via": "API"},
    )  # fmt: skip
    for stored in (event, old):
        with translation.override("en"):
            assert f"by {user} through the API" in event_message(stored)
            assert ("through", "the API") in data_lines(stored.data)
        with translation.override("fr"):
            assert f"par {user} via l'API" in event_message(stored)


def test_a_decision_in_the_admin_names_the_person_only() -> None:
    media = unsure_quebec(target_languages=["fr-CA", "fr-FR"])
    settle_varieties(media, {"fra": "fr-CA"}, user="alice", via=Event.Via.ADMIN)
    (event,) = Event.objects.filter(media=media)
    assert event.data["via"] == "admin"
    text = event_message(event)
    assert text.endswith("by alice") and "through" not in text
    assert ("through", "the admin site") in data_lines(event.data)


@pytest.mark.parametrize(
    ("stored", "reads"),
    [("cli", "by bob from the command line"), ("Webhook", "by bob by a webhook"),
     ("carrier pigeon", "by bob"), (None, "by bob")],
)  # fmt: skip
def test_every_stored_spelling_reads(stored: Any, reads: str) -> None:
    media = unsure_quebec(target_languages=["fr-CA", "fr-FR"])
    event = Event.objects.create(
        instance=media.instance, media=media, kind=Event.Kind.CONFIG, message="-",
        data={"original_override": "kor", "user": "bob", "via": stored},
    )  # fmt: skip
    assert event_message(event).endswith(reads)
