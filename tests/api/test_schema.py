"""The OpenAPI schema generates cleanly, and no request generated from it gets a 5xx
nor an answer its schema does not describe (schemathesis's not_a_server_error and
response_schema_conformance checks: schemathesis/schemathesis src/schemathesis/checks.py
and src/schemathesis/specs/openapi/checks.py). Every GET answer over rows of every kind:
tests/api/test_schema_conformance.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.api_rows import every_kind_of_row
from tests.api.openapi import WSGI_APP, keeping_the_test_transaction, served_schema

pytestmark = pytest.mark.django_db

# Contacts the URL of whatever instance the generated id names: covered by
# tests/api/test_instances.py against the fake Sonarr instead.
NOT_FUZZED = r"^/api/instances/\{id\}/test/$"
FUZZ_ADDRESS = "198.51.100.7"  # TEST-NET-2


def test_schema_generates_without_warnings(tmp_path) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/instances/", "/api/media/", "/api/scans/{id}/cancel/", "/api/stats/"):
        assert f"  {path}:" in text
    assert "tokenAuth" in text
    assert "/api/webhooks/" not in text  # not part of the user API: the *arr calls them


# Built at import: test collection needs the operations.
schema = schemathesis.openapi.from_dict(served_schema()).exclude(path_regex=NOT_FUZZED)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction() -> Iterator[None]:
    with keeping_the_test_transaction():
        yield


@pytest.fixture
def rows() -> None:
    every_kind_of_row()


# Ten examples an operation here, in every `make test`; .ci/schemathesis fuzzes every
# phase through a real gunicorn on top (some 7,600 cases).
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_gets_a_server_error_or_an_undescribed_answer(
    case: Any, token_key: str, rows: None
) -> None:
    response = case.call(
        app=WSGI_APP,
        headers={"Authorization": f"Token {token_key}"},
        # Its own client address: its token requests use up the login limit of this
        # address only, not 127.0.0.1's (the browser test logs in from there).
        environ_base={"REMOTE_ADDR": FUZZ_ADDRESS},
    )
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
