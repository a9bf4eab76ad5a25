"""The web UI's addresses: the admin (with its dashboard, logs and rate-limited login),
the health check and the Prometheus metrics."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from accounts.login import rate_limited_login
from web.admin.changes import changes_page
from web.admin.dashboard import dashboard
from web.admin.guesses import guesses_page
from web.admin.logs import log_download, log_list, log_view
from web.admin.setup import setup_page
from web.artwork import artwork_image
from web.badges_preview import badges_image
from web.feeds import dub_news_feed
from web.health import healthz
from web.metrics import metrics

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("healthz", healthz, name="healthz"),
    # Its own bearer token (TAGGARR_METRICS_TOKEN), not a user: Prometheus has no login.
    path("metrics", metrics, name="metrics"),
    # Its own token in the URL (feed readers send no headers), not a user: web.feeds.
    path("feeds/dubs.atom", dub_news_feed, name="taggarr-dub-feed"),
    # Before admin.site.urls, so they take these paths: the login with its rate limit,
    # and the dashboard (staff only, like every admin page).
    path("admin/login/", rate_limited_login, name="taggarr-admin-login"),
    path("admin/dashboard/", admin.site.admin_view(dashboard), name="taggarr-dashboard"),
    path("admin/guesses/", admin.site.admin_view(guesses_page), name="taggarr-guesses"),
    # Every act's changes together (web.admin.changes), next to the acts' own lists.
    path("admin/changes/", admin.site.admin_view(changes_page), name="taggarr-changes"),
    # The guided setup (web.admin.setup): a first evening in four steps, any time.
    path("admin/setup/", admin.site.admin_view(setup_page), name="taggarr-setup"),
    # Superusers only (checked in the views); <str:> never matches a "/".
    path("admin/logs/", admin.site.admin_view(log_list), name="taggarr-logs"),
    path("admin/logs/view/<str:name>", admin.site.admin_view(log_view), name="taggarr-log-view"),
    path("admin/logs/<str:name>", admin.site.admin_view(log_download), name="taggarr-log-download"),
    # Posters and fanart, staff only (admin_view), from the database: web.artwork.
    # An item's poster with its dub badges, a preview (nothing written): web.badges_preview.
    path(
        "admin/badges/<int:media_id>/preview",
        admin.site.admin_view(badges_image, cacheable=True),
        name="taggarr-badges-preview",
    ),
    path(
        "admin/artwork/<int:media_id>/<str:kind>",
        admin.site.admin_view(artwork_image, cacheable=True),
        name="taggarr-artwork",
    ),
    # The scripts' words in the reader's language (locale/<lang>/LC_MESSAGES/djangojs.po),
    # staff only like the pages that load it; never cached, so a language switched in
    # the header shows at once.
    path(
        "admin/jsi18n/taggarr/",
        admin.site.admin_view(never_cache(JavaScriptCatalog.as_view(domain="djangojs"))),
        name="taggarr-js-catalog",
    ),
    path("admin/", admin.site.urls),
]
