"""The media list's filters: yes/no on the model's named conditions, and the original
language by name."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from scanner.language_names import language_label
from scanner.models import Media


class ConditionFilter(admin.SimpleListFilter):
    """Yes/no on one of the model's named conditions."""

    condition: Q
    answers: tuple[Any, Any]  # lazy texts

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", self.answers[0]), ("no", self.answers[1])]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Media]) -> QuerySet[Media]:
        if self.value() == "yes":
            return queryset.filter(self.condition)
        if self.value() == "no":
            return queryset.exclude(self.condition)
        return queryset


class PendingChangeFilter(ConditionFilter):
    title = _("planned change")
    parameter_name = "pending"
    condition = Media.PENDING_CHANGE
    answers = (_("planned tag differs"), _("no change planned"))


class HasErrorsFilter(ConditionFilter):
    title = _("errors")
    parameter_name = "errors"
    condition = Media.HAS_ERRORS
    answers = (_("with errors"), _("without errors"))


class DoubtfulOriginalFilter(ConditionFilter):
    title = _("original language")
    parameter_name = "doubtful"
    condition = Media.DOUBTFUL_ORIGINAL
    answers = (_("*arr's English in doubt"), _("not in doubt"))


class NeedsReviewFilter(ConditionFilter):
    title = _("review")
    parameter_name = "review"
    condition = Media.NEEDS_REVIEW
    answers = (_("needs review: rests on a guess"), _("nothing to review"))


class VarietyUnknownFilter(ConditionFilter):
    title = _("variety unknown decided")
    parameter_name = "variety_unknown"
    condition = Media.VARIETY_UNKNOWN
    answers = (
        _("a track of unknown variety decided a regional target"),
        _("no unknown variety decided"),
    )


class OriginalLanguageFilter(admin.SimpleListFilter):
    """The *arr's original languages, as "Japanese (jpn)"; the same parameter as the
    field's own filter, so saved links keep working."""

    title = _("original language (the *arr's)")
    parameter_name = "original_language__exact"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = (
            Media.objects.exclude(original_language="")
            .order_by("original_language")
            .values_list("original_language", flat=True)
            .distinct()
        )
        return sorted(((code, language_label(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Media]) -> QuerySet[Media]:
        if self.value():
            return queryset.filter(original_language=self.value())
        return queryset
