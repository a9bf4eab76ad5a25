"""The OpenAPI schema as /api/schema/ serves it, and the app to call in process, for the
schema's tests (tests/api/test_schema*.py)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from rest_framework.renderers import JSONRenderer

WSGI_APP = WSGIHandler()


def served_schema() -> dict[str, Any]:
    """What /api/schema/ serves, as JSON (drf-spectacular's generator, no request)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(JSONRenderer().render(generated))


def closed(document: dict[str, Any]) -> dict[str, Any]:
    """Our rule on top of OpenAPI's (where ``additionalProperties`` defaults to true): an
    object the API sends has no property its schema does not name."""
    closed = copy.deepcopy(document)
    for component in closed["components"]["schemas"].values():
        if "properties" in component:
            component.setdefault("additionalProperties", False)
    return closed


@contextmanager
def keeping_the_test_transaction() -> Iterator[None]:
    """Django closes the connection around each request; the test client stops that,
    and so must a raw WSGI call, or the test's transaction would be lost."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
