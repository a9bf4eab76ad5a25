"""django-filter FilterSets: every value is a bound query parameter, never SQL text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from scanner import validators
from scanner.engine import regional_states as regional
from scanner.engine.real_targets import real_target
from scanner.engine.targets import is_regional
from scanner.language_names import readers_locale
from scanner.models import TAG_CHOICES, Event, Media, ScanRun

PLANNED_CHOICES = [*TAG_CHOICES, ("undecided", "undecided (never decided)")]


class LanguageField(forms.CharField):
    def clean(self, value: str | None) -> str:
        text = (super().clean(value) or "").strip()
        return validators.clean_language(text) if text else ""


class LanguageFilter(filters.CharFilter):
    """A language in any accepted form (``ja``, ``jpn``, ``Japanese``), as its stored code;
    one that names no language is a 400 naming the parameter."""

    field_class = LanguageField


# Why a regional target is in no file of an item (engine.regional_states): the media
# list's chips and filters, in the API.
REGIONAL_WHY = (regional.ABSENT, regional.UNKNOWN, regional.OTHER)


class RegionalStateField(forms.CharField):
    """``fr-CA:unknown``: a regional target (as a target is typed: ``VFQ:unknown``) and why
    it is in no file (``absent``, ``unknown``, ``other``); anything else is a 400."""

    def clean(self, value: str | None) -> tuple[str, str] | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        target, _colon, why = text[:100].rpartition(":")
        code = real_target(target, readers_locale()) if target else None
        if code is None or not is_regional(code) or why not in REGIONAL_WHY:
            raise forms.ValidationError(
                _(
                    "use a regional target and why it is in no file: fr-CA:absent, "
                    "fr-CA:unknown or fr-CA:other"
                )
            )
        return code, why


class RegionalStateFilter(filters.CharFilter):
    field_class = RegionalStateField

    def filter(self, qs: QuerySet[Media], value: tuple[str, str] | None) -> QuerySet[Media]:
        if not value:
            return qs
        return qs.filter(Media.regional_state(*value))


class IdField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        # Row ids are 64-bit: a larger number would overflow in the database driver.
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


class IdFilter(filters.NumberFilter):
    """A row id: whole numbers only (NumberFilter alone would take 1.5)."""

    # types-django-filter types it as NumberFilter's own (DecimalField); django-filter
    # takes any form field.
    field_class = IdField  # type: ignore[assignment]


class BoundedIsoDateTimeField(IsoDateTimeField):
    """ISO 8601; a date near year 1 or 9999 whose UTC form falls outside what Python
    (and the database) can hold is a 400, not an OverflowError."""

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            # In UTC: PostgreSQL refuses a UTC offset of 16 hours or more (+22:00), which
            # ISO 8601 and Python allow.
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(_("date is out of range")) from None


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is a 400, not silently "no filter"."""

    widget = forms.TextInput

    # django-stubs gives NullBooleanField BooleanField's to_python (bool); Django's own
    # answers None for "no value", as this one does.
    def to_python(self, value: object) -> bool | None:  # type: ignore[override]
        text = str(value).strip().lower() if value is not None else ""
        if not text:
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("use true or false"))

    def validate(self, value: bool | None) -> None:
        pass


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["widget"] = forms.TextInput  # the raw value, not django-filter's guess
        super().__init__(*args, **kwargs)


class MediaFilter(filters.FilterSet):
    instance = IdFilter(field_name="instance_id")
    kind = filters.ChoiceFilter(choices=Media.Kind.choices)
    applied_tag = filters.ChoiceFilter(choices=TAG_CHOICES)
    planned_tag = filters.ChoiceFilter(choices=PLANNED_CHOICES, method="filter_planned_tag")
    pending = BooleanFilter(
        method="filter_pending", label=_("The planned tag differs from the applied one.")
    )
    original_language = LanguageFilter(max_length=50)
    has_errors = BooleanFilter(
        method="filter_has_errors", label=_("The item failed or has unreadable files.")
    )
    coverage_below = filters.NumberFilter(
        field_name="lowest_coverage",
        lookup_expr="lt",
        min_value=0,
        max_value=101,
        label=_("Items where some target language is in fewer than this percent of the files."),
    )
    original_doubtful = BooleanFilter(
        method="filter_original_doubtful",
        label=_("The *arr says English, but every file starts with another language."),
    )

    needs_review = BooleanFilter(
        field_name="needs_review",
        label=_("The verdict rests on a guess no person confirmed (review_reasons say which)."),
    )

    variety_unknown = BooleanFilter(
        field_name="variety_unknown",
        label=_(
            "A track of unknown variety decided a regional target (fr-CA, es-419) of the "
            "verdict (verdict_reasons.variety_unknown say which)."
        ),
    )

    regional_state = RegionalStateFilter(
        label=_(
            "A regional target in no file, and why: fr-CA:absent (no French), fr-CA:unknown "
            "(French of unknown variety), fr-CA:other (French of another variety)."
        ),
    )

    class Meta:
        model = Media
        fields: list[str] = []

    def filter_planned_tag(self, qs: QuerySet[Media], name: str, value: str) -> QuerySet[Media]:
        return qs.filter(planned_tag="" if value == "undecided" else value)

    def filter_pending(self, qs: QuerySet[Media], name: str, value: bool | None) -> QuerySet[Media]:
        return qs.filter(Media.PENDING_CHANGE) if value else qs.exclude(Media.PENDING_CHANGE)

    def filter_has_errors(
        self, qs: QuerySet[Media], name: str, value: bool | None
    ) -> QuerySet[Media]:
        return qs.filter(Media.HAS_ERRORS) if value else qs.exclude(Media.HAS_ERRORS)

    def filter_original_doubtful(
        self, qs: QuerySet[Media], name: str, value: bool | None
    ) -> QuerySet[Media]:
        doubtful = Media.DOUBTFUL_ORIGINAL
        return qs.filter(doubtful) if value else qs.exclude(doubtful)


class ScanRunFilter(filters.FilterSet):
    instance = IdFilter(field_name="instance_id")
    status = filters.MultipleChoiceFilter(choices=ScanRun.Status.choices)
    trigger = filters.ChoiceFilter(choices=ScanRun.Trigger.choices)
    dry_run = BooleanFilter()
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = ScanRun
        fields: list[str] = []


class EventFilter(filters.FilterSet):
    instance = IdFilter(field_name="instance_id")
    media = IdFilter(field_name="media_id")
    run = IdFilter(field_name="run_id")
    kind = filters.MultipleChoiceFilter(choices=Event.Kind.choices)
    since = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = DateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Event
        fields: list[str] = []
