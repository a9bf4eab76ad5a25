"""The Seerr webhook's guards: its token, the feature off until the connection test
passed, bad bodies answered 400 with nothing kept, a redelivery doing nothing twice. The
bodies are rendered by the fake's copy of Seerr's Webhook agent (fakes/seerr/webhook.py,
from server/lib/notifications/agents/webhook.ts): every value a string, the objects null
when the notification has none."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from fakes.seerr import FakeSeerrState, Notification, render
from scanner.models import Event, Instance, Person, SeerrAsk, SeerrConnection, SeerrDelivery
from scanner.seerr.settings import authorization, json_payload
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db
URL = "/api/webhooks/seerr/"


@pytest.fixture
def connection() -> SeerrConnection:
    connection = SeerrConnection(name="overseerr", url="http://seerr:5055")
    connection.set_api_key("c2VlcnIta2V5LTAxMjM0NTY3ODk=")
    connection.tested_at = timezone.now()
    connection.key_user_email = "admin@example.org"
    connection.save()
    person = Person.objects.create(name="Papa", languages=["fr-CA"])
    connection.users.create(
        seerr_id=2, email="papa@example.org", display_name="papa", person=person
    )
    return connection


def _served(connection: SeerrConnection, kind: str) -> Instance:
    """An instance the connection serves."""
    instance = InstanceFactory(kind=kind)
    connection.instances.add(instance)
    return instance


def _approved(state: FakeSeerrState | None = None) -> bytes:
    state = state or FakeSeerrState(api_key="k")
    papa = state.add_user("papa@example.org")
    film = state.add_media("movie", 603)
    note = Notification("MEDIA_APPROVED", media=film, request_id=3, requested_by=papa)
    return json.dumps(render(json_payload(), state, note)).encode()


def _post(client: Client, body: bytes | str, connection: SeerrConnection | None, **headers: str):
    if connection is not None:
        headers.setdefault("Authorization", authorization(connection.get_webhook_token()))
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_the_template_renders_every_value_as_a_string() -> None:
    """webhook.ts replaces {{media_tmdbid}} inside a string: "603", never 603."""
    body = json.loads(_approved())
    assert body["media"] == {
        "media_type": "movie",
        "tmdbId": "603",
        "tvdbId": "",
        "status": "UNKNOWN",
    }
    assert body["issue"] is None and body["comment"] is None
    assert body["request"] == {"request_id": "3", "requestedBy_email": "papa@example.org"}


def test_a_request_is_followed_once_however_often_it_is_delivered(
    client: Client, connection: SeerrConnection
) -> None:
    movie = MediaFactory(instance=_served(connection, "radarr"), kind="movie", tmdb_id=603)
    first = _post(client, _approved(), connection)
    again = _post(client, _approved(), connection)
    assert (first.status_code, first.json()["status"]) == (202, "followed")
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    assert SeerrAsk.objects.get().media == movie
    assert SeerrDelivery.objects.count() == 1
    movie.refresh_from_db()
    assert list(movie.targets_own) == ["fr-CA"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("{not json", "the body must be a JSON object"),
        ("[1, 2]", "the body must be a JSON object"),
        ("{}", "notification_type is missing"),
        (
            {"notification_type": "MEDIA_APPROVED", "media": None, "request": None},
            'media.media_type must be "movie" or "tv"',
        ),
        (
            {
                "notification_type": "MEDIA_APPROVED",
                "media": {"media_type": "movie", "tmdbId": "x"},
            },
            "media.tmdbId must be written with the digits 0-9 only",
        ),
        (
            {
                "notification_type": "MEDIA_APPROVED",
                "media": {"media_type": "movie", "tmdbId": "603"},
                "request": {"requestedBy_email": ""},
            },
            "request.requestedBy_email is needed",
        ),
        (  # Arabic-Indic digits: Python's int() reads 303; no Seerr renders them
            {
                "notification_type": "MEDIA_APPROVED",
                "media": {"media_type": "movie", "tmdbId": "603"},
                "request": {
                    "request_id": "\u0663\u0660\u0663",
                    "requestedBy_email": "papa@example.org",
                },
            },
            "request.request_id must be written with the digits 0-9 only",
        ),
        (
            {"notification_type": "ISSUE_CREATED", "media": "603"},
            "media must be an object or null",
        ),
        (
            {"notification_type": "MEDIA_APPROVED", "subject": "a\u0000b"},
            "the body must not hold NUL characters (\\u0000)",
        ),
    ],
)
def test_a_bad_body_is_400_and_nothing_is_kept(
    client: Client, connection: SeerrConnection, body: object, error: str
) -> None:
    data = body if isinstance(body, str) else json.dumps(body)
    response = _post(client, data, connection)
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert not SeerrDelivery.objects.exists()
    assert not SeerrAsk.objects.exists()
    # the same notification, well formed, is then acted on: nothing was lost
    assert _post(client, _approved(), connection).status_code == 202


def test_an_unknown_token_is_401_and_an_untested_connection_409(
    client: Client, connection: SeerrConnection
) -> None:
    refused = _post(client, _approved(), None, Authorization="Bearer not-a-token")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert _post(client, _approved(), None).status_code == 401
    SeerrConnection.objects.filter(pk=connection.pk).update(tested_at=None)
    off = _post(client, _approved(), connection)
    assert off.status_code == 409
    assert not SeerrDelivery.objects.exists()


def test_the_test_notification_and_types_not_acted_on_answer_200(
    client: Client, connection: SeerrConnection
) -> None:
    test = _post(client, json.dumps({"notification_type": "TEST_NOTIFICATION"}), connection)
    pending = _post(client, json.dumps({"notification_type": "MEDIA_PENDING"}), connection)
    assert (test.status_code, pending.status_code) == (200, 200)
    assert pending.json()["status"] == "ignored"


def _available(email: str, request_id: int = 4) -> bytes:
    state = FakeSeerrState(api_key="k")
    user = state.add_user(email)
    film = state.add_media("movie", 603, status=5)
    note = Notification("MEDIA_AVAILABLE", media=film, request_id=request_id, requested_by=user)
    return json.dumps(render(json_payload(), state, note)).encode()


def test_available_without_an_approval_seen_is_followed_from_there(
    client: Client, connection: SeerrConnection
) -> None:
    """A request approved before the agent was set up arrives first as MEDIA_AVAILABLE."""
    movie = MediaFactory(instance=_served(connection, "radarr"), kind="movie", tmdb_id=603)
    response = _post(client, _available("papa@example.org"), connection)
    assert (response.status_code, response.json()["status"]) == (202, "followed")
    ask = SeerrAsk.objects.get()
    assert (ask.media, ask.available, ask.request_id) == (movie, True, 4)
    # A listed user linked to no person: nothing followed.
    connection.users.create(seerr_id=3, email="stranger@example.org", display_name="stranger")
    stranger = _post(client, _available("stranger@example.org", request_id=5), connection)
    assert (stranger.status_code, stranger.json()["status"]) == (200, "ignored")
    assert SeerrAsk.objects.count() == 1


def test_requests_without_a_request_id_are_told_apart_by_their_item(
    client: Client, connection: SeerrConnection
) -> None:
    """A template of a person's own may leave {{request_id}} out: the item tells them apart."""
    for tmdb in ("603", "604"):
        body = {
            "notification_type": "MEDIA_APPROVED",
            "media": {"media_type": "movie", "tmdbId": tmdb},
            "request": {"requestedBy_email": "Papa@Example.org"},
        }
        assert _post(client, json.dumps(body), connection).status_code == 202
    asks = SeerrAsk.objects.order_by("tmdb_id")
    assert [(ask.tmdb_id, ask.request_id, ask.asker_email) for ask in asks] == [
        (603, None, "papa@example.org"),
        (604, None, "papa@example.org"),
    ]


def test_a_series_is_matched_by_its_tvdb_id_else_its_tmdb_id(
    client: Client, connection: SeerrConnection
) -> None:
    """Sonarr keys series by TVDB id; Seerr sends both for a series ({{media_tvdbid}})."""
    sonarr = _served(connection, "sonarr")
    by_tvdb = MediaFactory(instance=sonarr, kind="series", tvdb_id=121361, tmdb_id=1)
    by_tmdb = MediaFactory(instance=sonarr, kind="series", tmdb_id=1399)
    for request, media in (("5", {"tvdbId": "121361", "tmdbId": "2"}), ("6", {"tmdbId": "1399"})):
        body = {
            "notification_type": "MEDIA_APPROVED",
            "media": {"media_type": "tv", **media},
            "request": {"request_id": request, "requestedBy_email": "papa@example.org"},
        }
        assert _post(client, json.dumps(body), connection).status_code == 202
    asks = SeerrAsk.objects.order_by("request_id")
    assert [ask.media for ask in asks] == [by_tvdb, by_tmdb]


def test_an_item_of_an_instance_the_connection_does_not_serve_is_left_alone(
    client: Client, connection: SeerrConnection
) -> None:
    """Issue 79: the film is in the household's second Radarr, which this Seerr does not
    serve; its approval gives it nobody's languages, and says why."""
    _served(connection, "radarr")  # the one it serves, without the film
    other = MediaFactory(instance=InstanceFactory(kind="radarr"), kind="movie", tmdb_id=603)
    response = _post(client, _approved(), connection)
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ignored", "reason": "the item is an instance's this connection does not serve"},
    )
    other.refresh_from_db()
    assert (other.wanted, other.wanted_by) == ("", "")
    assert not SeerrAsk.objects.exists()
    event = Event.objects.get(data__what="seerr_not_served")
    assert (event.data["title"], event.data["seerr"]) == (other.title, "overseerr")
    connection.instances.add(other.instance)  # now served: the request, sent again, is followed
    again = {**json.loads(_approved()), "subject": "The Matrix"}  # not the same body
    assert _post(client, json.dumps(again), connection).status_code == 202
    assert SeerrAsk.objects.get().media == other
