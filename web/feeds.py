"""``/feeds/dubs.atom?token=…``: dub arrivals and losses as an Atom feed, for feed
readers and Home Assistant's feedreader.

Feed readers send no headers, so the feed is opened by its own token in the URL (made in
the admin or the API, shown once, stored as a digest, revocable), not by a user: a token
opens its one feed, an instance's or every instance's, and nothing else. A missing,
wrong or revoked token is a 404, as for any unknown path. The logs mask it
(taggarr.logging).

Atom as RFC 4287 has it: ids that never change (scanner.models.feeds.FeedNamespace: the
feed of every instance and each instance's feed have their own), an author, and a
``rel="self"`` link to the address the feed was read from, token included. That link is
the only place the token appears: the feed goes only to a request that sent that very
token, so it tells its reader nothing new, and a reader that follows or stores the self
link (as the feed's canonical address) keeps a working address; without the token the
link would answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from scanner.models import FeedNamespace, FeedToken
from scanner.models.feeds import feed_path
from scanner.reports.dub_news import latest_dub_news
from scanner.reports.dub_news_text import news_line, news_title, swaps_of

ENTRIES = 50


@dataclass(frozen=True)
class OpenedFeed:
    """A feed read with a valid token: the token, its plain value (for the self link) and
    the namespace of the ids."""

    token: FeedToken
    plain: str
    namespace: FeedNamespace


# Feed is generic only in django-stubs: subscripting it at run time needs
# django_stubs_ext.monkeypatch(), which the product does not install (scanner/fields.py).
class DubNewsFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # In the token's language, not the reader's: feed readers send no Accept-Language
        # worth the name, and a household's phone should read what it chose.
        token = FeedToken.find(request.GET.get("token", ""))
        request.taggarr_feed_token = token  # type: ignore[attr-defined]  # for get_object
        language = (token.language if token else "") or settings.LANGUAGE_CODE
        with translation.override(language):
            response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = language
        response["Cache-Control"] = "private, max-age=60"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> OpenedFeed:
        plain = request.GET.get("token", "")
        token = getattr(request, "taggarr_feed_token", None)
        if token is None:
            raise Http404("no such feed")
        FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return OpenedFeed(token, plain, FeedNamespace.get())

    def title(self, feed: OpenedFeed) -> str:
        instance = feed.token.instance
        if instance:
            return _("Taggarr: dub arrivals and losses of %(name)s") % {"name": instance.name}
        return _("Taggarr: dub arrivals and losses")

    def subtitle(self, feed: OpenedFeed) -> str:
        return _("A target language arrived in files that lacked it, or was lost in an upgrade.")

    def link(self, feed: OpenedFeed) -> str:
        return reverse("taggarr-dashboard")

    def feed_url(self, feed: OpenedFeed) -> str:
        return feed_path(feed.plain)

    def feed_guid(self, feed: OpenedFeed) -> str:
        return feed.namespace.feed_id(feed.token.instance_id)

    def author_name(self, feed: OpenedFeed) -> str:
        return "Taggarr"

    def items(self, feed: OpenedFeed) -> list[dict[str, Any]]:
        news = latest_dub_news(instance_id=feed.token.instance_id, limit=ENTRIES)
        return [{**one, "entry_id": feed.namespace.entry_id(one["id"])} for one in news]

    def item_title(self, news: dict[str, Any]) -> str:
        return news_title(
            news["title"],
            news["language"],
            news["arrived"],
            news["season"],
            news["episode_numbers"],
        )

    def item_description(self, news: dict[str, Any]) -> str:
        # Atom1Feed writes it as <summary type="html">: plain text must be escaped HTML.
        # What feed readers and Home Assistant show: the long line, in the token's
        # language (the recorded message is the history's English).
        line = news_line(
            news["title"],
            news["language"],
            news["arrived"],
            news["season"],
            news["episode_numbers"],
            season_complete=news["season_complete"],
            swaps=swaps_of(news["files"]),
        )
        return escape(line)

    def item_link(self, news: dict[str, Any]) -> str:
        if news["media"] is not None:
            return reverse("admin:scanner_media_change", args=[news["media"]])
        return reverse("admin:scanner_event_change", args=[news["id"]])

    def item_guid(self, news: dict[str, Any]) -> str:
        return str(news["entry_id"])

    def item_guid_is_permalink(self, news: dict[str, Any]) -> bool:
        return False

    def item_pubdate(self, news: dict[str, Any]) -> Any:
        return news["created_at"]

    def item_updateddate(self, news: dict[str, Any]) -> Any:
        return news["created_at"]

    def item_categories(self, news: dict[str, Any]) -> list[str]:
        return [news["kind"], news["language"], news["instance_name"]]


dub_news_feed = DubNewsFeed()
