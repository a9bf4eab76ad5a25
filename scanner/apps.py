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
        _register_event_sentences()
        _register_acts()


def _register_event_sentences() -> None:
    """Each feature publishes its events' sentences in its own folder (``event_text``:
    ``SENTENCES``); the wiring registers them with the words layer, which imports no
    feature (scanner.reports.sentences; an import contract)."""
    from scanner.default_tracks import event_text as default_tracks
    from scanner.household import event_text as household
    from scanner.reports import event_sentences, sentences
    from scanner.searches import event_text as searches
    from scanner.seerr import event_text as seerr
    from scanner.wish_profiles import event_text as wish_profiles

    sentences.register_all(event_sentences.OWN)
    for feature in (default_tracks, household, searches, seerr, wish_profiles):
        sentences.register_all(feature.SENTENCES)


def _register_acts() -> None:
    """Each act declares itself in its folder (``act``: ``ACT``); the wiring names them to
    the change flow, which imports no act (scanner.changes.registry; an import contract)
    and imports them when it first lists every act's changes (the review page and
    endpoint), not at every start."""
    from scanner.changes import registry

    registry.declare("default_tracks", "scanner.default_tracks.act:ACT")
    registry.declare("wish_profiles", "scanner.wish_profiles.act:ACT")
    registry.declare("badges", "scanner.badges.act:ACT")
