"""User input with '%' in it (fuzzers love it) is data, never a format string: 400, not 500."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db

PERCENT = "%s%(x)d%\x18Î9"


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("pct", password="pct-password-1234"))
    return client


def test_media_filter_with_percent_is_a_400_naming_it(admin_client: Client) -> None:
    response = admin_client.get("/api/media/", {"original_language": PERCENT, "kind": "series"})
    assert response.status_code == 400
    message = response.json()["original_language"][0]
    assert message.startswith("unknown language") and "%s%(x)d%" in message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", f"http://{PERCENT}"),
        ("root_folders", [PERCENT]),
        ("target_languages", [PERCENT]),
        ("path_mappings", [{"remote": "/tv", "local": PERCENT}]),
    ],
)
def test_instance_fields_with_percent_are_400(admin_client: Client, field: str, value) -> None:
    instance = InstanceFactory()
    response = admin_client.patch(
        f"/api/instances/{instance.pk}/", {field: value}, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
