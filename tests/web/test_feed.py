"""The dub news feed: opened by its own token in the URL (stored as a digest, revocable,
masked in every log line), Atom as RFC 4287 has it (tests/web/atom_rules.py) with the
arrivals and losses of its instance or of every instance, under ids that never change."""

from __future__ import annotations

import html
import logging
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from accounts.hashed_tokens import token_digest
from scanner.engine.dub_news import DubChange, Replacement, describe
from scanner.models import Event, FeedToken, Instance
from taggarr.logging import redact
from tests.factories import InstanceFactory, MediaFactory
from tests.web import atom_rules

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


def _read(client: Client, token: str, **request: object) -> ET.Element:
    """The feed read with ``token``: Atom as RFC 4287 has it, with its self link to the
    address it was read from, the only place the token appears."""
    response = client.get(FEED, {"token": token}, **request)  # type: ignore[arg-type]
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    read_from = response.wsgi_request.build_absolute_uri()
    assert atom_rules.problems(response.content, read_from) == []
    assert response.content.count(token.encode()) == 1
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test


def _entries(client: Client, token: str) -> tuple[ET.Element, list[ET.Element]]:
    feed = _read(client, token)
    return feed, feed.findall(f"{ATOM}entry")


def _ids(feed: ET.Element) -> tuple[str, list[str]]:
    entry_ids = [entry.findtext(f"{ATOM}id") or "" for entry in feed.findall(f"{ATOM}entry")]
    return feed.findtext(f"{ATOM}id") or "", entry_ids


def test_every_instance_or_one(client: Client, news: tuple[Instance, Instance]) -> None:
    tv, _ = news
    _, every = FeedToken.issue("reader")
    feed, entries = _entries(client, every)
    assert feed.findtext(f"{ATOM}title") == "Taggarr: dub arrivals and losses"
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "New dub: German — Amélie",
        "Dub lost: German — Dark S01E04",
        "New dub: German — Dark S02E01-E03",
    ]
    lost = entries[1].findtext(f"{ATOM}summary")
    assert lost == (
        "Dub lost: German — Dark, S01E04: "
        "Dark - S01E04 WEB.mkv replaced by Dark - S01E04 BluRay.mkv"
    )
    categories = [c.get("term") for c in entries[0].findall(f"{ATOM}category")]
    assert categories == ["dub_arrived", "deu", "films"]
    _, only_tv = FeedToken.issue("home assistant", tv)
    feed, entries = _entries(client, only_tv)
    assert feed.findtext(f"{ATOM}title") == "Taggarr: dub arrivals and losses of tv"
    assert len(entries) == 2


def test_the_feeds_are_atom_with_an_author_and_a_working_self_link(
    client: Client, news: tuple[Instance, Instance], settings
) -> None:
    """RFC 4287 4.1.1: an author (none of the entries has one) and a rel="self" link that
    is where the feed was read, token included, over HTTPS behind a proxy too; following
    it gives the same feed. An instance without news has a valid, empty feed."""
    settings.ALLOWED_HOSTS = ["testserver", "taggarr.example.org"]
    _, every = FeedToken.issue("reader")
    _, quiet = FeedToken.issue("reader", InstanceFactory(name="quiet"))
    for token in (every, quiet):
        feed = _read(client, token, HTTP_HOST="taggarr.example.org", secure=True)
        assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Taggarr"
        self_link = feed.find(f"{ATOM}link[@rel='self']")
        assert self_link is not None
        address = urlsplit(self_link.get("href", ""))
        assert (address.scheme, address.netloc) == ("https", "taggarr.example.org")
        assert _ids(_read(client, token)) == _ids(feed)
        following = client.get(f"{address.path}?{address.query}")
        assert following.status_code == 200
        assert _ids(ET.fromstring(following.content)) == _ids(feed)  # noqa: S314
    assert feed.findall(f"{ATOM}entry") == []


def test_ids_never_change_and_each_feed_has_its_own(
    client: Client, news: tuple[Instance, Instance], settings
) -> None:
    """RFC 4287 4.2.6: an id never changes, whatever the Host, the token or a new entry;
    the feed of every instance and an instance's feed are different feeds, but an event
    is the same entry in both."""
    settings.ALLOWED_HOSTS = ["testserver", "taggarr.example.org"]
    tv, films = news
    _, every = FeedToken.issue("reader")
    _, only_tv = FeedToken.issue("home assistant", tv)
    every_id, every_entries = _ids(_read(client, every))
    tv_id, tv_entries = _ids(_read(client, only_tv))
    assert every_id != tv_id
    assert set(tv_entries) < set(every_entries) and len(tv_entries) == 2
    _, other_reader = FeedToken.issue("phone")
    elsewhere = _read(client, other_reader, HTTP_HOST="taggarr.example.org", secure=True)
    assert _ids(elsewhere) == (every_id, every_entries)
    _news(films, "Léon", "arrived")
    every_id_then, entries_then = _ids(_read(client, every))
    assert every_id_then == every_id and entries_then[1:] == every_entries
    assert entries_then[0] not in every_entries


def test_a_summary_is_escaped_html(client: Client) -> None:
    """RFC 4287 3.1.1.2: a type="html" text is HTML, escaped in the XML: a title with < and
    & reads as that text, not as markup."""
    films = InstanceFactory(name="films", kind="radarr")
    _news(films, "Tom & Jerry <Uncut>", "arrived")
    _, plain = FeedToken.issue("reader")
    _, entries = _entries(client, plain)
    summary = entries[0].find(f"{ATOM}summary")
    assert summary is not None and summary.get("type") == "html"
    assert html.unescape(summary.text or "") == "New dub: German — Tom & Jerry <Uncut>"
    assert "<Uncut>" not in (summary.text or "")


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


def test_a_token_reads_the_feed_in_its_own_language(client: Client) -> None:
    """A German household's token: German titles and language names, whatever the
    reader's Accept-Language; the tag and file names stay as they are."""
    tv = InstanceFactory(name="tv")
    _news(tv, "Dark", "arrived", season=2, complete=True)
    _news(tv, "Dark", "lost", season=1, episodes=(4, 5))
    token, plain = FeedToken.issue("Küche")
    FeedToken.objects.filter(pk=token.pk).update(language="de")
    response = client.get(FEED, {"token": plain}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "de"
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert feed.findtext(f"{ATOM}title") == "Taggarr: neue und verlorene Synchronfassungen"
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert sorted(titles) == [  # type: ignore[type-var]
        "Neue Synchronfassung: Deutsch — Dark, Staffel 2",
        "Synchronfassung verloren: Deutsch — Dark S01E04-E05",
    ]
    other = FeedToken.issue("reader")[1]
    english = ET.fromstring(client.get(FEED, {"token": other}).content)  # noqa: S314
    assert english.findtext(f"{ATOM}title") == "Taggarr: dub arrivals and losses"


def test_a_german_token_reads_german_summaries_too(client: Client) -> None:
    """The summary (what feed readers and Home Assistant show) is the long line in the
    token's language, each a whole sentence of the catalog; the recorded English line
    (the history's) never reaches the feed (issue 61)."""
    tv = InstanceFactory(name="tv")
    arrived = _news(tv, "Dark", "arrived", season=2, episodes=(1, 2), complete=True)
    swap = Replacement(4, "Dark - S01E04 WEB.mkv", "Dark - S01E04 BluRay.mkv")
    lost = _news(tv, "Dark", "lost", season=1, episodes=(4,), files=(swap,))
    plain_loss = _news(tv, "Dark", "lost", season=3, episodes=(7, 8))
    plain = FeedToken.issue("Küche", language="de")[1]
    feed = _read(client, plain, HTTP_ACCEPT_LANGUAGE="en")
    summaries = [
        html.unescape(e.findtext(f"{ATOM}summary") or "") for e in feed.iter(f"{ATOM}entry")
    ]
    with translation.override("de"):
        swapped = gettext("%(old)s replaced by %(new)s") % {"old": swap.old, "new": swap.new}
        expected = [
            gettext("Dub lost: %(language)s — %(title)s, %(where)s")
            % {"title": "Dark", "language": "Deutsch", "where": "S03E07-E08"},
            gettext("Dub lost: %(language)s — %(title)s, %(where)s: %(files)s")
            % {"title": "Dark", "language": "Deutsch", "where": "S01E04", "files": swapped},
            gettext("New dub: %(language)s — %(title)s, %(where)s (season %(season)d now complete)")
            % {"title": "Dark", "language": "Deutsch", "where": "S02E01-E02", "season": 2},
        ]
    assert summaries == expected
    for event in (arrived, lost, plain_loss):
        assert event.message not in summaries
    assert not any("German" in summary for summary in summaries)
    assert "lost" not in summaries[0] and "replaced by" not in summaries[1]
