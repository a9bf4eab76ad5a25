from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import Model, Prefetch, QuerySet
from rest_framework.serializers import BaseSerializer

_M = TypeVar("_M", bound=Model)

# The viewset of _M to the checker (the mixin's super() calls typed), only a generic class
# at run time: the viewsets are generic only in djangorestframework-stubs, and the view's
# own viewset comes later in its bases.
if TYPE_CHECKING:
    from rest_framework.viewsets import GenericViewSet as _ViewSet
else:

    class _ViewSet(Generic[_M]):
        pass


class PerActionMixin(_ViewSet[_M]):
    """Declarations instead of code: a serializer per action (``action_serializers``)
    and related rows fetched for the detail view only (``detail_prefetch``)."""

    # ViewSetMixin's declaration; None at run time for a method no action maps (hence `or`).
    action: str
    serializer_class: type[BaseSerializer[Any]]
    action_serializers: dict[str, type[BaseSerializer[Any]]] = {}
    detail_prefetch: Sequence[str | Prefetch[Any]] = ()

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return self.action_serializers.get(self.action or "", self.serializer_class)

    def get_queryset(self) -> QuerySet[_M]:
        queryset = super().get_queryset()
        if self.action == "retrieve" and self.detail_prefetch:
            queryset = queryset.prefetch_related(*self.detail_prefetch)
        return queryset
