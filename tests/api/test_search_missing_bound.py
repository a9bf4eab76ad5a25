"""POST /api/search-missing/ answers with what it reserved under the daily bound: calls in
a row, or at the same time, share the bound and each answer counts only its own share,
so that the answers add up to what the *arr is asked for."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from fakes.arr import FakeArr
from scanner import tasks
from scanner.models import Instance, Media, MissingSearch
from scanner.searches.actions import NOT_QUEUED
from tests.helpers import scan_inline

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/search-missing/"
BOUND = 4
# Their files lacking a target after a scan of the tv library: 3, 2 and 2 episodes.
LACKING = ("Never Dubbed", "Anime Half", "Anime Wrong")


@pytest.fixture
def bounded(sonarr_instance: Instance, sonarr: FakeArr, monkeypatch) -> Instance:
    scan_inline(sonarr_instance)
    Instance.objects.filter(pk=sonarr_instance.pk).update(search_daily_limit=BOUND)
    # The worker's task, run where the request sends it (once it commits).
    monkeypatch.setattr(tasks.ask_missing_searches, "delay", tasks.ask_missing_searches)
    return sonarr_instance


def _counted(body: dict) -> int:
    return sum(search["count"] for search in body["searches"])


def _asked(sonarr: FakeArr) -> int:
    commands = [c for c in sonarr.state.commands() if c["name"] == "EpisodeSearch"]
    return sum(len(command["body"]["episodeIds"]) for command in commands)


def test_calls_in_a_row_answer_what_is_left_of_the_bound(
    api: APIClient, bounded: Instance, sonarr: FakeArr
) -> None:
    answers = []
    for title in LACKING:
        response = api.post(URL, {"media": [Media.objects.get(title=title).pk]}, format="json")
        assert response.status_code in (200, 202), response.content
        answers.append(response.json())
    assert [_counted(body) for body in answers] == [3, 1, 0]
    assert [body["queued"] for body in answers] == [True, True, False]
    # Sentences of their own, each with its own count (issues 71 and 84).
    assert answers[1]["searches"][0]["note"] == (
        "Only 1 episode was searched today: the daily bound is reached. "
        "1 episode waits for the next days."
    )
    assert answers[2]["skipped"][0]["reason"] == f"the daily bound ({BOUND}) is reached"
    assert [body["left_today"]["tv"] for body in answers] == [1, 0, 0]
    assert _asked(sonarr) == BOUND == sum(MissingSearch.objects.values_list("searched", flat=True))


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row lock: its writers take turns on the whole database",
)
def test_calls_at_the_same_time_share_the_bound(
    token_key: str, bounded: Instance, sonarr: FakeArr
) -> None:
    """Three requests on three threads (each its own connection) line up and post at
    once; the instance's row lock (SELECT ... FOR UPDATE) lets one at a time reserve."""
    ids = [Media.objects.get(title=title).pk for title in LACKING]
    start = threading.Barrier(len(ids))
    answers: dict[int, dict] = {}
    failures: list[BaseException] = []

    def call(media_id: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
        try:
            start.wait(timeout=30)
            response = client.post(URL, {"media": [media_id]}, format="json")
            assert response.status_code in (200, 202), response.content
            answers[media_id] = response.json()
        except (AssertionError, Exception) as exc:  # noqa: BLE001 -- reported in the main thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=(media_id,)) for media_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    counted = [_counted(body) for body in answers.values()]
    assert sum(counted) == BOUND == _asked(sonarr)
    assert sum(MissingSearch.objects.values_list("searched", flat=True)) == BOUND
    # Each answer promised what its own reservation holds.
    for media_id, body in answers.items():
        reserved = MissingSearch.objects.filter(media_id=media_id)
        assert _counted(body) == sum(reserved.values_list("searched", flat=True))


def test_a_broker_that_is_down_gives_the_reservation_back(
    api: APIClient, bounded: Instance, sonarr: FakeArr, monkeypatch
) -> None:
    """Nothing will ask for what was reserved: the bound does not count it, and the
    answer promises nothing."""

    def down(*args: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.ask_missing_searches, "delay", down)
    never = Media.objects.get(title="Never Dubbed").pk
    response = api.post(URL, {"media": [never]}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["queued"], body["searches"], body["left_today"]) == (False, [], {"tv": BOUND})
    assert body["skipped"] == [{"media": never, "title": "Never Dubbed", "reason": NOT_QUEUED}]
    assert not MissingSearch.objects.exists()
    assert _asked(sonarr) == 0
