"""The search filter of the API's lists: DRF's, whose schema documents ``search`` only
where the view has ``search_fields`` (DRF documents it on every view, and a view without
them ignores the term: a documented parameter that does nothing), and whose term is
bounded before any query: each word of it is one more condition on every search field."""

from __future__ import annotations

from typing import Any

from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from scanner.validators import MAX_SEARCH_LENGTH


class SearchFilter(filters.SearchFilter):
    def get_search_terms(self, request: Request) -> list[str]:
        given = request.query_params.get(self.search_param, "")
        if len(given) > MAX_SEARCH_LENGTH:
            raise ValidationError(
                {self.search_param: [f"Search for at most {MAX_SEARCH_LENGTH} characters."]}
            )
        return super().get_search_terms(request)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if not getattr(view, "search_fields", None):
            return []
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter.setdefault("schema", {})["maxLength"] = MAX_SEARCH_LENGTH
        return parameters
