"""The OpenAPI schema's parts of our own: the token authentication (loaded by
ApiConfig.ready) and a postprocessing hook (SPECTACULAR_SETTINGS)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

COMPONENT = "#/components/schemas/"


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
