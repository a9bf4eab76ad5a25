"""Migration 0049 (issue 79): an existing Seerr connection goes on serving every
instance, as it did before connections had instances; a request (or Audio issue)
followed by more than one ask — a re-sent approval opened more — keeps its first ask,
the one holding the first issue, so that one ask per request id can be held."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scanner.models import SeerrAsk, SeerrConnection

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("scanner", "0048_seerr_users")]
AFTER = [("scanner", "0049_seerr_once")]


def test_every_instance_is_served_and_the_first_ask_kept(
    migrated_back: MigrationExecutor,
) -> None:
    old = migrated_back.loader.project_state(BEFORE).apps
    instances = old.get_model("scanner", "Instance")
    movies, shows = (
        instances.objects.create(
            name=kind, kind=kind, url=f"http://{kind}", webhook_token_hash=kind
        )
        for kind in ("radarr", "sonarr")
    )
    seerr = old.get_model("scanner", "SeerrConnection").objects.create(
        name="jellyseerr", url="http://jellyseerr:5055", webhook_token_hash="h" * 64
    )
    asks = old.get_model("scanner", "SeerrAsk")
    common = {"connection": seerr, "media_type": "movie", "tmdb_id": 603, "asker_email": "a@b.c"}
    first = asks.objects.create(kind="request", request_id=7, issue_id=11, **common)
    asks.objects.create(kind="request", request_id=7, issue_id=12, **common)
    asks.objects.create(kind="request", request_id=7, **common)
    other = asks.objects.create(kind="request", request_id=8, **common)
    issue = asks.objects.create(kind="issue", issue_id=20, **common)
    asks.objects.create(kind="issue", issue_id=20, **common)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept = SeerrConnection.objects.get(pk=seerr.pk)
    assert sorted(kept.instances.values_list("pk", flat=True)) == sorted([movies.pk, shows.pk])
    assert sorted(SeerrAsk.objects.values_list("pk", flat=True)) == [first.pk, other.pk, issue.pk]
