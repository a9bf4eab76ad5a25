"""The guard both webhook views share (api/webhook_guard.py): each rule holds for the
*arr's webhook and Seerr's alike, the token, the rate, the size bound and the JSON."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from api import webhook_rate
from api.seerr_webhook import GUARD as SEERR_GUARD
from api.webhook_guard import MAX_TOKEN, Refused, webhook_view
from api.webhooks import GUARD as ARR_GUARD
from scanner.models import Instance, ScanRequest, ScanRun, SeerrAsk, SeerrConnection, SeerrDelivery
from scanner.seerr.settings import authorization
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db
NOW = 6_000_030.5  # 30.5 s into a rate window: the next starts in 30 s


@dataclass(frozen=True)
class Hook:
    token: str
    address: Callable[[str], tuple[str, dict[str, str]]]  # a token's URL and headers
    test: dict[str, object]  # a test notification: answered 200, nothing done
    challenge: str  # how a 401's WWW-Authenticate begins
    kept: Callable[[], bool]  # whether anything of a request was kept


def _arr() -> Hook:
    instance = InstanceFactory(kind=Instance.Kind.SONARR)
    return Hook(
        instance.get_webhook_token(),
        lambda token: (f"/api/webhooks/{token}/", {}),
        {"eventType": "Test"},
        "Basic",
        lambda: ScanRequest.objects.exists() or ScanRun.objects.exists(),
    )


def _seerr() -> Hook:
    connection = SeerrConnection(name="overseerr", url="http://seerr:5055")
    connection.set_api_key("c2VlcnIta2V5LTAxMjM0NTY3ODk=")
    connection.tested_at = timezone.now()
    connection.save()
    return Hook(
        connection.get_webhook_token(),
        lambda token: ("/api/webhooks/seerr/", {"Authorization": authorization(token)}),
        {"notification_type": "TEST_NOTIFICATION"},
        "Bearer",
        lambda: SeerrDelivery.objects.exists() or SeerrAsk.objects.exists(),
    )


@pytest.fixture(params=[_arr, _seerr], ids=["arr", "seerr"])
def hook(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, sent_work) -> Hook:
    monkeypatch.setattr(webhook_rate, "clock", lambda: NOW)
    made: Hook = request.param()
    return made


def _post(client: Client, hook: Hook, body: object, token: str | None = None) -> HttpResponse:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    url, headers = hook.address(hook.token if token is None else token)
    return client.post(url, data, content_type="application/json", headers=headers)


def test_the_test_notification_passes_the_guard(client: Client, hook: Hook) -> None:
    assert _post(client, hook, hook.test).status_code == 200


def test_a_body_past_the_upload_bound_is_413_and_nothing_is_kept(
    client: Client, hook: Hook, settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = _post(client, hook, {**hook.test, "padding": "x" * 1000})
    assert (answer.status_code, answer.json()) == (
        413,
        {"error": "the body is larger than 1000 bytes"},
    )
    assert not hook.kept()


@pytest.mark.parametrize(
    "body",
    ["{not json", b"\xff\xfe\x00", "[" * 100_000 + "]" * 100_000],
    ids=["not-json", "not-utf-8", "nested-beyond-the-parser"],
)
def test_a_body_that_is_not_json_is_400(client: Client, hook: Hook, body: str | bytes) -> None:
    answer = _post(client, hook, body)
    assert (answer.status_code, answer.json()) == (400, {"error": "the body must be a JSON object"})
    assert not hook.kept()


def test_a_body_holding_nul_is_400(client: Client, hook: Hook) -> None:
    answer = _post(client, hook, {**hook.test, "note": "a\u0000b"})
    assert answer.status_code == 400
    assert "must not hold NUL characters (\\u0000)" in answer.json()["error"]
    assert not hook.kept()


@pytest.mark.parametrize("token", ["not-a-token", "x" * (MAX_TOKEN + 1)], ids=["wrong", "long"])
def test_an_unknown_token_is_401_with_the_views_challenge(
    client: Client, hook: Hook, token: str
) -> None:
    answer = _post(client, hook, hook.test, token)
    assert (answer.status_code, answer.json()) == (401, {"error": "unknown webhook token"})
    assert answer["WWW-Authenticate"].startswith(hook.challenge)
    assert not hook.kept()


def test_past_the_rate_both_answer_429_with_retry_after(
    client: Client, hook: Hook, settings
) -> None:
    settings.WEBHOOK_RATE = 2
    answers = [_post(client, hook, hook.test) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 429, 429]
    assert answers[2]["Retry-After"] == "30"
    assert answers[2].json() == {"error": "more than 2 webhooks a minute", "retry_after": 30}


def test_a_token_past_the_bound_is_refused_without_a_query(
    rf: RequestFactory, django_assert_num_queries
) -> None:
    request = rf.post("/api/webhooks/seerr/")
    for guard in (ARR_GUARD, SEERR_GUARD):
        with django_assert_num_queries(0), pytest.raises(Refused) as refused:
            guard.sender(request, "x" * (MAX_TOKEN + 1))
        assert refused.value.answer.status_code == 401


def test_the_same_body_has_the_same_digest(rf: RequestFactory) -> None:
    """Seerr's dedup keeps a body by this digest: the same bytes, the same digest."""
    connection = SeerrConnection(name="overseerr", url="http://seerr:5055")
    raw = b'{"notification_type": "MEDIA_APPROVED"}'
    first, again = (
        SEERR_GUARD.body(rf.post("/", raw, content_type="application/json"), connection)
        for _ in range(2)
    )
    assert first.digest == again.digest == hashlib.sha256(raw).hexdigest()
    assert first.payload == {"notification_type": "MEDIA_APPROVED"}


def test_a_webhook_view_answers_a_refusal_and_only_its_methods(rf: RequestFactory) -> None:
    @webhook_view("POST")
    def view(request: HttpRequest) -> HttpResponse:
        raise Refused(JsonResponse({"error": "no"}, status=418))

    assert view(rf.post("/")).status_code == 418
    assert view(rf.get("/")).status_code == 405
    assert getattr(view, "csrf_exempt", False) is True
