"""The OpenAPI schema's parts of our own: the token authentication (loaded by
ApiConfig.ready) and the postprocessing hooks (SPECTACULAR_SETTINGS)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

COMPONENT = "#/components/schemas/"
# Null and only null, in OpenAPI 3.0's words (it has no "null" type): a type said beside
# ``nullable``, and an enum of null alone.
NULL = {"type": "object", "nullable": True, "enum": [None]}
COMBINERS = ("oneOf", "anyOf", "allOf")


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, the key from POST /api/auth/token/",
        }


def require_every_response_property(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Every property of an object the API answers with is required. A serializer writes
    every readable field, null where the value is (encode/django-rest-framework
    rest_framework/serializers.py, Serializer.to_representation; a field is left out only
    when its attribute is missing, and ours read model rows and the dicts built for
    them), and the paginator its four keys (pagination.py, get_paginated_response).
    drf-spectacular marks only the read-only and the required-on-input ones, so a field
    a client may set (an instance's url) looked optional in answers that always carry
    it. Objects of request bodies are left alone (COMPONENT_SPLIT_REQUEST keeps them
    apart). tests/api/test_schema_conformance.py holds the answers to it."""
    schemas = result.get("components", {}).get("schemas", {})
    operations = [
        operation
        for item in result.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict)
    ]
    requests = _reachable([op.get("requestBody", {}) for op in operations], schemas)
    answers = _reachable([op.get("responses", {}) for op in operations], schemas)
    for name in answers - requests:
        component = schemas[name]
        if component.get("properties"):
            component["required"] = list(component["properties"])
    return result


def _reachable(roots: list[Any], schemas: dict[str, Any]) -> set[str]:
    """The names of the components the roots refer to, directly or through others."""
    seen: set[str] = set()
    pending = [name for root in roots for name in _refs(root)]
    while pending:
        name = pending.pop()
        if name not in seen and name in schemas:
            seen.add(name)
            pending.extend(_refs(schemas[name]))
    return seen


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENT):
            yield ref.removeprefix(COMPONENT)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def null_where_nullable(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A value that can be null says so in a way every OpenAPI 3.0 reader accepts.
    drf-spectacular marks a nullable serializer or a nullable choice of schemas with
    ``nullable: true`` beside its ``allOf: [$ref]`` or ``oneOf`` (drf_spectacular
    openapi.py, _get_serializer_field_schema; plumbing.py, build_basic_type). OpenAPI
    3.0.3 gives ``nullable`` a meaning only "in combination with a type assertion
    specified in the same Schema Object" (OAI/OpenAPI-Specification
    proposals/003_Clarify-Nullable.md), so a client that reads it so (openapi-core,
    through openapi-schema-validator) refused the nulls the API sends: "None for not
    nullable" (a run's not_heard, a decision's writing), "not valid under any of the
    given schemas" (an item's wanted_languages). Such a node becomes a choice between
    what it was and ``NULL``. tests/api/test_schema_live.py holds real answers to it."""
    schemas = result.get("components", {}).get("schemas", {})
    for node in _schema_nodes(result):
        if node.get("nullable") is not True or "type" in node:
            continue
        combiner = next((key for key in COMBINERS if key in node), None)
        if combiner is None:
            continue  # no type said: null is allowed already
        del node["nullable"]
        if combiner != "allOf":
            if not any(_is_null(choice, schemas) for choice in node[combiner]):
                node[combiner] = [*node[combiner], dict(NULL)]
            continue
        choices = node.pop(combiner)
        node["oneOf"] = [choices[0] if len(choices) == 1 else {"allOf": choices}, dict(NULL)]
    return result


def _is_null(choice: dict[str, Any], schemas: dict[str, Any]) -> bool:
    """A choice that is null already (a nullable choice field's NullEnum, say)."""
    ref = choice.get("$ref", "")
    if isinstance(ref, str) and ref.startswith(COMPONENT):
        choice = schemas.get(ref.removeprefix(COMPONENT), {})
    return None in choice.get("enum", []) or choice.get("nullable") is True


def _schema_nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in the document, deepest first (a node is changed after its parts)."""
    if isinstance(node, dict):
        for value in list(node.values()):
            yield from _schema_nodes(value)
        yield node
    elif isinstance(node, list):
        for value in node:
            yield from _schema_nodes(value)
