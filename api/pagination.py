from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

# The fields a cursor may order by: never null (a cursor's position is compared with
# ``>``, which NULL never answers), each with an index or the id.
KEYSET_FIELDS = {"title", "id", "applied_tag", "planned_tag", "file_count", "error_file_count"}


class KeysetPagination(CursorPagination):
    """``?cursor=`` (empty for the first page, then the answer's ``next``): each page
    found from where the last one ended (``WHERE title > …``, the index on title), never
    by skipping the rows before it, and no count of the whole list (issue 83)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("title", "id")

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        ordering = tuple(super().get_ordering(request, queryset, view))
        if not ordering or ordering[0].lstrip("-") not in KEYSET_FIELDS:
            return ("title", "id")
        return ordering


class StandardPagination(PageNumberPagination):
    """The one pagination of the API: ``?page=`` and ``?page_size=`` (at most 200), with
    ``count``; or, with ``?cursor=``, KeysetPagination's pages (``next`` and ``previous``
    only) where the view allows them (``keyset_pagination = True``)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def __init__(self) -> None:
        self.keyset: KeysetPagination | None = None

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        wanted = KeysetPagination.cursor_query_param in request.query_params
        if wanted and getattr(view, "keyset_pagination", False):
            self.keyset = KeysetPagination()
            return self.keyset.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        if self.keyset is not None:
            return self.keyset.get_paginated_response(data)
        return super().get_paginated_response(data)
