"""Migration 0039: a Jellyfin or Emby server saved with "set each person's track" on
(where it did nothing: MediaServer.clean now refuses it there) has it turned off; a
Plex server keeps it, and every other setting stays."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scanner.models import MediaServer

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("scanner", "0038_person_account_pin")]
AFTER = [("scanner", "0039_person_tracks_plex_only")]


def test_the_option_is_turned_off_where_only_plex_has_it(
    migrated_back: MigrationExecutor,
) -> None:
    old = migrated_back.loader.project_state(BEFORE).apps.get_model("scanner", "MediaServer")
    for name, kind in (("jf", "jellyfin"), ("emby", "emby"), ("plex", "plex")):
        old.objects.create(
            name=name, kind=kind, url=f"http://{name}:8096", write_tags=True,
            set_person_tracks=True,
        )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    saved = {s.name: (s.set_person_tracks, s.write_tags) for s in MediaServer.objects.all()}
    assert saved == {"jf": (False, True), "emby": (False, True), "plex": (True, True)}
    for server in MediaServer.objects.all():
        server.clean()  # each one can be saved again as it is
