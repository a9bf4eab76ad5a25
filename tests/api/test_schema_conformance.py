"""The OpenAPI schema tells the truth: it is a valid OpenAPI 3.0 document, and every GET
endpoint's answer, over rows of every kind, is what its schema says.

The rules applied (OpenAPI 3.0.3, OAI/OpenAPI-Specification versions/3.0.3.md, "Schema
Object"): ``nullable`` "adds null to the allowed type": a value that can be null must say
so; ``required`` (from JSON Schema Validation): a required property is always present;
``readOnly``: "MAY be sent as part of a response but SHOULD NOT be sent as part of the
request", and its ``required`` "will take effect on the response only"; ``default``
"MUST conform to the defined type" (a ``default: ""`` beside ``minLength: 1`` does not).

The validators are the libraries' own. openapi-spec-validator for the document
(python-openapi/openapi-spec-validator openapi_spec_validator/validation/keywords.py:
the 3.0 meta-schema, and each schema's default validated against that schema).
schemathesis for the answers (schemathesis/schemathesis
src/schemathesis/specs/openapi/checks.py, response_schema_conformance, calls
src/schemathesis/specs/openapi/validation.py, validate_documented_response: the body
is checked against the schema documented for its status code, after converter.py,
to_json_schema, turns ``nullable`` into a "null" type and drops writeOnly properties
from a response schema). schemathesis runs in process against the WSGI app, inside the
test's transaction (pytest-django's), with nothing generated: the ids are the rows'.
The answers of real scans, read as a strict OpenAPI 3.0.3 client reads ``nullable``:
tests/api/test_schema_live.py.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.urls import resolve
from openapi_spec_validator import OpenAPIV30SpecValidator
from schemathesis.core.failures import Failure, FailureGroup

from scanner.models import Media
from tests.api.api_rows import every_kind_of_row
from tests.api.openapi import WSGI_APP, closed, keeping_the_test_transaction, served_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_a_valid_openapi_3_0_document() -> None:
    document = served_schema()
    assert document["openapi"].startswith("3.0.")
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or error.schema}: {error.message}"
        for error in OpenAPIV30SpecValidator(document).iter_errors()
    ]
    assert errors == []


def test_answers_require_every_property_and_request_bodies_keep_their_own() -> None:
    """A field a client may leave out of a request is still in every answer."""
    schemas = served_schema()["components"]["schemas"]
    instance, request = schemas["Instance"], schemas["InstanceRequest"]
    assert instance["required"] == list(instance["properties"])
    assert "url" in instance["required"] and "url" not in request["required"]
    assert "api_key" not in instance["properties"]  # write-only: never in an answer
    assert {"count", "next", "previous", "results"} <= set(
        schemas["PaginatedMediaList"]["required"]
    )


def _get_paths(document: dict[str, Any]) -> list[str]:
    return sorted(path for path, item in document["paths"].items() if "get" in item)


# The GET endpoints that need a query to answer 200, with one the rows answer.
QUERIES: dict[str, Any] = {
    "/api/keep/": lambda: {"path": f"{Media.objects.get(title='Cowboy Bebop').path}/"},
}


def _call(operation: Any, token_key: str, problems: list[str], **path_parameters: Any) -> Any:
    """GET it as a staff user and check the answer against its schema (status 200); what
    does not conform goes to ``problems``, named by path and property."""
    query = QUERIES[operation.path]() if operation.path in QUERIES else None
    case = operation.Case(path_parameters=path_parameters, query=query)
    with keeping_the_test_transaction():
        response = case.call(app=WSGI_APP, headers={"Authorization": f"Token {token_key}"})
    assert response.status_code == 200, f"{case.formatted_path}: {response.text}"
    try:
        operation.validate_response(response)
    except (Failure, FailureGroup) as exc:
        failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
        problems.extend(f"GET {case.formatted_path}: {failure}" for failure in failures)
    return response.json()


def test_every_get_answer_conforms_to_its_schema(token_key: str) -> None:
    every_kind_of_row()
    document = served_schema()
    schema = schemathesis.openapi.from_dict(closed(document))
    paths = _get_paths(document)
    checked: list[str] = []
    problems: list[str] = []
    for path in paths:
        if "{" in path:
            continue  # a detail: checked with its list's ids below
        body = _call(schema[path]["GET"], token_key, problems)
        checked.append(path)
        detail = f"{path}{{id}}/"
        if detail not in paths:
            continue
        rows = body["results"]
        assert rows, f"{path} lists nothing: the test rows miss its kind"
        # A detail and what hangs under it (a run's items: /api/scans/{id}/items/).
        under = [each for each in paths if each.startswith(detail)]
        for each in under:
            for row in rows:
                _call(schema[each]["GET"], token_key, problems, id=row["id"])
        checked.extend(under)
    assert sorted(checked) == paths
    assert not problems, "\n\n".join(problems)


def test_search_is_documented_where_a_list_searches() -> None:
    """DRF's SearchFilter ignores the term on a view without search_fields."""
    document = served_schema()
    for path in _get_paths(document):
        view = resolve(path.replace("{id}", "1")).func.cls
        names = {p["name"] for p in document["paths"][path]["get"].get("parameters", [])}
        searches = bool(getattr(view, "search_fields", None)) and "{id}" not in path
        assert ("search" in names) == searches, path
