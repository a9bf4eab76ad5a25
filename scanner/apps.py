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

        # Every outgoing connection and datagram of this process (web, worker, beat: HTTP,
        # SMTP, syslog alike) is checked where the socket is given its address: no
        # link-local or cloud metadata address unless the user allows it.
        addresses.install(allow_link_local=settings.ALLOW_LINK_LOCAL)
