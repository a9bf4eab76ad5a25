"""Every address: the REST API under /api/, the web UI (admin, health, metrics) at the root."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

admin.autodiscover()  # here, not at start-up: see INSTALLED_APPS

urlpatterns = [
    path("api/", include("api.urls")),
    path("", include("web.urls")),
]
