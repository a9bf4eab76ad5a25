"""Every address: the REST API under /api/, the web UI (admin, health, metrics) at the root."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts.language import set_language

admin.autodiscover()  # here, not at start-up: see INSTALLED_APPS

urlpatterns = [
    path("api/", include("api.urls")),
    # Open to people not signed in (the login page's switcher): accounts.language.
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("web.urls")),
]
