from __future__ import annotations

from django.apps import AppConfig


class ScannerConfig(AppConfig):
    name = "scanner"
    verbose_name = "Taggarr"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from taggarr.memory import settle_after_startup

        settle_after_startup()  # every model is loaded by now
