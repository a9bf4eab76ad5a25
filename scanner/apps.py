from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import pre_migrate
from django.utils.translation import gettext_lazy as _


def _no_statement_timeout(*, using: str = "default", **_kwargs: Any) -> None:
    """`manage.py migrate`'s connection runs without TAGGARR_DB_STATEMENT_SECONDS: a
    migration that rewrites or indexes a large table takes as long as it takes (the
    setting is for the app's statements, taggarr/settings.py). Its lock timeout stays."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


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
        pre_migrate.connect(_no_statement_timeout, dispatch_uid="taggarr-no-statement-timeout")
