"""``manage.py create_api_token``: a key for a staff user, shown once, that works."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_prints_a_key_that_authenticates_and_stores_only_its_hash() -> None:
    user = User.objects.create_user("ops", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_instance"))
    out = StringIO()
    call_command("create_api_token", "ops", "--name", "backup", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=user)
    assert token.name == "backup"
    assert key not in str(token.__dict__.values())  # only a digest is stored
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/instances/").status_code == 200


@pytest.mark.parametrize(
    ("username", "staff", "active"),
    [("nobody", None, None), ("viewer", False, True), ("gone", True, False)],
)
def test_refuses_anyone_but_an_active_staff_user(
    username: str, staff: bool | None, active: bool | None
) -> None:
    if staff is not None:
        User.objects.create_user(username, is_staff=staff, is_active=bool(active))
    with pytest.raises(CommandError, match="is not an active staff user"):
        call_command("create_api_token", username)
    assert not ApiToken.objects.exists()
