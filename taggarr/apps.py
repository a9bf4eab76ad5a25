from __future__ import annotations

from django.apps import AppConfig


class TaggarrConfig(AppConfig):
    """The project itself, last in INSTALLED_APPS: once every app is ready, the garbage
    collector is settled for the life of the process (taggarr.memory)."""

    name = "taggarr"
    verbose_name = "Taggarr"

    def ready(self) -> None:
        from taggarr.memory import settle_after_startup

        settle_after_startup()  # every model is loaded by now
