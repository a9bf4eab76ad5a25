"""Who may call what: tokens, sessions with CSRF, the login limit, open endpoints."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from accounts.hashed_tokens import token_digest
from accounts.models import ApiToken
from tests.api.conftest import PASSWORD, unique_address
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

PROTECTED = [
    ("get", "/api/"),
    ("get", "/api/instances/"),
    ("post", "/api/instances/"),
    ("get", "/api/instances/{instance}/"),
    ("put", "/api/instances/{instance}/"),
    ("patch", "/api/instances/{instance}/"),
    ("delete", "/api/instances/{instance}/"),
    ("post", "/api/instances/{instance}/test/"),
    ("get", "/api/media/"),
    ("get", "/api/media/{media}/"),
    ("get", "/api/scans/"),
    ("post", "/api/scans/"),
    ("get", "/api/scans/{run}/"),
    ("post", "/api/scans/{run}/cancel/"),
    ("post", "/api/scans/{run}/resume/"),
    ("get", "/api/events/"),
    ("get", "/api/stats/"),
    ("get", "/api/schema/"),
]


@pytest.fixture
def ids() -> dict[str, int]:
    media = MediaFactory()
    run = ScanRunFactory(instance=media.instance)
    return {"instance": media.instance.pk, "media": media.pk, "run": run.pk}


@pytest.mark.parametrize(("method", "url"), PROTECTED)
def test_every_endpoint_needs_credentials(method: str, url: str, ids: dict[str, int]) -> None:
    response = getattr(APIClient(), method)(url.format(**ids), {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("method", "url"), PROTECTED)
def test_non_staff_users_are_refused(method: str, url: str, ids: dict[str, int]) -> None:
    client = APIClient()
    client.force_login(User.objects.create_user("someone", password=PASSWORD))
    response = getattr(client, method)(url.format(**ids), {}, format="json")
    assert response.status_code == 403


def test_docs_page_sends_anonymous_users_to_the_login(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/api/docs/")


def test_docs_page_for_staff_has_no_inline_script(api: APIClient) -> None:
    page = api.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # everything by src=, as the CSP wants
    script = api.get("/api/docs/?script=")
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in script.content


def test_healthz_and_webhooks_need_no_user(client: Client) -> None:
    assert client.get("/healthz").status_code == 200
    instance = InstanceFactory()
    url = f"/api/webhooks/{instance.get_webhook_token()}/"
    response = client.post(url, {"eventType": "Test"}, content_type="application/json")
    assert response.status_code == 200


def _issue(client: APIClient, username: str, password: str, address: str) -> object:
    return client.post(
        "/api/auth/token/",
        {"username": username, "password": password, "name": "backup"},
        format="json",
        REMOTE_ADDR=address,
    )


def test_token_is_issued_once_and_stored_as_a_digest(staff_user: User) -> None:
    response = _issue(APIClient(), staff_user.username, PASSWORD, unique_address())
    assert response.status_code == 201
    key = response.json()["token"]
    token = ApiToken.objects.get(user=staff_user)
    assert token.key_hash == token_digest(key)
    assert key not in {token.prefix, token.key_hash, token.name}
    assert response.json()["prefix"] == key[:12] == token.prefix

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/instances/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_session_user_can_use_the_token_endpoint_without_csrf(staff_user: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert _issue(client, staff_user.username, PASSWORD, unique_address()).status_code == 201


@pytest.mark.parametrize(
    ("username", "password", "staff"),
    [("right", "wrong password", True), ("nobody", PASSWORD, True), ("right", PASSWORD, False)],
)
def test_token_refused_for_wrong_credentials_or_non_staff(
    username: str, password: str, staff: bool
) -> None:
    name = f"right-{uuid.uuid4().hex[:6]}"
    User.objects.create_user(name, password=PASSWORD, is_staff=staff)
    username = name if username == "right" else username
    response = _issue(APIClient(), username, password, unique_address())
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not ApiToken.objects.exists()


def test_token_request_validation_names_the_fields() -> None:
    response = APIClient().post("/api/auth/token/", {}, format="json", REMOTE_ADDR=unique_address())
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_failures_lock_that_user_name_at_that_address_only(staff_user: User) -> None:
    """As django-axes does: guessing from one address cannot lock the user out elsewhere."""
    client, address = APIClient(), unique_address()
    for _ in range(5):
        assert _issue(client, staff_user.username, "wrong", address).status_code == 400
    response = _issue(client, staff_user.username.upper(), PASSWORD, address)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert _issue(client, staff_user.username, PASSWORD, unique_address()).status_code == 201
    assert _issue(client, "someone-else", "wrong", address).status_code == 400  # not 429


def test_right_passwords_never_count_and_clear_the_failures(staff_user: User) -> None:
    client, address = APIClient(), unique_address()
    for _ in range(8):
        assert _issue(client, staff_user.username, PASSWORD, address).status_code == 201
    for _ in range(2):
        for _ in range(4):
            assert _issue(client, staff_user.username, "wrong", address).status_code == 400
        assert _issue(client, staff_user.username, PASSWORD, address).status_code == 201


@pytest.mark.parametrize(
    "header",
    ["Token", "Token a b", "Token not-a-key", "Token " + "x" * 300, "Token tgr_\u00e9"],
)
def test_bad_token_headers_are_401(header: str, db: None) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert client.get("/api/instances/").status_code == 401


def test_a_stored_sha256_digest_lets_its_key_in_and_only_it(staff_user: User) -> None:
    # A row as every release has written it: SHA-256 hex of the key, made here by hashlib.
    key = "tgr_known0123456789abcdefghijklmnopqrstuvwxyz"
    ApiToken.objects.create(
        user=staff_user, prefix=key[:12], key_hash=hashlib.sha256(key.encode()).hexdigest()
    )
    right, wrong = APIClient(), APIClient()
    right.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    wrong.credentials(HTTP_AUTHORIZATION=f"Token {key[:-1]}Z")
    assert right.get("/api/instances/").status_code == 200
    assert wrong.get("/api/instances/").status_code == 401


def test_token_of_an_inactive_user_is_refused(staff_user: User, token_api: APIClient) -> None:
    staff_user.is_active = False
    staff_user.save()
    assert token_api.get("/api/instances/").status_code == 401


def test_session_writes_need_the_csrf_token(staff_user: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_user)
    instance = InstanceFactory()
    assert client.get(f"/api/instances/{instance.pk}/").status_code == 200
    response = client.patch(f"/api/instances/{instance.pk}/", {"enabled": False}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    # With the token from the CSRF cookie (as the admin's scripts send it) the write passes.
    client.get("/admin/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.patch(
        f"/api/instances/{instance.pk}/", {"enabled": False}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 200


def test_token_writes_need_no_csrf(token_api: APIClient) -> None:
    token_api.handler.enforce_csrf_checks = True
    instance = InstanceFactory()
    response = token_api.patch(f"/api/instances/{instance.pk}/", {"enabled": False}, format="json")
    assert response.status_code == 200
