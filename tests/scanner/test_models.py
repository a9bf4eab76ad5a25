from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from scanner.errors import ConfigError
from scanner.models import Instance, Media, MediaFile, ScanRun, Season
from tests.factories import (
    InstanceFactory,
    MediaFactory,
    MediaFileFactory,
    ScanRunFactory,
    SeasonFactory,
)

pytestmark = pytest.mark.django_db

API_KEY = "f00dbabe" * 4


def _raw_row(instance: Instance) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM scanner_instance WHERE id = %s", [instance.pk])
        return cursor.fetchone()


def test_api_key_column_holds_no_plaintext() -> None:
    instance = InstanceFactory(api_key=API_KEY)
    row = _raw_row(instance)
    assert not any(API_KEY in str(value) for value in row)
    assert not any(API_KEY[:12] in str(value) for value in row)
    assert Instance.objects.get(pk=instance.pk).get_api_key() == API_KEY


def test_webhook_token_stored_encrypted_and_hashed() -> None:
    instance = InstanceFactory()
    token = instance.get_webhook_token()
    assert len(token) >= 32
    assert not any(token in str(value) for value in _raw_row(instance))


def test_api_key_hint_shows_last_four_only() -> None:
    instance = InstanceFactory(api_key=API_KEY)
    assert instance.api_key_hint == "****" + API_KEY[-4:]


def test_wrong_encryption_key_is_a_clear_config_error(settings) -> None:
    instance = InstanceFactory(api_key=API_KEY)
    settings.TAGGARR_ENCRYPTION_KEY = "another-key-entirely-another-key-entirely"
    with pytest.raises(ConfigError, match="TAGGARR_ENCRYPTION_KEY") as caught:
        Instance.objects.get(pk=instance.pk).get_api_key()
    assert API_KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("factory", "duplicate"),
    [
        (lambda: InstanceFactory(name="main"), lambda first: InstanceFactory(name="main")),
        (
            lambda: MediaFactory(path="/tv/A"),
            lambda first: MediaFactory(instance=first.instance, path="/tv/A"),
        ),
        (
            lambda: MediaFactory(arr_id=7),
            lambda first: MediaFactory(instance=first.instance, arr_id=7),
        ),
        (
            lambda: SeasonFactory(number=1),
            lambda first: SeasonFactory(media=first.media, number=1),
        ),
        (
            lambda: MediaFileFactory(path="S01/e1.mkv"),
            lambda first: MediaFileFactory(media=first.media, path="S01/e1.mkv"),
        ),
    ],
    ids=["instance-name", "media-path", "media-arr-id", "season-number", "file-path"],
)
def test_unique_constraints_hold(factory, duplicate) -> None:
    first = factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate(first)


def test_same_path_allowed_in_another_instance() -> None:
    media = MediaFactory(path="/tv/A", arr_id=1)
    MediaFactory(path="/tv/A", arr_id=1)  # another instance
    assert Media.objects.filter(path=media.path).count() == 2


def test_library_media_may_share_null_arr_id() -> None:
    instance = InstanceFactory(kind=Instance.Kind.LIBRARY, url="", root_folders=["/tv"])
    MediaFactory(instance=instance, arr_id=None, path="/tv/A")
    MediaFactory(instance=instance, arr_id=None, path="/tv/B")
    assert instance.media.count() == 2


def test_one_active_scan_per_instance_is_enforced_by_the_database() -> None:
    run = ScanRunFactory(status=ScanRun.Status.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScanRunFactory(instance=run.instance, status=ScanRun.Status.QUEUED)
    ScanRun.objects.filter(pk=run.pk).update(status=ScanRun.Status.SUCCEEDED)
    ScanRunFactory(instance=run.instance, status=ScanRun.Status.QUEUED)
    ScanRunFactory(instance=run.instance, status=ScanRun.Status.FAILED)


def test_tag_labels_must_differ_in_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        InstanceFactory(tag_dub="dub", tag_semi_dub="dub")


def test_arr_instance_needs_url_in_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        InstanceFactory(kind=Instance.Kind.RADARR, url="")


def _instance(**overrides) -> Instance:
    values = {
        "name": "main",
        "kind": Instance.Kind.SONARR,
        "url": "http://sonarr:8989/",
        "target_languages": ["en", "de"],
    }
    values.update(overrides)
    return Instance(**values)


def test_clean_normalises_languages_url_and_folders() -> None:
    instance = _instance(
        target_languages=["English", "ger", "en-us"],
        allowed_extra_languages=["Japanese"],
        root_folders=["/tv/", "/tv", "/anime/./"],
        path_mappings=[{"remote": "D:\\TV", "local": "/tv/"}],
        tag_dub="Dub",
    )
    instance.full_clean()
    # A tag with a region is a variety (issue 60): kept as its tag, met by it only.
    assert instance.target_languages == ["eng", "deu", "en-US"]
    assert instance.allowed_extra_languages == ["jpn"]
    assert instance.url == "http://sonarr:8989"
    assert instance.root_folders == ["/tv", "/anime"]
    assert instance.path_mappings == [{"remote": "D:\\TV", "local": "/tv"}]
    assert instance.tag_dub == "dub"


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"target_languages": ["en", "klingonish"]}, "target_languages", "klingonish"),
        ({"target_languages": []}, "target_languages", "at least one"),
        ({"url": "ftp://sonarr"}, "url", "http"),
        ({"url": "http://user:pw@sonarr:8989"}, "url", "user name or password"),
        ({"url": "http://sonarr:99999"}, "url", "port"),
        ({"url": ""}, "url", "needs a URL"),
        ({"root_folders": ["relative/path"]}, "root_folders", "absolute"),
        ({"path_mappings": [{"remote": "/tv"}]}, "path_mappings", "remote' and 'local"),
        ({"tag_semi_dub": "Semi Dub!"}, "tag_semi_dub", "lowercase"),
        ({"tag_wrong_dub": "dub"}, "tag_wrong_dub", "must differ"),
    ],
)
def test_clean_rejects_bad_values_naming_the_field(overrides, field, fragment) -> None:
    with pytest.raises(ValidationError) as caught:
        _instance(**overrides).full_clean()
    assert field in caught.value.message_dict
    assert fragment in " ".join(caught.value.message_dict[field])


def test_library_instance_needs_root_folders() -> None:
    with pytest.raises(ValidationError) as caught:
        _instance(kind=Instance.Kind.LIBRARY, url="").full_clean()
    assert "root_folders" in caught.value.message_dict


def test_verdict_settings_hash_changes_with_targets_only_when_they_change() -> None:
    instance = _instance(target_languages=["eng"])
    same = _instance(target_languages=["eng"], name="other", tag_dub="dubbed")
    other = _instance(target_languages=["eng", "deu"])
    assert instance.verdict_settings_hash() == same.verdict_settings_hash()
    assert instance.verdict_settings_hash() != other.verdict_settings_hash()


def test_deleting_media_cascades_to_seasons_and_files() -> None:
    season = SeasonFactory()
    MediaFileFactory(media=season.media, season=season)
    season.media.delete()
    assert Season.objects.count() == 0
    assert MediaFile.objects.count() == 0
