from __future__ import annotations

from django.apps import AppConfig


class ScannerConfig(AppConfig):
    name = "scanner"
    verbose_name = "Taggarr"
    default_auto_field = "django.db.models.BigAutoField"
