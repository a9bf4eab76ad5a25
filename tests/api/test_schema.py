"""The OpenAPI schema generates cleanly, and no request generated from it gets a 5xx
nor an answer its schema does not describe (schemathesis's not_a_server_error and
response_schema_conformance checks: schemathesis/schemathesis src/schemathesis/checks.py
and src/schemathesis/specs/openapi/checks.py). Every GET answer over rows of every kind:
tests/api/test_schema_conformance.py.

Which of schemathesis's phases run where. Here (`make test`, in process, on SQLite and on
PostgreSQL): the examples phase (the schema's explicit examples; it has none today, so
it adds no case) and the fuzzing phase (ten examples an operation, some 750 cases). The
coverage phase (the boundaries and the wrong types of every parameter and body field,
schemathesis/schemathesis src/schemathesis/specs/openapi/coverage/: some 7,300 cases,
nine in ten of this file's, and most of its CPU time, their generation counted) runs in
`.ci/schemathesis` only: through gunicorn, with both checks of this file, over the same
rows (tests/api/api_rows.py), beside the stateful phase and a fuzzing phase of 50
examples. What its cases no longer meet there: SQLite (that run is on PostgreSQL when
one is reachable, as in CI); a staff user holding the scanner's permissions only (its
token is a superuser's; the permissions' answers: tests/api/test_permissions.py); rows
made afresh for each operation (there they are made once, and a case's write stays for
the next). Counted on ``Case.call`` by ``case.meta.phase``: 7,326 coverage and 750
fuzzing cases before, the 750 fuzzing ones after; the file's CPU time alone (``-n 0``,
SQLite) went from 189 s to 56 s."""

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
# The coverage phase runs in .ci/schemathesis (the module's docstring); so does stateful.
IN_MAKE_TEST = ["examples", "fuzzing"]
schema.config.phases.update(phases=IN_MAKE_TEST)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction() -> Iterator[None]:
    with keeping_the_test_transaction():
        yield


@pytest.fixture
def rows() -> None:
    every_kind_of_row()


# Ten examples an operation here, in every `make test`; .ci/schemathesis runs every
# phase through a real gunicorn on top, the coverage phase only there.
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
