"""/api/notifiers/: the URL is write-only (reads show url_hint), checked by Apprise and
never echoed; /test/ queues a message for a worker (202)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from scanner import tasks
from scanner.models import Notifier, Person
from tests.capture import CapturingServer
from tests.factories import InstanceFactory, NotifierFactory
from tests.helpers import NOTIFY_TOKEN

pytestmark = pytest.mark.django_db


def test_create_read_update_never_show_the_url(api: APIClient) -> None:
    tv = InstanceFactory(name="tv")
    url = f"ntfy://{NOTIFY_TOKEN}"
    body = {
        "name": "phone",
        "url": url,
        "events": ["wrong_dub", "scan_failed"],
        "instances": [tv.pk],
    }
    created = api.post("/api/notifiers/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert "url" not in data
    assert data["url_hint"] == f"ntfy://****{NOTIFY_TOKEN[-4:]}"
    assert data["events"] == ["scan_failed", "wrong_dub"]
    assert data["instances"] == [tv.pk]
    assert data["rate_limit_minutes"] == 15
    pk = data["id"]
    for response in (api.get("/api/notifiers/"), api.get(f"/api/notifiers/{pk}/")):
        assert response.status_code == 200
        assert NOTIFY_TOKEN.encode() not in response.content
    updated = api.patch(f"/api/notifiers/{pk}/", {"instances": [], "enabled": False}, format="json")
    assert updated.status_code == 200
    notifier = Notifier.objects.get()
    assert notifier.get_url() == url  # kept: no url given
    assert (list(notifier.instances.all()), notifier.enabled) == ([], False)
    other = f"json://127.0.0.1:8000/{NOTIFY_TOKEN}"
    assert api.patch(f"/api/notifiers/{pk}/", {"url": other}, format="json").status_code == 200
    assert Notifier.objects.get().get_url() == other


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x"}, "url"),
        ({"name": "x", "url": f"nosuch://{NOTIFY_TOKEN}"}, "url"),
        ({"name": "x", "url": f"json://h/{NOTIFY_TOKEN} y"}, "url"),
        ({"name": "x", "url": "ntfy://t", "events": []}, "events"),
        ({"name": "x", "url": "ntfy://t", "events": ["all"]}, "events"),
        ({"name": "x", "url": "ntfy://t", "events": "wrong_dub"}, "events"),
        ({"name": "x", "url": "ntfy://t", "instances": [999999]}, "instances"),
        ({"name": "x", "url": "ntfy://t", "instances": ["a"]}, "instances"),
        ({"name": "x", "url": "ntfy://t", "rate_limit_minutes": -1}, "rate_limit_minutes"),
        ({"name": "x", "url": "ntfy://t", "rate_limit_minutes": 10**12}, "rate_limit_minutes"),
        ({"name": "x", "url": ["ntfy://t"]}, "url"),
        ({"name": "x", "url": "ntfy://t", "language": "xx"}, "language"),
        ({"name": "x", "url": "ntfy://t", "language": ["de"]}, "language"),
        ({"name": "x", "url": "ntfy://t", "person": 999999}, "person"),
        ({"name": "x", "url": "ntfy://t", "person": "Papa"}, "person"),
    ],
)
def test_bad_input_is_400_naming_the_field(api: APIClient, body: dict, field: str) -> None:
    response = api.post("/api/notifiers/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert NOTIFY_TOKEN.encode() not in response.content
    assert not Notifier.objects.exists()


def test_test_action_queues_for_a_worker(
    api: APIClient,
    inbox: CapturingServer,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    monkeypatch.setattr(tasks.send_test_notification, "delay", tasks.send_test_notification)
    notifier = NotifierFactory(url=inbox.url)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = api.post(f"/api/notifiers/{notifier.pk}/test/")
    assert response.status_code == 202
    assert response.json() == {"queued": True, "detail": "a worker sends the test message"}
    assert inbox.posts == [] and len(queued) == 1
    queued[0]()
    assert inbox.wait_for(1)[0]["title"] == "Taggarr: test message"
    assert api.post("/api/notifiers/999999/test/").status_code == 404
    assert api.post("/api/notifiers/abc/test/").status_code == 404


def test_staff_only(client, token_api: APIClient) -> None:
    assert client.get("/api/notifiers/").status_code in (401, 403)
    assert token_api.get("/api/notifiers/").status_code == 200


def test_languages_keep_dub_news_of_those_targets_and_are_validated(api: APIClient) -> None:
    body = {"name": "de", "url": "json://localhost/x", "languages": ["de", "German"]}
    created = api.post("/api/notifiers/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["languages"] == ["deu"]
    refused = api.post(
        "/api/notifiers/", {**body, "name": "x", "languages": ["Klingonish"]}, format="json"
    )
    assert refused.status_code == 400 and "languages" in refused.json()


def test_a_notifier_speaks_the_language_given_and_the_api_answers_in_the_callers(
    api: APIClient,
) -> None:
    body = {"name": "Küche", "url": f"ntfy://{NOTIFY_TOKEN}", "language": "de"}
    created = api.post("/api/notifiers/", body, format="json")
    assert created.status_code == 201 and created.json()["language"] == "de"
    assert Notifier.objects.get().language == "de"
    bad = {"name": "x", "url": "nosuch://t"}
    answer = api.post("/api/notifiers/", bad, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.json()["url"][0].startswith("URL Apprise inutilisable\u00a0: ")


def test_a_persons_own_notifier_is_set_and_cleared(api: APIClient) -> None:
    """Notifier.person: a person's id (/api/persons/), null for the household's; the
    person gone, their notifier goes too (it told only them)."""
    papa = Person.objects.create(name="Papa", languages=["fr-CA"])
    body = {"name": "Papa", "url": "json://localhost/x", "events": ["seerr"], "person": papa.pk}
    created = api.post("/api/notifiers/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["person"] == papa.pk
    notifier = Notifier.objects.get()
    # A Quebecer's notifier speaks Quebec French (the fr-CA catalog: docs/languages.md).
    assert (notifier.news_languages(), notifier.message_language()) == (["fr-CA"], "fr-ca")
    cleared = api.patch(f"/api/notifiers/{notifier.pk}/", {"person": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["person"] is None
    again = api.patch(f"/api/notifiers/{notifier.pk}/", {"person": papa.pk}, format="json")
    assert again.status_code == 200
    papa.delete()
    assert not Notifier.objects.exists()
