"""With TAGGARR_DEBUG=true Django's error page lists the settings, the request and every
frame's variables: no secret of Taggarr's may be among them."""

from __future__ import annotations

import base64
import sys

import pytest
from django.http import HttpResponse
from django.test import Client

from scanner.models import Instance
from tests.factories import InstanceFactory

REDIS_PASSWORD = "r3dis-5ecret-pa55w0rd"
BODY = {"eventType": "Download", "series": {"id": 12}}


@pytest.fixture
def failing_webhook(settings, monkeypatch) -> Instance:
    """DEBUG on, a Redis URL with a password, and a webhook view that fails."""
    settings.DEBUG = True
    settings.REDIS_URL = f"redis://:{REDIS_PASSWORD}@redis:6379/0"

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the scan could not be requested")

    monkeypatch.setattr("api.webhooks.request_item_scan", fail)
    return InstanceFactory(kind=Instance.Kind.SONARR)


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["text/html", "text/plain"])
@pytest.mark.parametrize("auth", ["url", "basic"])
def test_the_debug_error_page_shows_no_secret(failing_webhook: Instance, accept, auth) -> None:
    token = failing_webhook.get_webhook_token()
    headers = {"Accept": accept}
    if auth == "basic":
        url = "/api/webhooks/"
        headers["Authorization"] = "Basic " + base64.b64encode(f"x:{token}".encode()).decode()
    else:
        url = f"/api/webhooks/{token}/"
    client = Client(raise_request_exception=False)
    response = client.post(url, BODY, content_type="application/json", headers=headers)
    page = response.content.decode()
    assert response.status_code == 500
    assert "the scan could not be requested" in page  # the debug page, with its details
    assert "REDIS_URL" in page and "/api/webhooks/" in page
    assert token not in page
    assert REDIS_PASSWORD not in page


@pytest.mark.django_db
def test_a_variable_nested_deeper_than_python_recurses_still_shows_a_page(
    failing_webhook: Instance,
) -> None:
    """The view's ``payload``: a body nested as deep as the JSON parser allows here. How
    deep that is depends on the stack the request runs on (the parser and the page's repr
    share Python's recursion limit): the deepest body parsed is found first (a deeper one
    is refused as not JSON, a 400), then its failure must still show the page."""
    token = failing_webhook.get_webhook_token()
    client = Client(raise_request_exception=False)

    def sent(depth: int) -> HttpResponse:
        body = '{"eventType": "Download", "series": {"id": 12}, "deep": '
        body += "[" * depth + "]" * depth + "}"
        return client.post(f"/api/webhooks/{token}/", body, content_type="application/json")

    depth = sys.getrecursionlimit()
    response = sent(depth)
    while response.status_code == 400 and depth > 100:
        depth -= 25
        response = sent(depth)
    page = response.content.decode()
    assert depth > 100 and response.status_code == 500
    assert "the scan could not be requested" in page
    assert token not in page
