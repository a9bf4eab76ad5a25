"""The admin's buttons take numeric ids only: anything else is "not found", never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/scanner/instance/abc/scan/",
        "/admin/scanner/instance/1e3/dry-run/",
        "/admin/scanner/instance/-1/test-connection/",
        "/admin/scanner/scanrun/x/cancel/",
        "/admin/scanner/scanrun/1.5/resume/",
        "/admin/scanner/media/%20/original/",
        "/admin/scanner/notifier/abc/send-test/",
        "/admin/scanner/instance/99999999999999999999999/scan/",
        "/admin/scanner/notifier/99999999999999999999/send-test/",
    ],
)
def test_a_bad_id_is_not_found(admin_client: Client, path: str) -> None:
    response = admin_client.post(path, follow=True)
    assert response.status_code in (200, 404)  # the admin's "doesn't exist" page, or 404
    if response.status_code == 200:
        assert "doesn\u2019t exist" in response.content.decode()  # a typographic apostrophe
