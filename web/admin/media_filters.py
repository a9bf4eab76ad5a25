"""The media list's filters: yes/no on the model's named conditions, the original
language by name, and one per target language: in every file, in some, in none; for a
regional target (``fr-CA``) also why in none, as its chip says (web.language_chips):
no track of its language, of unknown variety, only another variety."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scanner.engine import regional_states as regional
from scanner.engine.targets import is_regional, settled_language, target_code
from scanner.engine.verdict import Tag
from scanner.language_names import inner_name, language_label, language_name
from scanner.models import Instance, Media
from scanner.reports.original_languages import original_languages
from scanner.reports.tag_change_text import tag_word


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


class TagFilter(admin.SimpleListFilter):
    """A summary tag field's filter, no tag named "no tag" (never the word ``none``);
    the field's own filter's parameter, so saved links keep working."""

    field: str

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(tag.value, tag_word(tag.value)) for tag in Tag]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Media]) -> QuerySet[Media]:
        if self.value() in {tag.value for tag in Tag}:
            return queryset.filter(**{self.field: self.value()})
        return queryset


class AppliedTagFilter(TagFilter):
    title = _("applied tag")
    parameter_name = "applied_tag__exact"
    field = "applied_tag"


class PlannedTagFilter(TagFilter):
    title = _("planned tag")
    parameter_name = "planned_tag__exact"
    field = "planned_tag"


class OriginalLanguageFilter(admin.SimpleListFilter):
    """The *arr's original languages, as "Japanese (jpn)"; the same parameter as the
    field's own filter, so saved links keep working."""

    title = _("original language (the *arr's)")
    parameter_name = "original_language__exact"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = original_languages()  # index steps, not a pass over every item
        return sorted(((code, language_label(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Media]) -> QuerySet[Media]:
        if self.value():
            return queryset.filter(original_language=self.value())
        return queryset


LANGUAGE_PARAMETER = "lang_"  # ?lang_deu=dub: German in every file


def language_query(code: str, state: str) -> str:
    """The list's query string for the items with ``state`` in target ``code``."""
    return f"{LANGUAGE_PARAMETER}{code}={state}"


class TargetLanguageFilter(admin.SimpleListFilter):
    """One target language's state per item (Media.language_state): the stored verdict,
    a small column on each item's row, never its files."""

    code: str
    template = "admin/scanner/media/language_filter.html"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = [
            (Tag.DUB.value, _("in every file")),
            (Tag.SEMI_DUB.value, _("in some files")),
            (Tag.NONE.value, _("in no file")),
        ]
        if is_regional(self.code):
            values = {"language": language_name(settled_language(self.code))}
            found += [
                (regional.ABSENT, gettext("no %(language)s") % values),
                (regional.UNKNOWN, gettext("%(language)s, variety unknown") % values),
                (regional.OTHER, gettext("%(language)s of another variety") % values),
            ]
        return found

    def queryset(self, request: HttpRequest, queryset: QuerySet[Media]) -> QuerySet[Media]:
        value = str(self.value())
        if value in Media.LANGUAGE_STATES:
            return queryset.filter(Media.language_state(self.code, value))
        if value in REGIONAL_WHY and is_regional(self.code):
            return queryset.filter(Media.regional_state(self.code, value))
        return queryset


# Why a regional target is in no file (engine.regional_states), as a filter's values.
REGIONAL_WHY = (regional.ABSENT, regional.UNKNOWN, regional.OTHER)


def target_codes() -> list[str]:
    """Every instance's targets, each once, in the order the instances name them (one
    query)."""
    found: dict[str, None] = {}
    for targets in Instance.objects.order_by("name").values_list("target_languages", flat=True):
        found.update(dict.fromkeys(str(code) for code in targets or ()))
    return list(found)


def asked_codes(request: HttpRequest) -> list[str]:
    """The targets a link asks for (``?lang_ita=dub``) that are stored codes: a link to a
    target no instance has any more (the dashboard's, before the next scan decides the
    items again) still lists exactly its items."""
    codes = (key.removeprefix(LANGUAGE_PARAMETER) for key in request.GET)
    return [
        code
        for code in codes
        if code and f"{LANGUAGE_PARAMETER}{code}" in request.GET and target_code(code) == code
    ]


def target_language_filters(request: HttpRequest) -> list[type[TargetLanguageFilter]]:
    """A filter per target language in use (or asked for), titled in the reader's
    language."""
    codes = list(dict.fromkeys([*target_codes(), *asked_codes(request)]))
    return [
        type(
            f"TargetLanguageFilter_{index}",
            (TargetLanguageFilter,),
            {
                "code": code,
                "parameter_name": f"{LANGUAGE_PARAMETER}{code}",
                "title": gettext("%(language)s (audio)") % {"language": inner_name(code)},
            },
        )
        for index, code in enumerate(codes)
    ]
