"""``/api/default-tracks/`` (issue 81): each file's planned default tracks and what became
of them, read only, filtered by run, item and state, the patch described by its offset
and length only (never its bytes); ``POST apply/`` and ``undo/`` queue the work for a
worker and answer 202 with what was queued, 400 for what is not a request of one of ids,
items or a run, never a 5xx; reads for those who may view the changes, the actions for
those who may operate the scanner (as starting a scan)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from accounts.models import ApiToken
from scanner.models import DefaultTrackChange
from tests.default_track_rows import COMMAND, quebec_plan

pytestmark = pytest.mark.django_db

LIST = "/api/default-tracks/"
APPLY = "/api/default-tracks/apply/"
UNDO = "/api/default-tracks/undo/"


def _ids(answer: Any) -> list[int]:
    return [row["id"] for row in answer.json()["results"]]


def test_the_list_gives_each_files_default_tracks_and_never_the_patchs_bytes(
    api: APIClient,
) -> None:
    plan = quebec_plan()
    answer = api.get(LIST)
    assert answer.status_code == 200
    rows = {row["id"]: row for row in answer.json()["results"]}
    assert set(rows) == {row.pk for row in plan.rows}
    planned = rows[plan.planned.pk]
    assert planned["state"] == "planned"
    assert planned["media"] == plan.media.pk and planned["media_title"] == "Les Boys"
    assert (planned["audio_before"], planned["audio_before_language"]) == (1, "eng")
    assert (planned["audio_after"], planned["audio_after_language"]) == (3, "fr-CA")
    assert (planned["subtitle_before"], planned["subtitle_after"]) == (1, None)
    assert (planned["patch_offset"], planned["patch_length"]) == (4321, 7)
    assert planned["flags"] == [["audio", 1, True, False], ["audio", 3, False, True]]
    assert rows[plan.mp4.pk]["patch_length"] is None
    assert rows[plan.no_room.pk]["detail"] == {"command": COMMAND}
    assert rows[plan.hardlinked.pk]["refusal"] == "hardlinked"
    assert "2 hard links" in rows[plan.hardlinked.pk]["refusal_text"]
    assert planned["refusal_text"] == ""
    # The bytes, in any spelling a serializer could give them, are in no answer.
    body = answer.content.decode()
    old = bytes(plan.planned.patch_old or b"")
    assert "patch_old" not in body and "patch_new" not in body
    assert base64.b64encode(old).decode() not in body and old.hex() not in body
    detail = api.get(f"{LIST}{plan.planned.pk}/").json()
    assert "patch_old" not in detail and detail["patch_length"] == 7


def test_filters_by_run_item_and_state(api: APIClient) -> None:
    plan = quebec_plan()
    other = quebec_plan("Dark")
    assert set(_ids(api.get(LIST, {"media": plan.media.pk}))) == {r.pk for r in plan.rows}
    by_run = set(_ids(api.get(LIST, {"run": plan.run.pk})))
    assert by_run == {r.pk for r in plan.rows} - {plan.stale.pk}
    assert _ids(api.get(LIST, {"state": "written", "media": other.media.pk})) == [other.written.pk]
    assert set(_ids(api.get(LIST, {"refusal": "mp4"}))) == {plan.mp4.pk, other.mp4.pk}
    assert api.get(LIST, {"state": "lost"}).status_code == 400
    assert api.get(LIST, {"run": "1.5"}).status_code == 400
    assert api.get(LIST, {"media": str(2**64)}).status_code == 400


def test_apply_queues_the_planned_changes_asked_for_and_says_so(api: APIClient) -> None:
    plan = quebec_plan()
    answer = api.post(APPLY, {"ids": [plan.planned.pk, plan.written.pk]}, format="json")
    assert answer.status_code == 202
    assert answer.json() == {
        "queued": 1,
        "ids": [plan.planned.pk],
        "left_out": 1,
        "detail": "Queued 1 file for a worker to set its default tracks.",
    }


def test_apply_by_item_or_run_takes_their_planned_changes(api: APIClient) -> None:
    plan = quebec_plan()
    for given in ({"media": [plan.media.pk]}, {"run": plan.run.pk}):
        answer = api.post(APPLY, given, format="json")
        assert answer.status_code == 202, given
        assert answer.json()["ids"] == [plan.planned.pk]


def test_undo_queues_the_written_changes(api: APIClient) -> None:
    plan = quebec_plan()
    answer = api.post(UNDO, {"run": plan.run.pk}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 202
    assert answer.json()["ids"] == [plan.written.pk]
    assert answer.json()["detail"].startswith("1 fichier")


def test_nothing_to_do_is_200_and_queues_nothing(api: APIClient) -> None:
    plan = quebec_plan()
    answer = api.post(UNDO, {"ids": [plan.planned.pk]}, format="json")
    assert answer.status_code == 200
    assert answer.json()["queued"] == 0 and answer.json()["ids"] == []
    assert DefaultTrackChange.objects.get(pk=plan.planned.pk).state == "planned"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ids": []},
        {"ids": [1], "run": 1},
        {"ids": ["one"]},
        {"ids": [0]},
        {"ids": [2**63]},
        {"media": 5},
        {"run": "x"},
        {"run": None},
        {"ids": list(range(1, 1002))},
        [1, 2],
        "ids",
    ],
)
def test_bad_input_is_a_400(api: APIClient, body: Any) -> None:
    quebec_plan()
    for url in (APPLY, UNDO):
        answer = api.post(url, body, format="json")
        assert answer.status_code == 400, (url, body, answer.content)


def _token_client(*codenames: str) -> APIClient:
    user = User.objects.create_user(f"op-{uuid.uuid4().hex[:8]}", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, 'tests')[1]}")
    return client


def test_reading_needs_view_and_queuing_needs_to_operate_the_scanner(api: APIClient) -> None:
    plan = quebec_plan()
    body = {"ids": [plan.planned.pk]}
    assert APIClient().get(LIST).status_code == 401
    assert APIClient().post(APPLY, body, format="json").status_code == 401
    nobody = _token_client()
    assert nobody.get(LIST).status_code == 403
    viewer = _token_client("view_defaulttrackchange")
    assert viewer.get(LIST).status_code == 200
    assert viewer.post(APPLY, body, format="json").status_code == 403
    assert viewer.post(UNDO, body, format="json").status_code == 403
    operator = _token_client("view_defaulttrackchange", "change_instance")
    assert operator.post(APPLY, body, format="json").status_code == 202
    # Read only, even for a user with every permission: no write of a change itself.
    assert api.delete(f"{LIST}{plan.planned.pk}/").status_code == 405
    assert api.patch(f"{LIST}{plan.planned.pk}/", {"state": "written"}).status_code == 405
    assert api.post(LIST, {"state": "written"}).status_code == 405
    assert DefaultTrackChange.objects.get(pk=plan.planned.pk).state == "planned"


def test_the_refusal_is_said_in_the_readers_language(api: APIClient) -> None:
    plan = quebec_plan()
    answer = api.get(f"{LIST}{plan.mp4.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    assert answer.json()["refusal"] == "mp4"
    assert "MP4" in answer.json()["refusal_text"]
    assert "flag" not in answer.json()["refusal_text"]  # German, not the English


def test_a_change_whose_item_is_gone_is_not_applied(api: APIClient) -> None:
    plan = quebec_plan()
    DefaultTrackChange.objects.filter(pk=plan.planned.pk).update(media=None)
    answer = api.post(APPLY, {"ids": [plan.planned.pk]}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {
        "queued": 0,
        "ids": [],
        "left_out": 1,
        "detail": "Nothing was queued: none of these changes is planned.",
    }


def test_plan_again_queues_the_undone_and_refused_changes(
    api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 93: an undone or refused file planned again (plan only, by a worker)."""
    plan = quebec_plan()
    DefaultTrackChange.objects.filter(pk=plan.written.pk).update(state="undone")
    with django_capture_on_commit_callbacks() as sent:
        answer = api.post(
            "/api/default-tracks/plan-again/",
            {"ids": [plan.planned.pk, plan.written.pk, plan.mp4.pk]},
            format="json",
        )
    assert answer.status_code == 202
    assert answer.json() == {
        "queued": 2,
        "ids": sorted([plan.written.pk, plan.mp4.pk]),
        "left_out": 1,
        "detail": "Queued 2 files for a worker to plan their default tracks again.",
    }
    assert len(sent) == 1
    nothing = api.post("/api/default-tracks/plan-again/", {"ids": [plan.planned.pk]}, format="json")
    assert nothing.status_code == 200 and nothing.json()["queued"] == 0
