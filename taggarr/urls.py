from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

admin.autodiscover()  # here, not at start-up: see INSTALLED_APPS

from scanner.admin.dashboard import dashboard  # noqa: E402 - after autodiscover(), on purpose
from scanner.admin.login import rate_limited_login  # noqa: E402
from taggarr.health import healthz  # noqa: E402

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", include("api.urls")),
    path("", include("scanner.urls")),
    # Before admin.site.urls, so they take these paths: the login with its rate limit,
    # and the dashboard (staff only, like every admin page).
    path("admin/login/", rate_limited_login, name="taggarr-admin-login"),
    path("admin/dashboard/", admin.site.admin_view(dashboard), name="taggarr-dashboard"),
    path("admin/", admin.site.urls),
]
