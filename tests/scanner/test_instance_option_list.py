"""The instance options are declared once (scanner.models.instance_option_list): every
column of Instance is an option or said not to be one, and the admin's form, the API,
the verdict's settings hash and import_config read the declaration."""

from __future__ import annotations

from django.db import models

from api.serializers.instances import InstanceSerializer
from scanner.engine.verdict import RULES_VERSION
from scanner.legacy_import.config import INSTANCE_KEYS
from scanner.models import Instance
from scanner.models.instance_option_list import NOT_OPTIONS, OPTIONS, read_only_shown
from scanner.models.secrets import Secret
from web.admin.instance_form import InstanceForm

NAMES = [option.name for option in OPTIONS]


def _secret_columns() -> set[str]:
    secrets = [value for value in vars(Instance).values() if isinstance(value, Secret)]
    return {
        column
        for secret in secrets
        for column in (secret.column, secret.hint_column, secret.lookup_column)
        if column
    }


def test_every_column_of_instance_is_an_option_or_said_not_to_be() -> None:
    """A new field fails here until it is declared (docs/adding-an-option.md)."""
    columns = {f.name for f in Instance._meta.get_fields() if isinstance(f, models.Field)}
    forgotten = columns - set(NAMES) - set(NOT_OPTIONS) - _secret_columns()
    assert not forgotten, f"declare these in scanner/models/instance_option_list.py: {forgotten}"
    assert not set(NAMES) & set(NOT_OPTIONS)


def test_every_option_is_a_field_or_a_secret_once() -> None:
    assert len(NAMES) == len(set(NAMES))
    for option in OPTIONS:
        found = vars(Instance).get(option.name)
        if option.secret:
            assert isinstance(found, Secret), option.name
        else:
            assert isinstance(Instance._meta.get_field(option.name), models.Field), option.name
    assert set(read_only_shown()) <= set(NOT_OPTIONS)


def test_the_admin_form_and_the_api_take_every_option() -> None:
    assert set(InstanceForm.base_fields) == set(NAMES)
    fields = InstanceSerializer().fields
    writable = {name for name, field in fields.items() if not field.read_only}
    assert writable == {option.name for option in OPTIONS if option.api}


def test_the_settings_hash_holds_what_it_held_before_the_declaration() -> None:
    """Stored items keep their hash (a new hash decides every item again): the options of
    the first release always, a later one only when it is not its default."""
    assert Instance(name="a", kind="sonarr").verdict_settings() == {
        "rules": RULES_VERSION,
        "labels": [False, False, "dub-{lang}", "semi-dub-{lang}", "sub-{lang}", "semi-sub-{lang}"],
        "targets": ["eng"],
        "extras": [],
        "unknown_first_track": "original",
        "quick_mode": False,
        "count_specials": False,
        "count_unmonitored": False,
        "original_language": "",
    }
    changed = Instance(
        target_languages=["fra", "deu"], allowed_extra_languages=["jpn", "eng"],
        original_language="jpn", language_tags=True, subtitle_tags=True,
        tag_language_dub="d-{lang}", tag_subtitle_semi="ss-{lang}", count_unmonitored=True,
        sidecar_hi_hearing_impaired=True, lat_is_latino=False, unknown_variety_counts=True,
        identify_audio_language="all", unknown_first_track="ignore",
        tag_dub="dubbed", summary_tags=False, genre_filter=["Anime"],  # not the verdict's
    )  # fmt: skip
    assert changed.verdict_settings() == {
        "rules": RULES_VERSION,
        "labels": [True, True, "d-{lang}", "semi-dub-{lang}", "sub-{lang}", "ss-{lang}"],
        "targets": ["deu", "fra"],
        "extras": ["eng", "jpn"],
        "unknown_first_track": "ignore",
        "quick_mode": False,
        "count_specials": False,
        "count_unmonitored": True,
        "original_language": "jpn",
        "sidecar_hi_hearing_impaired": True,
        "lat_is_latino": False,
        "unknown_variety_counts": True,
        "identify_audio_language": "all",
    }


def test_import_config_reads_the_declared_keys() -> None:
    """Each key of the original's instance settings (and its run interval, a default
    only) is declared on the option it sets."""
    declared = {option.imported_from.split(".")[0] for option in OPTIONS if option.imported_from}
    assert declared == INSTANCE_KEYS | {"run_interval_seconds"}
