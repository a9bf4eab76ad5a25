"""The OpenAPI schema generates cleanly, and no request generated from it gets a 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.renderers import JSONRenderer

from tests.factories import EventFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

# Contacts the URL of whatever instance the generated id names: covered by
# tests/api/test_instances.py against the fake Sonarr instead.
NOT_FUZZED = r"^/api/instances/\{id\}/test/$"
WSGI_APP = WSGIHandler()
FUZZ_ADDRESS = "198.51.100.7"  # TEST-NET-2


def test_schema_generates_without_warnings(tmp_path) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/instances/", "/api/media/", "/api/scans/{id}/cancel/", "/api/stats/"):
        assert f"  {path}:" in text
    assert "tokenAuth" in text
    assert "/api/webhooks/" not in text  # not part of the user API: the *arr calls them


def _served_schema() -> dict[str, Any]:
    """What /api/schema/ serves (built at import: test collection needs the operations)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(JSONRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_served_schema()).exclude(path_regex=NOT_FUZZED)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction() -> Iterator[None]:
    """Django closes the connection around each request; the test client stops that,
    and so must a raw WSGI call, or the test's transaction would be lost."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def rows() -> None:
    media = MediaFactory()
    ScanRunFactory(instance=media.instance)
    EventFactory(instance=media.instance, media=media)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_gets_a_server_error(case: Any, token_key: str, rows: None) -> None:
    response = case.call(
        app=WSGI_APP,
        headers={"Authorization": f"Token {token_key}"},
        # Its own client address: its token requests use up the login limit of this
        # address only, not 127.0.0.1's (the browser test logs in from there).
        environ_base={"REMOTE_ADDR": FUZZ_ADDRESS},
    )
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
