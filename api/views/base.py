from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework.serializers import BaseSerializer


class PerActionMixin:
    """Declarations instead of code: a serializer per action (``action_serializers``)
    and related rows fetched for the detail view only (``detail_prefetch``)."""

    # ViewSetMixin's declaration; None at run time for a method no action maps (hence `or`).
    action: str
    serializer_class: type[BaseSerializer[Any]]
    action_serializers: dict[str, type[BaseSerializer[Any]]] = {}
    detail_prefetch: Sequence[str | Prefetch[Any]] = ()

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return self.action_serializers.get(self.action or "", self.serializer_class)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()  # type: ignore[misc]
        if self.action == "retrieve" and self.detail_prefetch:
            queryset = queryset.prefetch_related(*self.detail_prefetch)
        return queryset
