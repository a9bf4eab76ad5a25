"""The Notifier admin: the URL is write-only (only its hint is ever shown), checked by
Apprise without being echoed, and "Send test" queues the message for a worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape as html_escape
from django.utils.translation import gettext

from scanner import tasks
from scanner.models import Notifier
from scanner.notify.dispatch import FAILED_TO_SEND
from tests.capture import CapturingServer
from tests.factories import InstanceFactory, NotifierFactory
from tests.helpers import NOTIFY_TOKEN

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/scanner/notifier/add/"


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "phone",
        "url": "",
        "enabled": "on",
        "events": ["scan_failed", "wrong_dub"],
        "rate_limit_minutes": "15",
        **changes,
    }


def test_add_and_the_url_is_never_shown(admin_client: Client, inbox: CapturingServer) -> None:
    tv = InstanceFactory(name="tv")
    response = admin_client.post(ADD_URL, _form(url=inbox.url, instances=[tv.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    notifier = Notifier.objects.get()
    assert notifier.get_url() == inbox.url
    assert NOTIFY_TOKEN not in notifier.url_encrypted
    assert notifier.events == ["scan_failed", "wrong_dub"]
    assert list(notifier.instances.all()) == [tv]
    change = admin_client.get(f"/admin/scanner/notifier/{notifier.pk}/change/")
    listing = admin_client.get("/admin/scanner/notifier/")
    history = admin_client.get(f"/admin/scanner/notifier/{notifier.pk}/history/")
    for page in (change, listing, history):
        assert page.status_code == 200
        assert NOTIFY_TOKEN.encode() not in page.content
    assert f"Saved: json://****{NOTIFY_TOKEN[-4:]}" in change.content.decode()
    assert 'id="send-test"' in change.content.decode()


def test_saving_without_a_url_keeps_the_saved_one(admin_client: Client) -> None:
    notifier = NotifierFactory(url=f"ntfy://{NOTIFY_TOKEN}")
    url = f"/admin/scanner/notifier/{notifier.pk}/change/"
    response = admin_client.post(url, _form(name="renamed", events=["wrong_dub"]))
    assert response.status_code == 302
    notifier.refresh_from_db()
    assert (notifier.name, notifier.get_url()) == ("renamed", f"ntfy://{NOTIFY_TOKEN}")


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({}, "url", "needs an Apprise URL"),
        ({"url": f"nosuch://{NOTIFY_TOKEN}"}, "url", "Apprise cannot use this URL"),
        ({"url": f"{NOTIFY_TOKEN}"}, "url", "scheme://"),
        ({"url": "ntfy://topic", "events": []}, "events", "required"),
        ({"url": "ntfy://topic", "events": ["everything"]}, "events", "not one of"),
        ({"url": "ntfy://topic", "rate_limit_minutes": "-1"}, "rate_limit_minutes", "greater"),
        ({"url": "ntfy://topic", "rate_limit_minutes": "99999"}, "rate_limit_minutes", "less"),
    ],
)
def test_bad_input_names_the_field_and_never_echoes_the_url(
    admin_client: Client, changes: dict[str, Any], field: str, error: str
) -> None:
    response = admin_client.post(ADD_URL, _form(**changes))
    assert response.status_code == 200
    assert error in str(response.context["adminform"].form.errors[field])
    assert NOTIFY_TOKEN not in response.content.decode()
    assert not Notifier.objects.exists()


def test_send_test_button_and_action_queue_a_message_a_worker_sends(
    admin_client: Client,
    inbox: CapturingServer,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    # The worker's part, run here: the task itself, as the worker would run it.
    monkeypatch.setattr(tasks.send_test_notification, "delay", tasks.send_test_notification)
    notifier = NotifierFactory(url=inbox.url)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin_client.post(f"/admin/scanner/notifier/{notifier.pk}/send-test/")
    assert response.status_code == 302
    assert inbox.posts == []  # nothing is sent in the request
    assert len(queued) == 1
    queued[0]()
    assert inbox.wait_for(1)[0]["title"] == "Taggarr: test message"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/scanner/notifier/",
            {"action": "send_test", "_selected_action": [notifier.pk]},
            follow=True,
        )
    assert "Test message for" in response.content.decode()
    assert len(inbox.wait_for(2)) == 2
    notifier.refresh_from_db()
    assert notifier.last_sent_at is not None


def test_send_test_needs_post_and_a_real_notifier(admin_client: Client) -> None:
    notifier = NotifierFactory()
    assert admin_client.get(f"/admin/scanner/notifier/{notifier.pk}/send-test/").status_code == 405
    assert admin_client.post("/admin/scanner/notifier/999999/send-test/").status_code == 404
    response = admin_client.post("/admin/scanner/notifier/abc/send-test/")
    assert response.status_code in (302, 404)  # the admin's own "not found" redirect


def test_the_saved_url_is_labelled_for_people(admin_client: Client) -> None:
    NotifierFactory(url=f"ntfy://{NOTIFY_TOKEN}")
    html = admin_client.get("/admin/scanner/notifier/").content.decode()
    assert "Saved URL" in html and "Url hint" not in html


def test_languages_are_typed_as_codes_or_names(
    admin_client: Client, inbox: CapturingServer
) -> None:
    form = _form(url=inbox.url, events=["dub_arrived"], languages="de, French")
    assert admin_client.post(ADD_URL, form).status_code == 302
    assert Notifier.objects.get().languages == ["deu", "fra"]
    refused = admin_client.post(ADD_URL, _form(name="x", url=inbox.url, languages="Klingonish"))
    assert refused.status_code == 200
    assert "languages" in refused.context["adminform"].form.errors


def test_a_french_reader_reads_the_url_problem_and_the_last_error_in_french(
    admin_client: Client,
) -> None:
    """Issue 61: why a URL is refused and the notifier's last error (kept as its English
    msgid) are said in the reader's language."""
    response = admin_client.post(ADD_URL, _form(url=NOTIFY_TOKEN), HTTP_ACCEPT_LANGUAGE="fr")
    with translation.override("fr"):
        problem = gettext("an Apprise URL looks like scheme://..., e.g. ntfy://my-topic")
        said = gettext("Not a usable Apprise URL: %(problem)s.") % {"problem": problem}
        failed = gettext(FAILED_TO_SEND)
    assert said in str(response.context["adminform"].form.errors["url"])
    notifier = NotifierFactory(last_error=FAILED_TO_SEND)
    for page in ("", f"{notifier.pk}/change/"):
        html = admin_client.get(f"/admin/scanner/notifier/{page}", HTTP_ACCEPT_LANGUAGE="fr")
        text = html.content.decode()
        assert html_escape(failed) in text
