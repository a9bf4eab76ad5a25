"""The search filter of the API's lists: DRF's, whose schema documents ``search`` only
where the view has ``search_fields`` (DRF documents it on every view, and a view without
them ignores the term: a documented parameter that does nothing)."""

from __future__ import annotations

from typing import Any

from rest_framework import filters


class SearchFilter(filters.SearchFilter):
    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if not getattr(view, "search_fields", None):
            return []
        return super().get_schema_operation_parameters(view)
