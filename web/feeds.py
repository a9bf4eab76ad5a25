"""``/feeds/dubs.atom?token=…``: dub arrivals and losses as an Atom feed, for feed
readers and Home Assistant's feedreader.

Feed readers send no headers, so the feed is opened by its own token in the URL (made in
the admin or the API, shown once, stored as a digest, revocable), not by a user: a token
opens its one feed, an instance's or every instance's, and nothing else. A missing,
wrong or revoked token is a 404, as for any unknown path. The token never appears in
the feed, and the logs mask it (taggarr.logging).
"""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from scanner.models import FeedToken
from scanner.reports.dub_news import latest_dub_news

ENTRIES = 50


class DubNewsFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, max-age=60"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedToken:
        token = FeedToken.find(request.GET.get("token", ""))
        if token is None:
            raise Http404("no such feed")
        FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token

    def title(self, token: FeedToken) -> str:
        where = f" of {token.instance.name}" if token.instance else ""
        return f"Taggarr: dub arrivals and losses{where}"

    def subtitle(self, token: FeedToken) -> str:
        return "A target language arrived in files that lacked it, or was lost in an upgrade."

    def link(self, token: FeedToken) -> str:
        return reverse("taggarr-dashboard")

    def items(self, token: FeedToken) -> list[dict[str, Any]]:
        return latest_dub_news(instance_id=token.instance_id, limit=ENTRIES)

    def item_title(self, news: dict[str, Any]) -> str:
        verb = "arrived" if news["arrived"] else "lost"
        where = f" {news['episodes']}" if news["episodes"] else ""
        return f"{news['title']}{where}: {news['language_name']} {verb}"

    def item_description(self, news: dict[str, Any]) -> str:
        return str(news["message"])

    def item_link(self, news: dict[str, Any]) -> str:
        if news["media"] is not None:
            return reverse("admin:scanner_media_change", args=[news["media"]])
        return reverse("admin:scanner_event_change", args=[news["id"]])

    def item_guid(self, news: dict[str, Any]) -> str:
        return f"taggarr-dub-news-{news['id']}"

    def item_guid_is_permalink(self, news: dict[str, Any]) -> bool:
        return False

    def item_pubdate(self, news: dict[str, Any]) -> Any:
        return news["created_at"]

    def item_updateddate(self, news: dict[str, Any]) -> Any:
        return news["created_at"]

    def item_categories(self, news: dict[str, Any]) -> list[str]:
        return [news["kind"], news["language"], news["instance_name"]]


dub_news_feed = DubNewsFeed()
