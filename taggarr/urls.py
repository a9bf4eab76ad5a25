from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from taggarr.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", include("api.urls")),
    path("", include("scanner.urls")),
    path("admin/", admin.site.urls),
]
