from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from scanner.admin.dashboard import dashboard
from scanner.admin.login import rate_limited_login
from scanner.admin.logs import log_download, log_list
from taggarr.health import healthz
from taggarr.metrics import metrics

admin.autodiscover()  # here, not at start-up: see INSTALLED_APPS

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Its own bearer token (TAGGARR_METRICS_TOKEN), not a user: Prometheus has no login.
    path("metrics", metrics, name="metrics"),
    path("api/", include("api.urls")),
    path("", include("scanner.urls")),
    # Before admin.site.urls, so they take these paths: the login with its rate limit,
    # and the dashboard (staff only, like every admin page).
    path("admin/login/", rate_limited_login, name="taggarr-admin-login"),
    path("admin/dashboard/", admin.site.admin_view(dashboard), name="taggarr-dashboard"),
    # Superusers only (checked in the views); <str:> never matches a "/".
    path("admin/logs/", admin.site.admin_view(log_list), name="taggarr-logs"),
    path("admin/logs/<str:name>", admin.site.admin_view(log_download), name="taggarr-log-download"),
    path("admin/", admin.site.urls),
]
