from __future__ import annotations

from django.apps import AppConfig


class TaggarrConfig(AppConfig):
    """The project itself, last in INSTALLED_APPS: the SQLite database file made its
    owner's only before anything connects (taggarr.database_file); once every app is
    ready, the garbage collector is settled for the life of the process (taggarr.memory)."""

    name = "taggarr"
    verbose_name = "Taggarr"

    def ready(self) -> None:
        from django.conf import settings

        from taggarr.database_file import keep_private, sqlite_files
        from taggarr.memory import settle_after_startup

        keep_private(sqlite_files(settings.DATABASES))
        settle_after_startup()  # every model is loaded by now
