"""CORS closed by default, security headers on API answers, nothing secret in errors."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db


def test_cors_is_closed_by_default(api: APIClient) -> None:
    response = api.options(
        "/api/media/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in response
    response = api.get("/api/media/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response


def test_cors_allows_only_listed_origins_and_never_credentials(api: APIClient, settings) -> None:
    settings.CORS_ALLOWED_ORIGINS = ["https://dash.example"]
    allowed = api.get("/api/media/", HTTP_ORIGIN="https://dash.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://dash.example"
    assert "Access-Control-Allow-Credentials" not in allowed
    other = api.get("/api/media/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    # Only the API: the admin never answers cross-origin requests.
    admin = api.get("/admin/", HTTP_ORIGIN="https://dash.example")
    assert "Access-Control-Allow-Origin" not in admin


@pytest.mark.parametrize(
    ("url", "logged_in"),
    [
        ("/api/media/", False),
        ("/api/media/", True),
        ("/api/media/999999/", True),
        ("/api/docs/", True),
        ("/api/schema/", True),
        ("/admin/dashboard/", True),
    ],
)
def test_security_headers_on_api_and_admin(
    api: APIClient, client: Client, url: str, logged_in: bool
) -> None:
    response = (api if logged_in else client).get(url)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_api_errors_carry_no_secret(api: APIClient) -> None:
    key = "very-secret-key-abcdef123456"
    instance = InstanceFactory(api_key=key)
    token = instance.get_webhook_token()
    for response in (
        api.patch(f"/api/instances/{instance.pk}/", {"url": "not a url"}, format="json"),
        api.patch(f"/api/instances/{instance.pk}/", {"api_key": ["a"]}, format="json"),
        api.post("/api/instances/", {"name": instance.name}, format="json"),
        api.get(f"/api/instances/{instance.pk + 1}/"),
    ):
        assert response.status_code in (400, 404)
        assert key.encode() not in response.content
        assert token.encode() not in response.content
