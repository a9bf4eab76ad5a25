from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScannerConfig(AppConfig):
    name = "scanner"
    verbose_name = _("Taggarr")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from scanner.http import addresses

        # Every outgoing request of this process (web, worker, beat) is checked where it
        # connects: no link-local or cloud metadata address unless the user allows it.
        addresses.install(allow_link_local=settings.ALLOW_LINK_LOCAL)
