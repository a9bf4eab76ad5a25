from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class PlainTitles:
    """A list page titled by what it lists ("Scans"), not "Select scan to change"."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        title = str(self.model._meta.verbose_name_plural).capitalize()  # type: ignore[attr-defined]
        context = {"title": title, **(extra_context or {})}
        return super().changelist_view(request, context)  # type: ignore[misc]


class ReadOnlyAdmin(PlainTitles, admin.ModelAdmin):
    """Rows written by scans: viewable (and deletable), never added or edited by hand."""

    show_full_result_count = False  # one COUNT less per list page on big tables

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
