"""Searches for missing dubs: what each *arr was asked to search, read-only (the daily
bound and the intervals count these rows)."""

from __future__ import annotations

from django.contrib import admin

from scanner.models import MissingSearch
from web.admin.base import ReadOnlyAdmin


@admin.register(MissingSearch)
class MissingSearchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "instance", "title", "season", "searched", "trigger", "user")
    list_filter = ("instance", "trigger")
    list_select_related = ("instance",)
    search_fields = ("title",)
    raw_id_fields = ("media",)
    date_hierarchy = "created_at"
