"""The dub news feed: opened by its own token in the URL (stored as a digest, revocable,
masked in every log line), valid Atom with the arrivals and losses of its instance or of
every instance."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from hashed_tokens import token_digest
from scanner.engine.dub_news import DubChange, Replacement, describe
from scanner.models import Event, FeedToken, Instance
from taggarr.logging import redact
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/feeds/dubs.atom"


def _news(instance: Instance, title: str, kind: str, **change: object) -> Event:
    media = MediaFactory(instance=instance, title=title)
    found = DubChange(
        kind=kind, language="deu", season=change.get("season"),  # type: ignore[arg-type]
        episodes=change.get("episodes", ()), files=change.get("files", ()),  # type: ignore[arg-type]
        season_complete=bool(change.get("complete")),
    )  # fmt: skip
    return Event.objects.create(
        instance=instance, media=media, kind=f"dub_{kind}",
        message=describe(found, title), data=found.to_data(),
    )  # fmt: skip


@pytest.fixture
def news() -> tuple[Instance, Instance]:
    tv, films = InstanceFactory(name="tv"), InstanceFactory(name="films", kind="radarr")
    _news(tv, "Dark", "arrived", season=2, episodes=(1, 2, 3), complete=True)
    swap = Replacement(4, "Dark - S01E04 WEB.mkv", "Dark - S01E04 BluRay.mkv")
    _news(tv, "Dark", "lost", season=1, episodes=(4,), files=(swap,))
    _news(films, "Amélie", "arrived")
    Event.objects.create(instance=tv, kind=Event.Kind.TAG_CHANGED, message="not news")
    return tv, films


def _entries(client: Client, token: str) -> tuple[ET.Element, list[ET.Element]]:
    response = client.get(FEED, {"token": token})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    assert token.encode() not in response.content
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    return feed, entries


def test_every_instance_or_one(client: Client, news: tuple[Instance, Instance]) -> None:
    tv, _ = news
    _, every = FeedToken.issue("reader")
    feed, entries = _entries(client, every)
    assert feed.findtext(f"{ATOM}title") == "Taggarr: dub arrivals and losses"
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Amélie: German arrived",
        "Dark S01E04: German lost",
        "Dark S02E01-E03: German arrived",
    ]
    lost = entries[1].findtext(f"{ATOM}summary")
    assert lost == (
        "Dark: German lost in S01E04: Dark - S01E04 WEB.mkv replaced by Dark - S01E04 BluRay.mkv"
    )
    categories = [c.get("term") for c in entries[0].findall(f"{ATOM}category")]
    assert categories == ["dub_arrived", "deu", "films"]
    _, only_tv = FeedToken.issue("home assistant", tv)
    feed, entries = _entries(client, only_tv)
    assert feed.findtext(f"{ATOM}title") == "Taggarr: dub arrivals and losses of tv"
    assert len(entries) == 2


@pytest.mark.parametrize(
    "query", ["", "?token=", "?token=tgf_wrong0123456789abcdefghijk", "?token=%00", "?token=x" * 3]
)
def test_no_feed_without_its_token(client: Client, query: str) -> None:
    FeedToken.issue("reader")
    assert client.get(FEED + query).status_code == 404


def test_a_revoked_token_closes_its_feed_and_only_a_digest_is_stored(client: Client) -> None:
    token, plain = FeedToken.issue("reader")
    assert token.token_hash == token_digest(plain) and plain not in str(token.__dict__)
    assert client.get(FEED, {"token": plain}).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    token.revoke()
    assert client.get(FEED, {"token": plain}).status_code == 404


def test_the_token_is_masked_in_every_log_line(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    _, plain = FeedToken.issue("reader")
    for line in (
        f'"GET /feeds/dubs.atom?token={plain} HTTP/1.1" 200',
        f"feed {plain} read",
        f"https://taggarr.lan/feeds/dubs.atom?foo=1&token={plain}",
    ):
        assert plain not in redact(line)
        assert plain[4:] not in redact(line)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(FEED, {"token": plain + "x"})
    assert plain not in caplog.text


def test_the_admin_shows_the_url_once(admin_client: Client) -> None:
    page = admin_client.post("/admin/scanner/feedtoken/add/", {"name": "reader", "instance": ""})
    assert page.status_code == 200
    html = page.content.decode()
    token = FeedToken.objects.get()
    assert f"/feeds/dubs.atom?token={token.prefix}" in html
    listing = admin_client.get("/admin/scanner/feedtoken/").content.decode()
    assert token.prefix in listing and "token=" not in listing
    admin_client.post(
        "/admin/scanner/feedtoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
