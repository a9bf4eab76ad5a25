from __future__ import annotations

import itertools
import uuid

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.helpers import PASSWORD as STAFF_PASSWORD

PASSWORD = STAFF_PASSWORD
_addresses = itertools.count(1)


@pytest.fixture
def staff_user(db: None) -> User:
    """A staff user with every permission on Taggarr's models, as an operator gets one
    in the admin (the API asks for the same permissions: tests/api/test_permissions.py)."""
    user = User.objects.create_user(
        f"staff-{uuid.uuid4().hex[:8]}", password=PASSWORD, is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="scanner"))
    return user


@pytest.fixture
def api(staff_user: User) -> APIClient:
    """A staff user logged in by session (CSRF checks off, as DRF's test client does)."""
    client = APIClient()
    client.force_login(staff_user)
    return client


@pytest.fixture
def token_key(staff_user: User) -> str:
    return ApiToken.issue(staff_user, "tests")[1]


@pytest.fixture
def token_api(token_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    return client


def unique_address() -> str:
    """A client address no other test (or earlier run sharing Redis) has used:
    login limits are counted per address in the shared cache, never cleared."""
    n = next(_addresses)
    return f"10.{uuid.uuid4().int % 250}.{n // 250 % 250}.{n % 250 + 1}"
