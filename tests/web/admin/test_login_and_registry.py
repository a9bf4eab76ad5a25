"""The admin login limit, API tokens in the admin, and an admin for every model."""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import get_resolver

from accounts.hashed_tokens import token_digest
from accounts.models import ApiToken
from tests.api.conftest import PASSWORD, unique_address

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, address: str) -> object:
    client.get("/admin/login/", REMOTE_ADDR=address)
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_admin_login_failures_lock_that_user_name_at_that_address_only() -> None:
    user = User.objects.create_user(f"u-{uuid.uuid4().hex[:6]}", password=PASSWORD, is_staff=True)
    client, address = Client(), unique_address()
    for _ in range(5):
        response = _login(client, user.username, "wrong", address)
        assert response.status_code == 200  # the form again, with an error
    response = _login(client, user.username, PASSWORD, address)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Too many login attempts" in response.content.decode()
    assert response["Content-Security-Policy"]
    # Elsewhere the user still gets in: nobody can keep him locked out.
    assert _login(Client(), user.username, PASSWORD, unique_address()).status_code == 302


def test_admin_logins_with_the_right_password_never_count() -> None:
    user = User.objects.create_user(f"u-{uuid.uuid4().hex[:6]}", password=PASSWORD, is_staff=True)
    address = unique_address()
    for _ in range(8):
        assert _login(Client(), user.username, PASSWORD, address).status_code == 302


def test_the_token_endpoint_and_the_admin_login_count_together() -> None:
    user = User.objects.create_user(f"u-{uuid.uuid4().hex[:6]}", password=PASSWORD, is_staff=True)
    address = unique_address()
    for _ in range(3):
        _login(Client(), user.username, "wrong", address)
    for _ in range(2):
        response = Client().post(
            "/api/auth/token/", {"username": user.username, "password": "wrong", "name": "x"},
            content_type="application/json", REMOTE_ADDR=address,
        )  # fmt: skip
        assert response.status_code == 400
    assert _login(Client(), user.username, PASSWORD, address).status_code == 429


def test_login_without_csrf_token_is_refused_and_not_counted() -> None:
    client, address = Client(enforce_csrf_checks=True), unique_address()
    username = f"u-{uuid.uuid4().hex[:6]}"
    for _ in range(6):
        response = client.post(
            "/admin/login/", {"username": username, "password": "x"}, REMOTE_ADDR=address
        )
        assert response.status_code == 403


def test_every_model_has_an_admin() -> None:
    # The admin modules register as the URLconf loads them (not at app start: workers
    # never import them): load it, so that the test holds when it runs alone too.
    get_resolver().url_patterns  # noqa: B018
    for label in ("scanner", "api"):
        for model in apps.get_app_config(label).get_models():
            assert model in admin.site._registry, model


def test_token_created_in_the_admin_is_shown_once(admin_client: Client, admin_user: User) -> None:
    response = admin_client.post(
        "/admin/accounts/apitoken/add/", {"user": admin_user.pk, "name": "backup"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    key = response.context["key"]
    assert token.key_hash == token_digest(key)
    assert key in response.content.decode()
    listing = admin_client.get("/admin/accounts/apitoken/").content.decode()
    assert key not in listing and token.prefix in listing


def test_staff_can_only_mint_tokens_for_themselves(admin_user: User) -> None:
    staff = User.objects.create_user("helper", password=PASSWORD, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="add_apitoken"))
    client = Client()
    client.force_login(staff)
    response = client.post("/admin/accounts/apitoken/add/", {"user": admin_user.pk, "name": "x"})
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not ApiToken.objects.exists()
