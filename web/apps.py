from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The UI people use: the admin (its site is web.admin_site), the dashboard and its
    charts, the log viewer, the health check and the metrics view."""

    name = "web"
    verbose_name = _("Taggarr web UI")
    default_auto_field = "django.db.models.BigAutoField"
