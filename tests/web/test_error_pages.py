"""Our own 404 and 500 pages, with DEBUG off as people run Taggarr: a phone's viewport,
the theme's light and dark colours, a way back home, nothing of the failure shown."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_missing_page_is_ours(admin_client: Client) -> None:
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "taggarr/theme.css" in html and "This page does not exist" in html
    assert 'id="back-home" ' in html or 'id="back-home">' in html
    assert 'href="/admin/"' in html
    assert "<style" not in html and "<script" not in html  # the strict CSP


@override_settings(DEBUG=False, ROOT_URLCONF="tests.web.error_urls")
def test_a_failure_shows_our_page_without_its_details() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and 'href="/admin/"' in html
    assert "RuntimeError" not in html and "a bug" not in html
    assert "taggarr/theme.css" in html
