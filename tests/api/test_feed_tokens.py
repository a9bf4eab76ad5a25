"""/api/feed-tokens/: the feed's URL in the answer to its creation only, the prefix in
every read, revoke closes the feed; the model permissions as in the admin."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from rest_framework.test import APIClient

from scanner.models import FeedToken
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db
FEED = "/feeds/dubs.atom"


def test_tokens_through_the_api(api: APIClient, staff_user: User) -> None:
    tv = InstanceFactory(name="tv")
    created = api.post("/api/feed-tokens/", {"name": "HA", "instance": tv.pk}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["url"].startswith("http://testserver/feeds/dubs.atom?token=tgf_")
    plain = body["url"].partition("token=")[2]
    listed = api.get("/api/feed-tokens/").json()["results"]
    assert [row["prefix"] for row in listed] == [plain[:12]]
    assert "url" not in listed[0] and plain not in str(listed)
    assert Client().get(FEED, {"token": plain}).status_code == 200
    revoked = api.post(f"/api/feed-tokens/{body['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert Client().get(FEED, {"token": plain}).status_code == 404
    bad = api.post("/api/feed-tokens/", {"name": "", "instance": 999}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"name", "instance"}
    staff_user.user_permissions.remove(Permission.objects.get(codename="delete_feedtoken"))
    assert api.post(f"/api/feed-tokens/{body['id']}/revoke/").status_code == 403


def test_a_stored_sha256_digest_opens_its_feed_and_only_it() -> None:
    # A row as every release has written it: SHA-256 hex of the token, made here by hashlib.
    plain = "tgf_known0123456789abcdefghijklmnopqrstuvwxyz"
    row = FeedToken.objects.create(
        name="reader", prefix=plain[:12], token_hash=hashlib.sha256(plain.encode()).hexdigest()
    )
    assert FeedToken.find(plain) == row
    assert FeedToken.find(plain[:-1] + "Z") is None
    assert Client().get(FEED, {"token": plain}).status_code == 200
    assert Client().get(FEED, {"token": plain[:-1] + "Z"}).status_code == 404


def test_a_token_made_through_the_api_keeps_its_language(api: APIClient) -> None:
    created = api.post("/api/feed-tokens/", {"name": "Küche", "language": "de"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["language"] == "de"
    plain = created.json()["url"].partition("token=")[2]
    assert Client().get(FEED, {"token": plain})["Content-Language"] == "de"
    bad = api.post("/api/feed-tokens/", {"name": "x", "language": "xx"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"language"}
