"""``/api/badges/`` (issue 95): each poster's planned dub badges and what became of them,
read only, newest first, filtered by instance, item, run, state, where and refusal, each
row in words (its badges, its refusal's sentence in the reader's language) and never what
a media server answered as it was kept; ``POST apply/`` and ``undo/`` queue the work for
a worker (scanner.changes.queue) and answer 202 with what was queued, 400 for what is not
a request of one of ids, items or a run, never a 5xx; reads for those who may view the
changes, the actions for those who may operate the scanner."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from accounts.models import ApiToken
from scanner.models import BadgeChange, Media, MediaServer, ScanRun
from scanner.runtime import journal_work
from tests.factories import MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

LIST = "/api/badges/"
APPLY = "/api/badges/apply/"
UNDO = "/api/badges/undo/"
VFQ = [{"text": "VFQ", "kind": "dub", "code": "fr-CA"}, {"text": "EN", "kind": "dub", "code": "en"}]
# What a media server answered, kept as JSON (scanner.http.reasons.to_data): never shown raw.
SAID = json.dumps({"status": 500, "body": "secret-server-words-7f3a"})


@dataclass
class Posters:
    media: Media
    run: ScanRun
    server: MediaServer
    planned: BadgeChange
    written: BadgeChange
    season: BadgeChange
    unanswered: BadgeChange
    failed: BadgeChange
    undo_refused: BadgeChange

    @property
    def rows(self) -> list[BadgeChange]:
        return [
            self.planned, self.written, self.season, self.unanswered, self.failed,
            self.undo_refused,
        ]  # fmt: skip


def _posters(title: str = "Les Boys") -> Posters:
    media = MediaFactory(title=title, path=f"/media/tv/{title}")
    run = ScanRunFactory(instance=media.instance)
    server = MediaServer.objects.create(name=f"Salon {title}", url="http://jellyfin:8096")

    def row(**fields: Any) -> BadgeChange:
        values: dict[str, Any] = {
            "instance": media.instance,
            "media": media,
            "run": run,
            "path": f"{media.path}/poster.jpg",
            "badges": VFQ,
            "badges_digest": "d" * 64,
            **fields,
        }
        return BadgeChange.objects.create(**values)

    on_server = {"where": "server", "server": server, "server_item": "abc", "path": server.name}
    return Posters(
        media=media,
        run=run,
        server=server,
        planned=row(state="planned"),
        written=row(state="written", seen_digest="a" * 64, written_digest="b" * 64),
        season=row(state="planned", season=2, **on_server),
        unanswered=row(
            state="refused", refusal="server-unanswered", detail={"server": "Salon"}, **on_server
        ),
        failed=row(
            state="failed",
            refusal="server-failed",
            detail={"server": "Salon", "said": SAID},
            **on_server,
        ),
        undo_refused=row(state="written", detail={"undo": "changed"}, season=1),
    )


def _ids(answer: Any) -> list[int]:
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()["results"]]


def test_the_list_gives_each_posters_badges_newest_first(api: APIClient) -> None:
    posters = _posters()
    answer = api.get(LIST)
    assert _ids(answer) == sorted((row.pk for row in posters.rows), reverse=True)
    rows = {row["id"]: row for row in answer.json()["results"]}
    planned = rows[posters.planned.pk]
    assert planned["state"] == "planned" and planned["where"] == "folder"
    assert planned["instance"] == posters.media.instance.pk
    assert planned["media"] == posters.media.pk and planned["media_title"] == "Les Boys"
    assert planned["title"] == "Les Boys"
    assert planned["path"] == "/media/tv/Les Boys/poster.jpg"
    assert (planned["server"], planned["server_name"], planned["season"]) == (None, "", None)
    assert planned["badges"] == ["VFQ", "EN"]
    assert planned["badge_items"] == VFQ
    assert planned["badges_text"] == "VFQ, EN"
    assert (planned["refusal"], planned["refusal_text"]) == ("", "")
    assert planned["applied_at"] is None and planned["planned_at"]
    season = rows[posters.season.pk]
    assert season["title"] == "Les Boys, season 2"
    assert season["where"] == "server" and season["server"] == posters.server.pk
    assert season["server_name"] == season["path"] == "Salon Les Boys"
    unanswered = rows[posters.unanswered.pk]
    assert unanswered["refusal"] == "server-unanswered"
    assert unanswered["refusal_text"] == (
        "the media server Salon did not answer: the next scan plans it again"
    )
    undo = rows[posters.undo_refused.pk]
    assert undo["state"] == "written" and undo["undo_refusal"] == "changed"
    assert "another poster was put there" in undo["refusal_text"]
    # No fingerprint, no detail: the row in words only.
    assert not {"detail", "seen_digest", "written_digest", "badges_digest"} & set(planned)
    detail = api.get(f"{LIST}{posters.season.pk}/")
    assert detail.status_code == 200 and detail.json()["title"] == "Les Boys, season 2"


def test_what_a_server_answered_is_in_no_answer(api: APIClient) -> None:
    posters = _posters()
    failed = api.get(f"{LIST}{posters.failed.pk}/")
    assert failed.json()["refusal"] == "server-failed"
    assert failed.json()["refusal_text"].startswith("the media server Salon refused the poster")
    answers = [
        api.get(LIST),
        failed,
        api.get(LIST, {"refusal": "server-failed"}),
        api.post(APPLY, {"ids": [posters.failed.pk]}, format="json"),
        api.post(UNDO, {"ids": [posters.failed.pk]}, format="json"),
    ]
    for answer in answers:
        body = answer.content.decode()
        assert SAID not in body and json.dumps(SAID) not in body
        assert "secret-server-words-7f3a" not in body
        assert "a" * 64 not in body and "b" * 64 not in body and "d" * 64 not in body


def test_filters_by_instance_item_run_state_where_refusal_and_title(api: APIClient) -> None:
    posters = _posters()
    other = _posters("Dark")
    mine = {row.pk for row in posters.rows}
    assert set(_ids(api.get(LIST, {"media": posters.media.pk}))) == mine
    assert set(_ids(api.get(LIST, {"instance": posters.media.instance.pk}))) == mine
    assert set(_ids(api.get(LIST, {"run": other.run.pk}))) == {row.pk for row in other.rows}
    by_state = _ids(api.get(LIST, {"state": "planned", "media": str(posters.media.pk)}))
    assert set(by_state) == {posters.planned.pk, posters.season.pk}
    on_server = set(_ids(api.get(LIST, {"where": "server", "media": str(other.media.pk)})))
    assert on_server == {other.season.pk, other.unanswered.pk, other.failed.pk}
    refused = set(_ids(api.get(LIST, {"refusal": "server-unanswered"})))
    assert refused == {posters.unanswered.pk, other.unanswered.pk}
    assert set(_ids(api.get(LIST, {"search": "Dark"}))) == {row.pk for row in other.rows}
    for bad in (
        {"state": "lost"},
        {"where": "attic"},
        {"run": "1.5"},
        {"run": "x"},
        {"media": str(2**64)},
        {"instance": "-1"},
    ):
        assert api.get(LIST, bad).status_code == 400, bad


def test_the_refusal_is_said_in_the_readers_language(api: APIClient) -> None:
    posters = _posters()
    answer = api.get(f"{LIST}{posters.unanswered.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    assert answer.status_code == 200
    assert answer.json()["refusal"] == "server-unanswered"
    assert answer.json()["refusal_text"] == (
        "der Medienserver Salon hat nicht geantwortet: Der nächste Scan plant es neu"
    )


def _sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...]]]:
    """The tasks sent to the workers (no broker in the tests)."""
    sent: list[tuple[str, tuple[Any, ...]]] = []
    monkeypatch.setattr(journal_work, "send", lambda name, *args: sent.append((name, args)))
    return sent


def test_apply_queues_the_planned_posters_asked_for_and_says_so(
    api: APIClient, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    posters = _posters()
    sent = _sent(monkeypatch)
    asked = [posters.planned.pk, posters.season.pk, posters.written.pk]
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(APPLY, {"ids": asked}, format="json")
    assert answer.status_code == 202
    queued = sorted([posters.planned.pk, posters.season.pk])
    assert answer.json() == {
        "queued": 2,
        "ids": queued,
        "left_out": 1,
        "detail": "Queued 2 posters for a worker to draw their badges.",
    }
    user = answer.wsgi_request.user.get_username()
    # One task for the item, its posters together (in no particular order).
    assert [(name, args[0], sorted(args[1]), *args[2:]) for name, args in sent] == [
        ("scanner.tasks.apply_badges", posters.media.pk, queued, user, "api")
    ]


def test_apply_by_item_or_run_takes_their_planned_posters(api: APIClient) -> None:
    posters = _posters()
    for given in ({"media": [posters.media.pk]}, {"run": posters.run.pk}):
        answer = api.post(APPLY, given, format="json")
        assert answer.status_code == 202, given
        assert answer.json()["ids"] == sorted([posters.planned.pk, posters.season.pk])


def test_undo_queues_the_written_posters(
    api: APIClient, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    posters = _posters()
    sent = _sent(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(UNDO, {"run": posters.run.pk}, format="json")
    assert answer.status_code == 202
    written = sorted([posters.written.pk, posters.undo_refused.pk])
    assert answer.json() == {
        "queued": 2,
        "ids": written,
        "left_out": 4,
        "detail": "Queued 2 posters for a worker to put their originals back.",
    }
    assert [(name, sorted(args[0])) for name, args in sent] == [
        ("scanner.tasks.undo_badges", written)
    ]
    one = api.post(UNDO, {"ids": [posters.written.pk]}, format="json")
    assert one.json()["detail"] == "Queued 1 poster for a worker to put its original back."


def test_nothing_to_do_is_200_and_queues_nothing(
    api: APIClient, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    posters = _posters()
    sent = _sent(monkeypatch)
    BadgeChange.objects.filter(pk=posters.planned.pk).update(media=None)  # its item is gone
    with django_capture_on_commit_callbacks(execute=True):
        undo = api.post(UNDO, {"ids": [posters.planned.pk, posters.failed.pk]}, format="json")
        apply = api.post(APPLY, {"ids": [posters.planned.pk, posters.written.pk]}, format="json")
    assert undo.status_code == 200
    assert undo.json() == {
        "queued": 0,
        "ids": [],
        "left_out": 2,
        "detail": "Nothing was queued: none of these changes is written.",
    }
    assert apply.status_code == 200
    assert apply.json()["detail"] == "Nothing was queued: none of these changes is planned."
    assert apply.json()["left_out"] == 2
    assert sent == []
    assert BadgeChange.objects.get(pk=posters.planned.pk).state == "planned"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ids": []},
        {"ids": [1], "run": 1},
        {"ids": [1], "media": [1]},
        {"ids": ["one"]},
        {"ids": [1.5]},
        {"ids": [0]},
        {"ids": [2**63]},
        {"ids": [10**30]},
        {"media": 5},
        {"media": [2**64]},
        {"run": "x"},
        {"run": None},
        {"run": [1]},
        {"ids": list(range(1, 1002))},
        {"media": list(range(1, 1002))},
        [1, 2],
        "ids",
    ],
)
def test_bad_input_is_a_400(api: APIClient, body: Any) -> None:
    _posters()
    for url in (APPLY, UNDO):
        answer = api.post(url, body, format="json")
        assert answer.status_code == 400, (url, body, answer.content)


def test_an_empty_or_broken_body_is_a_400(api: APIClient) -> None:
    for url in (APPLY, UNDO):
        assert api.post(url).status_code == 400
        answer = api.post(url, "{not json", content_type="application/json")
        assert answer.status_code == 400


def _token_client(*codenames: str) -> APIClient:
    user = User.objects.create_user(f"op-{uuid.uuid4().hex[:8]}", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, 'tests')[1]}")
    return client


def test_reading_needs_view_and_queuing_needs_to_operate_the_scanner(api: APIClient) -> None:
    posters = _posters()
    body = {"ids": [posters.planned.pk]}
    for method, url in (("get", LIST), ("post", APPLY), ("post", UNDO)):
        answer = getattr(APIClient(), method)(url, body, format="json")
        assert answer.status_code == 401, url
    not_staff = APIClient()
    not_staff.force_login(User.objects.create_user("someone"))
    assert not_staff.get(LIST).status_code == 403
    nobody = _token_client()
    assert nobody.get(LIST).status_code == 403
    viewer = _token_client("view_badgechange")
    assert viewer.get(LIST).status_code == 200
    assert viewer.get(f"{LIST}{posters.planned.pk}/").status_code == 200
    assert viewer.post(APPLY, body, format="json").status_code == 403
    assert viewer.post(UNDO, body, format="json").status_code == 403
    operator = _token_client("view_badgechange", "change_instance")
    assert operator.post(APPLY, body, format="json").status_code == 202
    # Read only, even for a user with every permission: no write of a change itself.
    assert api.delete(f"{LIST}{posters.planned.pk}/").status_code == 405
    assert api.patch(f"{LIST}{posters.planned.pk}/", {"state": "written"}).status_code == 405
    assert api.post(LIST, {"state": "written"}).status_code == 405
    assert BadgeChange.objects.get(pk=posters.planned.pk).state == "planned"


def test_the_changes_list_points_badges_to_this_endpoint(api: APIClient) -> None:
    posters = _posters()
    lines = api.get("/api/changes/", {"act": "badges"}).json()["results"]
    line = next(line for line in lines if line["id"] == posters.planned.pk)
    assert line["endpoint"] == LIST
