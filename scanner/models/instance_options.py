"""What an instance's options mean: how they are checked and normalised (``clean``), the
tag labels they make, and the settings a verdict depends on. An abstract model that
Instance extends: the fields are Instance's; it adds no column and no table."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from scanner import validators
from scanner.engine.labels import LabelSet, label_errors
from scanner.engine.verdict import RULES_VERSION, Tag
from scanner.models.instance_option_list import OPTIONS

TAG_LABEL_RE = r"^[a-z0-9-]+$"
tag_label_validator = RegexValidator(
    TAG_LABEL_RE, "Use only lowercase letters, digits and '-' (Sonarr/Radarr reject others)."
)

SUMMARY_LABEL_FIELDS = ("tag_dub", "tag_semi_dub", "tag_wrong_dub")
LABEL_TEMPLATE_FIELDS_BY_KEY = {
    "language_dub": "tag_language_dub",
    "language_semi_dub": "tag_language_semi_dub",
    "subtitle": "tag_subtitle",
    "subtitle_semi": "tag_subtitle_semi",
}
LABEL_TEMPLATE_FIELDS = tuple(LABEL_TEMPLATE_FIELDS_BY_KEY.values())


class InstanceOptions(models.Model):
    class Meta:
        abstract = True

    if TYPE_CHECKING:  # Instance's fields and properties that these methods read
        url: str
        root_folders: list[str]
        target_languages: list[str]
        allowed_extra_languages: list[str]
        original_language: str
        tag_dub: str
        tag_semi_dub: str
        tag_wrong_dub: str
        summary_tags: bool
        language_tags: bool
        subtitle_tags: bool
        tag_language_dub: str
        tag_language_semi_dub: str
        tag_subtitle: str
        tag_subtitle_semi: str
        unknown_first_track: str
        quick_mode: bool
        count_specials: bool
        count_unmonitored: bool
        sidecar_hi_hearing_impaired: bool
        lat_is_latino: bool
        unknown_variety_counts: bool
        identify_audio_language: str

        @property
        def is_arr(self) -> bool: ...
        def get_kind_display(self) -> str: ...

    def clean_fields(self, exclude: Any = None) -> None:
        self._normalise_labels()
        super().clean_fields(exclude=exclude)

    def _normalise_labels(self) -> None:
        """Labels are stored lowercase (as the *arr stores them): accept "Dub"; an empty
        template means the default one."""
        for name in (*SUMMARY_LABEL_FIELDS, *LABEL_TEMPLATE_FIELDS):
            field = self._meta.get_field(name)
            if not isinstance(field, models.Field):
                raise TypeError(f"{name} is not a field of {type(self).__name__}")
            value = str(getattr(self, name) or "").strip().lower()
            setattr(self, name, value or field.get_default())

    def clean(self) -> None:
        """Normalise and check every option; errors are keyed by field name."""
        self._normalise_labels()
        errors: dict[str, list[str]] = {}

        def check(field: str, cleaner: Callable[[Any], Any]) -> None:
            try:
                setattr(self, field, cleaner(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.messages

        if self.is_arr:
            if self.url:
                check("url", validators.clean_arr_url)
            else:
                errors["url"] = [f"{self.get_kind_display()} needs a URL"]
        elif not self.root_folders:
            errors["root_folders"] = ["a library instance needs at least one root folder"]
        check("target_languages", validators.clean_targets)
        check("allowed_extra_languages", partial(validators.clean_languages, allow_empty=True))
        check("original_language", validators.clean_language)
        check("root_folders", validators.clean_folders)
        check("path_mappings", validators.clean_path_mappings)
        check("genre_filter", validators.clean_genres)
        if "target_languages" not in errors:
            for key, message in label_errors(self.label_set(), self.target_languages).items():
                field = "tag_wrong_dub" if key == "summary" else LABEL_TEMPLATE_FIELDS_BY_KEY[key]
                errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    # --- the tag labels and what the verdict depends on ----------------------------

    def tag_labels(self) -> dict[str, str]:
        return {
            Tag.DUB: self.tag_dub,
            Tag.SEMI_DUB: self.tag_semi_dub,
            Tag.WRONG_DUB: self.tag_wrong_dub,
        }

    def label_set(self) -> LabelSet:
        return LabelSet(
            summary=self.tag_labels(),
            summary_on=self.summary_tags,
            language_on=self.language_tags,
            subtitles_on=self.subtitle_tags,
            language_dub=self.tag_language_dub,
            language_semi_dub=self.tag_language_semi_dub,
            subtitle=self.tag_subtitle,
            subtitle_semi=self.tag_subtitle_semi,
        )

    def verdict_settings(self) -> dict[str, Any]:
        """The options a verdict depends on (those instance_option_list declares with a
        ``verdict``), and the version of the rules; a change re-decides every item (from
        the stored tracks: nothing is probed again). A list is hashed sorted (its order
        decides nothing)."""
        settings: dict[str, Any] = {"rules": RULES_VERSION}
        shared: dict[str, dict[int, Any]] = {}
        for option in OPTIONS:
            hashed = option.verdict
            if hashed is None:
                continue
            value = getattr(self, option.name)
            if not hashed.always and value == self._default(option.name):
                continue  # only when not its default: every other instance keeps its hash
            value = sorted(value) if isinstance(value, list) else value
            key = hashed.key or option.name
            if hashed.place is None:
                settings[key] = value
            else:
                shared.setdefault(key, {})[hashed.place] = value
        for key, places in shared.items():
            settings[key] = [places[place] for place in sorted(places)]
        return settings

    def _default(self, name: str) -> Any:
        field = self._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{name} is not a field of {type(self).__name__}")
        return field.get_default()

    def verdict_settings_hash(self) -> str:
        blob = json.dumps(self.verdict_settings(), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]
